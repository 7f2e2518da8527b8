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
    alloc = np.where(np.isfinite(alloc), alloc, 0.0)  # a non-finite amount (NaN, ±inf) is no money
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
    scale = np.where(world.arrays["lever_needs_engineers"], due * wf[:, None], due)
    shifts = Shifts(ledger)  # the quarter's lever shifts, one composite per region
    # Only the levers delivering something in some game: apply_effects does nothing for the others, and
    # most levers are unfunded in a quarter (one test for all of them, not one call each).
    for i in np.flatnonzero((scale != 0).any(axis=0)):
        apply_effects(ledger, world.lever_effects[i], scale[:, i], causes.lever(world.lever_ids[i]), shifts)
    shifts.flush()


def pledge_terms(pledged: np.ndarray, spent: np.ndarray, world: World
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pledge rule (one home: the quarter's step and the lever detail pane both read it): given the
    quarters owed at the start of a quarter (int[B,A], this quarter included) and its spending [B,L], the
    quarters owed after it, and bool[B,A] committed (its obligations apply) and broken this quarter."""
    arr = world.arrays
    pledge, linked = arr["alliance_pledge"], arr["lever_alliance"]
    funded = np.zeros(pledged.shape)
    for i in np.flatnonzero(linked >= 0):
        funded[:, linked[i]] += spent[:, i]
    keeps = (pledge > 0) & (funded >= pledge - 1e-9)
    owed = pledged > 0
    broken = owed & ~keeps
    committed = keeps | (owed & ~broken)
    after = np.where(owed, np.where(broken, 0, pledged - 1), np.where(keeps, arr["alliance_term"] - 1, 0))
    return after, committed, broken


def keep_pledges(ledger: Ledger, world: World, spent: np.ndarray) -> None:
    """Alliance commitments: funding an alliance's levers with at least its pledge in a quarter commits
    Japan for its term (this quarter counts); while committed its obligations apply each quarter, and a
    committed quarter funded below the pledge breaks the commitment (its `broken` effects, once)."""
    a = ledger.arrays
    if not (world.arrays["alliance_pledge"] > 0).any():
        return
    a["pledged"], committed, broken = pledge_terms(a["pledged"], spent, world)
    shifts = Shifts(ledger)
    # Only the alliances some game is committed to or has broken with (for the others both are no-ops).
    for k in np.flatnonzero((committed | broken).any(axis=0)):
        cause = causes.alliance(world.alliance_ids[k])
        apply_effects(ledger, world.alliance_obligations[k], committed[:, k].astype(np.float64), cause, shifts)
        apply_effects(ledger, world.alliance_broken[k], broken[:, k].astype(np.float64), cause, shifts)
    shifts.flush()
