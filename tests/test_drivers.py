"""The drivers view's model (game.play.drivers), checked against the core: the ledger of a played quarter,
the ledger of a quarter played with one ¥B more, and a quarter played from a nudged state."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.play.drivers import Driver, Drivers, drivers
from game.play.session import Session, TurnActions
from game.render.labels import cause_label
from game.sim import causes
from game.sim.deals import win_chance
from game.sim.metrics import domestic_share
from game.sim.security import incident_rate
from game.sim.state import State
from game.sim.step import Actions, step
from game.sim.world import World

PLAN = {"subsidy-fujitsu": 2.0, "rip-and-replace": 1.0, "rnd-b5g": 2.0}


@pytest.fixture(scope="module")
def played(content) -> Session:
    session = Session(content, "default", 7)
    session.end_turn(TurnActions(PLAN, {}))
    return session


@pytest.fixture(scope="module")
def model(played) -> Drivers:
    return drivers(played.world, played.state, PLAN, {}, played.turns[-1])


def quiet(state: State) -> State:
    """The state with no event firing this quarter (so that nothing but the plan differs between steps)."""
    return state.replace(pending=np.zeros_like(state.pending))


def named(found: tuple[Driver, ...], kind: str) -> dict[str, Driver]:
    return {d.name: d for d in found if d.kind == kind}


@pytest.mark.parametrize("metric, array, index", [
    ("approval", "approval", ()), ("tension", "tension", ()), ("tech.fujitsu", "tech", ("vendor", "fujitsu")),
    ("stance.beijing", "stance", ("stakeholder", "beijing")),
])
def test_last_quarter_is_the_ledger(played, model, metric, array, index):
    """Each last-quarter driver of a metric held in one array is that cause's ledger entry, and every
    cause the ledger has for it is there."""
    world = played.world
    where = (0, world.index(index[0])[index[1]]) if index else (0,)
    expected: dict[str, float] = {}
    for cause, changes in played.turns[-1].report.ledger.items():
        if array in changes and changes[array][where] != 0:
            name = cause_label(cause, world)
            expected[name] = expected.get(name, 0.0) + float(changes[array][where])
    found = named(model.of(metric), "last quarter")
    assert expected, "the quarter moved it"
    assert set(found) == {n for n, v in expected.items() if abs(v) > 1e-12}
    for name, driver in found.items():
        assert driver.size == pytest.approx(expected[name], rel=1e-9, abs=1e-12)


def test_a_lever_that_does_not_touch_a_metric_is_absent(played, model, content):
    world = played.world
    touches = {lv.name for lv in content.levers.values() if any(getattr(e, "target", "") == "tension"
                                                                  for e in lv.effects)}
    levers = named(model.of("tension"), "lever")
    assert levers, "some levers raise tension"
    assert set(levers) <= touches
    assert "Rip and replace" in levers and levers["Rip and replace"].size > 0
    untouched = {lv.name for lv in content.levers.values()} - touches
    assert untouched and not untouched & set(levers)
    assert world.lever(world.index("lever")["rnd-b5g"]).name not in levers


def _lever_ledger(state: State, world: World, lever: str, spend: float, array: str, where: tuple[int, ...]
                  ) -> float:
    allocations = world.allocation_vector({lever: spend})[None, :]
    _, report = step(state, Actions(allocations), world, record=True)
    entry = report.ledger.get(causes.lever(lever), {}).get(array)
    return 0.0 if entry is None else float(entry[where])  # nothing spent: nothing booked


@pytest.mark.parametrize("spend", [0.0, 1.0, 3.0])
def test_a_levers_size_is_what_one_billion_more_does(played, spend):
    """Rip and replace (no lag): its per-¥B size at a spend is the change in its own ledger entry for
    Beijing's stance when the quarter is played with ¥1B more; diminishing returns shrink it."""
    world, state = played.world, quiet(played.state)
    beijing = (0, world.index("stakeholder")["beijing"])
    model = drivers(world, state, {"rip-and-replace": spend}, {})
    size = named(model.of("stance.beijing"), "lever")["Rip and replace"].size
    more = _lever_ledger(state, world, "rip-and-replace", spend + 1, "stance", beijing)
    now = _lever_ledger(state, world, "rip-and-replace", spend, "stance", beijing)
    assert size == pytest.approx(more - now, rel=1e-9)
    assert size < 0
    if spend:
        fresh = named(drivers(world, state, {}, {}).of("stance.beijing"), "lever")["Rip and replace"].size
        assert abs(size) < abs(fresh), "each ¥B buys less the more the lever already has"


def test_a_state_link_is_what_a_quarter_makes_of_a_point(played, model):
    """Fujitsu's technology pulls the domestic share: a point more (and a point less), each played for a
    quarter, move the share by the link's size either way (half their difference: the curvature cancels)."""
    world, state = played.world, played.state
    link = named(model.of("domestic_share"), "state")["Fujitsu technology"]
    assert link.link == "tech.fujitsu" and link.size > 0
    fujitsu = world.index("vendor")["fujitsu"]
    actions = Actions(world.allocation_vector(PLAN)[None, :])
    share = []
    for points in (1.0, -1.0):
        nudged = state.replace(tech=state.tech.copy())
        nudged.tech[0, fujitsu] += points
        after, _ = step(nudged, actions, world)
        share.append(float(domestic_share(after.arrays(), world)[0]))
    assert link.size == pytest.approx((share[0] - share[1]) / 2, rel=0.005)


def test_a_goal_is_made_of_its_metrics(model):
    goal = "domestic_share + 0.1 * sixg_share"
    parts = named(model.of(goal), "part")
    share, sixg = parts["Domestic vendors' global share"], parts["Japan's share of 6G research"]
    assert (share.link, sixg.link) == ("domestic_share", "sixg_share")
    assert share.size == pytest.approx(0.01) and sixg.size == pytest.approx(0.001)  # per pp of each
    assert {m.id for m in model.metrics} >= {share.link, sixg.link}
    assert not named(model.of(goal), "state"), "a compound metric moves through its parts"


def test_a_lever_with_a_lag_says_so(model):
    research = named(model.of("sixg_share"), "lever")["Beyond 5G / 6G programme"]
    assert research.lag == 4 and research.spend == 2.0 and research.size > 0


def test_no_last_quarter_before_the_first(content):
    session = Session(content, "default", 7)
    model = drivers(session.world, session.state, {}, {})
    assert model.last is None
    assert all(d.kind != "last quarter" for m in model.metrics for d in model.of(m.id))
    assert named(model.of("untrusted_japan"), "lever")


@given(st.dictionaries(st.sampled_from([*sorted(PLAN), "subsidy-openran", "alliance-quad", "workforce-reskilling", "export-vietnam"]),
                       st.floats(0, 8), max_size=4))
def test_names_not_ids_and_links_that_lead_somewhere(played, allocations):
    world = played.world
    allocations = {k: v for k, v in allocations.items() if k in world.lever_ids}
    model = drivers(world, played.state, allocations, {}, played.turns[-1])
    ids = set(world.lever_ids) | set(world.vendor_ids) | set(world.event_ids) | set(world.deal_ids) \
        | set(world.alliance_ids) | set(world.stakeholder_ids)
    listed = {m.id for m in model.metrics}
    for m in model.metrics:
        assert m.label not in ids and m.short not in ids
        for d in model.of(m.id):
            assert d.name not in ids and ":" not in d.name.removeprefix("market:")
            assert math.isfinite(d.size) and d.size != 0
            assert d.link is None or (d.link in listed and d.link != m.id)
            if d.kind == "lever":
                lever = next(lv for lv in world.content.levers.values() if lv.name == d.name)
                assert d.spend == pytest.approx(allocations.get(lever.id, 0.0))


def test_incident_goals_move_through_the_expected_rate(played, model):
    """Incident counts move by draws; their driver is the expected rate, which threat raises as a quarter
    played from a state a point more (or less) threatening says."""
    world, state = played.world, played.state
    part = named(model.of("major_incidents"), "part")["Expected incidents a quarter"]
    assert part.link == "incident_rate" and part.size == world.model.security.major_chance
    threat = named(model.of("incident_rate"), "state")["Threat level"]
    assert threat.size > 0
    actions = Actions(world.allocation_vector(PLAN)[None, :])
    rate = []
    for points in (1.0, -1.0):
        after, _ = step(state.replace(threat=state.threat + points), actions, world)
        rate.append(float(incident_rate(after.arrays(), world)[0]))
    assert threat.size == pytest.approx((rate[0] - rate[1]) / 2, rel=0.005)
    hardening = named(model.of("incident_rate"), "lever")
    assert hardening and all(d.size < 0 for name, d in hardening.items() if "security" in name.lower())


def test_a_deal_counts_through_its_win_chance(content):
    """Export deals are won by a draw: their goals link to each deal's win chance, which the deal's own
    financing raises by what a quarter played with ¥1B more of it shows."""
    session = Session(content, "exercise-southeast-asia", 5)
    session.end_turn(TurnActions({}, {}))
    world, state = session.world, quiet(session.state)
    model = drivers(world, state, {}, {}, session.turns[-1])
    goal = next(g.metric for g in world.scenario.goals if "deal.cambodia-5g" in g.metric)
    assert named(model.of(goal), "part")["Cambodia 5G network deal"].link == "deal.cambodia-5g"
    chance = named(model.of("deal.cambodia-5g"), "part")["Cambodia 5G network: win chance"]
    assert chance.link == "win_chance.cambodia-5g" and chance.size > 0
    financing = named(model.of("win_chance.cambodia-5g"), "lever")["Cambodia 5G financing"]
    d = world.index("deal")["cambodia-5g"]
    odds = []
    for spend in (1.0, 0.0):
        after, _ = step(state, Actions(world.allocation_vector({"export-cambodia": spend})[None, :]), world)
        odds.append(float(win_chance(after.arrays(), world)[0, d]))
    # the size is read on the state now, the played quarter's odds after its drift: a few per cent apart
    assert financing.size == pytest.approx(odds[0] - odds[1], rel=0.05)


def test_last_quarter_says_what_the_turn_report_says(played, model):
    """The domestic share's last-quarter drivers are the turn report's "why" for it, cause by cause; the
    report books every change of the markets' weights to uneven growth, the drivers to whoever made it
    (here an event that grew one market too), and they add up to the report's."""
    world = played.world
    found = named(model.of("domestic_share"), "last quarter")
    why = played.history[-1].why["domestic_share"]
    assert len(why) >= 3
    for cause in why:
        if cause.cause != causes.UNEVEN_GROWTH:
            assert found[cause_label(cause.cause, world)].size == pytest.approx(cause.change, rel=1e-9)
    weights = [cause_label(causes.UNEVEN_GROWTH if c == causes.MARKET_GROWTH else c, world)
               for c, changes in played.turns[-1].report.ledger.items() if "market_size" in changes]
    assert len(weights) >= 2, "this quarter an event moved a market's size as well"
    growth = next(c.change for c in why if c.cause == causes.UNEVEN_GROWTH)
    assert sum(found[name].size for name in weights) == pytest.approx(growth, rel=0.02)
