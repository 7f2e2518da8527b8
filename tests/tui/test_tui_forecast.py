"""The forecast (pure, batched core) and the spending plan's rules."""

from __future__ import annotations

import numpy as np
from tui_support import SEED, tui_content

from game.play.forecast import forecast, forecast_seeds, risks
from game.play.session import Session, TurnActions
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
