"""What-if replays: "what if I had funded training in 2027?"

`what_if(content, scenario, seed, log, changes)` replays a game's action log twice, as played and with some
allocations changed, and compares them. Randomness is counter-based (seed, turn, purpose, index), so
every random draw is the same in both games: the differences come from the changed decisions alone.
Pure: no I/O; the TUI's end screen calls it with `session.log`, the `replay --what-if` command with a
save's log; game.render.whatif prints the comparison.

A change is TURN:LEVER=AMOUNT or TURN:EVENT=CHOICE. TURN is a quarter (`2027Q1`), a 1-based turn number
(`5` = the fifth quarter played) or a stretch of them (`2027Q1..2027Q4`, `2..5`: the same change in each);
AMOUNT is ¥ billions (0 removes the lever from that quarter's plan); CHOICE is the id of another answer to
an event that fired in that quarter (the debrief's counterfactuals use both).

Budget rule (chosen for clarity): the other levers of a changed quarter are never rescaled behind the
player's back. If the changed plan would spend more than that quarter's budget, `WhatIfError` says so and
by how much, so the player lowers another lever explicitly (another `--what-if` for the same quarter).
Quarters that were not changed replay as played; if a what-if made a later quarter's budget smaller than
its recorded plan, that plan is scaled down proportionally, exactly as the core treats any plan over
budget, and a note says so. Event answers are kept by event id; an event that does not fire in the
what-if game loses its answer, a new one takes its default (both noted).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from game.content.pack import Content
from game.content.schema import quarter_index
from game.content.suggest import did_you_mean
from game.play.records import GameResult, rounded
from game.play.rules import ActionError, check_allocations
from game.play.session import Session, TurnActions
from game.sim.world import World

TIMELINE_METRICS = ("domestic_share", "approval", "engineers", "incidents")


class WhatIfError(ValueError):
    """A change that cannot be applied (unknown lever, turn outside the game, over budget): one line."""


@dataclass(frozen=True)
class Change:
    turn: int
    """0-based turn index."""
    lever: str
    amount: float


@dataclass(frozen=True)
class Answer:
    """Another answer to an event that fired in a quarter."""

    turn: int
    """0-based turn index."""
    event: str
    choice: str


@dataclass(frozen=True)
class ChangeSpec:
    """A change as typed, before it is resolved against a game: TURN:LEVER=AMOUNT or TURN:EVENT=CHOICE
    (`amount` is None and `choice` set when the value is not a number)."""

    turn: str
    lever: str
    amount: float | None
    text: str = ""
    choice: str | None = None


_SPEC = re.compile(r"^\s*(?P<turn>[^:]+?)\s*:\s*(?P<lever>[^=]+?)\s*=\s*(?P<amount>\S+)\s*$")
_CHOICE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


def parse_change(text: str) -> ChangeSpec:
    """'2027Q1:workforce-reskilling=6' or '2019Q1:ex-procurement-decision=ban-all' -> ChangeSpec
    (WhatIfError if it is neither TURN:LEVER=AMOUNT nor TURN:EVENT=CHOICE)."""
    m = _SPEC.match(text)
    if not m:
        raise WhatIfError(f"'{text}' is not TURN:LEVER=AMOUNT or TURN:EVENT=CHOICE "
                          "(e.g. 2027Q1:workforce-reskilling=6, 5:rnd-b5g=0 or 1:chip-controls=align)")
    value = m["amount"]
    try:
        amount = float(value)
    except ValueError:
        if not _CHOICE.match(value):
            raise WhatIfError(f"'{text}': '{value}' is neither an amount (¥ billions) nor a choice id") from None
        return ChangeSpec(m["turn"].strip(), m["lever"].strip(), None, text, choice=value)
    if not math.isfinite(amount) or amount < 0:
        raise WhatIfError(f"'{text}': amount must be 0 or more ¥ billions, not {value}")
    return ChangeSpec(m["turn"].strip(), m["lever"].strip(), amount, text)


def turns_text(turns: list[int]) -> str:
    """0-based turn indexes -> the TURN part of a change: '3' or the stretch '2..5' (consecutive turns)."""
    if turns != list(range(turns[0], turns[-1] + 1)):
        raise ValueError(f"turns {turns} are not one stretch")
    return str(turns[0] + 1) if len(turns) == 1 else f"{turns[0] + 1}..{turns[-1] + 1}"


def resolve_turns(turn: str, session: Session, played: int) -> list[int]:
    """A turn or a stretch 'A..B' of them -> 0-based indexes of played turns."""
    first, sep, last = turn.partition("..")
    if not sep:
        return [resolve_turn(turn, session, played)]
    a, b = resolve_turn(first.strip(), session, played), resolve_turn(last.strip(), session, played)
    if b < a:
        raise WhatIfError(f"'{turn}': the stretch ends before it starts")
    return list(range(a, b + 1))


def resolve_turn(turn: str, session: Session, played: int) -> int:
    """A quarter ('2027Q1') or a 1-based turn number ('5') -> 0-based index of a played turn."""
    world = session.world
    first, last = world.quarter(0), world.quarter(max(played - 1, 0))
    span = f"the game was played {first}–{last}, turns 1–{played}" if played else "no turn was played"
    if re.fullmatch(r"\d{4}[Qq][1-4]", turn):
        index = quarter_index(turn.upper()) - world.start_index
        label = turn.upper()
    elif re.fullmatch(r"\d+", turn):
        index = int(turn) - 1
        label = f"turn {turn}"
    else:
        raise WhatIfError(f"'{turn}' is not a quarter like 2027Q1 or a turn number like 5")
    if not 0 <= index < played:
        raise WhatIfError(f"{label} is not a turn of this game ({span})")
    return index


def _resolve_answer(spec: ChangeSpec, turns: list[int], session: Session) -> list[Answer]:
    world = session.world
    events = world.content.events
    if spec.lever not in events:
        if spec.lever in world.index("lever"):
            raise WhatIfError(f"'{spec.text}': '{spec.choice}' is not a number (¥ billions)")
        hint = did_you_mean(spec.lever, list(events)) or ""
        raise WhatIfError(f"'{spec.lever}' is neither a lever nor an event{hint}")
    event = events[spec.lever]
    ids = [c.id for c in event.choices]
    if spec.choice not in ids:
        hint = did_you_mean(spec.choice or "", ids) or f" (answers: {', '.join(ids) or 'none'})"
        raise WhatIfError(f"'{spec.choice}' is not an answer to '{spec.lever}'{hint}")
    out = []
    for turn in turns:
        if spec.lever not in _pending_at(session, turn):
            raise WhatIfError(f"{world.quarter(turn)}: '{spec.lever}' did not happen in that quarter")
        out.append(Answer(turn, spec.lever, spec.choice))
    return out


def resolve_answers(specs: list[ChangeSpec], session: Session, played: int) -> list[Answer]:
    """Check each typed answer change against the events that fired in the game."""
    answers: dict[tuple[int, str], Answer] = {}
    for spec in specs:
        if spec.choice is None:
            continue
        for a in _resolve_answer(spec, resolve_turns(spec.turn, session, played), session):
            if (a.turn, a.event) in answers:
                raise WhatIfError(f"{session.world.quarter(a.turn)}:{a.event} is changed twice")
            answers[a.turn, a.event] = a
    return sorted(answers.values(), key=lambda a: (a.turn, a.event))


def resolve_changes(specs: list[ChangeSpec], session: Session, played: int,
                    allow_empty: bool = False) -> list[Change]:
    """Check each typed allocation change against the game's levers and turns (answer changes are
    resolve_answers')."""
    world = session.world
    changes: list[Change] = []
    seen: dict[tuple[int, str], float] = {}
    for spec in specs:
        if spec.choice is not None:
            continue
        if spec.amount is None:
            raise WhatIfError(f"'{spec.text}': no amount")
        for turn in resolve_turns(spec.turn, session, played):
            changes.append(_resolve_change(spec, turn, world, seen))
    if not changes and not allow_empty:
        raise WhatIfError("no change given")
    return sorted(changes, key=lambda c: (c.turn, c.lever))


def _resolve_change(spec: ChangeSpec, turn: int, world: World, seen: dict[tuple[int, str], float]) -> Change:
    amount = spec.amount if spec.amount is not None else 0.0
    if spec.lever not in world.index("lever"):
        if spec.lever in world.content.events:
            raise WhatIfError(f"'{spec.lever}' is an event: give one of its answers, not an amount")
        hint = did_you_mean(spec.lever, world.lever_ids) or f" (levers: {', '.join(world.lever_ids)})"
        raise WhatIfError(f"unknown lever '{spec.lever}'{hint}")
    i = world.index("lever")[spec.lever]
    if world.offered[i] and not world.controllable[i]:
        raise WhatIfError(f"lever '{spec.lever}' is locked at ¥{world.arrays['lever_locked'][i]:g}B "
                          "in this scenario")
    try:
        check_allocations(world, {spec.lever: amount}, None, turn=turn)
    except ActionError as exc:
        raise WhatIfError(f"{world.quarter(turn)}: {exc}") from None
    key = (turn, spec.lever)
    if key in seen:
        raise WhatIfError(f"{world.quarter(turn)}:{spec.lever} is changed twice")
    seen[key] = amount
    return Change(turn, spec.lever, amount)


@dataclass
class WhatIf:
    original: Session
    altered: Session
    changes: list[Change]
    diverged_at: int | None
    """0-based first turn whose state differs between the two games (None: the changes changed nothing)."""
    notes: list[str] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)

    @property
    def first_change(self) -> int:
        return min([c.turn for c in self.changes] + [a.turn for a in self.answers])

    @property
    def score_difference(self) -> float:
        """What-if score minus the score as played (rounded as the JSON document rounds it)."""
        return round(self.altered.result().score - self.original.result().score, 6)

    def _side(self, session: Session) -> dict[str, Any]:
        res = session.result()
        return {"outcome": res.outcome, "score": res.score, "goals_met": res.goals_met, "goals": len(res.goals),
                "goal_values": {g.id: rounded(g.value) for g in res.goals},
                "goals_detail": {g.id: {"description": g.description, "met": g.met, "weight": g.weight}
                                 for g in res.goals},
                "weight_met": rounded(res.weight_met),
                "metrics": {k: rounded(v) for k, v in res.metrics.items()}, "quarter": session.quarter,
                "turns": session.state.turn, "done": session.done, "state_hash": session.state_hash}

    def timeline(self) -> list[dict[str, Any]]:
        """Per turn from the first change on: score and a few metrics in both games."""
        rows = []
        for i in range(self.first_change, max(len(self.original.turns), len(self.altered.turns))):
            row: dict[str, Any] = {"turn": i + 1, "quarter": self.original.world.quarter(i)}
            for label, session in (("original", self.original), ("what_if", self.altered)):
                if i < len(session.turns):
                    after = session.turns[i].after
                    res = GameResult.of(session.world, after)
                    row[label] = {"score": res.score, **{m: rounded(res.metrics[m]) for m in TIMELINE_METRICS}}
                else:
                    row[label] = None
            rows.append(row)
        return rows

    def to_json(self) -> dict[str, Any]:
        w = self.original.world
        orig, alt = self._side(self.original), self._side(self.altered)
        return {
            "changes": [{"turn": c.turn + 1, "quarter": w.quarter(c.turn), "lever": c.lever,
                         "original": float(self.original.log[c.turn].allocations.get(c.lever, 0.0)),
                         "what_if": c.amount} for c in self.changes],
            "answers": [{"turn": a.turn + 1, "quarter": w.quarter(a.turn), "event": a.event,
                         "original": _answer_at(self.original, a.turn, a.event), "what_if": a.choice}
                        for a in self.answers],
            "first_change": {"turn": self.first_change + 1, "quarter": w.quarter(self.first_change)},
            "diverged_from": (None if self.diverged_at is None else
                              {"turn": self.diverged_at + 1, "quarter": w.quarter(self.diverged_at)}),
            "original": orig,
            "what_if": alt,
            "difference": {
                "score": self.score_difference,
                "metrics": {k: round(alt["metrics"][k] - orig["metrics"][k], 6) for k in orig["metrics"]},
            },
            "timeline": self.timeline(),
            "notes": self.notes,
        }


def _answer_at(session: Session, turn: int, event: str) -> str | None:
    """The answer an event got in a played quarter (the player's, else the default the core took)."""
    return next((e.choice for e in session.history[turn].events if e.id == event), None)


def what_if(content: Content, scenario: str, seed: int, log: list[TurnActions],
            changes: Sequence[Change | Answer | ChangeSpec], *, original: Session | None = None) -> WhatIf:
    """Replay `log` as played and with `changes`, every random draw the same; compare the two games.

    `changes` may be resolved `Change`s and `Answer`s or typed `ChangeSpec`s (from `parse_change`).
    `original`, when given, is `log` already replayed (it is not replayed again). Raises WhatIfError
    for a change that cannot be applied, and ActionError if `log` itself does not replay.
    """
    original = original if original is not None else Session.replay(content, scenario, seed, log)
    altered = Session(content, scenario, seed)
    specs = [c if isinstance(c, ChangeSpec) else
             ChangeSpec(str(c.turn + 1), c.lever, float(c.amount)) if isinstance(c, Change) else
             ChangeSpec(str(c.turn + 1), c.event, None, choice=c.choice) for c in changes]
    answers = resolve_answers(specs, original, len(log))
    resolved = resolve_changes(specs, original, len(log), allow_empty=bool(answers))
    by_turn: dict[int, dict[str, float]] = {}
    for c in resolved:
        by_turn.setdefault(c.turn, {})[c.lever] = c.amount
    answer_at: dict[int, dict[str, str]] = {}
    for a in answers:
        answer_at.setdefault(a.turn, {})[a.event] = a.choice
    notes: list[str] = []
    world = altered.world
    for i, played in enumerate(log):
        quarter = world.quarter(i)
        if altered.done:
            notes.append(f"the what-if game ended before {quarter} ({altered.result().outcome})")
            break
        alloc = dict(played.allocations)
        budget = altered.budget
        if i in by_turn:
            for lever, amount in by_turn[i].items():
                if amount == 0:
                    alloc.pop(lever, None)
                else:
                    alloc[lever] = amount
            total = sum(alloc.values())
            if total > budget + 1e-9:
                others = sorted(((v, k) for k, v in alloc.items() if k not in by_turn[i]), reverse=True)
                levers = world.index("lever")  # names for the player, ids for --what-if
                plan = ", ".join(f"{world.lever(levers[k]).name} ({k}) ¥{v:.2f}B" for v, k in others[:4]) + (
                    f" and {len(others) - 4} more" if len(others) > 4 else "")
                hint = (f"; lower other levers of {quarter} by ¥{total - budget:.2f}B with more --what-if "
                        f"changes (the rest of that quarter's plan: {plan})" if others else "")
                raise WhatIfError(f"{quarter}: the plan would spend ¥{total:.2f}B but the budget is "
                                  f"¥{budget:.2f}B (¥{total - budget:.2f}B over){hint}")
        else:
            total = sum(alloc.values())
            if total > budget + 1e-9:
                factor = budget / total
                alloc = {k: v * factor for k, v in alloc.items()}
                notes.append(f"{quarter}: the budget was ¥{budget:g}B in the what-if game, so the plan as "
                             f"played (¥{total:g}B) was scaled down to fit")
        pending = {e.id for e in altered.pending_events()}
        asked = {**played.choices, **answer_at.get(i, {})}
        choices = {e: c for e, c in asked.items() if e in pending}
        events = world.content.events
        for e in sorted(set(asked) - pending):
            notes.append(f"{quarter}: “{events[e].title}” does not happen in the what-if game")
        for e in sorted(pending - set(played.choices) - _pending_at(original, i)):
            if events[e].choices:
                notes.append(f"{quarter}: “{events[e].title}” happens only in the what-if game "
                             "(its default answer is taken)")
        altered.end_turn(TurnActions(alloc, choices))
    diverged = None
    for i in range(min(len(original.turns), len(altered.turns))):
        if original.turns[i].after.hash(0) != altered.turns[i].after.hash(0):
            diverged = i
            break
    if diverged is None and len(original.turns) != len(altered.turns):
        diverged = min(len(original.turns), len(altered.turns))
    return WhatIf(original, altered, resolved, diverged, notes, answers)


def _pending_at(session: Session, i: int) -> set[str]:
    """Ids of the events pending at the start of turn i of a played session."""
    before = session.turns[i].before
    return {session.world.event_ids[e] for e, p in enumerate(before.pending[0]) if p}
