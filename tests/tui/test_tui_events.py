"""Look before you choose: the event dialog beside the dashboard, each answer's exact effects and its
effect on the goals in sampled futures (filled in by a worker), and a cursor that starts on a safe answer."""

from __future__ import annotations

import asyncio

import pytest
from tui_support import make_app, settle

from game.play.forecast import event_outlook
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import EventDialog
from game.tui.widgets.panels import GoalForecastPanel

EXERCISE = "exercise-procurement-2018"  # its first quarter asks the procurement decision (default: a ban)


async def _dialog(pilot) -> EventDialog:
    for _ in range(200):
        if isinstance(pilot.app.screen, EventDialog) and pilot.app.screen.is_mounted:
            return pilot.app.screen
        await pilot.pause(0.02)
    pytest.fail("no event dialog opened")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_dialog_leaves_the_dashboards_goals_and_forecast_in_view(size):
    async def run():
        seen: list = []
        app = make_app(scenario=EXERCISE, seed=2018, samples=16)
        async with app.run_test(size=size, message_hook=seen.append) as pilot:
            dialog = await _dialog(pilot)
            dash = app.screen_stack[-2]
            assert isinstance(dash, DashboardScreen)
            await pilot.pause()
            box = dialog.query_one("#event").region
            info = dash.query_one("#info").region
            assert box.right <= info.x and box.y >= dash.query_one("#goals").region.bottom
            if size[0] >= 140:  # wide: the lever detail beside the levers is lent to the dialog too
                assert box.width > dash.query_one("#plan-col").region.width + 20
            # the dashboard is drawn through the dialog's screen: its goals' forecast shows beside it
            await settle(pilot)
            assert dash.query_one(GoalForecastPanel).plain.startswith("Goals at the end of 2020Q1")
            assert any(isinstance(m, EventDialog.OutlookShown) for m in seen)
            # and after a resize, once the dashboard below has laid itself out again
            await pilot.resize_terminal(120, 40)
            await pilot.pause(0.3)
            box, plan = dialog.query_one("#event").region, dash.query_one("#plan-col").region
            assert box == plan and box.right <= dash.query_one("#info").region.x

    asyncio.run(run())


def test_the_dialog_opens_at_once_and_the_worker_fills_in_each_answers_outlook(monkeypatch):
    import threading

    from game.tui.screens import dialogs

    release = threading.Event()

    def slow_outlook(*args, **kwargs):  # the sampled futures take as long as the test wants
        release.wait(10)
        return event_outlook(*args, **kwargs)

    monkeypatch.setattr(dialogs, "event_outlook", slow_outlook)

    async def run():
        seen: list = []
        app = make_app(scenario=EXERCISE, seed=2018, samples=16)
        async with app.run_test(size=(100, 40), message_hook=seen.append) as pilot:
            dialog = await _dialog(pilot)
            await pilot.pause()
            assert dialog.outlook is None  # open and answerable before the futures: it says they are coming
            assert "sampling 16 futures" in str(dialog.query_one("#event-detail").render())
            assert "At once:" in str(dialog.query_one("#event-detail").render())
            release.set()
            await settle(pilot)
            assert dialog.outlook is not None and any(isinstance(m, EventDialog.OutlookShown) for m in seen)
            # the cursor starts on the first answer that bans nobody (the default bans)
            options = dialog.query_one("#choices")
            assert options.highlighted == 2 and dialog.consequences.irreversible == (True, True, False)
            detail = str(dialog.query_one("#event-detail").render())
            assert "3. At once: Huawei appeal" in detail and "No row" in detail and "tension −3 (35 → 32)" in detail
            assert "Untrusted kit +" in detail and "2020Q1:" in detail  # staying open leaves more kit
            await pilot.press("up")
            detail = str(dialog.query_one("#event-detail").render())
            assert "At once: next quarter's budget −¥4B" in detail and "Untrusted kit −" in detail
            await pilot.press("up")
            assert "Default answer" in str(dialog.query_one("#event-detail").render())
            await pilot.press("enter")
            await settle(pilot)
            dash = next(s for s in app.screen_stack if isinstance(s, DashboardScreen))
            assert dash.choices["ex-procurement-decision"] == "government-only"

    asyncio.run(run())


def test_an_exact_cost_is_said_in_yen():
    """'A smaller budget next quarter' is ¥3B: read from the answer's compiled effects."""
    from game.play.session import Session

    async def run():
        app = make_app(scenario=EXERCISE, seed=2018, samples=8)
        async with app.run_test(size=(100, 40)) as pilot:
            await _dialog(pilot)
            await pilot.press("escape")
            await settle(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            session = Session(app.content, EXERCISE, 2018)
            event = app.content.events["ex-carriers-bill"]
            dash.ask_events([event])
            dialog = await _dialog(pilot)
            assert dialog.event.id == "ex-carriers-bill" and "smaller budget" in event.choices[0].text
            assert dialog.query_one("#choices").highlighted == event.default == 0  # no ban: the default
            detail = str(dialog.query_one("#event-detail").render())
            assert "1. At once: next quarter's budget −¥3B" in detail
            assert "Faster replacement, a smaller budget next quarter." in detail
            await pilot.press("down")
            detail = str(dialog.query_one("#event-detail").render())
            assert "Huawei appeal in Japan −0.1 (0 → −0.1)" in detail and "approval −3 (55 → 52)" in detail
            assert session.state_hash == dash.session.state_hash  # previews never touch the game

    asyncio.run(run())


def test_a_hidden_forecast_hides_the_answers_outlook_too():
    async def run():
        app = make_app(scenario=EXERCISE, seed=2018, samples=8)
        async with app.run_test(size=(100, 40)) as pilot:
            dialog = await _dialog(pilot)
            dash = app.screen_stack[-2]
            dialog.dismiss(None)
            await settle(pilot)
            dash.session.hide_forecast = True
            dash.ask_events()
            dialog = await _dialog(pilot)
            await settle(pilot)
            assert dialog.outlook is None
            detail = str(dialog.query_one("#event-detail").render())
            assert "hidden until you predict" in detail and "At once" in detail

    asyncio.run(run())
