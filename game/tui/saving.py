"""Opening saved games for the front ends (`homegrown play --load`, the title screen's Continue and Load).

Plain functions over game.storage, so the CLI can refuse a bad save before the app starts and the app can
show the same one-line message in a dialog. Opening never writes: the file's bytes stay as they are. A
save's draft (the quarter being planned) goes back into the dashboard's plan with `restore_draft`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from game import storage
from game.content.pack import Content
from game.play.predictions import Prediction, PredictionError
from game.play.predictions import check as check_prediction
from game.play.session import Session
from game.render.words import plural
from game.storage import SaveError, SaveFile, SaveInfo, Verification
from game.tui.plan import Plan


@dataclass(frozen=True)
class OpenedSave:
    """A save ready to play on: the replayed session and where its progress goes."""

    session: Session
    save: SaveFile
    path: Path
    other_rules: str | None = None
    """Set when the save was made with another content pack and replays only under the current rules:
    the reason, for a "continue anyway?" question. Such a game is then saved to a new file, never over
    the original."""

    @property
    def write_back(self) -> bool:
        """Its progress is saved to its own file (a classroom save gets the student's turns)."""
        return self.other_rules is None


def _checksum_failed(v: Verification) -> bool:
    return any(p.endswith(storage.CHECKSUM_MISMATCH) for p in v.problems)


def _only_content_differs(v: Verification, content: Content) -> bool:
    """The save is intact and replays through all its turns, but was made with another content pack: it
    can be continued under the current rules (from the replayed state)."""
    return (not v.ok and v.session is not None and v.save.content_fingerprint != content.fingerprint
            and v.session.state.turn == len(v.save.turns) and not _checksum_failed(v))


def open_save(path: Path | str, content: Content) -> OpenedSave:
    """Read and verify a save. SaveError (one line) if it cannot be read or does not replay, except for a
    save of another content pack that replays in full: that comes back with `other_rules` set."""
    v = storage.verify_save(path, content)
    if v.ok:
        assert v.session is not None
        return OpenedSave(v.session, v.save, v.path)
    if _only_content_differs(v, content):
        assert v.session is not None
        saved = v.save.snapshot
        replayed = v.session.result()
        reason = (f"{v.path.name} was saved with another content pack (the scenarios or rules have "
                  f"changed since). Replayed under the current rules, its {plural(len(v.save.turns), 'turn')} reach "
                  f"{v.session.quarter} with a score of {replayed.score:.1f}"
                  + (f" (it was {saved.score:.1f} when saved)" if saved.score is not None else "") + ".")
        return OpenedSave(v.session, v.save, v.path, other_rules=reason)
    raise SaveError(v.path, f"does not replay: {v.problems[0]}"
                    + (f" (and {len(v.problems) - 1} more)" if len(v.problems) > 1 else ""))


def when(info: SaveInfo) -> str:
    """The save's updated time (or the file's mtime) in local time, to the minute."""
    if info.save is not None and info.save.updated is not None:
        stamp = info.save.updated.astimezone()
    else:
        stamp = datetime.fromtimestamp(info.mtime).astimezone()
    return stamp.strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Replayed:
    """What a save's action log replays to: lists show this, never the summary the file claims."""

    turns: int
    quarter: str | None = None
    done: bool = False
    outcome: str | None = None
    score: float | None = None
    problem: str | None = None
    """Why it does not replay (then nothing else but `turns` is known)."""


_REPLAYED: dict[tuple[str, float, str], Replayed] = {}
"""By path, mtime and content fingerprint: a list replays each save once (about 0.1 s for 20 turns)."""


def replayed(info: SaveInfo, content: Content) -> Replayed:
    assert info.save is not None
    key = (str(info.path), info.mtime, content.fingerprint)
    if key not in _REPLAYED:
        v = storage.verify(info.save, content, info.path)
        if v.ok and v.session is not None:
            result = v.session.result()
            _REPLAYED[key] = Replayed(v.session.state.turn, v.session.quarter, v.session.done,
                                      result.outcome, result.score)
        else:
            # the reason without its details in brackets, which quote what the file claims
            _REPLAYED[key] = Replayed(len(info.save.turns), problem=v.problems[0].split(" (")[0])
    return _REPLAYED[key]


def summary(info: SaveInfo, content: Content) -> str:
    """One line about a save for lists: scenario, quarter, turns, score as replayed (or why it is broken
    or does not replay)."""
    if info.save is None:
        return f"broken: {info.error}"
    s, game = info.save, replayed(info, content)
    scenario = s.scenario
    total = None
    if s.scenario in content.scenarios:
        scenario = content.scenarios[s.scenario].name
        total = content.scenarios[s.scenario].turns
    parts = [scenario]
    if game.problem is not None:
        parts.append(f"does not replay: {game.problem}")
    elif game.done:
        parts.append(f"finished ({game.outcome})")
    else:
        parts.append(game.quarter or f"turn {game.turns + 1}")
    parts.append(f"{game.turns} of {total} turns played" if total else f"{game.turns} turns played")
    if game.score is not None:
        parts.append(f"score {game.score:.1f}")
    return " · ".join(parts)


@dataclass(frozen=True)
class Resumed:
    """What the dashboard takes back from a save's draft (game.play.session.Draft): the answers and guess
    still valid this quarter (the plan itself is restored into the Plan)."""

    choices: dict[str, str]
    prediction: Prediction | None
    note: str | None = None
    """Why the plan was trimmed (a budget that no longer fits it), as Plan.rebudget says."""


def restore_draft(session: Session, plan: Plan) -> Resumed:
    """Put the saved plan of this quarter back into `plan`, within the rules as they are now: amounts only
    for levers that take money this quarter, each within its max, the total within the budget (trimmed as
    a new quarter's budget trims it); answers only to this quarter's events; the guess only if it is still
    one. What does not fit is dropped: the draft is a convenience, never the game."""
    draft = session.draft
    if draft is None or session.done:
        return Resumed({}, None)
    levers = {lv.id: lv for lv in plan.levers}
    for lever_id, amount in draft.actions.allocations.items():
        lever = levers.get(lever_id)
        if lever is None or plan.is_locked(lever_id) or lever_id in plan.waiting or lever_id in plan.closed:
            continue
        plan.amounts[lever_id] = round(min(float(amount), lever.max), 6)
    note = plan.rebudget(plan.budget)
    pending = {e.id: {c.id for c in e.choices} for e in session.pending_events() if e.choices}
    choices = {e: c for e, c in draft.actions.choices.items() if c in pending.get(e, ())}
    try:
        prediction = None if draft.prediction is None else check_prediction(session.world, draft.prediction)
    except PredictionError:  # a goal or a range the rules no longer have
        prediction = None
    return Resumed(choices, prediction, note)
