"""Saved games: the file format, atomic writes with a backup, validated loading, migrations, verified
replay and the saves folder.

A save is a JSON document (format_version 4)::

    {
     "format_version": 4, "model_version": 2,
     "game": "homegrown", "game_version": "0.1.0",
     "name": "My game", "scenario": "default", "content_fingerprint": "1f89df9efd1ea182", "seed": 42,
     "player": "human" | "strategy:balanced" | null, "hide_forecast": false,
     "created": "2026-11-25T12:00:00Z", "updated": "2026-11-25T12:40:00Z",
     "turns": [{"quarter": "2026Q1", "allocations": {"rnd-b5g": 6.0}, "choices": {"ntt-law-debate": "keep"},
                "state_hash": "<sha256 of the state after this turn>",
                "prediction": {"goal": "stake", "guess": 0.05} (optional)}, ...],
     "snapshot": {"turn": 3, "quarter": "2026Q4", "done": false, "outcome": "partial", "score": 61.2,
                  "budget": 20.0, "metrics": {"approval": 54.1, ...}, "state_hash": "<sha256>"},
     "draft": {"allocations": {"rnd-b5g": 4.0}, "choices": {}, "prediction": null} (optional: the plan
              of the quarter not played yet, as the player left it; not an action),
     "checksum": "<sha256 of the canonical JSON of everything else>"
    }

The action log (`turns`) is the game: loading replays it from scenario + content + seed and checks the
state hash after every turn and at the end, so a tampered file, another content pack or another version of
the rules is detected and the first turn that differs is named. `checksum` detects edits made after
saving; delete that line to edit a save by hand on purpose (the replay still checks the hashes).
`model_version` names the simulation model (game.sim.MODEL_VERSION) whose numbers the hashes are: a save
recorded under another model replays under today's, with a note, and is checked against its summary only
(its hashes cannot match, since the models differ in the last bits of their arithmetic).

API for front ends (the TUI, `homegrown run --save`, `homegrown replay`); the format is in
game.storage.format, folders and names in game.storage.folders, atomic writes in game.storage.atomic::

    saves_dir(cli_value: str | Path | None = None) -> Path
        --saves DIR, else $HOMEGROWN_SAVES, else the checkout's saves/ (run from a checkout), else ./saves
    sanitise_name(name: str) -> str                 a safe file stem; InvalidSaveName if empty/reserved
    save_path(name: str, saves_dir: Path) -> Path   saves_dir / "<sanitised name>.json"
    resolve_save(arg: str, saves_dir: Path, *, for_writing=False) -> Path
        a CLI argument: a bare name means the saves folder, anything with a folder in it is a path
    autosave_path(saves_dir: Path, session_or_name) -> Path
        "autosave-<scenario>-seed<seed>.json", or "-2", "-3"... if that file holds a different game
    save_session(session, target, saves_dir=None, *, name=None, player=None) -> SaveResult
        atomic write (temp file, fsync, rename); the previous version is kept as "<file>.bak"; a
        damaged save is moved aside to "<stem>.broken-<time>.json" once the new file is written (never
        deleted; SaveResult.moved_aside); any other file, a link, a device or a FIFO in the way, or a
        file another writer changed meanwhile, is a SaveError and left as it is
    autosave(session, saves_dir, name=None, *, player="human") -> SaveResult
        call at the end of every turn; SaveResult.path is the file written
    read_save(path) -> SaveFile                     parse, migrate and validate (no content needed)
    verify_save(path, content) -> Verification      replay and compare; problems listed, never raised
        (.ok, .problems, .notes, .first_divergence, .session: the replayed game even when it differs, so
        a front end can offer "continue anyway under the new rules" for a save of another content pack)
    load_game(path, content) -> LoadedGame          (session, save, path); SaveError if it does not verify
    load_session(path, content) -> Session          the same, just the Session
    list_saves(saves_dir) -> list[SaveInfo]         newest first; broken files listed with .error set
    latest_save(saves_dir) -> Path | None           the newest readable save ("continue last game")

    `play --load ARG`: load_game(resolve_save(ARG, saves_dir(args.saves)), content). A name typed in the TUI:
    save_session(session, name, saves_dir()), catching InvalidSaveName (a ValueError) and SaveError.
    The end screen's what-if: game.play.whatif.what_if(content, session.scenario, session.seed, session.log,
    [Change(turn, lever, amount)]) and game.play.whatif.format_what_if(...) or WhatIf.to_json().

Every failure is a `SaveError` whose `str()` is one line naming the file. Reading never writes: the file's
bytes and mtime are unchanged by `read_save`, `verify_save`, `load_*` and `list_saves`. Files larger than
`MAX_SAVE_BYTES` are refused before they are read.

Versions: `MIGRATIONS[v]` upgrades the raw dict of format_version v to v + 1. Version 0 was the prototype
format: no created/updated/checksum, `fingerprint` instead of `content_fingerprint`, allocations as a list
in the order of a `levers` list, one `state_hash` at the top. tests/fixtures/saves/ holds a save of every
version (see make_fixtures.py there).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from game import __version__
from game.content.pack import Content
from game.content.untrusted import printable
from game.play.records import DECIMALS, rounded
from game.play.rules import ActionError, same_game
from game.play.session import Session
from game.sim import MODEL_VERSION
from game.storage.atomic import (
    ChangedUnderneath,
    atomic_write,
    backup_path,
    identity,
    remove_stale_temp_files,
)
from game.storage.folders import SUFFIX, InvalidSaveName, save_path, saves_dir
from game.storage.format import (
    CHECKSUM_MISMATCH,
    FORMAT_VERSION,
    MAX_NAME_LENGTH,
    SaveError,
    SaveFile,
    checksum,
    checksum_ok,
    encode,
    parse_save,
    read_bytes,
    read_save,
)

# ---------------------------------------------------------------- verifying and loading


def _summary(session: Session) -> dict[str, Any]:
    """The save's snapshot of a game, as JSON (rounded like every document)."""
    res = session.result().to_json()
    return {"turn": session.state.turn, "quarter": session.quarter, "done": session.done,
            "outcome": res["outcome"], "score": res["score"], "budget": rounded(session.budget),
            "metrics": res["final"]["metrics"], "state_hash": session.state_hash}


@dataclass
class Verification:
    """What replaying a save's action log found. `ok` when there are no problems."""

    path: Path
    save: SaveFile
    session: Session | None
    """The replayed game (None if the scenario is missing or the log could not be replayed at all)."""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_divergence: int | None = None
    """0-based index of the first turn whose state hash differs from the saved one."""
    differences: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Snapshot field -> (saved, replayed) for the fields that differ."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        s = self.save
        doc: dict[str, Any] = {
            "ok": self.ok, "save": str(self.path), "name": s.name, "scenario": s.scenario, "seed": s.seed,
            "format_version": FORMAT_VERSION, "model_version": s.model_version, "game_version": s.game_version,
            "player": s.player,
            "content_fingerprint": s.content_fingerprint, "turns": len(s.turns),
            "quarter": s.snapshot.quarter,
            "saved_state_hash": s.snapshot.state_hash,
            "replayed_state_hash": self.session.state_hash if self.session else None,
            "problems": self.problems, "notes": self.notes,
            "first_divergence": None,
            "differences": {k: {"saved": a, "replayed": b} for k, (a, b) in self.differences.items()},
        }
        if self.first_divergence is not None:
            t = self.save.turns[self.first_divergence]
            doc["first_divergence"] = {"turn": self.first_divergence + 1, "quarter": t.quarter}
        if self.session is not None:
            res = self.session.result().to_json()
            doc["result"] = {"outcome": res["outcome"], "score": res["score"], "done": self.session.done,
                             "goals": res["goals"], "metrics": res["final"]["metrics"]}
        return doc


def verify_save(path: Path | str, content: Content) -> Verification:
    """Replay a save's log and compare every state hash; mismatches are listed in `.problems`, never
    raised. Raises SaveError only if the file cannot be read as a save at all."""
    path = Path(path)
    data = read_bytes(path)
    save = parse_save(data, path, check_checksum=False)
    v = verify(save, content, path)
    try:
        intact = checksum_ok(json.loads(data))
    except (ValueError, RecursionError):  # parse_save accepted it, so this cannot happen
        intact = False
    if not intact:
        v.problems.insert(0, "the file " + CHECKSUM_MISMATCH)
    return v


def verify(save: SaveFile, content: Content, path: Path | str = "(save)") -> Verification:
    v = _verify(save, content, path)
    # problems quote what the file holds (ids, quarters): printable wherever they are shown
    v.problems = [printable(p) for p in v.problems]
    return v


def _verify(save: SaveFile, content: Content, path: Path | str) -> Verification:
    v = Verification(Path(path), save, None)
    if save.content_fingerprint != content.fingerprint:
        v.problems.append(f"saved with another content pack (fingerprint {save.content_fingerprint}, "
                          f"this one is {content.fingerprint})")
    if save.game_version != __version__:
        v.notes.append(f"saved by Homegrown {save.game_version}; this is {__version__}")
    if save.scenario not in content.scenarios:
        v.problems.append(f"scenario '{save.scenario}' is not in this content pack")
        return v
    # Hashes compare only under the model that recorded them; another model's save is replayed under this
    # one and checked against its summary (within rounding), with a note saying so.
    same_model = save.model_version == MODEL_VERSION
    if not same_model:
        v.notes.append(f"recorded under model v{save.model_version}; replayed under model v{MODEL_VERSION}, "
                       "whose state hashes differ, so the replay is checked against the saved summary only")
    session = Session(content, save.scenario, save.seed)
    for i, record in enumerate(save.turns):
        label = record.quarter or session.quarter
        if record.quarter is not None and record.quarter != session.quarter:
            v.problems.append(f"turn {i + 1} is labelled {record.quarter} but the scenario plays "
                              f"{session.quarter} then")
        try:
            session.end_turn(record.actions())
        except ActionError as exc:
            v.problems.append(f"turn {i + 1} ({label}) cannot be replayed: {exc}")
            v.first_divergence = i if v.first_divergence is None else v.first_divergence
            v.session = session
            return v
        if same_model and record.state_hash is not None and record.state_hash != session.state_hash \
                and v.first_divergence is None:
            v.first_divergence = i
    v.session = session
    session.predictions = {i: p for i, p in save.predictions().items() if i < len(session.log)}
    session.hide_forecast = save.hide_forecast
    session.draft = save.draft.draft() if save.draft is not None and not session.done else None
    now = _summary(session)
    snap = save.snapshot.model_dump()
    # Under another model the numbers agree to rounding: one unit of the saved last decimal either way.
    slack = 1e-9 if same_model else 1.5 * 10.0 ** -DECIMALS
    for key in ("quarter", "done", "outcome", "score"):
        if snap[key] is not None and snap[key] != now[key] \
                and not (key == "score" and not same_model and abs(snap[key] - now[key]) <= slack):
            v.differences[key] = (snap[key], now[key])
    for name, saved in (snap["metrics"] or {}).items():
        if name in now["metrics"] and abs(saved - now["metrics"][name]) > slack:
            v.differences[f"metrics.{name}"] = (saved, now["metrics"][name])
    if v.first_divergence is not None:
        t = save.turns[v.first_divergence]
        v.problems.append(f"the replay differs from turn {v.first_divergence + 1}"
                          + (f" ({t.quarter})" if t.quarter else "") + " on")
    if same_model and save.snapshot.state_hash != session.state_hash:
        v.problems.append(f"final state hash differs (saved {save.snapshot.state_hash[:12]}…, "
                          f"replayed {session.state_hash[:12]}…)")
    if set(v.differences) == {"score"} and not v.problems and save.game_version != __version__:
        # the same game to the last bit, scored by another version's rules (the score is derived, not
        # saved state); by this version's own rules a different score is a forged claim
        saved_score, now_score = v.differences.pop("score")
        v.notes.append(f"the score was {saved_score!r} under the rules it was saved with; this version "
                       f"scores the same game {now_score!r}")
    if v.differences:  # a summary that claims what the game did not do (lists show replayed values)
        claims = "; ".join(f"{k} saved {old!r}, replayed {new!r}" for k, (old, new) in v.differences.items())
        v.problems.append(f"the saved summary does not match the replayed game ({claims})")
    if v.problems and save.game_version != __version__:
        v.problems.append(f"the save was made by Homegrown {save.game_version} and this is {__version__}: "
                          "the rules may have changed")
    return v


@dataclass(frozen=True)
class LoadedGame:
    session: Session
    save: SaveFile
    path: Path


def load_game(path: Path | str, content: Content) -> LoadedGame:
    """Read, replay and verify a save. SaveError (one line) unless it replays to the saved state."""
    v = verify_save(path, content)
    if not v.ok:
        more = f" (and {len(v.problems) - 1} more)" if len(v.problems) > 1 else ""
        raise SaveError(v.path, f"does not replay: {v.problems[0]}{more}")
    assert v.session is not None
    return LoadedGame(v.session, v.save, v.path)


def load_session(path: Path | str, content: Content) -> Session:
    """The saved game, rebuilt by replaying its log and checked against its hashes."""
    return load_game(path, content).session


def autosave_path(folder: Path | str, session_or_name: Session | str) -> Path:
    """Where `autosave` writes this game: "autosave-<scenario>-seed<seed>.json" (or "<name>.json"), with
    "-2", "-3"... when that file already holds a different game (so a new game never pushes another
    game's autosave out, even into the .bak)."""
    if isinstance(session_or_name, str):
        return save_path(session_or_name, folder)
    session = session_or_name
    base = f"autosave-{session.scenario}-seed{session.seed}"
    for k in range(1, 1000):
        path = save_path(base if k == 1 else f"{base}-{k}", folder)
        if not path.exists():
            return path
        try:
            old = read_save(path)
        except SaveError:
            return path  # save_session moves the unreadable file aside
        if _same_game(old, session):
            return path
    raise SaveError(Path(folder), "too many autosaves of this scenario and seed; delete some")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def session_document(session: Session, *, name: str, player: str | None = None,
                     created: datetime | None = None, updated: datetime | None = None) -> dict[str, Any]:
    """The save of a session as a raw dict (format_version FORMAT_VERSION, checksum included)."""
    updated = updated or _now()
    turns = []
    for i, (actions, summary, turn) in enumerate(zip(session.log, session.history, session.turns, strict=True)):
        record: dict[str, Any] = {"quarter": summary.quarter,
                                  "allocations": {k: float(v) for k, v in actions.allocations.items()},
                                  "choices": dict(actions.choices), "state_hash": turn.after.hash(0)}
        if i in session.predictions:
            p = session.predictions[i]
            record["prediction"] = {"goal": p.goal, "guess": float(p.guess)}
        turns.append(record)
    doc = {
        "format_version": FORMAT_VERSION, "model_version": MODEL_VERSION, "game": "homegrown",
        "game_version": __version__, "name": name, "scenario": session.scenario, "content_fingerprint": session.content.fingerprint,
        "seed": session.seed, "player": player, "hide_forecast": bool(session.hide_forecast),
        "created": (created or updated).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "turns": turns, "snapshot": _summary(session),
    }
    if session.draft is not None and not session.done:
        d = session.draft
        doc["draft"] = {"allocations": {k: float(v) for k, v in d.actions.allocations.items()},
                        "choices": dict(d.actions.choices),
                        "prediction": None if d.prediction is None else {"goal": d.prediction.goal,
                                                                         "guess": float(d.prediction.guess)}}
    doc["checksum"] = checksum(doc)
    return doc


@dataclass(frozen=True)
class SaveResult:
    path: Path
    backup: Path | None
    """The previous version, if there was one."""
    moved_aside: Path | None = None
    """An unreadable file that was at `path`, renamed (not deleted) so the user can look at it."""


def _same_game(old: SaveFile, session: Session) -> bool:
    return same_game(old.scenario, old.seed, old.log(), session.scenario, session.seed, session.log)


def looks_like_a_save(path: Path) -> bool:
    """A damaged save of ours (moved aside, kept) rather than someone else's file (never touched)."""
    if path.is_symlink() or not path.is_file():
        return False  # never opened: a FIFO would block
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and (b'"format_version"' in head or b'"homegrown"' in head)


def save_session(session: Session, target: Path | str, folder: Path | str | None = None, *,
                 name: str | None = None, player: str | None = None) -> SaveResult:
    """Save a game atomically, keeping the previous version as `<file>.bak`.

    `target` is a save name (sanitised, put in `folder`, default `saves_dir()`) or a Path (used as given).
    Saving again over the same game keeps its name and `created` time. Only a save file is ever replaced:
    a damaged save of ours is renamed to `<stem>.broken-<time>.json` once the new file is written (see
    `.moved_aside`); anything else in the way (another program's file, a link, a device or a FIFO) is
    refused with a SaveError, and so is a file another program changed while this one was saving.
    """
    if name is not None and not 0 < len(name) <= MAX_NAME_LENGTH:
        raise InvalidSaveName(f"a save's name has 1 to {MAX_NAME_LENGTH} characters, not {len(name)}")
    if isinstance(target, Path):
        path = target
        if not path.parent.is_dir():
            raise SaveError(path, f"cannot save: the folder {path.parent} does not exist")
    else:
        folder = Path(folder) if folder is not None else saves_dir()
        path = save_path(target, folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SaveError(folder, f"cannot create the saves folder: {exc.strerror or exc}") from None
    if path.is_dir():
        raise SaveError(path, "is a folder; cannot save there")
    before = identity(path)
    if before is not None:
        # only ever replace (or move aside) a regular *.json save: never a device, a FIFO or a user's notes
        if path.is_symlink() or not path.is_file():
            raise SaveError(path, "is not a regular file; not replaced (choose another save name or path)")
        if path.suffix.lower() != SUFFIX:
            raise SaveError(path, f"is not a save (saves end in {SUFFIX}); not replaced")
    created, moved, backup = None, None, None
    if before is not None:
        try:
            old = read_save(path)
        except SaveError:
            if not looks_like_a_save(path):
                raise SaveError(path, "is not a save of this game; not replaced (choose another save name "
                                      "or path)") from None
            moved = path.with_name(f"{path.stem}.broken-{_now().strftime('%Y%m%dT%H%M%S')}{path.suffix}")
        else:
            if _same_game(old, session):
                created = old.created
                name = name or old.name
                player = player if player is not None else old.player
            backup = backup_path(path)
    doc = session_document(session, name=name or path.stem, player=player, created=created)
    try:
        atomic_write(path, encode(doc), expect=before, aside=moved)
    except ChangedUnderneath as exc:
        raise SaveError(path, f"{exc}; not replaced (save again to replace it)") from None
    except OSError as exc:
        raise SaveError(path, f"cannot write: {exc.strerror or exc}") from None
    remove_stale_temp_files(path)
    return SaveResult(path, backup, moved)


def autosave(session: Session, folder: Path | str, name: str | None = None, *,
             player: str | None = "human") -> SaveResult:
    """The TUI's end-of-turn autosave: `save_session` to `autosave_path(folder, name or session)`.

    The same game (its log extends the file's) always goes to the same file, whose previous turn is the
    .bak; a different game, e.g. a saved game continued differently, gets its own file."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(folder, f"cannot create the saves folder: {exc.strerror or exc}") from None
    path = autosave_path(folder, name if name is not None else session)
    return save_session(session, path, name=name, player=player)

# ---------------------------------------------------------------- listing


@dataclass(frozen=True)
class SaveInfo:
    path: Path
    mtime: float
    save: SaveFile | None
    error: str | None = None
    """Why the file cannot be read (it is still listed, so the player can see it)."""

    @property
    def name(self) -> str:
        return self.save.name if self.save else printable(self.path.stem)


def list_saves(folder: Path | str) -> list[SaveInfo]:
    """Every `*.json` in the folder (not backups, temp or moved-aside files), newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    infos = []
    for path in folder.glob("*" + SUFFIX):
        if path.name.startswith(".") or ".broken-" in path.name or not path.is_file():
            continue
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        try:
            infos.append(SaveInfo(path, mtime, read_save(path)))
        except SaveError as exc:
            infos.append(SaveInfo(path, mtime, None, exc.message))

    def key(info: SaveInfo) -> tuple[float, float]:
        updated = info.save.updated.timestamp() if info.save and info.save.updated else info.mtime
        return (updated, info.mtime)

    return sorted(infos, key=key, reverse=True)


def latest_save(folder: Path | str) -> Path | None:
    """The most recently updated readable save in the folder, for "continue last game"."""
    for info in list_saves(folder):
        if info.save is not None:
            return info.path
    return None


def class_saves(folder: Path | str) -> list[SaveInfo]:
    """The readable saves of a class folder (`classroom new`'s layout: one folder per student, and saves
    at the top), by name. A browser lab (`homegrown serve --class DIR`) offers exactly these names: a
    student picks one of them and plays that file; nothing a student types becomes a path."""
    folder = Path(folder)
    found: dict[Path, SaveInfo] = {}
    for sub in [folder, *sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))]:
        for info in list_saves(sub):
            if info.save is not None and info.path.resolve().is_relative_to(folder.resolve()):
                found.setdefault(info.path.resolve(), info)
    return sorted(found.values(), key=lambda i: (i.name.casefold(), str(i.path)))
