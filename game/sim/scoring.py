"""Goals, score and ending, from the scenario's goals evaluated on the state."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.sim.metrics import Env
from game.sim.state import State
from game.sim.world import World

OUTCOMES = ("victory", "partial", "defeat", "dismissed")


@dataclass(frozen=True)
class Scores:
    values: np.ndarray  # [B,G]
    met: np.ndarray  # bool[B,G]
    progress: np.ndarray  # [B,G] 0-1
    score: np.ndarray  # [B] 0-100
    outcome: np.ndarray  # int[B] index into OUTCOMES


def evaluate(state: State, world: World) -> Scores:
    env = Env(state, world)
    B = state.batch
    values = np.stack([np.broadcast_to(g.metric.evaluate(env), (B,)).astype(np.float64) for g in world.goals], axis=1)
    targets = np.array([g.target for g in world.goals])
    spans = np.array([g.span for g in world.goals])
    at_least = np.array([g.op == ">=" for g in world.goals])
    met = np.where(at_least, values >= targets - 1e-12, values <= targets + 1e-12)
    shortfall = np.where(at_least, targets - values, values - targets)
    progress = np.where(met, 1.0, np.clip(1.0 - shortfall / spans, 0.0, 1.0))
    weights = np.array([g.weight for g in world.goals])
    score = np.round(100.0 * (progress * weights).sum(axis=1) / weights.sum(), 2)
    met_weight = (met * weights).sum(axis=1) / weights.sum()
    outcome = np.where(state.dismissed, 3, np.where(met.all(axis=1), 0, np.where(met_weight >= 0.5, 1, 2)))
    return Scores(values, met, progress, score, outcome)
