"""The lever panel never lies (every row, group total and the header agree with the plan on every frame,
whatever budget cuts, allocations and turn ends do), levers are grouped by category and fold, and the detail
pane says what the selected lever does (game.play.levers_info, tested here without the TUI too)."""

from __future__ import annotations

import asyncio
import random
import re
from pathlib import Path

import numpy as np
import pytest
from tui_support import OVERLAY, answer_events, on_dashboard, settle

from game.content.loader import load_content
from game.content.schema import CATEGORIES
from game.play.levers_info import lever_info
from game.play.session import Session, TurnActions
from game.render.labels import CATEGORY_NAMES
from game.sim import causes
from game.sim.step import Actions, step
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, EventDialog
from game.tui.screens.end import EndScreen
from game.tui.screens.report import TurnReportScreen
from game.tui.widgets.lever_detail import LeverDetail
from game.tui.widgets.levers import MONEY_LINE, LeverPanel
from game.tui.widgets.panels import StatusBar

BUDGET_OVERLAY = Path(__file__).parent / "fixtures" / "levers-overlay"
MONEY = re.compile(r"¥(-?[0-9.]+)B")
_CONTENT = None


def budget_content():
    """The TUI overlay plus a budget review every tutorial quarter (cuts of ¥7B or ¥3B, or a ¥4B rise)."""
    global _CONTENT
    if _CONTENT is None:
        _CONTENT = load_content(str(OVERLAY), str(BUDGET_OVERLAY))
    return _CONTENT


def budget_app(seed: int = 6):
    from game.tui.app import HomegrownApp

    return HomegrownApp(budget_content(), scenario="tutorial", seed=seed, forecast_samples=8)


def painted(panel: LeverPanel, lever: int | None = None, category: str | None = None) -> list[str]:
    """Lever `lever`'s row, or `category`'s header, as the panel paints it now (its strips: rebuilt only
    when the panel synced with the plan)."""
    return [panel.strip(k).text for k, line in enumerate(panel.lines)
            if (line.lever == lever if category is None else line.lever is None and line.category == category)]


def shown_amount(panel: LeverPanel, lever: int) -> float:
    """The amount a row shows on its money line (¥0 for a row that says it takes no money)."""
    line = painted(panel, lever)[MONEY_LINE]
    found = MONEY.search(line)
    return float(found.group(1)) if found and "/" in line else 0.0


def check_frame(screen: DashboardScreen) -> None:
    """Rows, group totals and the header all say what the plan holds."""
    panel = screen.query_one(LeverPanel)
    plan = screen.plan
    header = screen.query_one(StatusBar).plain
    allocated = float(re.search(r"allocated ¥([0-9.]+)B", header).group(1))
    budget = float(re.search(r"Budget ¥([0-9.]+)B", header).group(1))
    assert budget == pytest.approx(plan.budget) and allocated == pytest.approx(plan.spent), header
    groups = 0.0
    for category in panel.categories:
        rows = [i for i, lv in enumerate(plan.levers) if lv.category == category]
        [header] = painted(panel, category=category)
        total = float(MONEY.search(header).group(1))
        assert total == pytest.approx(sum(plan.amounts[plan.levers[i].id] for i in rows)), header
        if category not in panel.folded:
            shown = [shown_amount(panel, i) for i in rows]
            assert shown == pytest.approx([plan.amounts[plan.levers[i].id] for i in rows]), (shown, plan.amounts)
            assert sum(shown) == pytest.approx(total)
        else:
            assert not any(painted(panel, i) for i in rows)
        groups += total
    assert groups == pytest.approx(allocated)
    assert plan.spent <= plan.budget + 1e-9


KEYS = ["up", "down", "right", "right", "right", "left", "m", "0", "enter"]


def test_rows_and_totals_match_the_plan_on_every_frame_through_budget_cuts():
    """A seeded random game: random key presses, random budget-review answers (cuts and rises of next
    quarter's budget) and turn ends; after every pause the painted rows add up to 'allocated'."""
    rng = random.Random(1134994578)

    async def run() -> tuple[int, int]:
        app = budget_app()
        frames = trimmed = 0
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            while not isinstance(app.screen, EndScreen):
                screen = app.screen
                if isinstance(screen, EventDialog):
                    await pilot.press(str(rng.randint(1, len(screen.event.choices))))
                elif isinstance(screen, ConfirmScreen):
                    await pilot.press("y")
                elif isinstance(screen, TurnReportScreen):
                    await pilot.press("enter")
                else:
                    assert isinstance(screen, DashboardScreen), type(screen)
                    for key in rng.choices(KEYS, k=rng.randint(3, 12)):
                        await pilot.press(key)
                        await pilot.pause()
                        check_frame(screen)
                        frames += 1
                    await pilot.press("e")
                await pilot.pause()
                if isinstance(app.screen, DashboardScreen | TurnReportScreen):
                    dash = app.screen_stack[1]
                    assert isinstance(dash, DashboardScreen)
                    check_frame(dash)  # under the report too: it shows when the report closes
                    trimmed += bool(dash._note and "trimmed" in dash._note)
                    frames += 1
        return frames, trimmed

    frames, trimmed = asyncio.run(run())
    assert frames > 50 and trimmed >= 1  # the loop did cut a funded plan


def test_a_cut_budget_redraws_rows_the_cursor_never_visits():
    """The issue's case: fund levers, a budget cut at the turn's end trims the plan, and the rows below the
    cursor (not visited since) show the trimmed amounts at once."""

    async def run() -> None:
        app = budget_app()
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await answer_events(pilot, "3")  # this quarter's review keeps the budget
            screen = app.screen
            panel = screen.query_one(LeverPanel)
            for _ in panel.plan.levers:
                await pilot.press("m", "down")
            await pilot.press("up", "up", "up", "up", "up")
            await pilot.pause()
            assert panel.plan.left == 0
            await pilot.press("v")
            await pilot.pause()
            assert isinstance(app.screen, EventDialog)
            await pilot.press("1")  # the deep cut: ¥7B less next quarter
            await pilot.pause()
            await answer_events(pilot)
            await pilot.press("e")
            await pilot.pause()
            if isinstance(app.screen, ConfirmScreen):
                await pilot.press("y")
            await pilot.pause()
            await pilot.press("enter")
            await settle(pilot)
            assert "trimmed" in (screen._note or "")
            check_frame(screen)

    asyncio.run(run())


# ---------------------------------------------------------------- grouped, foldable, with a detail pane


def test_levers_are_grouped_by_category_and_fold_with_enter():
    async def run() -> None:
        async with on_dashboard(scenario="default", seed=5, samples=8, size=(80, 24)) as pilot:
            app = pilot.app
            screen = app.screen
            panel = screen.query_one(LeverPanel)
            headers = [line.category for line in panel.lines if line.lever is None]
            assert headers == [c for c in CATEGORIES if c in headers] and len(headers) == 5
            # the rows follow their header, in the panel's order
            current = None
            for line in panel.lines:
                if line.lever is None:
                    current = line.category
                else:
                    assert panel.plan.levers[line.lever].category == current == line.category
            first = panel.lever
            assert first is not None and first.category == "subsidy"
            await pilot.press("right", "right")
            await pilot.pause()
            assert panel.plan.amounts[first.id] == 2
            await pilot.press("enter")  # fold Subsidies
            await pilot.pause()
            assert "subsidy" in panel.folded and panel.lever is None
            assert not any(line.category == "subsidy" and line.lever is not None for line in panel.lines)
            assert painted(panel, category="subsidy")[0].startswith("▶▸ Subsidies · ¥2B")  # the cursor on the folded group
            await pilot.press("right")  # a folded group takes no money
            await pilot.pause()
            assert panel.plan.spent == 2
            assert "folded" in screen.query_one("#plan-note").plain
            await pilot.press("down")  # the next stop is R&D's first lever
            await pilot.pause()
            assert panel.lever is not None and panel.lever.category == "rnd"
            await pilot.press("up", "space")  # open it again
            await pilot.pause()
            assert "subsidy" not in panel.folded and panel.lever == first
            assert painted(panel, category="subsidy")[0].startswith(" ▾ Subsidies")

    asyncio.run(run())


def test_the_mouse_funds_the_row_it_clicks_and_folds_the_header_it_clicks():
    """A click on another row's [+] selects that lever and adds one step to it (not to the selected one);
    a click on a header folds its category, and a click on the folded header opens it again."""
    async def run() -> None:
        async with on_dashboard(scenario="default", seed=5, samples=8, size=(80, 24)) as pilot:
            panel = pilot.app.screen.query_one(LeverPanel)
            selected = panel.lever
            assert selected is not None
            # the second row's money line, below the (expanded) selected row
            y = next(k for k, line in enumerate(panel.lines)
                     if line.lever is not None and line.lever != panel.plan.levers.index(selected)
                     and line.part == MONEY_LINE)
            target = panel.plan.levers[panel.lines[y].lever]
            x = panel.strip(y).text.index("[+]") + 1
            await pilot.click(panel, offset=(x, y - panel.scroll_offset.y))
            await pilot.pause()
            assert panel.lever == target
            assert panel.plan.amounts[target.id] == target.step and panel.plan.amounts[selected.id] == 0
            assert shown_amount(panel, panel.plan.levers.index(target)) == target.step  # and its row says so
            await pilot.click(panel, offset=(4, 0))  # the first header
            await pilot.pause()
            assert panel.folded == {panel.categories[0]}
            assert painted(panel, category=panel.categories[0])[0].startswith("▶▸")
            await pilot.click(panel, offset=(4, 0))
            await pilot.pause()
            assert not panel.folded

    asyncio.run(run())


def test_the_detail_pane_follows_the_selection_with_names_never_ids():
    async def run() -> None:
        async with on_dashboard(scenario="default", seed=5, samples=8, size=(160, 48)) as pilot:
            app = pilot.app
            screen = app.screen
            panel, detail = screen.query_one(LeverPanel), screen.query_one(LeverDetail)
            assert detail.display and screen.query_one("#info").display  # beside, on a wide screen
            lever = panel.lever
            assert lever is not None and detail.plain.startswith(lever.name)
            assert "▲ at ¥0B" in detail.plain and "Per ¥B more" in detail.plain
            before = detail.plain
            await pilot.press("right", "right", "right")
            await pilot.pause()
            assert "▲ at ¥3B" in detail.plain and detail.plain != before
            # an export lever: its deal, odds with reasons and prize
            export = next(i for i, lv in enumerate(panel.plan.levers) if lv.category == "export")
            panel.select_lever(export)
            await pilot.pause()
            deal = app.content.deals[panel.plan.levers[export].deal]
            text = " ".join(detail.plain.split())  # as read, across wrapped lines
            assert f"Deal: {deal.name}, decided {deal.decides}" in text
            assert "Win chance" in text and "technology gap" in text and "Prize:" in text
            ids = {*app.content.levers, *app.content.deals, *app.content.alliances}
            for k in range(len(panel.stops)):
                panel.select(k)
                await pilot.pause()
                words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", detail.plain))
                assert not words & ids, words & ids

    asyncio.run(run())


def test_at_80x24_d_shows_the_detail_pane_in_place_of_the_information_column():
    async def run() -> None:
        async with on_dashboard(scenario="tutorial", samples=8, size=(80, 24)) as pilot:
            app = pilot.app
            screen = app.screen
            detail, info = screen.query_one(LeverDetail), screen.query_one("#info")
            assert not detail.display and info.display
            await pilot.press("i")
            await pilot.pause()
            assert detail.display and not info.display and detail.size.width >= 30
            assert detail.plain.startswith(screen.query_one(LeverPanel).lever.name)
            await pilot.press("i")
            await pilot.pause()
            assert not detail.display and info.display

    asyncio.run(run())


def test_a_lever_not_offered_yet_is_shown_as_such_and_takes_no_money():
    async def run() -> None:
        async with on_dashboard(scenario="history-2019", samples=8, size=(160, 48)) as pilot:
            app = pilot.app
            screen = app.screen
            panel = screen.query_one(LeverPanel)
            waiting = next(i for i, lv in enumerate(panel.plan.levers) if lv.id in panel.plan.waiting)
            name = panel.plan.levers[waiting].name
            panel.select_lever(waiting)
            await pilot.pause()
            await pilot.press("right", "m")
            await pilot.pause()
            assert panel.plan.spent == 0
            assert "offered from" in screen.query_one("#plan-note").plain
            assert "offered from" in painted(panel, waiting)[MONEY_LINE]
            assert "Takes no money: offered from" in " ".join(screen.query_one(LeverDetail).plain.split())
            assert screen.query_one(LeverDetail).plain.startswith(name)

    asyncio.run(run())


# ---------------------------------------------------------------- game.play.levers_info without the TUI


@pytest.fixture(scope="module")
def session():
    return Session(load_content(), "default", 5)


def test_the_curve_shows_saturation_and_the_marker_follows_the_spend(session):
    w, s = session.world, session.state
    info = lever_info(w, s, "rnd-b5g", 0.0)
    assert info.category == CATEGORY_NAMES["rnd"] and info.lag == 4
    assert len(info.curve) == round(info.max / info.step)
    assert all(a > b for a, b in zip(info.curve, info.curve[1:], strict=False))  # diminishing returns
    assert info.curve[0] < 1 and info.curve[-1] < 0.25 * info.curve[0]
    assert info.at == 0 and lever_info(w, s, "rnd-b5g", 5.0).at == 5
    assert lever_info(w, s, "rnd-b5g", info.max).marginal == 0
    # a set-up cost: the first step buys nothing, the one that reaches the cost buys it all at once
    cost = lever_info(w, s, "subsidy-emergency-radio", 0.0)
    assert cost.cost == 1 and any("set-up cost" in o for o in cost.obligations)


def played(session: Session, lever: str, spend: float):
    """This quarter played with `spend` on `lever` alone: the state after, and the lever's own changes
    (the ledger's part for it, not the rest of the world's answer)."""
    w = session.world
    alloc = w.allocation_vector({lever: spend})[None, :]
    after, report = step(session.state, Actions(alloc, np.full((1, len(w.event_ids)), -1)), w, record=True)
    return after, report.ledger[causes.lever(lever)]


def test_effect_sizes_are_what_one_more_billion_does_in_the_simulation(session):
    """Per ¥B at ¥2B: the change one more ¥B makes to this quarter's step, measured by playing it."""
    w = session.world
    by_label = {e.label: e for e in lever_info(w, session.state, "rip-and-replace", 2.0).effects}
    (low, _), (high, _) = played(session, "rip-and-replace", 2.0), played(session, "rip-and-replace", 3.0)
    k = w.index("stakeholder")
    for label, stakeholder in (("Beijing stance", "beijing"), ("Washington stance", "washington")):
        moved = float(high.stance[0, k[stakeholder]] - low.stance[0, k[stakeholder]])
        assert by_label[label].per_billion == pytest.approx(moved, rel=0.2), label
    # a vendor losing share loses a part of what it holds: said as such, with the curve's factor
    huawei = by_label["Huawei share in Japan"]
    assert huawei.unit == "% of it" and huawei.per_billion == pytest.approx(-8.0 * 0.2895, rel=0.01)
    # share moved to a vendor: points of the market, as the ledger books the lever's own part
    fujitsu = {e.label: e for e in lever_info(w, session.state, "subsidy-fujitsu", 2.0).effects}
    (_, low_parts), (_, high_parts) = played(session, "subsidy-fujitsu", 2.0), played(session, "subsidy-fujitsu", 3.0)
    region, v = w.index("region")["japan"], w.index("vendor")["fujitsu"]
    moved_pp = float(high_parts["shares"][0, region, v] - low_parts["shares"][0, region, v]) * 100
    shown = fujitsu["Fujitsu share in Japan"]
    assert shown.unit == "pp" and shown.per_billion > 0 and shown.per_billion == pytest.approx(moved_pp, rel=0.1)


def test_a_deal_shows_odds_with_reasons_and_closes_once_decided():
    session = Session(load_content(), "default", 5)
    w = session.world
    info = lever_info(w, session.state, "export-pacific", 3.0)
    deal = info.deal
    assert deal is not None and deal.state == "open" and info.status == "open"
    assert deal.chance is not None and deal.chance_with_plan is not None and deal.chance_with_plan > deal.chance
    logit = sum(r.logit for r in deal.reasons)
    assert 1 / (1 + np.exp(-logit)) == pytest.approx(deal.chance)  # the reasons are the whole of the odds
    assert any(e.label.startswith("chance of winning") and e.per_billion > 0 for e in info.effects)
    decides = w.arrays["deal_decides"][w.index("deal")["pacific-openran"]]
    while session.state.turn <= decides:
        session.end_turn(TurnActions({}, {e.id: e.choices[0].id for e in session.pending_events() if e.choices}))
    closed = lever_info(w, session.state, "export-pacific", 0.0)
    assert closed.status == "closed" and closed.deal is not None and closed.deal.state in ("won", "lost")
    assert closed.deal.chance is None and closed.note == "its deal is decided"  # the pane's deal line says how
    assert closed.deal.status.startswith(f"{closed.deal.state} in {closed.deal.decides}")


def test_alliance_obligations_name_the_pledge_and_what_breaking_it_costs(session):
    info = lever_info(session.world, session.state, "alliance-us", 0.0)
    alliance = session.world.content.alliances["us-japan"]
    assert any(f"≥ ¥{alliance.pledge:g}B a quarter on {alliance.name}" in o for o in info.obligations)
    assert any(o.startswith("While committed") and "Huawei share in Japan" in o for o in info.obligations)
    assert any(o.startswith("Below the pledge") for o in info.obligations)


def test_a_decided_deal_lever_says_so_and_refuses_money_through_the_panel():
    from tui_support import end_turn

    async def run() -> None:
        async with on_dashboard(scenario="default", seed=5, samples=8, size=(160, 48)) as pilot:
            app = pilot.app
            screen = app.screen
            world = screen.session.world
            decides = world.arrays["deal_decides"][world.index("deal")["pacific-openran"]]
            while screen.session.state.turn <= decides:
                await end_turn(pilot)
            await settle(pilot)
            await answer_events(pilot)
            panel = screen.query_one(LeverPanel)
            index = next(i for i, lv in enumerate(panel.plan.levers) if lv.id == "export-pacific")
            panel.select_lever(index)
            await pilot.pause()
            before = dict(panel.plan.amounts)
            await pilot.press("right", "m")
            await pilot.pause()
            assert panel.plan.amounts == before and panel.plan.amounts["export-pacific"] == 0
            note = screen.query_one("#plan-note").plain
            assert note.startswith("Pacific islands Open RAN takes no money now:"), note
            assert re.search(r"no money now: (won|lost) in 2026Q4", painted(panel, index)[MONEY_LINE])
            detail = " ".join(screen.query_one(LeverDetail).plain.split())
            assert re.search(r"Takes no money: its deal is decided\. Deal: [^,]+, (won|lost) in 2026Q4", detail), detail
            assert "Return per ¥B" not in detail and "Per ¥B more" not in detail  # money can no longer buy it
            check_frame(screen)

    asyncio.run(run())


def test_locked_waiting_and_absent_levers_say_why_they_take_no_money():
    content = load_content()
    exercise = Session(content, "exercise-procurement-2018", 1)
    locked = lever_info(exercise.world, exercise.state, "workforce-university", 1.0)
    assert locked.status == "locked" and locked.note == "fixed at ¥1B by the scenario"
    history = Session(content, "history-2019", 1)
    waiting = lever_info(history.world, history.state, "rnd-b5g", 0.0)
    assert waiting.status == "waiting" and waiting.note.startswith("offered from 2020Q4")
    tutorial = Session(content, "tutorial", 1)
    absent = lever_info(tutorial.world, tutorial.state, "export-cambodia", 0.0)
    assert absent.status == "absent" and absent.note == "not offered in this scenario"
    assert lever_info(tutorial.world, tutorial.state, "rnd-b5g", 0.0).status == "open"
