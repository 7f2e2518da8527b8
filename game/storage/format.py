"""The save file format: its pydantic models, migrations from older versions, the checksum, and reading a
file's bytes into a validated `SaveFile` (no content pack needed, nothing written)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from game import __version__
from game.content.files import FileRefused, read_regular_file
from game.content.untrusted import printable
from game.play.predictions import Prediction
from game.play.rules import TurnActions
from game.play.session import Draft

FORMAT_VERSION = 4
MAX_NAME_LENGTH = 200
"""Of a save's `name` (what lists show), not of its file name (game.storage.folders)."""
MAX_SAVE_BYTES = 16 * 1024 * 1024
"""Larger files are refused before reading: a 20-turn save is about 10 KB."""


class SaveError(Exception):
    """A save that cannot be read, written or verified. `str()` is one line naming the file."""

    def __init__(self, path: Path | str | None, message: str):
        self.path = Path(path) if path is not None else None
        self.message = printable(message).replace("\n", " ")  # it may quote the file's own bytes
        shown = printable(str(path)) if path is not None else None
        super().__init__(f"{shown}: {self.message}" if shown is not None else self.message)

Hash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PredictionRecord(_Strict):
    """The player's guess, made before the quarter, of one goal's metric after it (game.play.predictions)."""

    goal: str = Field(min_length=1)
    guess: float = Field(allow_inf_nan=False)

    def prediction(self) -> Prediction:
        return Prediction(self.goal, self.guess)


class TurnRecord(_Strict):
    """One quarter of the action log: what the player decided, by id, and the state hash after it."""

    quarter: str | None = None
    allocations: dict[str, Amount] = {}
    choices: dict[str, str] = {}
    state_hash: Hash | None = None
    """None only in saves migrated from format 0, which kept no per-turn hashes."""
    prediction: PredictionRecord | None = None
    """Format 2: the guess made before this quarter, if any (not an action: replays ignore it)."""

    def actions(self) -> TurnActions:
        return TurnActions(dict(self.allocations), dict(self.choices))


class DraftRecord(_Strict):
    """Format 4: the quarter being planned when the game was saved (game.play.session.Draft): not an
    action, so replays and hashes ignore it; a loaded game reopens with it."""

    allocations: dict[str, Amount] = {}
    choices: dict[str, str] = {}
    prediction: PredictionRecord | None = None

    def draft(self) -> Draft:
        return Draft(TurnActions(dict(self.allocations), dict(self.choices)),
                     self.prediction.prediction() if self.prediction is not None else None)


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
    format_version: Literal[4]
    model_version: int = Field(ge=1)
    """Format 3: the simulation model (game.sim.MODEL_VERSION) that played the game and computed its state
    hashes; saves of formats 0-2 were all recorded under model 1."""
    game: Literal["homegrown"] = "homegrown"
    game_version: str
    name: Annotated[str, AfterValidator(printable)] = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    """Shown in lists and debriefs, so control characters are dropped as it is read."""
    scenario: str = Field(min_length=1)
    content_fingerprint: str = Field(min_length=1)
    seed: int = Field(ge=0, lt=2**63)
    player: str | None = None
    """Who played: "human" (the game's screen), "strategy:<name>" (`homegrown run --save`)."""
    hide_forecast: bool = False
    """Format 2: a classroom setting (`classroom new --hide-forecast`): the forecast panel stays hidden each
    quarter until the player has made a prediction."""
    created: datetime | None = None
    updated: datetime | None = None
    turns: list[TurnRecord]
    snapshot: Snapshot
    draft: DraftRecord | None = None
    """Format 4: the plan of the quarter after the last one played, as the player left it."""
    checksum: Hash | None = None

    @model_validator(mode="after")
    def _turns_match_snapshot(self) -> SaveFile:
        if self.snapshot.turn != len(self.turns):
            raise ValueError(f"snapshot.turn is {self.snapshot.turn} but the log has {len(self.turns)} turns")
        return self

    def log(self) -> list[TurnActions]:
        return [t.actions() for t in self.turns]

    def predictions(self) -> dict[int, Prediction]:
        return {i: t.prediction.prediction() for i, t in enumerate(self.turns) if t.prediction is not None}

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
        turns.append({"allocations": {lv: a for lv, a in zip(levers, entry["alloc"], strict=False) if a != 0},
                      "choices": entry.get("choices", {})})
    return {
        "format_version": 1, "game": "homegrown", "game_version": "prototype",
        "name": raw.get("name") or "untitled", "scenario": raw.get("scenario"),
        "content_fingerprint": raw.get("fingerprint"), "seed": raw.get("seed"), "player": None,
        "created": None, "updated": None, "turns": turns,
        "snapshot": {"turn": len(turns), "state_hash": raw.get("state_hash")},
    }


def _from_v1(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 1 had no predictions and no classroom settings: nothing to move, the defaults apply."""
    return {**raw, "format_version": 2}


def _from_v2(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 2 did not say which model recorded its hashes: every format 2 save was made under model 1
    (the verification then replays it under today's model and says so, game.storage.saves)."""
    return {**raw, "format_version": 3, "model_version": 1}


def _from_v3(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 3 kept no plan in progress: a loaded game starts its quarter with an empty plan, as it did."""
    return {**raw, "format_version": 4}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: _from_v0, 1: _from_v1, 2: _from_v2, 3: _from_v3,
}
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


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing missing files, folders, special files and anything too large."""
    try:
        return read_regular_file(path, MAX_SAVE_BYTES)
    except FileNotFoundError:
        raise SaveError(path, "no such save file") from None
    except FileRefused as exc:
        raise SaveError(path, str(exc)) from None
    except IsADirectoryError:
        raise SaveError(path, "is a folder, not a save file") from None
    except OSError as exc:
        raise SaveError(path, f"cannot read: {exc.strerror or exc}") from None


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
        # saves are indented: a file that stopped mid-write fails on its last line (a string left open
        # runs to the end, as a newline inside one would be another error)
        hint = " (the file looks truncated)" if "\n" not in text[exc.pos:].rstrip() else ""
        raise SaveError(path, f"is damaged or not a save{hint}: invalid JSON at line {exc.lineno}, "
                              f"column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise SaveError(path, "is not a save: JSON nested too deeply") from None
    if not isinstance(raw, dict):
        raise SaveError(path, f"is not a save: expected a JSON object, found {type(raw).__name__}")
    if check_checksum and not checksum_ok(raw):
        raise SaveError(path, CHECKSUM_MISMATCH)
    try:
        raw = migrate(raw)
    except (ValueError, TypeError, KeyError) as exc:
        raise SaveError(path, str(exc)) from None
    try:
        return SaveFile.model_validate(raw)
    except ValidationError as exc:
        raise SaveError(path, _validation_message(exc)) from None


def checksum_ok(raw: dict[str, Any]) -> bool:
    return raw.get("checksum") is None or raw.get("checksum") == checksum(raw)


def read_save(path: Path | str) -> SaveFile:
    """Read and validate a save without replaying it (no content pack needed). Never writes."""
    path = Path(path)
    return parse_save(read_bytes(path), path)



def encode(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")
