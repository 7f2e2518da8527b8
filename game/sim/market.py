"""Where shares move: each quarter a fraction of every region's installed base is re-contracted.

A vendor's attractiveness in a region sums technology, price, trust (weighted by the region's security
sensitivity), scale, incumbency (calibrated so the start is an equilibrium) and temporary appeal; banned vendors get no new contracts. Re-contracted
share goes to vendors in proportion to softmax(attractiveness). Rip-and-replace removes banned kit
faster. Shares stay in [0, 1] and each region sums to 1.
"""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.ledger import Ledger
from game.sim.metrics import global_shares
from game.sim.rowwise import row_max, row_sum
from game.sim.world import World

COMPONENTS = causes.MARKET_COMPONENTS


def _factors(a: dict[str, np.ndarray], world: World
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(tech, cost, scale) parts [B,V] and the trust part's factors (weight [R], trust [B,V]): the one home
    of the attractiveness formula."""
    m = world.model.market
    scale = np.log(np.maximum(global_shares(a["shares"], a["market_size"]), 1e-4))
    return (m.w_tech * a["tech"], -m.w_cost * a["cost"], m.w_scale * scale,
            m.w_trust * world.arrays["sensitivity"], a["trust"])


def attractiveness_parts(a: dict[str, np.ndarray], world: World) -> list[np.ndarray]:
    """The attractiveness components in COMPONENTS order, each broadcastable to [B,R,V]."""
    tech, cost, scale, weight, trust = _factors(a, world)
    return [tech[:, None, :], cost[:, None, :], weight[None, :, None] * trust[:, None, :], scale[:, None, :],
            world.arrays["incumbency"][None], a["appeal"]]


def attractiveness(a: dict[str, np.ndarray], world: World) -> np.ndarray:
    """[B,R,V]: the sum of the components, the per-vendor ones first: trust × the region's weight, plus the
    per-vendor parts, plus incumbency and appeal. Built in one [B,R,V] array by whole-array operations, the
    per-region weights as one [R×V] row (a loop over [B,V] slices of a [B,R,V] array costs several times more)."""
    tech, cost, scale, weight, trust = _factors(a, world)
    B, R, V = a["shares"].shape
    total = np.empty((B, R, V))
    np.copyto(total, trust[:, None, :])
    rows = total.reshape(B, R * V)  # (a view)
    rows *= np.repeat(weight, V)  # weight[r] × trust[v]
    total += (tech + cost + scale)[:, None, :]
    rows += world.arrays["incumbency"].reshape(R * V)
    rows += a["appeal"].reshape(B, R * V)
    return total


def closed(a: dict[str, np.ndarray], world: World) -> np.ndarray:
    """bool[B,R,V]: vendors that sign no new contracts there (banned, or withdrawn from the market)."""
    return a["banned"] | world.arrays["withdrawn"][None, None, :]


def preference(a: dict[str, np.ndarray], world: World) -> np.ndarray:
    """Target shares [B,R,V]: where re-contracted share goes."""
    total = attractiveness(a, world)
    np.copyto(total, -np.inf, where=a["banned"])  # closed(), without its [B,R,V] array
    total[:, :, world.arrays["withdrawn"]] = -np.inf
    top = row_max(total, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    expo = np.exp(np.subtract(total, top, out=total), out=total)  # (in place: fewer fresh [B,R,V] arrays)
    norm = row_sum(expo, keepdims=True)
    if (norm > 0).all():
        return np.divide(expo, norm, out=expo)
    # A region where every vendor is banned keeps its installed base: fall back to current shares.
    return np.where(norm > 0, expo / np.where(norm > 0, norm, 1.0), a["shares"])


def pull(target: np.ndarray, change: np.ndarray) -> np.ndarray:
    """How far a change of attractiveness (over vendors, the last axis) pulls the target shares, to first
    order: target × (Δa − the target-weighted mean Δa). Used by `explain` and by game.sim.attribution."""
    return target * (change - (target * change).sum(axis=-1, keepdims=True))


def move_shares(ledger: Ledger, world: World) -> None:
    a = ledger.arrays
    shares = a["shares"]
    parts = attractiveness_parts(a, world) if ledger.record else []  # (explain's, of the shares seen)
    target = preference(a, world)
    turnover = world.arrays["turnover"][None, :, None]
    gap = target - shares  # from the quarter's shares, before the moves below change some regions
    # Rip-and-replace, in the regions where some game bans a vendor at a rate (elsewhere it moves nothing)
    for r in np.flatnonzero((a["rip"] > 0).any(axis=0) & a["banned"].any(axis=(0, 2))).tolist():
        ripped = shares[:, r] * a["banned"][:, r]  # (region r as it was: each region is ripped once, first)
        ripped *= 1 - world.arrays["turnover"][r]
        ripped *= a["rip"][:, r, None]
        moved = row_sum(ripped, keepdims=True) * target[:, r]
        moved -= ripped
        ledger.add("shares", causes.RIP_AND_REPLACE, moved, (r,))
    # Subsidised installs come up for renewal: a fraction of them is re-contracted at the market's own
    # preference, so a subsidy's gains fade once the money stops.
    # (Only regions some effect subsidises: elsewhere nothing is propped and nothing released.)
    for r in world.subsidised_regions:
        released = np.minimum(a["propped"][:, r] * world.model.market.subsidy_fade, a["shares"][:, r])
        if released.any():
            a["propped"][:, r] -= released
            moved = row_sum(released, keepdims=True) * target[:, r]
            moved -= released
            ledger.add("shares", causes.SUBSIDIES_FADE, moved, (r,))
    gap *= turnover
    shares += gap  # applied once, so a recorded game and a sweep's game stay bit for bit equal
    if ledger.record:
        explain(ledger, world, parts, target, turnover, gap)


def explain(ledger: Ledger, world: World, parts: list[np.ndarray], target: np.ndarray, turnover: np.ndarray,
            gap: np.ndarray) -> None:
    """Split the re-contracting move `gap` = turnover × (target − shares) by cause, for the turn report.

    The start is an equilibrium, so the target differs from the starting shares only through what changed
    since: each component's change pulls the target by (to first order) target × (Δa − mean Δa).
    `attribution` remembers how much share each component has already moved, so its part this quarter is
    turnover × (its pull − what it already moved); what remains (deals and shifts eroding, bans,
    second-order terms) is plain contract turnover. Only recorded games need it: sweeps skip it.
    """
    a = ledger.arrays
    explained = np.zeros_like(gap)
    for k, name in enumerate(COMPONENTS):
        change = np.where(closed(a, world), 0.0, parts[k] - world.arrays["parts0"][k])
        move = turnover * (pull(target, change) - a["attribution"][:, k])
        a["attribution"][:, k] += move
        explained += move
        ledger.note("shares", causes.market(name), move)
    ledger.note("shares", causes.CONTRACT_TURNOVER, gap - explained)
