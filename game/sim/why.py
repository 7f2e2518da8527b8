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
    ledger = report.ledger
    w_after = weights(after.market_size)
    mixed = _mixed_parts(ledger, before, w_after, world)
    out: dict[str, dict[str, np.ndarray]] = {m: {} for m in _READS}
    for cause, changes in ledger.items():
        for metric, reads in _READS.items():
            if changes.keys().isdisjoint(reads):
                continue  # its part would be zero
            value = mixed[metric][cause] if metric in mixed else changes[metric]
            if (value != 0).any():
                out[metric][cause] = np.asarray(value, dtype=np.float64)
    dom = world.arrays["domestic"]
    growth = ((w_after - weights(before.market_size)) * before.shares[:, :, dom].sum(axis=2)).sum(axis=1)
    if np.any(growth != 0):
        out["domestic_share"][causes.UNEVEN_GROWTH] = growth
        out["competitiveness"][causes.UNEVEN_GROWTH] = growth * world.model.competitiveness.w_share * 100
    return out


def _mixed_parts(ledger: dict[str, dict[str, np.ndarray]], before: State, w_after: np.ndarray, world: World
                 ) -> dict[str, dict[str, np.ndarray]]:
    """metric -> cause -> [B] part, for the metrics computed from several arrays or a part of one
    (domestic_share, untrusted_japan, competitiveness) and every cause that changed what they read.
    All those causes are computed at once, stacked along the batch axis: the arithmetic of each row is
    that of one cause alone (the same bits), without a pass of small numpy calls per cause."""
    reads = _READS["competitiveness"]  # a superset of the other mixed metrics' reads
    touched = [cause for cause, changes in ledger.items() if not changes.keys().isdisjoint(reads)]
    if not touched:
        return {}  # then no cause reaches these metrics
    stacked = {}
    for name in reads:
        rows = np.zeros((len(touched), *getattr(before, name).shape))
        for i, cause in enumerate(touched):
            if name in ledger[cause]:
                rows[i] = ledger[cause][name]
        stacked[name] = rows.reshape(-1, *rows.shape[2:])
    dom, hr = world.arrays["domestic"], world.arrays["high_risk"]
    share = (stacked["shares"][:, :, dom].sum(axis=2) * np.tile(w_after, (len(touched), 1))).sum(axis=1)
    values = {
        "domestic_share": share,
        "untrusted_japan": stacked["shares"][:, world.home, hr].sum(axis=1),
        "competitiveness": competitiveness(stacked, world, share=share, offset=False),
    }
    batch = before.shares.shape[0]
    return {metric: {cause: value[i * batch:(i + 1) * batch] for i, cause in enumerate(touched)}
            for metric, value in values.items()}


def top_causes(parts: dict[str, np.ndarray], game: int = 0, limit: int = 5, min_abs: float = 1e-9
               ) -> list[tuple[str, float]]:
    """The largest causes of one game's change, biggest first."""
    items = [(cause, float(v[game])) for cause, v in parts.items() if abs(float(v[game])) > min_abs]
    items.sort(key=lambda kv: -abs(kv[1]))
    return items[:limit]
