"""Each game of the class: its row (outcome, score, goals, spend, events met, quarter-by-quarter timeline,
predictions) and its decisions measured by counterfactual replay (game.analysis.debrief.counterfactual)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from game.analysis.debrief.counterfactual import measure, top
from game.analysis.debrief.data import EventMet, GameRow, SpendGroup, TurnRow
from game.content.pack import Content
from game.content.schema import CATEGORIES
from game.play.predictions import reveals
from game.play.records import GameResult, rounded
from game.play.session import Session
from game.render.labels import CATEGORY_COLOURS, CATEGORY_NAMES
from game.sim.world import World
from game.storage import SaveFile

TOP_DECISIONS = 3
EXTRA_COLOURS = ("#1f78b4", "#a6761d", "#666666", "#e6ab02", "#b15928")
"""For purposes beyond the five categories (ColorBrewer, distinct from the categories' Dark2)."""


def purpose(content: Content, lever: str) -> str:
    lv = content.levers[lever]
    return lv.purpose or lv.category


def spend_groups(world: World) -> list[SpendGroup]:
    """The scenario's spend groups: the lever categories, then each lever `purpose` that is not one, in
    content order (every name and colour derived from the content)."""
    content = world.content
    extra = [p for p in dict.fromkeys(purpose(content, lid) for lid in world.lever_ids) if p not in CATEGORIES]
    groups = [SpendGroup(c, CATEGORY_NAMES[c], CATEGORY_COLOURS[c]) for c in CATEGORIES]
    groups += [SpendGroup(p, p.replace("-", " ").capitalize(), EXTRA_COLOURS[i % len(EXTRA_COLOURS)])
               for i, p in enumerate(extra)]
    return groups


def events_met(session: Session) -> list[EventMet]:
    content = session.world.content
    out = []
    for t, (entry, actions) in enumerate(zip(session.history, session.log, strict=True)):
        for e in entry.events:
            event = content.events[e.id]
            label = next((c.label for c in event.choices if c.id == e.choice), None)
            out.append(EventMet(entry.quarter, e.id, e.title, e.choice, label, e.id in actions.choices,
                                event.fiction, t + 1))
    return out


def timeline(session: Session, groups: list[SpendGroup]) -> list[TurnRow]:
    world = session.world
    events = events_met(session)
    revealed = {r.quarter: r for r in reveals(world, session.turns, session.predictions)}
    rows = []
    for t, (entry, turn) in enumerate(zip(session.history, session.turns, strict=True)):
        spend = dict.fromkeys((g.id for g in groups), 0.0)
        for lid, amount in entry.allocations.items():
            spend[purpose(world.content, lid)] += rounded(amount)
        rows.append(TurnRow(t + 1, entry.quarter, spend, {k: rounded(v) for k, v in entry.allocations.items()},
                            [e for e in events if e.turn == t + 1], revealed.get(entry.quarter),
                            GameResult.of(world, turn.after).score))
    return rows


def game_row(path: Path, save: SaveFile, session: Session, groups: list[SpendGroup],
             replay: list[str], top_n: int = TOP_DECISIONS) -> GameRow:
    world = session.world
    res = session.result()
    by_lever: dict[str, float] = defaultdict(float)
    for entry in session.history:
        for lid, amount in entry.allocations.items():
            by_lever[lid] += rounded(amount)
    spend = dict.fromkeys((g.id for g in groups), 0.0)
    for lid, amount in by_lever.items():
        spend[purpose(world.content, lid)] += amount
    decisions = measure(session)
    return GameRow(
        str(path), save.name, save.player, save.seed, len(session.log), session.done, res.outcome, res.score,
        list(res.goals), spend, dict(by_lever), top(decisions, top_n), decisions, events_met(session),
        session.state_hash, timeline(session, groups), reveals(world, session.turns, session.predictions),
        replay=replay, lever_groups={lid: purpose(world.content, lid) for lid in by_lever},
    )
