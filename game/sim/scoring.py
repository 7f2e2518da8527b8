"""Goals, score and ending, from the scenario's goals evaluated on the state.

Each goal's **progress** runs from its start (the metric on the scenario's initial state, `CGoal.start`)
to its target: 0 where the game started (or anywhere further back), 1 once met. A goal met at the start
has no distance to cover, so losing it is measured against its `span` (default: the margin it started
with; see `goal_scale`). Past the target a goal earns a **bonus**, 0 at the target growing linearly to 1
at a margin of that same distance beyond it.

The **outcome** is decided first (victory: every goal met; partial: at least half the weight met;
defeat otherwise; dismissed when approval collapsed) and the **score** is then placed in the outcome's
own band of `BANDS`, so the bands never overlap: every victory scores above every partial, every partial
above every defeat, every defeat at or above every dismissal. Within its band a game is placed by:
victory, the weighted mean bonus (a bare win scores 70, a crushing one 100); partial, how much of the
way from half to all the weighted progress went; defeat and dismissed, the weighted progress.
The score is floored to a tenth, so its one-decimal print is exact and never reaches the next band.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from game.sim.metrics import Env
from game.sim.state import State
from game.sim.world import World

OUTCOMES = ("victory", "partial", "defeat", "dismissed")
BANDS: dict[str, tuple[float, float]] = {
    "victory": (70.0, 100.0), "partial": (40.0, 70.0), "defeat": (10.0, 40.0), "dismissed": (0.0, 10.0)}
"""Outcome -> [low, high) of its scores (a victory may reach 100)."""
PRECISION = 0.1
"""Scores are floored to this step."""
PARTIAL_WEIGHT = 0.5
"""The share of the goals' weight a partial success needs met."""
MET_TOLERANCE = 1e-12
"""A value this close to its target counts as meeting it (float noise, not a near miss)."""
assert all(BANDS[a][0] == BANDS[b][1] for a, b in pairwise(OUTCOMES)), "bands in OUTCOMES' order, touching"


@dataclass(frozen=True)
class Scores:
    values: np.ndarray  # [B,G]
    met: np.ndarray  # bool[B,G]
    progress: np.ndarray  # [B,G] 0-1 of the way from the start to the target (1: met)
    bonus: np.ndarray  # [B,G] 0-1 over-achievement past the target (0 unless met)
    score: np.ndarray  # [B] 0-100, floored to PRECISION, inside its outcome's band
    exact: np.ndarray  # [B] the score before flooring (a slope for look-ahead players)
    outcome: np.ndarray  # int[B] index into OUTCOMES


def outcome_of(score: float) -> str:
    """The outcome whose band holds `score` (the score alone tells the ending)."""
    return next(o for o in OUTCOMES if score >= BANDS[o][0])


def is_met(op: str, target: float, value: float) -> bool:
    """One value against its target, as `evaluate` judges it."""
    return (value - target if op == ">=" else target - value) >= -MET_TOLERANCE


def goal_scale(op: str, target: float, start: float, span: float | None) -> float:
    """The distance a goal's progress (and its bonus) runs over: the start's shortfall from the target;
    for a start already met (or within MET_TOLERANCE of it), the content's `span`, else the start's
    margin past the target (losing the goal by as much as it was held by leaves no credit), else the
    target's size (or 1)."""
    margin = start - target if op == ">=" else target - start
    if -margin > MET_TOLERANCE:
        return -margin
    if span is not None:
        return span
    return margin if margin > MET_TOLERANCE else (abs(target) or 1.0)


def scales(world: World) -> np.ndarray:
    """[G] each goal's `goal_scale` (computed once by `build_world`)."""
    return np.array([g.scale for g in world.goals], dtype=np.float64)


def goal_values(state: State, world: World) -> np.ndarray:
    """[B, G]: every goal's metric for every game of a batch."""
    env = Env(state, world)
    return np.stack([np.broadcast_to(np.asarray(g.metric.evaluate(env), dtype=np.float64), (state.batch,))
                     for g in world.goals], axis=1)


def margins(world: World, values: np.ndarray) -> np.ndarray:
    """[..., G] goal values -> how far past each target (> 0) or short of it (< 0), in the goal's own units."""
    targets = np.array([g.target for g in world.goals])
    sign = np.array([1.0 if g.op == ">=" else -1.0 for g in world.goals])
    return sign * (values - targets)


def goals_met(world: World, values: np.ndarray) -> np.ndarray:
    """bool[..., G]: each goal met by its value (as is_met)."""
    return margins(world, values) >= -MET_TOLERANCE


def evaluate(state: State, world: World) -> Scores:
    values = goal_values(state, world)
    margin = margins(world, values)  # > 0: past the target, < 0: short of it
    met = goals_met(world, values)
    scale = scales(world)
    # an unmet goal stays below 1 however close (nextafter): only meeting a goal completes it
    progress = np.where(met, 1.0, np.clip(1.0 + margin / scale, 0.0, np.nextafter(1.0, 0.0)))
    bonus = np.where(met, np.clip(margin / scale, 0.0, 1.0), 0.0)
    weights = np.array([g.weight for g in world.goals]) / sum(g.weight for g in world.goals)
    done = progress @ weights
    outcome = np.where(state.dismissed, 3, np.where(met.all(axis=1), 0, np.where(met @ weights >= PARTIAL_WEIGHT, 1, 2)))
    # where the game sits inside its band, 0-1 (below 1 except for the best possible victory)
    place = np.select([outcome == 0, outcome == 1], [bonus @ weights, (done - PARTIAL_WEIGHT) / (1 - PARTIAL_WEIGHT)],
                      done)
    low = np.array([BANDS[o][0] for o in OUTCOMES])[outcome]
    high = np.array([BANDS[o][1] for o in OUTCOMES])[outcome]
    exact = low + (high - low) * np.clip(place, 0.0, 1.0)
    top = np.where(outcome == 0, high, high - PRECISION)  # a band's top belongs to the band above
    # floor on a tenth-unit integer grid (round first: 70.0 must not floor to 69.9 through float error)
    tenths = np.floor(np.round(exact / PRECISION, 6))
    score = np.round(np.clip(tenths * PRECISION, low, top), 1)
    return Scores(values, met, progress, bonus, score, exact, outcome)


def points_per_unit(world: World, outcome: str) -> np.ndarray:
    """[G]: score points per unit of each goal's metric (sign included: lower is better for `<=`), for a
    game ending `outcome`: the slope of `evaluate`'s score inside that band, before the caps (a met
    goal's progress and a maxed bonus stop moving). Victory moves with the bonus, a partial success
    (scaled from half to all of the weight) and a defeat or dismissal with the progress."""
    low, high = BANDS[outcome]
    stretch = 1.0 / (1.0 - PARTIAL_WEIGHT) if outcome == "partial" else 1.0
    weights = np.array([g.weight for g in world.goals]) / sum(g.weight for g in world.goals)
    sign = np.array([1.0 if g.op == ">=" else -1.0 for g in world.goals])
    return sign * (high - low) * stretch * weights / scales(world)
