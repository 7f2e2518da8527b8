"""Typed records of play: what one quarter did (`TurnSummary`) and how a game stands (`GameResult`).

Built from the core's `TurnReport` and `State` at full precision; every front end reads their attributes.
Rounding and JSON happen only at the edges: `to_json()` gives the `homegrown run --json` shapes (floats
rounded to 6 decimals), which saves and documents write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from game.render.labels import goal_unit
from game.sim.metrics import KEY_METRICS, global_shares, metrics
from game.sim.scoring import BANDS, OUTCOMES, evaluate, is_met
from game.sim.state import State
from game.sim.step import TurnReport
from game.sim.why import contributions, top_causes
from game.sim.world import World

DECIMALS = 6
"""JSON documents round floats to this many decimals (the records keep full precision)."""


def rounded(x: float) -> float:
    return round(float(x), DECIMALS)


def _rounded_map(values: Mapping[str, float]) -> dict[str, float]:
    return {k: rounded(v) for k, v in values.items()}


@dataclass(frozen=True)
class Turn:
    """One quarter as the core played it: the state before and after, and its report."""

    before: State
    after: State
    report: TurnReport


@dataclass(frozen=True)
class EventFired:
    id: str
    title: str
    choice: str | None
    """The answer taken (the player's or the default); None for an event without choices."""


@dataclass(frozen=True)
class DealDecided:
    id: str
    won: bool


@dataclass(frozen=True)
class Cause:
    cause: str
    """A cause id the core emits (`lever:rnd-b5g`, `drift:ageing workforce`; see game.sim.causes)."""
    change: float


@dataclass(frozen=True)
class TurnSummary:
    """One played quarter of one game: what was spent, what happened, and why the key metrics moved."""

    quarter: str
    budget: float
    allocations: Mapping[str, float]
    """¥ billions actually spent, by lever id (levers with spending only, in content order)."""
    refused: bool
    """The plan went over budget and the rules scaled it down."""
    metrics: Mapping[str, float]
    """The key metrics after the quarter."""
    global_shares: Mapping[str, float]
    events: tuple[EventFired, ...]
    deals: tuple[DealDecided, ...]
    incidents: int
    major_incidents: int
    why: Mapping[str, tuple[Cause, ...]]
    """Key metric -> its largest causes this quarter, biggest first."""

    @property
    def spent(self) -> float:
        return sum(self.allocations.values())

    @classmethod
    def of(cls, turn: Turn, world: World, game: int = 0) -> TurnSummary:
        """Needs a turn played with `record=True` for the why."""
        r, after = turn.report, turn.after
        why = contributions(turn.before, after, r, world)
        events = []
        for e in r.events[game].nonzero()[0]:
            event = world.event(int(e))
            choice = int(r.choices[game, e])
            events.append(EventFired(event.id, event.title, event.choices[choice].id if choice >= 0 else None))
        return cls(
            quarter=r.quarter,
            budget=float(r.budget[game]),
            allocations={lid: float(r.spent[game, i]) for i, lid in enumerate(world.lever_ids)
                         if r.spent[game, i] > 0},
            refused=bool(r.refused[game]),
            metrics={k: float(v[game]) for k, v in metrics(after, world).items()},
            global_shares=share_table(after, world, game),
            events=tuple(events),
            deals=tuple(DealDecided(world.deal_ids[d], bool(v > 0)) for d, v in enumerate(r.deals[game]) if v != 0),
            incidents=int(r.incidents[game]),
            major_incidents=int(r.major_incidents[game]),
            why={m: tuple(Cause(c, v) for c, v in top_causes(why[m], game)) for m in KEY_METRICS if m in why},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "quarter": self.quarter,
            "budget": rounded(self.budget),
            "allocations": _rounded_map(self.allocations),
            "refused": self.refused,
            "metrics": _rounded_map(self.metrics),
            "global_shares": _rounded_map(self.global_shares),
            "events": [{"id": e.id, "title": e.title, "choice": e.choice} for e in self.events],
            "deals": [{"id": d.id, "result": "won" if d.won else "lost"} for d in self.deals],
            "incidents": self.incidents,
            "major_incidents": self.major_incidents,
            "why": {m: [{"cause": c.cause, "change": rounded(c.change)} for c in causes]
                    for m, causes in self.why.items()},
        }


@dataclass(frozen=True)
class GoalResult:
    id: str
    description: str
    op: str
    target: float
    value: float
    met: bool
    metric: str = ""
    """The goal's metric expression (its unit and print follow from it: game.render.labels.goal_numbers)."""
    weight: float = 1.0
    """The goal's weight in the score (out of `GameResult.total_weight`)."""
    start: float = float("nan")
    """The metric at the start of the scenario, where progress is measured from."""
    progress: float = 0.0
    """0-1 of the way from the start to the target (1: met)."""
    bonus: float = 0.0
    """0-1 over-achievement past the target (0 unless met)."""

    @property
    def started_met(self) -> bool:
        return is_met(self.op, self.target, self.start)


@dataclass(frozen=True)
class GameResult:
    """Outcome, score, goals and the state of one game (finished or not)."""

    outcome: str
    score: float
    goals: tuple[GoalResult, ...]
    metrics: Mapping[str, float]
    shares: Mapping[str, Mapping[str, float]]
    """Region -> vendor -> share."""
    global_shares: Mapping[str, float]
    state_hash: str

    @property
    def goals_met(self) -> int:
        return sum(g.met for g in self.goals)

    @property
    def total_weight(self) -> float:
        return sum(g.weight for g in self.goals)

    @property
    def weight_met(self) -> float:
        """The share of the goals' weight met, 0-1 (what decides a partial success)."""
        return sum(g.weight for g in self.goals if g.met) / self.total_weight

    @classmethod
    def of(cls, world: World, state: State, game: int = 0) -> GameResult:
        scores = evaluate(state, world)
        return cls(
            outcome=OUTCOMES[int(scores.outcome[game])],
            score=float(scores.score[game]),
            goals=tuple(GoalResult(g.id, g.description, g.op, g.target, float(scores.values[game, j]),
                                   bool(scores.met[game, j]), g.metric.source, g.weight, g.start,
                                   float(scores.progress[game, j]), float(scores.bonus[game, j]))
                        for j, g in enumerate(world.goals)),
            metrics={k: float(v[game]) for k, v in metrics(state, world).items()},
            shares={r: {v: float(state.shares[game, i, j]) for j, v in enumerate(world.vendor_ids)}
                    for i, r in enumerate(world.region_ids)},
            global_shares=share_table(state, world, game),
            state_hash=state.hash(game),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "score": self.score,
            "goals": [{"id": g.id, "description": g.description, "op": g.op, "target": g.target,
                       "value": rounded(g.value), "met": g.met, "metric": g.metric, "unit": goal_unit(g.metric),
                       "weight": g.weight, "start": rounded(g.start), "progress": rounded(g.progress),
                       "bonus": rounded(g.bonus)} for g in self.goals],
            "weight_met": rounded(self.weight_met),
            "score_band": list(BANDS[self.outcome]),
            "final": {
                "metrics": _rounded_map(self.metrics),
                "shares": {r: _rounded_map(by_vendor) for r, by_vendor in self.shares.items()},
                "global_shares": _rounded_map(self.global_shares),
            },
            "state_hash": self.state_hash,
        }


def share_table(state: State, world: World, game: int = 0) -> dict[str, float]:
    """Vendor id -> global share of one game."""
    g = global_shares(state.shares, state.market_size)[game]
    return {v: float(g[i]) for i, v in enumerate(world.vendor_ids)}
