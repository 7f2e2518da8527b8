"""Spending: the quarter's allocations checked against the budget, then lever effects with lag and
diminishing returns."""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.effects import apply_effects
from game.sim.ledger import Ledger
from game.sim.world import World


def legal_allocations(allocations: np.ndarray, budget: np.ndarray, world: World,
                      turn: int) -> tuple[np.ndarray, np.ndarray]:
    """(allocations the rules allow, refused[B]). Negative, NaN and levers not offered on `turn`
    (World.available) become 0, each lever
    is capped at its max, locked levers take their fixed amount, and a plan over budget is scaled down to
    fit: overspending is refused, never carried out."""
    arr = world.arrays
    alloc = np.nan_to_num(np.asarray(allocations, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    alloc = np.clip(alloc, 0.0, arr["lever_max"])
    alloc = np.where(world.available(turn), alloc, 0.0)
    locked = ~np.isnan(arr["lever_locked"])
    alloc = np.where(locked, np.nan_to_num(arr["lever_locked"]), alloc)
    total = alloc.sum(axis=1)
    refused = total > budget + 1e-9
    factor = np.divide(budget, total, out=np.ones_like(total), where=refused)  # refused implies total > 0
    return alloc * factor[:, None], refused


def effective(spend: np.ndarray, world: World) -> np.ndarray:
    """Diminishing returns: saturation × (1 − exp(−spend / saturation)); nothing below the set-up cost."""
    sat = world.arrays["lever_saturation"]
    value = sat * (1.0 - np.exp(-spend / sat))
    return np.where(spend >= world.arrays["lever_cost"] - 1e-12, value, 0.0)


def workforce_factor(engineers: np.ndarray, world: World) -> np.ndarray:
    return np.clip(engineers / world.model.workforce.needed, 0.0, 1.0)


def fund_levers(ledger: Ledger, world: World, spent: np.ndarray, turn: int) -> None:
    """Queue this quarter's effective spend at each lever's lag, then apply what falls due now.

    The pipeline is a ring over turns: slot (turn + lag) mod H holds what matures on that turn."""
    a = ledger.arrays
    lags = world.arrays["lever_lag"]
    H = a["pipeline"].shape[2]
    a["pipeline"][:, np.arange(len(lags)), (turn + lags) % H] += effective(spent, world)
    due = a["pipeline"][:, :, turn % H].copy()
    a["pipeline"][:, :, turn % H] = 0.0
    a["invested"] += spent
    wf = workforce_factor(a["engineers"], world)
    needs = world.arrays["lever_needs_engineers"]
    for i, lever_id in enumerate(world.lever_ids):
        scale = due[:, i] * wf if needs[i] else due[:, i]
        apply_effects(ledger, world.lever_effects[i], scale, causes.lever(lever_id))
