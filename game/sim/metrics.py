"""Derived metrics and the variables that expressions read.

The headline metrics are linear in the state arrays (given the market-size weights), so the ledger's
changes pass through them exactly: that is what makes every "why" in a turn report add up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from game.content.vocabulary import FAMILIES, FAMILY
from game.sim.state import State
from game.sim.world import World

KEY_METRICS = (
    "domestic_share", "untrusted_japan", "incidents", "engineers", "approval", "tension", "threat",
    "competitiveness",
)


def weights(market_size: np.ndarray) -> np.ndarray:
    return market_size / market_size.sum(axis=1, keepdims=True)


def global_shares(shares: np.ndarray, market_size: np.ndarray) -> np.ndarray:
    """[B,V]: regional shares weighted by regional market size (explicit sum: same bits for any B).
    Region by region in order, as numpy sums the middle axis, without the [B,R,V] product."""
    w = weights(market_size)
    total = shares[:, 0, :] * w[:, 0, None]
    for r in range(1, shares.shape[1]):
        total += shares[:, r, :] * w[:, r, None]
    return total


def domestic_share(a: Mapping[str, np.ndarray], world: World) -> np.ndarray:
    # Only the domestic vendors' columns: the same products and sums as global_shares' (same bits).
    return global_shares(a["shares"][:, :, world.arrays["domestic"]], a["market_size"]).sum(axis=1)


def untrusted_japan(a: Mapping[str, np.ndarray], world: World) -> np.ndarray:
    return a["shares"][:, world.home, world.arrays["high_risk"]].sum(axis=1)


def competitiveness(a: Mapping[str, np.ndarray], world: World, share: np.ndarray | None = None,
                    offset: bool = True) -> np.ndarray:
    c = world.model.competitiveness
    dom = world.arrays["domestic"]
    share = domestic_share(a, world) if share is None else share
    value = (c.w_tech * a["tech"][:, dom].mean(axis=1) - c.w_cost * a["cost"][:, dom].mean(axis=1)
             + c.w_share * 100 * share + c.w_engineers * a["engineers"])
    return value + c.offset if offset else value


def budget(state: State, world: World) -> np.ndarray:
    """This quarter's budget per game, ¥ billions (never negative): the scenario's, its changes, and the
    reserve carried over from earlier quarters."""
    return np.maximum(world.scenario.budget + state.budget_mod + state.reserve, 0.0)


def sixg_share(a: Mapping[str, np.ndarray], world: World) -> np.ndarray:
    """Domestic vendors' share of the world's 6G research position, 0-1."""
    total = a["sixg"].sum(axis=1)
    own = a["sixg"][:, world.arrays["domestic"]].sum(axis=1)
    return np.divide(own, total, out=np.zeros_like(own), where=total > 0)


Reader = Callable[[State, World], np.ndarray]

# Names whose value is computed, not read from one state array (every other name of the vocabulary is
# read from its family's array: game.content.vocabulary).
DERIVED: dict[str, Reader] = {
    "budget": budget,
    "turn": lambda s, w: np.full(s.batch, float(s.turn)),
    "turns_left": lambda s, w: np.full(s.batch, float(w.turns - s.turn)),
    "year": lambda s, w: np.full(s.batch, float((w.start_index + s.turn) // 4)),
    "quarter": lambda s, w: np.full(s.batch, float((w.start_index + s.turn) % 4 + 1)),
    "domestic_share": lambda s, w: domestic_share(s.arrays(), w),
    "untrusted_japan": lambda s, w: untrusted_japan(s.arrays(), w),
    "competitiveness": lambda s, w: competitiveness(s.arrays(), w),
    "spent": lambda s, w: s.invested.sum(axis=1),
    "sixg_share": lambda s, w: sixg_share(s.arrays(), w),
    "deals_won": lambda s, w: (s.deal_status == 1).sum(axis=1),
    "deals_lost": lambda s, w: (s.deal_status == -1).sum(axis=1),
}
GLOBAL_SHARE = "global_share"
assert all(f.array or f.name in DERIVED or f.name == GLOBAL_SHARE for f in FAMILIES), "a name nobody reads"


class Env:
    """Reads a variable name for every game of a state: `Env(state, world)("tech.nec")` -> [B]."""

    def __init__(self, state: State, world: World):
        self.s, self.w = state, world
        self._cache: dict[str, np.ndarray] = {}

    def __call__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = np.asarray(self._read(name), dtype=np.float64)
        return self._cache[name]

    def _read(self, name: str) -> np.ndarray:
        s, w = self.s, self.w
        family_name, *ids = name.split(".")
        family = FAMILY.get(family_name)
        if family is None or len(ids) != len(family.dims):
            raise KeyError(name)
        if family_name in DERIVED:
            return DERIVED[family_name](s, w)
        index: tuple[Any, ...] = (slice(None), *(w.index(dim)[key] for dim, key in zip(family.dims, ids, strict=True)))
        if family_name == GLOBAL_SHARE:
            return global_shares(s.shares, s.market_size)[index]
        assert family.array is not None
        return getattr(s, family.array)[index]


def metrics(state: State, world: World) -> dict[str, np.ndarray]:
    """The key metrics of every game, name -> [B]."""
    env = Env(state, world)
    return {name: env(name) for name in KEY_METRICS}
