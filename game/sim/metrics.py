"""Derived metrics and the variables that expressions read.

The headline metrics are linear in the state arrays (given the market-size weights), so the ledger's
changes pass through them exactly: that is what makes every "why" in a turn report add up.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from game.sim.world import World

KEY_METRICS = (
    "domestic_share", "untrusted_japan", "incidents", "engineers", "approval", "tension", "threat",
    "competitiveness",
)
METRIC_LABELS = {
    "domestic_share": "Domestic vendors' global share",
    "untrusted_japan": "Untrusted kit in Japan",
    "incidents": "Security incidents",
    "major_incidents": "Major incidents",
    "engineers": "Engineers (thousands)",
    "approval": "Approval",
    "tension": "Tension",
    "threat": "Threat level",
    "competitiveness": "Competitiveness",
    "budget": "Budget (¥B)",
}
PERCENT_METRICS = {"domestic_share", "untrusted_japan"}


def weights(market_size: np.ndarray) -> np.ndarray:
    return market_size / market_size.sum(axis=1, keepdims=True)


def global_shares(shares: np.ndarray, market_size: np.ndarray) -> np.ndarray:
    """[B,V]: regional shares weighted by regional market size (explicit sum: same bits for any B)."""
    return (shares * weights(market_size)[:, :, None]).sum(axis=1)


def domestic_share(a: Mapping[str, np.ndarray], world: World) -> np.ndarray:
    return global_shares(a["shares"], a["market_size"])[:, world.arrays["domestic"]].sum(axis=1)


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


def budget(state, world: World) -> np.ndarray:
    """This quarter's budget per game, ¥ billions (never negative)."""
    return np.maximum(world.scenario.budget + state.budget_mod, 0.0)


class Env:
    """Reads a variable name for every game of a state: `Env(state, world)("tech.nec")` -> [B]."""

    def __init__(self, state, world: World):
        self.s, self.w = state, world
        self._cache: dict[str, np.ndarray] = {}
        self._index = {
            "vendor": {v: i for i, v in enumerate(world.vendor_ids)},
            "region": {r: i for i, r in enumerate(world.region_ids)},
            "alliance": {a: i for i, a in enumerate(world.alliance_ids)},
            "deal": {d: i for i, d in enumerate(world.deal_ids)},
            "event": {e: i for i, e in enumerate(world.event_ids)},
            "lever": {lv: i for i, lv in enumerate(world.lever_ids)},
        }

    def __call__(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = np.asarray(self._read(name), dtype=np.float64)
        return self._cache[name]

    def _read(self, name: str):
        s, w = self.s, self.w
        a = s.arrays()
        family, *ids = name.split(".")
        full = np.full(s.batch, 0.0)
        quarter_index = w.start_index + s.turn
        scalars = {
            "engineers": lambda: s.engineers, "approval": lambda: s.approval, "tension": lambda: s.tension,
            "threat": lambda: s.threat, "budget": lambda: budget(s, w),
            "turn": lambda: full + s.turn, "turns_left": lambda: full + (w.turns - s.turn),
            "year": lambda: full + quarter_index // 4, "quarter": lambda: full + quarter_index % 4 + 1,
            "domestic_share": lambda: domestic_share(a, w), "untrusted_japan": lambda: untrusted_japan(a, w),
            "competitiveness": lambda: competitiveness(a, w), "incidents": lambda: s.incidents,
            "major_incidents": lambda: s.major_incidents, "incidents_last": lambda: s.incidents_last,
            "deals_won": lambda: (s.deal_status == 1).sum(axis=1),
            "deals_lost": lambda: (s.deal_status == -1).sum(axis=1),
        }
        if not ids:
            if family not in scalars:
                raise KeyError(name)
            return scalars[family]()
        ix = self._index
        if family == "global_share":
            return global_shares(s.shares, s.market_size)[:, ix["vendor"][ids[0]]]
        per_vendor = {"tech": s.tech, "cost": s.cost, "trust": s.trust, "dependence": s.dependence}
        if family in per_vendor:
            return per_vendor[family][:, ix["vendor"][ids[0]]]
        if family == "market_size":
            return s.market_size[:, ix["region"][ids[0]]]
        if family in ("share", "appeal", "banned"):
            arr = {"share": s.shares, "appeal": s.appeal, "banned": s.banned}[family]
            return arr[:, ix["region"][ids[0]], ix["vendor"][ids[1]]]
        if family == "standing":
            return s.standing[:, ix["alliance"][ids[0]]]
        if family in ("support", "deal"):
            arr = s.support if family == "support" else s.deal_status
            return arr[:, ix["deal"][ids[0]]]
        if family == "fired":
            return s.fired[:, ix["event"][ids[0]]]
        if family == "invested":
            return s.invested[:, ix["lever"][ids[0]]]
        raise KeyError(name)


def metrics(state, world: World) -> dict[str, np.ndarray]:
    """The key metrics of every game, name -> [B]."""
    env = Env(state, world)
    return {name: env(name) for name in KEY_METRICS}
