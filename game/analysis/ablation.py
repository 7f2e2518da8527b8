"""Ablation (`sweep --ablate`): replay the same seeds with one lever's spending removed or doubled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies import Strategy


@dataclass(frozen=True)
class Ablation:
    lever: str = ""
    factor: float = 1.0
    """0 removes the lever, 2 doubles its spend (the rules then cap it at the lever's max and scale
    an over-budget plan down to the budget)."""

    @property
    def label(self) -> str:
        if not self.lever:
            return ""
        return f"-{self.lever}" if self.factor == 0 else f"{self.factor:g}x {self.lever}"


NO_ABLATION = Ablation()


class Ablated:
    """A strategy with each game's spend per lever multiplied by `factors` ([B,L], or [L] for every game)
    after it decides: one batch can hold every ablation of the same seeds (rows = ablation x seed)."""

    def __init__(self, base: Strategy, factors: np.ndarray):
        self.base, self.factors = base, factors
        self.name = base.name

    def act(self, state: State, world: World) -> Actions:
        actions = self.base.act(state, world)
        return Actions(np.asarray(actions.allocations, dtype=np.float64) * self.factors, actions.choices)


def factors(ablations: Sequence[Ablation], world: World, seeds: int) -> np.ndarray:
    """[len(ablations) * seeds, L] the spend factors of ablation-major rows (1 where nothing is ablated)."""
    out = np.ones((len(ablations), len(world.lever_ids)))
    for a, ablation in enumerate(ablations):
        if ablation.lever:
            out[a, world.lever_ids.index(ablation.lever)] = ablation.factor
    return np.repeat(out, seeds, axis=0)


def ablations_for(world: World, levers: Sequence[str] | None = None) -> list[Ablation]:
    """Remove and double each lever the player controls (offered, not locked), or only `levers`."""
    out = []
    for i, lever_id in enumerate(world.lever_ids):
        if levers is not None and lever_id not in levers:
            continue
        if world.controllable[i]:
            out += [Ablation(lever_id, 0.0), Ablation(lever_id, 2.0)]
    return out


