"""Saved games: the file format, atomic writes with a backup, validated loading, migrations, verified
replay and the saves folder.

A save is a JSON document (format_version 1)::

    {
     "format_version": 1,
     "game": "homegrown", "game_version": "0.1.0",
     "name": "My game", "scenario": "default", "content_fingerprint": "1f89df9efd1ea182", "seed": 42,
     "player": "human" | "strategy:balanced" | null,
     "created": "2026-11-25T12:00:00Z", "updated": "2026-11-25T12:40:00Z",
     "turns": [{"quarter": "2026Q1", "allocations": {"rnd-b5g": 6.0}, "choices": {"ntt-law-debate": "keep"},
                "state_hash": "<sha256 of the state after this turn>"}, ...],
     "snapshot": {"turn": 3, "quarter": "2026Q4", "done": false, "outcome": "partial", "score": 61.2,
                  "budget": 20.0, "metrics": {"approval": 54.1, ...}, "state_hash": "<sha256>"},
     "checksum": "<sha256 of the canonical JSON of everything else>"
    }

The action log (`turns`) is the game: loading replays it from scenario + content + seed and checks the
state hash after every turn and at the end, so a tampered file, another content pack or another version of
the rules is detected and the first turn that differs is named. `checksum` detects edits made after
saving; delete that line to edit a save by hand on purpose (the replay still checks the hashes).

API for front ends (the TUI, `homegrown run --save`, `homegrown replay`)::

    saves_dir(cli_value: str | Path | None = None) -> Path
        --saves DIR, else $HOMEGROWN_SAVES, else the checkout's saves/ (run from a checkout), else ./saves
    sanitise_name(name: str) -> str                 a safe file stem; InvalidSaveName if empty/reserved
    save_path(name: str, saves_dir: Path) -> Path   saves_dir / "<sanitised name>.json"
    resolve_save(arg: str, saves_dir: Path, *, for_writing=False) -> Path
        a CLI argument: a bare name means the saves folder, anything with a folder in it is a path
    autosave_path(saves_dir: Path, session_or_name) -> Path
        "autosave-<scenario>-seed<seed>.json", or "-2", "-3"... if that file holds a different game
    save_session(session, target, saves_dir=None, *, name=None, player=None) -> SaveResult
        atomic write (temp file, fsync, rename); the previous version is kept as "<file>.bak"; an
        existing file that is not a readable save is moved aside to "<stem>.broken-<time>.json" (never
        deleted) and reported in SaveResult.moved_aside
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
    play_strategy(content, scenario, seed, strategy) -> Session   a bot's game with its moves as a log

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

import contextlib
import glob
import hashlib
import json
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from game import __version__
from game.content.loader import Content
from game.play.session import ActionError, Session, TurnActions

FORMAT_VERSION = 1
MAX_SAVE_BYTES = 16 * 1024 * 1024
"""Larger files are refused before reading: a 20-turn save is about 10 KB."""
SUFFIX = ".json"
BACKUP_SUFFIX = ".bak"
ENV_VAR = "HOMEGROWN_SAVES"
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                    *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
                    "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
MAX_NAME_LENGTH = 64


class SaveError(Exception):
    """A save that cannot be read, written or verified. `str()` is one line naming the file."""

    def __init__(self, path: Path | str | None, message: str):
        self.path = Path(path) if path is not None else None
        self.message = message
        super().__init__(f"{path}: {message}" if path is not None else message)


class InvalidSaveName(ValueError):
    """A save name that cannot be made safe (empty, or reserved on some systems)."""


# ---------------------------------------------------------------- the format

Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TurnRecord(_Strict):
    """One quarter of the action log: what the player decided, by id, and the state hash after it."""

    quarter: str | None = None
    allocations: dict[str, Amount] = {}
    choices: dict[str, str] = {}
    state_hash: Hash | None = None
    """None only in saves migrated from format 0, which kept no per-turn hashes."""

    def actions(self) -> TurnActions:
        return TurnActions(dict(self.allocations), dict(self.choices))


class Snapshot(_Strict):
    """The state when the game was saved: its hash, plus a summary for lists and for explaining a mismatch
    (the summary fields are None in saves migrated from format 0)."""

    turn: int = Field(ge=0)
    quarter: str | None = None
    done: bool | None = None
    outcome: str | None = None
    score: float | None = None
    budget: float | None = None
    metrics: dict[str, float] | None = None
    state_hash: Hash


class SaveFile(_Strict):
    format_version: Literal[1]
    game: Literal["homegrown"] = "homegrown"
    game_version: str
    name: str = Field(min_length=1, max_length=200)
    scenario: str = Field(min_length=1)
    content_fingerprint: str = Field(min_length=1)
    seed: int = Field(ge=0, lt=2**63)
    player: str | None = None
    created: datetime | None = None
    updated: datetime | None = None
    turns: list[TurnRecord]
    snapshot: Snapshot
    checksum: Hash | None = None

    @model_validator(mode="after")
    def _turns_match_snapshot(self) -> SaveFile:
        if self.snapshot.turn != len(self.turns):
            raise ValueError(f"snapshot.turn is {self.snapshot.turn} but the log has {len(self.turns)} turns")
        return self

    def log(self) -> list[TurnActions]:
        return [t.actions() for t in self.turns]

    @property
    def quarter(self) -> str | None:
        return self.snapshot.quarter


# ---------------------------------------------------------------- migrations


def _from_v0(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 0 (the prototype): allocations as a list in `levers` order, no times, one hash."""
    levers = raw.get("levers")
    log = raw.get("log")
    if not isinstance(levers, list) or not isinstance(log, list):
        raise ValueError("a format 0 save needs a 'levers' list and a 'log' list")
    turns = []
    for i, entry in enumerate(log):
        if not isinstance(entry, dict) or not isinstance(entry.get("alloc"), list):
            raise ValueError(f"log[{i}] needs an 'alloc' list")
        if len(entry["alloc"]) != len(levers):
            raise ValueError(f"log[{i}].alloc has {len(entry['alloc'])} amounts for {len(levers)} levers")
        turns.append({"allocations": {lv: a for lv, a in zip(levers, entry["alloc"]) if a != 0},
                      "choices": entry.get("choices", {})})
    return {
        "format_version": 1, "game": "homegrown", "game_version": "prototype",
        "name": raw.get("name") or "untitled", "scenario": raw.get("scenario"),
        "content_fingerprint": raw.get("fingerprint"), "seed": raw.get("seed"), "player": None,
        "created": None, "updated": None, "turns": turns,
        "snapshot": {"turn": len(turns), "state_hash": raw.get("state_hash")},
    }


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _from_v0}
"""format_version v -> a function upgrading the raw dict of version v to version v + 1."""


def migrate(raw: dict[str, Any]) -> dict[str, Any]:
    """Upgrade a raw save dict to FORMAT_VERSION (ValueError if its version is unknown)."""
    version = raw.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError("no format_version: this is not a Homegrown save" if version is None
                         else f"format_version {version!r} is not a whole number")
    if version > FORMAT_VERSION:
        raise ValueError(f"format_version {version} is newer than this Homegrown ({__version__}) can read "
                         f"(up to {FORMAT_VERSION}); update the game")
    while version < FORMAT_VERSION:
        if version not in MIGRATIONS:
            raise ValueError(f"unknown format_version {version}")
        raw = MIGRATIONS[version](raw)
        if raw.get("format_version") != version + 1:
            raise ValueError(f"migration from format_version {version} failed")
        version += 1
    return raw


# ---------------------------------------------------------------- reading


def _canonical(raw: dict[str, Any]) -> bytes:
    body = {k: v for k, v in raw.items() if k != "checksum"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def checksum(raw: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(raw)).hexdigest()


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing missing files, folders, special files and anything too large."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SaveError(path, "no such save file") from None
    except OSError as exc:
        raise SaveError(path, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise SaveError(path, "is a folder, not a save file")
    if not stat.S_ISREG(st.st_mode):
        raise SaveError(path, "is not a regular file")
    if st.st_size > MAX_SAVE_BYTES:
        raise SaveError(path, f"is {st.st_size / 2**20:.0f} MB, too large for a save "
                              f"(the limit is {MAX_SAVE_BYTES // 2**20} MB); not read")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SAVE_BYTES + 1)
    except OSError as exc:
        raise SaveError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_SAVE_BYTES:
        raise SaveError(path, "grew too large while being read; not read")
    return data


def _validation_message(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"not a valid save: {where}: {first['msg']}{more}"


CHECKSUM_MISMATCH = ("was changed after it was saved (checksum mismatch); "
                     "delete its 'checksum' line if you edited it on purpose")


def parse_save(data: bytes, path: Path | str | None = None, *, check_checksum: bool = True) -> SaveFile:
    """Parse, check, migrate and validate a save's bytes (the checksum is checked when present, unless
    `check_checksum` is false: `verify_save` reports a mismatch as a problem next to what the replay finds)."""
    if not data.strip():
        raise SaveError(path, "is empty, not a save")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SaveError(path, f"is damaged: invalid UTF-8 at byte {exc.start}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        hint = " (the file looks truncated)" if exc.pos >= len(text.rstrip()) else ""
        raise SaveError(path, f"is damaged or not a save: invalid JSON at line {exc.lineno}, "
                              f"column {exc.colno}: {exc.msg}{hint}") from None
    except RecursionError:
        raise SaveError(path, "is not a save: JSON nested too deeply") from None
    if not isinstance(raw, dict):
        raise SaveError(path, f"is not a save: expected a JSON object, found {type(raw).__name__}")
    if check_checksum and not _checksum_ok(raw):
        raise SaveError(path, CHECKSUM_MISMATCH)
    try:
        raw = migrate(raw)
    except (ValueError, TypeError, KeyError) as exc:
        raise SaveError(path, str(exc)) from None
    try:
        return SaveFile.model_validate(raw)
    except ValidationError as exc:
        raise SaveError(path, _validation_message(exc)) from None


def _checksum_ok(raw: dict[str, Any]) -> bool:
    return raw.get("checksum") is None or raw.get("checksum") == checksum(raw)


def read_save(path: Path | str) -> SaveFile:
    """Read and validate a save without replaying it (no content pack needed). Never writes."""
    path = Path(path)
    return parse_save(_read_bytes(path), path)


# ---------------------------------------------------------------- verifying and loading


def _summary(session: Session) -> dict[str, Any]:
    res = session.result()
    return {"turn": session.state.turn, "quarter": session.quarter, "done": session.done,
            "outcome": res["outcome"], "score": res["score"], "budget": round(session.budget, 6),
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
            "format_version": FORMAT_VERSION, "game_version": s.game_version, "player": s.player,
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
            res = self.session.result()
            doc["result"] = {"outcome": res["outcome"], "score": res["score"], "done": self.session.done,
                             "goals": res["goals"], "metrics": res["final"]["metrics"]}
        return doc


def verify_save(path: Path | str, content: Content) -> Verification:
    """Replay a save's log and compare every state hash; mismatches are listed in `.problems`, never
    raised. Raises SaveError only if the file cannot be read as a save at all."""
    path = Path(path)
    data = _read_bytes(path)
    save = parse_save(data, path, check_checksum=False)
    v = verify(save, content, path)
    try:
        intact = _checksum_ok(json.loads(data))
    except (ValueError, RecursionError):  # parse_save accepted it, so this cannot happen
        intact = False
    if not intact:
        v.problems.insert(0, "the file " + CHECKSUM_MISMATCH)
    return v


def verify(save: SaveFile, content: Content, path: Path | str = "(save)") -> Verification:
    v = Verification(Path(path), save, None)
    if save.content_fingerprint != content.fingerprint:
        v.problems.append(f"saved with another content pack (fingerprint {save.content_fingerprint}, "
                          f"this one is {content.fingerprint})")
    if save.game_version != __version__:
        v.notes.append(f"saved by Homegrown {save.game_version}; this is {__version__}")
    if save.scenario not in content.scenarios:
        v.problems.append(f"scenario '{save.scenario}' is not in this content pack")
        return v
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
        if record.state_hash is not None and record.state_hash != session.state_hash \
                and v.first_divergence is None:
            v.first_divergence = i
    v.session = session
    now = _summary(session)
    snap = save.snapshot.model_dump()
    for key in ("quarter", "done", "outcome", "score"):
        if snap[key] is not None and snap[key] != now[key]:
            v.differences[key] = (snap[key], now[key])
    for name, saved in (snap["metrics"] or {}).items():
        if name in now["metrics"] and abs(saved - now["metrics"][name]) > 1e-9:
            v.differences[f"metrics.{name}"] = (saved, now["metrics"][name])
    if v.first_divergence is not None:
        t = save.turns[v.first_divergence]
        v.problems.append(f"the replay differs from turn {v.first_divergence + 1}"
                          + (f" ({t.quarter})" if t.quarter else "") + " on")
    if save.snapshot.state_hash != session.state_hash:
        v.problems.append(f"final state hash differs (saved {save.snapshot.state_hash[:12]}…, "
                          f"replayed {session.state_hash[:12]}…)")
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


# ---------------------------------------------------------------- names and folders


def repo_saves_dir() -> Path | None:
    """The checkout's saves/ folder when the game runs from a checkout, else None."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "saves").is_dir():
        return root / "saves"
    return None


def saves_dir(cli_value: str | Path | None = None) -> Path:
    """--saves DIR, else $HOMEGROWN_SAVES, else the checkout's saves/, else ./saves (not created here)."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return repo_saves_dir() or Path.cwd() / "saves"


def sanitise_name(name: str) -> str:
    """A file stem that is safe everywhere: letters (any script), digits, space, '-', '_' and '.', no path
    separators, no leading dots, at most MAX_NAME_LENGTH characters. Raises InvalidSaveName for a name that
    is empty after cleaning or reserved on Windows (CON, NUL, COM1, ...)."""
    text = unicodedata.normalize("NFC", str(name)).strip()
    if text.lower().endswith(SUFFIX):
        text = text[: -len(SUFFIX)]
    text = "".join(ch if ch.isalnum() or ch in " -_." else "-" for ch in text)
    text = re.sub(r"-{2,}", "-", re.sub(r"\s+", " ", text))
    text = text.strip(" .-_")[:MAX_NAME_LENGTH].rstrip(" .-_")
    if not text:
        raise InvalidSaveName(f"'{name}' cannot be used as a save name: use letters or digits")
    if text.split(".")[0].strip().upper() in WINDOWS_RESERVED:
        raise InvalidSaveName(f"'{text}' is a reserved file name on Windows; choose another save name")
    return text


def save_path(name: str, folder: Path | str) -> Path:
    return Path(folder) / (sanitise_name(name) + SUFFIX)


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


def resolve_save(arg: str, folder: Path | str, *, for_writing: bool = False) -> Path:
    """A SAVE argument of the CLI. With a folder in it (or absolute) it is a path, used as given. A bare name
    is a save in `folder` ("mygame" -> folder/mygame.json); when reading, an existing file of that name in
    the current folder wins."""
    if not arg or not arg.strip():
        raise InvalidSaveName("a save needs a name")
    path = Path(arg).expanduser()
    if path.is_absolute() or len(path.parts) > 1:
        if path.name in ("", ".", ".."):
            raise InvalidSaveName(f"'{arg}' names a folder, not a save file")
        return path
    if not for_writing and path.exists():
        return path
    return save_path(arg, folder)


# ---------------------------------------------------------------- writing


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def _keep_backup(path: Path) -> None:
    """Make `<path>.bak` a copy of the current file, atomically (a hard link where possible)."""
    bak = backup_path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bak.tmp", dir=path.parent)
    os.close(fd)
    try:
        os.unlink(tmp)
        try:
            os.link(path, tmp)
        except OSError:  # no hard links here (some network or FAT file systems): copy
            with open(path, "rb") as src, open(tmp, "xb") as dst:
                dst.write(src.read(MAX_SAVE_BYTES + 1))
                dst.flush()
                os.fsync(dst.fileno())
        os.replace(tmp, bak)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode(path: Path) -> int:
    """The mode a plain open() would give: the existing file's, else 0666 less the umask."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path | str, data: bytes, *, keep_backup: bool = True) -> None:
    """Write `data` to `path` so that a crash at any moment leaves either the old file or the new one:
    temp file in the same folder, fsync, (previous version linked to `<path>.bak`), rename, fsync folder."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode(path))  # mkstemp makes 0600; a class's saves must be readable by the teacher
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and path.is_file():
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def session_document(session: Session, *, name: str, player: str | None = None,
                     created: datetime | None = None, updated: datetime | None = None) -> dict[str, Any]:
    """The save of a session as a raw dict (format_version 1, checksum included)."""
    updated = updated or _now()
    turns = []
    for actions, entry, turn in zip(session.log, session.history, session.turns, strict=True):
        turns.append({"quarter": entry["quarter"],
                      "allocations": {k: float(v) for k, v in actions.allocations.items()},
                      "choices": dict(actions.choices), "state_hash": turn.after.hash(0)})
    doc = {
        "format_version": FORMAT_VERSION, "game": "homegrown", "game_version": __version__,
        "name": name, "scenario": session.scenario, "content_fingerprint": session.content.fingerprint,
        "seed": session.seed, "player": player,
        "created": (created or updated).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated": updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "turns": turns, "snapshot": _summary(session),
    }
    doc["checksum"] = checksum(doc)
    return doc


def encode(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


@dataclass(frozen=True)
class SaveResult:
    path: Path
    backup: Path | None
    """The previous version, if there was one."""
    moved_aside: Path | None = None
    """An unreadable file that was at `path`, renamed (not deleted) so the user can look at it."""


def _same_game(old: SaveFile, session: Session) -> bool:
    log = session.log
    return (old.scenario == session.scenario and old.seed == session.seed
            and len(old.turns) <= len(log) and all(t.actions() == a for t, a in zip(old.turns, log)))


def save_session(session: Session, target: Path | str, folder: Path | str | None = None, *,
                 name: str | None = None, player: str | None = None) -> SaveResult:
    """Save a game atomically, keeping the previous version as `<file>.bak`.

    `target` is a save name (sanitised, put in `folder`, default `saves_dir()`) or a Path (used as given).
    Saving again over the same game keeps its name and `created` time. An existing file that is not a
    readable save is never overwritten: it is renamed to `<stem>.broken-<time>.json` (see `.moved_aside`).
    """
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
    created, moved, backup = None, None, None
    if path.exists():
        try:
            old = read_save(path)
        except SaveError:
            moved = path.with_name(f"{path.stem}.broken-{_now().strftime('%Y%m%dT%H%M%S')}{path.suffix}")
            os.replace(path, moved)
        else:
            if _same_game(old, session):
                created = old.created
                name = name or old.name
                player = player if player is not None else old.player
            backup = backup_path(path)
    doc = session_document(session, name=name or path.stem, player=player, created=created)
    try:
        atomic_write(path, encode(doc))
    except OSError as exc:
        raise SaveError(path, f"cannot write: {exc.strerror or exc}") from None
    _remove_stale_temp_files(path)
    return SaveResult(path, backup, moved)


def _remove_stale_temp_files(path: Path, age: float = 600.0) -> None:
    """Temp files that a write killed half-way left behind (only ours, and only old ones)."""
    now = time.time()
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > age:
                tmp.unlink()


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
        return self.save.name if self.save else self.path.stem


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

    def key(info: SaveInfo):
        updated = info.save.updated.timestamp() if info.save and info.save.updated else info.mtime
        return (updated, info.mtime)

    return sorted(infos, key=key, reverse=True)


def latest_save(folder: Path | str) -> Path | None:
    """The most recently updated readable save in the folder, for "continue last game"."""
    for info in list_saves(folder):
        if info.save is not None:
            return info.path
    return None


# ---------------------------------------------------------------- headless games


def play_strategy(content: Content, scenario: str, seed: int, strategy) -> Session:
    """Play a whole game with a strategy through a Session, so its moves become an action log by id."""
    return Session(content, scenario, seed).play_with(strategy)
