"""Each game's decisions measured by counterfactual replay: the game replayed without a decision (a lever's
money over one stretch of quarters, or over the whole game) or with another answer to an event, on the
same random draws, with the engine behind `homegrown replay --what-if` (game.play.whatif). A decision's
number is the what-if game's score minus the score as played, exactly what the what-if command prints as
the score's difference, so each number in the debrief comes with the command that reproduces it.

Candidates, derived from the game's own log and its content (no lever or event is named here):
- every lever the player funded (not one the scenario locks): all its money removed; and, when it was
  funded in more than one stretch of consecutive quarters, each stretch removed on its own;
- every event with choices that fired: each other answer in its place, in that quarter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from game.play.session import Session
from game.play.whatif import WhatIfError, parse_change, turns_text, what_if
from game.render.labels import titled

METHOD = (
    "Each decision was measured by replaying the student's game without it, with the same random draws "
    "(Homegrown's randomness is drawn per seed, quarter and purpose, so removing a decision changes "
    "nothing else by chance): a lever's money removed from the quarters it was spent in (all of it, and "
    "each separate stretch of quarters), or an event answered the other way in the quarter it happened. "
    "Everything else the student did is replayed as played; money a removal frees stays in the budget "
    "(the reserve, where the scenario carries it over), and a later event that the change makes happen or "
    "not happen is answered as the student answered it, else by its default. The number is the score of "
    "that game minus the score as played: negative means the decision helped (without it the game scores "
    "less), positive that the game would have scored more without it. Contracts, incidents and the market "
    "then follow from the change, so financing that won a contract carries the contract's points. The "
    "command beside each number replays exactly that game; its 'difference' is the number."
)


@dataclass(frozen=True)
class Decision:
    """One decision of a game, and what its counterfactual did to the score."""

    kind: str
    """'spend' (a lever's money removed) or 'answer' (an event answered another way)."""
    key: str
    """The lever or event id."""
    label: str
    """What a student reads: 'Rip-and-replace: ¥12B in 2019Q1–2019Q4' or "Answer to '...' (2018Q4)"."""
    counterfactual: str
    """What the replay changed, in words: 'without it', "with 'Ban everywhere' instead"."""
    quarters: tuple[str, ...]
    changes: tuple[str, ...]
    """The what-if changes (TURN:LEVER=AMOUNT or TURN:EVENT=CHOICE), as `--what-if` takes them."""
    difference: float
    """Score of the what-if game minus the score as played."""
    outcome: str
    """The what-if game's outcome."""
    played: str | None = None
    """For an answer: the choice id played."""
    alternative: str | None = None
    """For an answer: the choice id of the counterfactual."""


def _stretches(turns: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for t in sorted(turns):
        if runs and t == runs[-1][-1] + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    return runs


def _money(x: float) -> str:
    return f"¥{x:.1f}B" if abs(x - round(x)) > 0.05 else f"¥{x:.0f}B"


def _span(quarters: list[str]) -> str:
    return quarters[0] if len(quarters) == 1 else f"{quarters[0]}–{quarters[-1]}"


def candidates(session: Session) -> list[Decision]:
    """Every decision of the game, not yet measured (difference 0, outcome '')."""
    world = session.world
    content = world.content
    index = world.index("lever")
    funded: dict[str, list[int]] = defaultdict(list)
    for t, actions in enumerate(session.log):
        for lid, amount in actions.allocations.items():
            if amount > 0 and lid in index and world.controllable[index[lid]]:
                funded[lid].append(t)
    out: list[Decision] = []
    for lid in [lid for lid in world.lever_ids if lid in funded]:
        turns = funded[lid]
        runs = _stretches(turns)
        groups = [turns] + (runs if len(runs) > 1 else [])
        for group in groups:
            spent = sum(session.history[t].allocations.get(lid, 0.0) for t in group)
            quarters = [world.quarter(t) for t in group]
            where = _span(quarters) if group in runs else f"{len(group)} quarters from {quarters[0]} to {quarters[-1]}"
            whole = " (all of it)" if group is turns and len(runs) > 1 else ""
            label = f"{content.levers[lid].name}: {_money(spent)} in {where}{whole}"
            changes = tuple(f"{turns_text(run)}:{lid}=0" for run in _stretches(group))
            out.append(Decision("spend", lid, label, "without it", tuple(quarters), changes, 0.0, ""))
    for t, entry in enumerate(session.history):
        for fired in entry.events:
            event = content.events[fired.id]
            if fired.choice is None or len(event.choices) < 2:
                continue
            picked = next(c for c in event.choices if c.id == fired.choice)
            answered = fired.id in session.log[t].choices
            for other in event.choices:
                if other.id == fired.choice:
                    continue
                label = (f"Answer to '{titled(event.title, event.fiction)}' in {entry.quarter}: "
                         f"'{picked.label}'" + ("" if answered else " (the default: not answered)"))
                out.append(Decision("answer", fired.id, label, f"with '{other.label}' instead", (entry.quarter,),
                                    (f"{t + 1}:{fired.id}={other.id}",), 0.0, "", fired.choice, other.id))
    return out


def measure(session: Session) -> list[Decision]:
    """Every candidate decision replayed (what_if), biggest absolute difference first."""
    out = []
    for d in candidates(session):
        try:
            w = what_if(session.content, session.scenario, session.seed, session.log,
                        [parse_change(c) for c in d.changes], original=session)
        except WhatIfError:  # cannot happen for removals and fired events; never breaks a debrief
            continue
        out.append(replace(d, difference=w.score_difference, outcome=w.altered.result().outcome))
    out.sort(key=lambda d: (-abs(d.difference), d.label, d.changes))
    return out


def top(decisions: list[Decision], n: int) -> list[Decision]:
    """The n biggest, one counterfactual per decision (an answer's biggest alternative; a lever's whole
    removal or a stretch, whichever moved more)."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    picked = []
    for d in decisions:
        ident = (d.kind, d.key, d.quarters if d.kind == "answer" else ())
        if ident in seen:
            continue
        seen.add(ident)
        picked.append(d)
        if len(picked) == n:
            break
    return picked
