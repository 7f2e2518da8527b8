"""Built-in strategies. Each is vectorised over the batch; randomness comes from the game's own seed
through the counter-based generator, so a strategy's moves are reproducible too."""

from __future__ import annotations

import numpy as np

from game.sim.rng import Purpose, uniform
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import CATEGORIES, World
from game.strategies.base import fill_budget


class DoNothing:
    """Spends nothing and takes every event's default answer: the baseline to beat."""

    name = "do_nothing"

    def act(self, state: State, world: World) -> Actions:
        return Actions.nothing(world, state.batch)


class RandomPlay:
    """Spends the whole budget at random across levers and answers events at random."""

    name = "random"

    def act(self, state: State, world: World) -> Actions:
        L, E = len(world.lever_ids), len(world.event_ids)
        weights = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, np.arange(L)[None, :]) ** 2
        rolls = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, (1000 + np.arange(E))[None, :])
        n = np.maximum(world.arrays["event_choices"], 1)
        return Actions(fill_budget(weights, state, world), (rolls * n).astype(np.int64))


class CategoryWeighted:
    """Splits the budget across the five lever categories by fixed weights, evenly within a category."""

    def __init__(self, name: str, weights: dict[str, float]):
        self.name = name
        self.weights = np.array([weights.get(c, 0.0) for c in CATEGORIES])

    def act(self, state: State, world: World) -> Actions:
        category = world.arrays["lever_category"]
        per_lever = self.weights[category] / np.bincount(category, minlength=len(CATEGORIES))[category]
        return Actions(fill_budget(np.broadcast_to(per_lever, (state.batch, per_lever.size)), state, world))


def balanced() -> CategoryWeighted:
    """Spends the budget evenly across the five categories."""
    return CategoryWeighted("balanced", {c: 1.0 for c in CATEGORIES})
