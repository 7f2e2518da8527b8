"""Predict, then reveal on the game's screen: `p` guesses one of the scenario's goals (typed in its unit), the
guess goes into the save and is scored, with the debrief's rule (game.play.predictions), in the turn report
and on the end screen (checked by test_tui_play's whole tutorial, which makes two guesses on the way: one
game played to the end by keys serves both); a classroom save's hide_forecast keeps the forecast hidden
until the guess is made."""

from __future__ import annotations

import asyncio

from textual.message import Message
from textual.widgets import Input
from tui_support import answer_events, end_turn, make_app, on_dashboard, settle

from game import storage
from game.analysis.classroom import new_class
from game.play.predictions import Prediction, reveal, reveals
from game.tui.messages import TurnEnded
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import PredictDialog
from game.tui.screens.report import TurnReportScreen, reveal_line
from game.tui.widgets.panels import FORECAST_HIDDEN


def text_of(app, selector: str) -> str:
    widget = app.screen.query_one(selector)
    return widget.plain if hasattr(widget, "plain") else widget.render().plain


async def until(pilot, condition, what: str, seconds: float = 30.0) -> None:
    """Settle until `condition()` holds (a save opened from a path, or a forecast worker, may take a few
    refreshes on a busy machine)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not condition():
        assert loop.time() < end, f"still waiting for {what}"
        await settle(pilot)
        await asyncio.sleep(0.02)


async def predict(pilot, goal_steps: int, typed: str) -> None:
    """From the dashboard: p, move `goal_steps` down the goals, type the guess, Enter."""
    await pilot.press("p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PredictDialog)
    for _ in range(goal_steps):
        await pilot.press("down")
    await pilot.press(*typed, "enter")
    await pilot.pause()


def test_a_prediction_made_with_p_is_saved_and_scored_in_the_turn_report():
    seen: list[Message] = []

    async def run():
        app = make_app(scenario="tutorial")
        async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
            await settle(pilot)
            await answer_events(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            world = dash.session.world
            await pilot.press("p")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PredictDialog)
            assert dialog.goal.id == world.goals[0].id  # the first goal by default
            await pilot.press("down")  # the second goal: untrusted kit, a share typed in %
            assert dialog.goal.id == "clean-network" and "in %" in text_of(app, "#predict-hint")
            await pilot.press(*"2.6", "enter")
            await pilot.pause()
            assert app.screen is dash
            assert dash.prediction == Prediction("clean-network", 0.026)
            assert "your guess 2.600 %" in text_of(app, "#goals")

            await end_turn(pilot, stop_at_report=True)
            session = dash.session
            assert session.predictions == {0: Prediction("clean-network", 0.026)}
            # scored by the debrief's own function, against the quarter just played
            expected = reveal(world, session.turns[0], Prediction("clean-network", 0.026))
            report = text_of(app, "#report-text")
            assert isinstance(app.screen, TurnReportScreen)
            assert "Your prediction" in report and expected.description in report
            assert reveal_line(expected) in " ".join(report.split("\n"))
            assert f"{expected.points:.0f} points of 100" in report
            saved = app.service.last_saved
            await pilot.press("enter")
            await pilot.pause()
            assert dash.prediction is None and "your guess" not in dash.query_one("#goals").plain  # next quarter

        # the autosave that followed the turn holds the guess, and the debrief scores it the same
        [ended] = [m for m in seen if isinstance(m, TurnEnded)][:1]
        assert ended.session.predictions == {0: Prediction("clean-network", 0.026)}
        assert saved is not None
        save = storage.read_save(saved)
        assert save.turns[0].prediction is not None
        assert save.turns[0].prediction.model_dump() == {"goal": "clean-network", "guess": 0.026}
        replayed = storage.verify_save(saved, app.content).session
        assert replayed is not None
        [again] = reveals(replayed.world, replayed.turns, replayed.predictions)
        assert again == expected

    asyncio.run(run())


def test_hide_forecast_keeps_the_forecast_hidden_until_the_prediction(tmp_path, content):
    room = new_class(content, "tutorial", tmp_path / "class", names=["Ana"], hide_forecast=True)
    save = room.students[0].save
    assert storage.read_save(save).hide_forecast

    async def run():
        app = make_app(load=save)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: any(isinstance(s, DashboardScreen) for s in app.screen_stack),
                        "the dashboard")
            await answer_events(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen) and dash.session.hide_forecast
            await until(pilot, lambda: dash.forecast is not None, "the forecast")  # computed, yet not shown
            kpis, risks = text_of(app, "#kpis"), text_of(app, "#risks")
            assert FORECAST_HIDDEN in kpis and FORECAST_HIDDEN in risks
            assert "median" not in kpis and " → " not in kpis and "Security incident" not in risks

            await predict(pilot, 0, "1.7")
            kpis, risks = text_of(app, "#kpis"), text_of(app, "#risks")  # at once: no new forecast needed
            assert FORECAST_HIDDEN not in kpis and "median [10–90 %]" in kpis and " → " in kpis
            assert "Security incident" in risks
            await pilot.press("p")  # seen the forecast: the guess stands
            await pilot.pause()
            assert app.screen is dash and dash.prediction == Prediction("domestic-share", 0.017)
            said = [str(n.message) for n in app._notifications if "cannot be changed" in str(n.message)]
            assert said and "(Domestic share 1.7" in said[0], said  # the goal by its label, not its id

            await end_turn(pilot)
            await settle(pilot)
            await answer_events(pilot)
            await until(pilot, lambda: dash.forecast is not None, "the next quarter's forecast")
            assert FORECAST_HIDDEN in dash.query_one("#kpis").plain  # hidden again for the next quarter
        # the class's save got the student's guess
        assert storage.read_save(save).predictions() == {0: Prediction("domestic-share", 0.017)}

    asyncio.run(run())


BAD = [
    ("abc", "'abc' is not a number"),
    ("nan", "'nan' is not a number"),
    ("inf", "'inf' is not a number"),
    ("1e400", "too large"),
    ("12345678901234567890", "too large"),
    ("150", "between 0 % and 100 %"),
    ("-1", "between 0 % and 100 %"),
    ("1,5", "write decimals with a point"),
    ("", "type a number in %"),
    ("1\x1b5", "control character"),
    ("2\x00", "control character"),
    ("3\u200b", "control character"),
]


def test_bad_input_in_the_prediction_dialog_says_why_and_loses_nothing():
    async def run():
        async with on_dashboard(scenario="tutorial", size=(80, 24)) as pilot:
            app = pilot.app
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            await pilot.press("right", "right")  # a plan, which nothing here may lose
            plan = dict(dash.plan.allocations())
            assert plan
            await predict(pilot, 0, "1.7")
            earlier = dash.prediction
            assert earlier == Prediction("domestic-share", 0.017)

            await pilot.press("p")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, PredictDialog)
            field = dialog.query_one("#predict-guess", Input)
            assert field.value == "1.7"  # the earlier guess, to change
            for text, why in BAD:
                field.value = text  # as typed or pasted
                await pilot.pause()
                await pilot.press("enter")
                await pilot.pause()
                assert app.screen is dialog, text
                message = dialog.query_one("#predict-message")
                assert message.display and why in message.render().plain, (text, message.render().plain)
                assert message.render().plain.isprintable()
                assert field.value == text  # nothing typed is lost
            await pilot.press("down", "down")  # approval: not a share, but not huge either
            field.value = "1e7"
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dialog and "too large" in dialog.query_one("#predict-message").render().plain
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is dash
            assert dash.prediction == earlier and dict(dash.plan.allocations()) == plan

            await predict(pilot, 2, "53.5")  # and a good guess after all that is taken
            assert dash.prediction == Prediction("approval", 53.5)
            assert dict(dash.plan.allocations()) == plan

    asyncio.run(run())
