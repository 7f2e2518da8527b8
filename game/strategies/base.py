"""The strategy interface and helpers every bot shares.

A strategy sees the whole batch: `act(state, world)` returns `Actions` with allocations [B, L] in ¥
billions and, optionally, choices [B, E] for the events pending this turn (-1 takes the default). To
write your own, define a class with these two members in any module and pass `--strategy module:attr`
(an instance, or a class that takes no arguments). An optional `check(world)` method may raise
`StrategyError` before play if the strategy cannot play that scenario.

Rules a strategy should follow so that sweeps stay deterministic: decide each game from that game's
own row of the state only (never from other games of the batch), and draw randomness only through
`game.sim.rng` with the game's seed (Purpose.STRATEGY). Then a game's result is the same alone, in
any batch, in any shard and on any worker.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from game.sim.levers import fundable
from game.sim.metrics import budget
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World


class StrategyError(ValueError):
    """A strategy that cannot be found, loaded or used: one clear line for the user."""


@runtime_checkable
class Strategy(Protocol):
    name: str

    def act(self, state: State, world: World) -> Actions: ...


def usable_levers(state: State, world: World) -> np.ndarray:
    """bool[B,L]: levers worth funding this turn: the core's `fundable` ones the player sets (not locked)."""
    return fundable(state, world) & world.controllable


def fill_budget(weights: np.ndarray, state: State, world: World, share: float | np.ndarray = 1.0) -> np.ndarray:
    """Allocations [B,L] that spend `share` of each game's budget in proportion to `weights`, never above
    a lever's max: what a capped lever cannot take goes to the others (water-filling)."""
    arr = world.arrays
    locked = np.nan_to_num(arr["lever_locked"])
    free = np.maximum(budget(state, world) * share - locked.sum(), 0.0)
    w = np.where(usable_levers(state, world), np.maximum(weights, 0.0), 0.0)
    alloc = np.zeros_like(w)
    cap = np.broadcast_to(arr["lever_max"], w.shape)
    for _ in range(len(world.lever_ids)):
        room = (alloc < cap - 1e-12) & (w > 0)
        left = free - alloc.sum(axis=1)
        total = np.where(room, w, 0.0).sum(axis=1)
        going = (left > 1e-9) & (total > 0)  # per game, so a game fills the same alone or in any batch
        if not going.any():
            break
        per_weight = np.maximum(left, 0.0) / np.where(total > 0, total, 1.0)
        add = np.where(room & going[:, None], w, 0.0) * per_weight[:, None]
        alloc = np.minimum(alloc + add, cap)
    return alloc + locked
