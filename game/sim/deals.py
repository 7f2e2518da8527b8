"""Export deals: on its decision quarter each open bid is won or lost by a draw whose odds come from
technology, price (after financing and rivals' counter-bids), trust, alliance standing and the stance of
the stakeholders with a stake in it. The winner's contract then deploys over the deal's `deploy`
quarters, and a won contract costs the ministry its `upkeep` while it deploys."""

from __future__ import annotations

import numpy as np

from game.sim import causes
from game.sim.effects import Shifts, apply_effects
from game.sim.ledger import Ledger
from game.sim.rng import Purpose, uniform
from game.sim.world import World

ODDS_PARTS = ("bias", "technology", "price", "trust", "alliances", "stakeholders")
"""The terms of a bid's log-odds (win_logit_parts), in the order win_chance adds them."""


def win_logit_parts(a: dict[str, np.ndarray], world: World) -> dict[str, np.ndarray | float]:
    """The log-odds of winning each bid if decided now, term by term ([B,D] each, or a scalar): why the
    odds are what they are."""
    arr, m = world.arrays, world.model.deals
    b, r = arr["deal_bidder"], arr["deal_rival"]
    our_price = a["cost"][:, b] / (1 + m.support_price * a["support"])
    won = (a["deal_status"] == 1).sum(axis=1, keepdims=True)
    counter = np.maximum(1.0 - world.model.rivals.counter_bid * won, 0.5)  # rivals bid lower after each loss
    price_gap = arr["deal_rival_price"] * counter * a["cost"][:, r] / our_price - 1
    standing = a["standing"].mean(axis=1, keepdims=True) / 100 if a["standing"].shape[1] else 0.0
    # an explicit sum rather than a matrix product, whose bits could depend on the batch size
    stakes = (((a["stance"] - 50.0) / 50.0)[:, None, :] * arr["deal_stakes"][None]).sum(axis=2)
    return {"bias": m.bias, "technology": m.w_tech * (a["tech"][:, b] - a["tech"][:, r]),
            "price": m.w_price * price_gap,
            "trust": m.w_trust * arr["deal_security"] * (a["trust"][:, b] - a["trust"][:, r]),
            "alliances": m.w_standing * standing, "stakeholders": stakes}


def win_chance(a: dict[str, np.ndarray], world: World) -> np.ndarray:
    """[B,D] chance that each bid would be won if decided now."""
    parts = win_logit_parts(a, world)
    z = parts["bias"]
    for name in ODDS_PARTS[1:]:  # left to right, as one sum
        z = z + parts[name]
    return 1.0 / (1.0 + np.exp(-np.asarray(z)))


def decide_deals(ledger: Ledger, world: World, turn: int) -> None:
    a, arr = ledger.arrays, world.arrays
    due = np.flatnonzero(arr["deal_decides"] == turn)
    if due.size:
        chance = win_chance(a, world)
    for d in due:
        open_ = a["deal_status"][:, d] == 0
        won = open_ & (uniform(a["seed"], turn, Purpose.DEAL, d) < chance[:, d])
        lost = open_ & ~won
        a["deal_status"][:, d] = np.where(won, 1, np.where(lost, -1, a["deal_status"][:, d]))
        a["deploying"][:, d] = np.where(open_, arr["deal_deploy"][d], a["deploying"][:, d])
        cause = causes.deal(world.deal_ids[d])
        apply_effects(ledger, world.deal_won[d], won.astype(np.float64), cause)
        apply_effects(ledger, world.deal_lost[d], lost.astype(np.float64), cause)
    deploy(ledger, world)


def deploy(ledger: Ledger, world: World) -> None:
    """Each decided contract still deploying moves its next tranche of share to its winner."""
    a, arr = ledger.arrays, world.arrays
    shifts = Shifts(ledger)  # nothing below reads shares: one composite per region
    for d in np.flatnonzero((a["deploying"] > 0).any(axis=0)):
        going = a["deploying"][:, d] > 0
        won = going & (a["deal_status"][:, d] == 1)
        region, tranche = arr["deal_region"][d], arr["deal_gain"][d] / arr["deal_deploy"][d]
        cause = causes.deal(world.deal_ids[d])
        for mask, vendor in ((won, arr["deal_bidder"][d]), (going & ~won, arr["deal_rival"][d])):
            # banned there or withdrawn (closed): a contract cannot move share to it
            shut = a["banned"][:, region, vendor] | arr["withdrawn"][vendor]
            amount = np.where(mask & ~shut, tranche, 0.0)
            shifts.queue(region, vendor, amount, cause, prop=False)
        if arr["deal_upkeep"][d]:
            ledger.add("budget_mod", cause, -arr["deal_upkeep"][d] * won)
        a["deploying"][:, d] -= going
    shifts.flush()
