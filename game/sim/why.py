"""From the ledger to "what changed and why": each key metric's change split by cause.

The key metrics are linear in the ledgered arrays (global shares given the market-size weights), so
each cause's part is the metric's linear part applied to that cause's changes; the weights' own change
is "market growth". The parts add up to the metric's change.
"""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.metrics import competitiveness, weights
from game.sim.state import State
from game.sim.step import TurnReport
from game.sim.world import World

LEDGERED = ("shares", "appeal", "market_size", "tech", "cost", "trust", "dependence", "engineers", "approval",
            "tension", "threat", "budget_mod", "standing", "support", "incidents", "major_incidents",
            "incidents_last")


# The arrays each metric reads: a cause that changed none of them has no part in that metric.
_READS = {
    "domestic_share": ("shares",), "untrusted_japan": ("shares",), "incidents": ("incidents",),
    "engineers": ("engineers",), "approval": ("approval",), "tension": ("tension",), "threat": ("threat",),
    "competitiveness": ("shares", "tech", "cost", "engineers"),
}


def contributions(before: State, after: State, report: TurnReport, world: World) -> dict[str, dict[str, np.ndarray]]:
    """metric -> cause -> [B] change. Needs a report recorded with `record=True`."""
    dom = world.arrays["domestic"]
    hr = world.arrays["high_risk"]
    w_after = weights(after.market_size)
    zeros = {name: np.zeros(getattr(before, name).shape) for name in LEDGERED}  # shared, read only
    out: dict[str, dict[str, np.ndarray]] = {m: {} for m in _READS}
    for cause, changes in report.ledger.items():
        d = {**zeros, **changes}
        share_part = ((d["shares"][:, :, dom].sum(axis=2) * w_after).sum(axis=1) if "shares" in changes
                      else zeros["engineers"])
        for metric, reads in _READS.items():
            if not any(name in changes for name in reads):
                continue  # its part would be zero
            if metric == "domestic_share":
                value = share_part
            elif metric == "untrusted_japan":
                value = d["shares"][:, world.home, hr].sum(axis=1)
            elif metric == "competitiveness":
                value = competitiveness(d, world, share=share_part, offset=False)
            else:
                value = d[metric]
            if (value != 0).any():
                out[metric][cause] = np.asarray(value, dtype=np.float64)
    growth = ((w_after - weights(before.market_size)) * before.shares[:, :, dom].sum(axis=2)).sum(axis=1)
    if np.any(growth != 0):
        out["domestic_share"][causes.UNEVEN_GROWTH] = growth
        out["competitiveness"][causes.UNEVEN_GROWTH] = growth * world.model.competitiveness.w_share * 100
    return out


def top_causes(parts: dict[str, np.ndarray], game: int = 0, limit: int = 5, min_abs: float = 1e-9
               ) -> list[tuple[str, float]]:
    """The largest causes of one game's change, biggest first."""
    items = [(cause, float(v[game])) for cause, v in parts.items() if abs(float(v[game])) > min_abs]
    items.sort(key=lambda kv: -abs(kv[1]))
    return items[:limit]
