"""Spending: the quarter's allocations checked against the budget, then lever effects with lag and
diminishing returns."""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.effects import Shifts, apply_effects
from game.sim.ledger import Ledger
from game.sim.state import State
from game.sim.world import World


def fundable(state: State, world: World) -> np.ndarray:
    """bool[B,L]: levers that can take money this quarter: offered by now (World.available), and for export financing, the deal
    open and not yet decided (a decided deal takes no more money)."""
    arr = world.arrays
    d = arr["lever_deal"]
    has_deal = d >= 0
    ok = np.broadcast_to(world.available(state.turn), (state.batch, d.size)).copy()
    if has_deal.any():
        dd = d[has_deal]
        open_now = (arr["deal_opens"][dd] <= state.turn) & (state.turn <= arr["deal_decides"][dd])
        ok[:, has_deal] &= open_now[None, :] & (state.deal_status[:, dd] == 0)
    return ok


def legal_allocations(allocations: np.ndarray, budget: np.ndarray, usable: np.ndarray,
                      world: World) -> tuple[np.ndarray, np.ndarray]:
    """(allocations the rules allow, refused[B]). Negative, NaN and levers not `usable` (see `fundable`)
    become 0, each lever is capped at its max, locked levers take their fixed amount, and a plan over
    budget is scaled down to fit: overspending is refused, never carried out."""
    arr = world.arrays
    alloc = np.asarray(allocations, dtype=np.float64)
    alloc = np.where(np.isfinite(alloc), alloc, 0.0)  # (nan_to_num's result, in one pass instead of four)
    alloc = np.clip(alloc, 0.0, arr["lever_max"])
    locked = ~np.isnan(arr["lever_locked"])
    # one pass: locked levers take their amount, the others what they may take (0 where not usable)
    alloc = np.where(usable & ~locked, alloc, np.where(locked, np.nan_to_num(arr["lever_locked"]), 0.0))
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

    The pipeline is a ring over turns, one row per lever with a lag: slot (turn + lag) mod H holds what
    matures on that turn. A lever without a lag delivers this quarter's effective spend now."""
    a = ledger.arrays
    due = effective(spent, world)
    lagged = world.lagged
    if lagged.size:
        H = a["pipeline"].shape[2]
        # One flat index per lever into the [B, L'*H] view: cheaper than a pair of fancy indexes.
        assert a["pipeline"].flags.c_contiguous  # step's copy: the reshape below is a view, not a copy
        pipeline = a["pipeline"].reshape(a["pipeline"].shape[0], -1)
        pipeline[:, np.arange(lagged.size) * H + (turn + world.arrays["lever_lag"][lagged]) % H] += due[:, lagged]
        due[:, lagged] = a["pipeline"][:, :, turn % H]
        a["pipeline"][:, :, turn % H] = 0.0
    a["invested"] += spent
    wf = workforce_factor(a["engineers"], world)
    needs = world.arrays["lever_needs_engineers"]
    shifts = Shifts(ledger)  # the quarter's lever shifts, one composite per region
    for i, lever_id in enumerate(world.lever_ids):
        scale = due[:, i] * wf if needs[i] else due[:, i]
        apply_effects(ledger, world.lever_effects[i], scale, causes.lever(lever_id), shifts)
    shifts.flush()


def keep_pledges(ledger: Ledger, world: World, spent: np.ndarray) -> None:
    """Alliance commitments: funding an alliance's levers with at least its pledge in a quarter commits
    Japan for its term (this quarter counts); while committed its obligations apply each quarter, and a
    committed quarter funded below the pledge breaks the commitment (its `broken` effects, once)."""
    arr, a = world.arrays, ledger.arrays
    pledge = arr["alliance_pledge"]
    if not (pledge > 0).any():
        return
    linked = arr["lever_alliance"]
    funded = np.zeros(a["pledged"].shape)
    for i in np.flatnonzero(linked >= 0):
        funded[:, linked[i]] += spent[:, i]
    keeps = (pledge > 0) & (funded >= pledge - 1e-9)
    owed = a["pledged"] > 0
    broken = owed & ~keeps
    committed = keeps | (owed & ~broken)
    a["pledged"] = np.where(owed, np.where(broken, 0, a["pledged"] - 1), np.where(keeps, arr["alliance_term"] - 1, 0))
    shifts = Shifts(ledger)
    for k, alliance_id in enumerate(world.alliance_ids):
        cause = causes.alliance(alliance_id)
        apply_effects(ledger, world.alliance_obligations[k], committed[:, k].astype(np.float64), cause, shifts)
        apply_effects(ledger, world.alliance_broken[k], broken[:, k].astype(np.float64), cause, shifts)
    shifts.flush()
