"""Built-in strategies. Each is vectorised over the batch; randomness comes from the game's own seed
through the counter-based generator, so a strategy's moves are reproducible too.

- `do_nothing`: spends nothing, takes every event's default answer (the baseline to beat).
- `random`: spends the whole budget at random across levers, answers events at random.
- `balanced`: the budget split evenly across the five lever categories.
- `subsidy_heavy`, `rnd_heavy`, `workforce_heavy`, `export_heavy`, `alliance_heavy`: half the budget
  on one category, the other half evenly across the other four.
- `greedy`: looks one quarter ahead with the core itself (see `Greedy`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from game.content.schema import CATEGORIES
from game.sim.rng import Purpose, hash64, uniform
from game.sim.scoring import evaluate
from game.sim.state import State
from game.sim.step import Actions, step
from game.sim.world import World
from game.strategies.base import fill_budget

HEAVY_WEIGHT = 4.0
"""A heavy strategy weighs its category 4 : 1 against each of the other four (half the budget)."""


class DoNothing:
    """Spends nothing and takes every event's default answer: the baseline to beat."""

    name = "do_nothing"

    def act(self, state: State, world: World) -> Actions:
        return Actions.nothing(world, state.batch)


class RandomPlay:
    """A player pressing keys at random: each quarter it funds a handful of levers picked at random (about
    four) with random amounts, spends the whole budget, and answers events at random."""

    name = "random"
    picks = 4.0

    def act(self, state: State, world: World) -> Actions:
        L, E = len(world.lever_ids), len(world.event_ids)
        draw = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, np.arange(2 * L)[None, :])
        picked = draw[:, :L] < self.picks / L
        weights = np.where(picked, draw[:, L:], 0.0)
        rolls = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, (1000 + np.arange(E))[None, :])
        n = np.maximum(world.arrays["event_choices"], 1)
        return Actions(fill_budget(weights, state, world), (rolls * n).astype(np.int64))


def category_lever_weights(weights: Mapping[str, float], world: World) -> np.ndarray:
    """[L] per-lever weights: each category's weight split evenly across its levers."""
    by_category = np.array([weights.get(c, 0.0) for c in CATEGORIES])
    category = world.arrays["lever_category"]
    return by_category[category] / np.bincount(category, minlength=len(CATEGORIES))[category]


class CategoryWeighted:
    """Splits the budget across the five lever categories by fixed weights, evenly within a category."""

    def __init__(self, name: str, weights: dict[str, float]):
        self.name = name
        self.weights = dict(weights)

    def act(self, state: State, world: World) -> Actions:
        per_lever = category_lever_weights(self.weights, world)
        return Actions(fill_budget(np.broadcast_to(per_lever, (state.batch, per_lever.size)), state, world))


def balanced() -> CategoryWeighted:
    """Spends the budget evenly across the five categories."""
    return CategoryWeighted("balanced", dict.fromkeys(CATEGORIES, 1.0))


def heavy(category: str) -> CategoryWeighted:
    """Half the budget on `category`, the rest evenly across the other four."""
    return CategoryWeighted(f"{category}_heavy",
                            {c: HEAVY_WEIGHT if c == category else 1.0 for c in CATEGORIES})


class Greedy:
    """One quarter of look-ahead with the core itself.

    Each turn, every game tries K candidate plans (balanced and the five category-heavy splits): the
    whole batch plays the quarter once per plan with `step(..., record=False)`, and each game
    keeps the plan whose resulting state has the best value (the scenario's score before its
    flooring, 0-100; ties go to the earlier candidate). The look-ahead runs on *forecast* seeds derived from the game's
    seed, so it never peeks at the real draws of the quarter (incidents, deals, events) it is about to
    play. Events take their default answers. One look-ahead costs K steps, so greedy is about K+1 times
    slower than a fixed strategy.
    """

    name = "greedy"

    def __init__(self, candidates: list[Mapping[str, float]] | None = None):
        default: list[Mapping[str, float]] = [dict.fromkeys(CATEGORIES, 1.0)]
        default += [{c: HEAVY_WEIGHT if c == h else 1.0 for c in CATEGORIES} for h in CATEGORIES]
        self.candidates = candidates or default

    def plans(self, state: State, world: World) -> np.ndarray:
        """[K,B,L] the candidate allocations."""
        B = state.batch
        return np.stack([fill_budget(np.broadcast_to(w, (B, w.size)), state, world)
                         for w in (category_lever_weights(c, world) for c in self.candidates)])

    def value(self, state: State, world: World) -> np.ndarray:
        return evaluate(state, world).exact  # unfloored: a tenth's rounding would tie close plans

    def act(self, state: State, world: World) -> Actions:
        B = state.batch
        plans = self.plans(state, world)
        forecast = state.replace(seed=hash64(state.seed, state.turn, Purpose.FORECAST, 0))
        # K steps of the whole batch (one per candidate plan; measured faster than one step of K×B games)
        values = np.stack([self.value(step(forecast, Actions(plan), world, record=False)[0], world)
                           for plan in plans])
        best = np.argmax(values, axis=0)
        return Actions(plans[best, np.arange(B)])
