"""Each game of the class: its row (outcome, score, goals, spend, events met) and the decisions that
most changed it.

"Top decisions" (see `decision_impacts`): each save is replayed with the causal ledger recorded (a
`Session` records it every turn), and game.sim.attribution gives each cause's part in the goal metrics
over the game, with the market's share moves credited back to the causes of their inputs. Converted to
score points with the slope of the score in each goal metric inside the game's outcome band
(game.sim.scoring.points_per_unit: the goals' weights and the distances their progress runs over), it gives
each cause's impact on the final score; the player's decisions (levers they funded, answers they gave
to events) are ranked by absolute impact.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from game.analysis.debrief.data import EventMet, GameRow, Impact
from game.content.schema import CATEGORIES
from game.play.records import rounded
from game.play.session import Session
from game.render.labels import cause_label, titled
from game.sim import attribution, causes, scoring
from game.storage import SaveFile

TOP_DECISIONS = 3


def _money(x: float) -> str:
    return f"¥{x:.1f}B" if abs(x - round(x)) > 0.05 else f"¥{x:.0f}B"


def decision_impacts(session: Session) -> tuple[list[Impact], list[Impact]]:
    """(the player's decisions, every other cause), each sorted by absolute score impact, biggest first.

    Decisions are `lever:<id>` for levers the player funded (a lever the scenario locks is not theirs)
    and `event:<id>` for events with choices that fired in their game (an event's part includes the
    effects it has whatever the answer). Deals won or lost, the market, drift and incidents are not
    decisions: they are listed separately as what happened."""
    world = session.world
    content = world.content
    slope = scoring.points_per_unit(world, session.result().outcome)
    locked = set(world.scenario.locked)
    spent: dict[str, list[float]] = defaultdict(list)
    for entry in session.history:
        for lid, amount in entry.allocations.items():
            spent[lid].append(amount)
    answers: dict[str, list[tuple[str, str | None, bool]]] = defaultdict(list)
    for entry, actions in zip(session.history, session.log, strict=True):
        for e in entry.events:
            if e.choice is not None:
                answers[e.id].append((entry.quarter, e.choice, e.id in actions.choices))
    goal_ids = [g.id for g in world.goals]
    decisions: list[Impact] = []
    others: list[Impact] = []
    for cause, parts in attribution.cause_contributions(session.turns, session.world).items():
        points = float(parts @ slope)
        kind, key = causes.kind(cause), causes.key(cause)
        label = cause_label(cause, world)
        is_decision = False
        if kind == causes.LEVER and key in spent and key not in locked:
            is_decision = True
            label = (
                f"{label} ({_money(sum(spent[key]))} over {len(spent[key])} quarter"
                f"{'s' if len(spent[key]) != 1 else ''})"
            )
        elif kind == causes.LEVER and key in locked:
            label = f"{label} (locked by the scenario)"
        elif kind == causes.DEAL and key in content.deals:
            won = any(d.id == key and d.won for e in session.history for d in e.deals)
            financed = sum(sum(v) for lid, v in spent.items() if content.levers[lid].deal == key)
            label = (
                f"{label} ({'won' if won else 'lost'}"
                + (f"; you financed {_money(financed)}" if financed else "")
                + ")"
            )
        elif kind == causes.EVENT and key in answers:
            is_decision = True
            event = content.events[key]
            picked = []
            for quarter, choice, answered in answers[key]:
                clabel = next((c.label for c in event.choices if c.id == choice), choice)
                picked.append(f"{quarter}: {clabel}" + ("" if answered else " (default, not answered)"))
            label = f"Answer to '{titled(event.title, event.fiction)}' ({'; '.join(picked)})"
        impact = Impact(
            cause, label, points, {g: float(v) for g, v in zip(goal_ids, parts, strict=False)}, is_decision
        )
        (decisions if is_decision else others).append(impact)
    decisions.sort(key=lambda i: (-abs(i.points), i.cause))
    others.sort(key=lambda i: (-abs(i.points), i.cause))
    return decisions, others


def events_met(session: Session) -> list[EventMet]:
    content = session.world.content
    out = []
    for entry, actions in zip(session.history, session.log, strict=True):
        for e in entry.events:
            event = content.events[e.id]
            label = next((c.label for c in event.choices if c.id == e.choice), None)
            out.append(EventMet(entry.quarter, e.id, e.title, e.choice, label, e.id in actions.choices,
                                event.fiction))
    return out


def game_row(path: Path, save: SaveFile, session: Session, top: int = TOP_DECISIONS) -> GameRow:
    world = session.world
    res = session.result()
    by_lever: dict[str, float] = defaultdict(float)
    for entry in session.history:
        for lid, amount in entry.allocations.items():
            by_lever[lid] += rounded(amount)
    spend = dict.fromkeys(CATEGORIES, 0.0)
    for lid, amount in by_lever.items():
        spend[world.content.levers[lid].category] += amount
    decisions, others = decision_impacts(session)
    goals = list(res.goals)
    return GameRow(
        str(path),
        save.name,
        save.player,
        save.seed,
        len(session.log),
        session.done,
        res.outcome,
        res.score,
        goals,
        spend,
        dict(by_lever),
        decisions[:top],
        others[:2],
        events_met(session),
        session.state_hash,
    )
