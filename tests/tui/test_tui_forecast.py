"""The forecast (pure, batched core) and the spending plan's rules."""

from __future__ import annotations

import numpy as np
from tui_support import SEED, tui_content

from game.play.consequences import consequences
from game.play.forecast import event_outlook, forecast, forecast_seeds, forecasts, risks
from game.play.session import Session, TurnActions
from game.render.labels import goal_short
from game.sim.metrics import KEY_METRICS
from game.tui.plan import Plan


def test_forecast_bands_are_ordered_and_never_use_the_games_seed():
    content = tui_content()
    session = Session(content, "tutorial", SEED)
    seeds = forecast_seeds(SEED, session.state.turn, 100)
    assert SEED not in seeds.tolist() and len(set(seeds.tolist())) == 100
    plan = {"subsidy-fujitsu": 4.0}
    f = forecast(session.state, session.world, plan, n=100)
    assert f.quarters == 4 and f.samples == 100
    assert set(f.bands) == set(KEY_METRICS)
    for band in f.bands.values():
        assert len(band.median) == 4
        assert all(lo <= med + 1e-12 <= hi + 2e-12 for lo, med, hi in zip(band.low, band.median, band.high, strict=False))
    # deterministic, and the game itself is untouched
    g = forecast(session.state, session.world, plan, n=100)
    assert g.bands == f.bands
    assert session.state.turn == 0 and session.state_hash == Session(content, "tutorial", SEED).state_hash


def test_forecast_reacts_to_the_plan_and_stops_at_the_end():
    content = tui_content()
    session = Session(content, "tutorial", SEED)
    none = forecast(session.state, session.world, {}, n=64)
    subsidy = forecast(session.state, session.world, {"subsidy-fujitsu": 8.0}, n=64)
    assert subsidy.bands["domestic_share"].median[-1] > none.bands["domestic_share"].median[-1]
    for _ in range(6):
        session.end_turn(TurnActions({"subsidy-fujitsu": 2.0}))
    late = forecast(session.state, session.world, {}, n=32)
    assert late.quarters == 2  # only two quarters are left in the tutorial


def test_risks_name_the_incident_odds_and_their_reasons():
    content = tui_content()
    session = Session(content, "tutorial", SEED)
    found = risks(session.state, session.world, {})
    incident = next(r for r in found if r.kind == "incident")
    assert 0 < incident.chance < 1
    assert any("untrusted" in r for r in incident.reasons) and any("threat" in r for r in incident.reasons)
    # a checkpoint that says stop abandons the work
    assert forecast(session.state, session.world, {}, n=16, checkpoint=lambda: False) is None


def test_plan_never_overspends_and_says_why():
    content = tui_content()
    levers = [content.levers[i] for i in ("subsidy-fujitsu", "rnd-b5g", "rip-and-replace")]
    plan = Plan(levers, budget=10.0)
    nec, b5g, rip = levers
    assert plan.fill(nec) is None and plan.amounts["subsidy-fujitsu"] == nec.max
    note = plan.fill(b5g)
    assert plan.spent == 10.0 and "left in the budget" in note
    note = plan.change(rip, 1)
    assert plan.spent == 10.0 and "No budget left" in note
    assert "already at ¥0B" in plan.change(rip, -1)
    plan.change(nec, -3)
    assert plan.left == 3.0
    assert "maximum" in Plan(levers, 100.0, amounts={"subsidy-fujitsu": nec.max}).change(nec, 1)
    locked = Plan(levers, 10.0, locked={"rnd-b5g": 2.0})
    assert "locked" in locked.change(b5g, 1) and locked.amounts["rnd-b5g"] == 2.0
    trimmed = Plan(levers, 10.0, amounts={"subsidy-fujitsu": 6.0, "rnd-b5g": 4.0})
    assert "trimmed" in trimmed.rebudget(7.0) and np.isclose(trimmed.spent, 7.0)


EXPORTS = {"export-cambodia": 6.0, "export-vietnam": 6.0, "export-philippines": 6.0}  # ¥18B a quarter


def test_the_forecast_to_the_end_tells_late_paying_spending_apart():
    """¥18B a quarter of export financing pays when the deals are decided (quarters 6-10): four quarters
    ahead it looks like spending nothing; to the end of the game it does not."""
    content = tui_content()
    session = Session(content, "default", 7)
    state, world = session.state, session.world
    stake = [g.id for g in world.goals].index("japanese-stake")
    short = [forecast(state, world, plan, n=32, quarters=4) for plan in ({}, EXPORTS)]
    assert short[0].goals[stake].band.median[-1] == short[1].goals[stake].band.median[-1]
    none, exports = (forecast(state, world, plan, n=32) for plan in ({}, EXPORTS))
    assert none.horizon == exports.horizon == world.turns
    assert exports.goals[stake].band.median[-1] > none.goals[stake].band.median[-1]
    # the key metrics' detail stays four quarters; the goals run to the last quarter, bands ordered
    assert none.quarters == 4 and all(len(b.median) == 4 for b in none.bands.values())
    for goal in none.goals:
        band = goal.band
        assert len(band.median) == world.turns and 0.0 <= goal.met <= 1.0
        assert all(lo <= med + 1e-12 and med <= hi + 1e-12
                   for lo, med, hi in zip(band.low, band.median, band.high, strict=True))


def test_plans_forecast_together_match_each_alone():
    """One batch for several plans (the look-ahead's neighbours, an event's answers) on the same seeds:
    each plan's futures are those it would have alone."""
    content = tui_content()
    session = Session(content, "tutorial", SEED)
    plans = [{}, {"subsidy-fujitsu": 4.0}, {"rnd-b5g": 3.0}]
    together = forecasts(session.state, session.world, plans, n=16)
    alone = [forecast(session.state, session.world, p, n=16) for p in plans]
    assert together == alone
    assert together[0] != together[1]


def test_an_events_outlook_compares_each_answer_with_the_default_in_the_same_futures():
    content = tui_content()
    session = Session(content, "exercise-procurement-2018", 2018)
    world = session.world
    assert "ex-procurement-decision" in {e.id for e in session.pending_events()}
    outlook = event_outlook(session.state, world, "ex-procurement-decision", {}, n=24)
    assert outlook.horizon == world.turns and outlook.samples == 24
    event = content.events["ex-procurement-decision"]
    by_id = {c.choice: c for c in outlook.choices}
    assert [c.choice for c in outlook.choices] == [c.id for c in event.choices]
    default = outlook.choices[event.default]
    assert all(s.median == s.low == s.high == 0.0 for s in default.end_change + default.next_change)
    clean = [g.id for g in world.goals].index("clean-network")
    # ripping out the kit cleans the network faster; staying open leaves more of it
    assert by_id["whole-network"].end_change[clean].median < 0 < by_id["stay-open"].end_change[clean].median
    assert by_id["whole-network"].end[clean].median < default.end[clean].median
    assert event_outlook(session.state, world, event.id, {}, n=8, checkpoint=lambda: False) is None


def test_an_answers_consequences_are_exact_and_bans_are_irreversible():
    content = tui_content()
    session = Session(content, "exercise-procurement-2018", 2018)
    world = session.world
    bill = consequences(session.state, world, "ex-carriers-bill")
    state_pays, carriers_pay = bill.choices
    budget = next(c for c in state_pays if c.unit == "money")
    assert budget.what == "next quarter's budget" and budget.change == -3.0
    approval = next(c for c in carriers_pay if c.what == "approval")
    assert approval.before == 55.0 and approval.after == 52.0
    assert bill.irreversible == (False, False) and not bill.always
    decision = consequences(session.state, world, "ex-procurement-decision")
    assert decision.irreversible == (True, True, False)
    assert any(c.unit == "flag" and c.what == "Huawei banned in Japan" for c in decision.choices[0])
    # a factor reads as the number it gives on the current state
    history = Session(content, "history-2019", 1)
    launch = consequences(history.state, history.world, "h-japan-5g-launch")
    market = next(c for c in launch.always if "market" in c.what)
    japan = history.world.region_ids.index("japan")
    assert market.before == float(history.state.market_size[0, japan])
    assert np.isclose(market.after, 1.25 * market.before)
    assert session.state_hash == Session(content, "exercise-procurement-2018", 2018).state_hash


def test_the_dashboard_shows_each_goal_at_the_end_and_its_fan_chart():
    import asyncio

    from tui_support import answer_events, make_app, settle

    from game.tui.screens.dashboard import DashboardScreen
    from game.tui.widgets.panels import GoalForecastPanel

    async def run():
        seen: list = []
        app = make_app(scenario="default", seed=7, samples=16)
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await answer_events(pilot)
            await settle(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            panel = dash.query_one(GoalForecastPanel)
            world = dash.session.world
            lines = panel.plain.splitlines()
            assert lines[0].startswith(f"Goals at the end of {world.quarter(world.turns - 1)}")
            for goal, line in zip(world.goals, lines[1:], strict=False):
                assert goal_short(goal.id, goal.metric.source)[:12] in line and "% met" in line
            assert lines[1].startswith("▶Japan's stake") and "target ≥ 3 %" in panel.plain
            before = panel.plain
            await pilot.press("g")
            assert panel.plain.splitlines()[2].startswith("▶Untrusted kit") and "target ≤ 1.5 %" in panel.plain
            await pilot.press("G")
            assert panel.plain == before
            # ¥18B a quarter of exports moves the end of the game, which four quarters could not see
            for lever_id in EXPORTS:
                dash.plan.fill(app.content.levers[lever_id])
            seen.clear()
            dash.request_forecast()
            await settle(pilot)
            assert any(isinstance(m, DashboardScreen.ForecastShown) for m in seen)
            assert panel.plain.splitlines()[1] != before.splitlines()[1]

    asyncio.run(run())


def test_a_budget_cut_trims_a_committed_pledge_last_and_names_every_cut():
    """Breaking a pledge costs standing: a smaller budget takes the money from other levers first, and the
    note says which levers lost how much."""
    from game.content.loader import load_content

    session = Session(load_content(), "default", SEED)
    pledge = {"alliance-us": 2.0}
    session.end_turn(TurnActions(pledge))
    assert session.state.pledged[0, session.world.index("alliance")["us-japan"]] > 0  # now committed
    plan = Plan.for_world(session.world, 20.0, session.state.turn, session.state)
    assert "alliance-us" in plan.committed
    plan.amounts.update({"alliance-us": 2.0, "subsidy-fujitsu": 6.0, "rnd-b5g": 4.0})
    note = plan.rebudget(6.0)
    assert plan.amounts["alliance-us"] == 2.0 and np.isclose(plan.spent, 6.0)
    assert "Fujitsu" in note and "¥4B" in note and "Japan-US" not in note
    note = plan.rebudget(1.0)
    assert plan.amounts["alliance-us"] == 1.0 and "a pledge still owed" in note
