"""Every lever has a visible effect: spending on it moves each variable it declares in the declared
direction, compared with the same seed without the spend, once its lag has passed."""

import numpy as np
import pytest

from game.content.loader import load_content
from game.sim.compile import build_world
from game.sim.metrics import Env
from game.sim.step import Actions, initial_state, step

CONTENT = load_content()
CATEGORIES = ("subsidy", "rnd", "workforce", "export", "alliance")




READS = {"research": "tech", "research6g": "sixg"}
"""Money into research is written, not read: it shows in the vendor's technology or 6G position."""


def declared(lever) -> list[tuple[str, float]]:
    out = []
    for effect in lever.effects:
        if effect.kind == "add":
            family, _, rest = effect.target.partition(".")
            out.append((f"{READS.get(family, family)}.{rest}" if rest else family, effect.amount))
        else:  # shift, prop
            out.append((f"share.{effect.region}.{effect.vendor}", effect.amount))
    return out


def scenario_offering(lever_id: str) -> str:
    """default, unless it does not offer the lever or a vendor it helps has left the market there (NEC's
    subsidy after 2025): the first scenario where it can work."""
    vendors = {e.vendor for e in CONTENT.levers[lever_id].effects if hasattr(e, "vendor")}  # shares it moves
    for scenario in ("default", *CONTENT.scenarios):
        world = build_world(CONTENT, scenario)
        gone = {v for v, out in zip(world.vendor_ids, world.arrays["withdrawn"], strict=True) if out}
        if world.available(0)[world.lever_ids.index(lever_id)] and not vendors & gone:
            return scenario
    raise AssertionError(f"no scenario offers {lever_id}")


@pytest.mark.parametrize("lever_id", list(CONTENT.levers))
def test_spending_moves_declared_variables(lever_id):
    lever = CONTENT.levers[lever_id]
    world = build_world(CONTENT, scenario_offering(lever_id))
    i = world.lever_ids.index(lever_id)
    state = initial_state(world, [7, 7])  # game 0 spends, game 1 does not: same seed
    # export financing helps only while its deal is open
    first = int(world.arrays["deal_opens"][world.arrays["lever_deal"][i]]) if lever.deal else 0
    for turn in range(first + lever.lag + 1):
        alloc = np.zeros((2, len(world.lever_ids)))
        if turn == first:
            alloc[0, i] = lever.max
        state, _ = step(state, Actions(alloc), world)
    env = Env(state, world)
    wrong = []
    for name, amount in declared(lever):
        with_spend, without = env(name)
        if (amount > 0 and not with_spend > without + 1e-12) or (amount < 0 and not with_spend < without - 1e-12):
            wrong.append(f"{name}: declared {amount:+g}, got {with_spend:.6g} with vs {without:.6g} without")
    assert not wrong, f"lever {lever_id} (lag {lever.lag}):\n  " + "\n  ".join(wrong)


def test_lever_set_covers_every_category_and_deal():
    by_category = {c: [lv.id for lv in CONTENT.levers.values() if lv.category == c] for c in CATEGORIES}
    assert len(CONTENT.levers) >= 12
    assert all(by_category.values()), by_category
    financed = {lv.deal for lv in CONTENT.levers.values() if lv.deal}
    assert financed == set(CONTENT.deals), f"deals without a financing lever: {set(CONTENT.deals) - financed}"
    for lv in CONTENT.levers.values():
        assert lv.short and len(lv.short) <= 90, lv.id
        assert len(lv.description) >= 120, f"{lv.id}: description too short for a student"
        if lv.deal:
            assert any(e.kind == "add" and e.target == f"support.{lv.deal}" for e in lv.effects), lv.id
