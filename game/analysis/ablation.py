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
    """A strategy with one lever's spend multiplied by `factor` after it decides."""

    def __init__(self, base: Strategy, lever_index: int, factor: float):
        self.base, self.lever_index, self.factor = base, lever_index, factor
        self.name = base.name

    def act(self, state: State, world: World) -> Actions:
        actions = self.base.act(state, world)
        alloc = np.array(actions.allocations, dtype=np.float64, copy=True)
        alloc[:, self.lever_index] *= self.factor
        return Actions(alloc, actions.choices)


def ablations_for(world: World, levers: Sequence[str] | None = None) -> list[Ablation]:
    """Remove and double each lever the player controls (offered, not locked), or only `levers`."""
    out = []
    for i, lever_id in enumerate(world.lever_ids):
        if levers is not None and lever_id not in levers:
            continue
        if world.controllable[i]:
            out += [Ablation(lever_id, 0.0), Ablation(lever_id, 2.0)]
    return out


