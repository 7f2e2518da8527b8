"""Applying compiled content effects to a batch, each game scaled by its own factor.

`scale` is [B]: 1 where an event applies and 0 where it does not, or the effective ¥ billions a lever
delivers. Every numeric change goes through the ledger with `cause`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from game.sim.ledger import Ledger
from game.sim.rowwise import row_sum
from game.sim.world import CEffect


def shift_shares(shares: np.ndarray, vendor: int, amount: np.ndarray) -> np.ndarray:
    """The change that moves `amount` (fraction of the market, [B], -1..1) to `vendor` from the others
    in proportion (or away from it when negative). Each region still sums to 1."""
    if shares.shape[1] < 2:
        return np.zeros_like(shares)  # a one-vendor market: nobody to move share to or from
    s_v = shares[:, vendor]
    amount = np.clip(amount, -1.0, 1.0)
    new_v = np.where(amount >= 0, s_v + amount * (1 - s_v), s_v * (1 + amount))
    rest = 1 - s_v
    factor = np.where(rest > 1e-12, (1 - new_v) / np.where(rest > 1e-12, rest, 1.0), 0.0)
    new = shares * factor[:, None]
    # A vendor holding the whole market gives share away: there is no proportion to follow, so the others
    # share it equally (without this the region would no longer sum to 1).
    alone = rest <= 1e-12
    if alone.any():
        new = np.where(alone[:, None], ((1 - new_v) / (shares.shape[1] - 1))[:, None], new)
    new[:, vendor] = new_v
    # `1 - s_v` keeps few digits when the vendor holds nearly all the market: where the region drifts, the
    # others are scaled by their own sum instead (elsewhere the bits stay those of the formula above)
    drift = np.abs(row_sum(new) - row_sum(shares)) > 1e-13
    if drift.any():
        others = np.delete(shares, vendor, axis=1).sum(axis=1)
        rescale = drift & (others > 0)
        scaled = shares * ((1 - new_v) / np.where(rescale, others, 1.0))[:, None]
        new = np.where(rescale[:, None], scaled, new)
        new[:, vendor] = new_v
    return new - shares


def apply_effects(ledger: Ledger, effects: tuple[CEffect, ...], scale: np.ndarray, cause: str) -> None:
    if not effects:
        return
    a = ledger.arrays
    active = scale != 0
    if not active.any():
        return
    for e in effects:
        if e.kind == "add":
            ledger.add(e.array, cause, e.amount * scale, e.index)
        elif e.kind in ("mul", "set"):
            where: tuple[Any, ...] = (slice(None), *e.index)
            current = a[e.array][where]
            goal = current * e.amount if e.kind == "mul" else np.full_like(current, e.amount)
            ledger.add(e.array, cause, np.where(active, goal - current, 0.0), e.index)
        elif e.kind in ("shift", "prop"):
            region = a["shares"][:, e.region, :]
            blocked = a["banned"][:, e.region, e.vendor] & (e.amount > 0)
            amount = np.where(blocked, 0.0, e.amount * scale)
            change = shift_shares(region, e.vendor, amount)
            ledger.add("shares", cause, change, (e.region,))
            if e.kind == "prop":  # remembered, so that it is re-contracted as the subsidy fades
                a["propped"][:, e.region, e.vendor] += change[:, e.vendor]
        elif e.kind == "ban":
            a["banned"][:, e.region, e.vendor] |= active
            a["rip"][:, e.region] = np.where(active, np.maximum(a["rip"][:, e.region], e.rip), a["rip"][:, e.region])
        elif e.kind == "unban":
            a["banned"][:, e.region, e.vendor] &= ~active
