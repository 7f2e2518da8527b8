"""Play the whole tutorial through the UI by key presses, and check it is the same game as headless; the
predictions made on the way are scored on the end screen, and the save reopened shows them the same."""

from __future__ import annotations

import asyncio
import json

from tui_support import OVERLAY, SEED, answer_events, end_turn, make_app, on_dashboard, settle

from game.cli import main as cli_main
from game.play.predictions import Prediction, mean_points, reveals
from game.play.session import Session, TurnActions
from game.render.labels import goal_short
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, EventDialog, PredictDialog
from game.tui.screens.end import EndScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.report import TurnReportScreen, reveal_line
from game.tui.screens.title import ScenarioScreen, TitleScreen
from game.tui.widgets.levers import MONEY_LINE, LeverPanel

# Per quarter: (lever index in the panel, steps) pressed with → (positive) or ← (negative).
# The plan carries over between quarters, so these are changes, not totals.
MOVES = [
    [(0, 4), (3, 2)],          # Q1: NEC subsidy ¥4B, rip-and-replace ¥2B (tutorial lever order)
    [(1, 2)],                  # Q2: + Beyond 5G ¥2B
    [(0, -2), (2, 2)],         # Q3: NEC −2, reskilling +2
    [],                        # Q4: same plan
    [(4, 1)],                  # Q5: + security hardening
    [(3, -2)],                 # Q6: rip-and-replace off
    [(1, 1)],                  # Q7
    [],                        # Q8
]
# Per quarter: a prediction (goals moved down from the first, the guess typed in the goal's unit).
PREDICT = {0: (0, "1.7"), 2: (2, "50")}  # Q1 domestic share in %; Q3 approval, in its own numbers
PREDICTED = {0: Prediction("domestic-share", 0.017), 2: Prediction("approval", 50.0)}


def text_of(app, selector: str) -> str:
    return app.screen.query_one(selector).plain


async def play_tutorial(pilot, answers: dict[str, int], log: list[TurnActions]) -> None:
    """From the dashboard to the end screen, recording the moves we mean to make."""
    app = pilot.app
    plan: dict[str, float] = {}
    quarter = 0
    while not isinstance(app.screen, EndScreen):
        screen = app.screen
        if isinstance(screen, EventDialog):
            pick = 2 if len(screen.event.choices) > 1 else 1
            answers[screen.event.id] = pick - 1
            await pilot.press(str(pick))
            await pilot.pause()
            continue
        assert isinstance(screen, DashboardScreen), type(screen)
        panel = screen.query_one(LeverPanel)
        levers = panel.plan.levers
        if screen._note and "trimmed" in screen._note:  # a budget cut trimmed the plan (a UI rule of its own)
            plan = {k: v for k, v in panel.plan.amounts.items() if v > 0}
        for index, steps in MOVES[quarter]:
            index = min(index, len(levers) - 1)
            diff = index - panel.cursor
            await pilot.press(*(["down" if diff > 0 else "up"] * abs(diff)),
                              *(["right" if steps > 0 else "left"] * abs(steps)))
            lever = levers[index]
            plan[lever.id] = plan.get(lever.id, 0.0) + steps * lever.step
        await pilot.pause()
        assert panel.plan.allocations() == {k: v for k, v in plan.items() if v > 0}
        if quarter in PREDICT:
            goal_steps, typed = PREDICT[quarter]
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, PredictDialog)
            await pilot.press(*(["down"] * goal_steps), *typed, "enter")
            await pilot.pause()
            assert app.screen is screen and screen.prediction == PREDICTED[quarter]
        pending = {e.id: e for e in screen.session.pending_events() if e.choices}
        choices = {eid: pending[eid].choices[answers[eid]].id for eid in pending if eid in answers}
        log.append(TurnActions({k: v for k, v in plan.items() if v > 0}, choices))
        await pilot.press("e")
        await pilot.pause()
        while isinstance(app.screen, EventDialog):  # events not answered yet are asked first
            pick = 2 if len(app.screen.event.choices) > 1 else 1
            answers[app.screen.event.id] = pick - 1
            await pilot.press(str(pick))
            await pilot.pause()
        log[-1] = TurnActions(log[-1].allocations, {
            eid: pending[eid].choices[answers[eid]].id for eid in pending})
        if isinstance(app.screen, ConfirmScreen):
            await pilot.press("y")
            await pilot.pause()
        assert isinstance(app.screen, TurnReportScreen), type(app.screen)
        report = text_of(app, "#report-text")
        assert "What changed and why" in report
        assert "Domestic share" in report
        await pilot.press("enter")
        await pilot.pause()
        quarter += 1
    assert quarter == 8


def test_play_whole_tutorial_by_keys(tmp_path):
    answers: dict[str, int] = {}
    log: list[TurnActions] = []

    async def run():
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("question_mark")
            assert isinstance(app.screen, TitleScreen)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(app.screen, ScenarioScreen)
            details = text_of(app, "#scenario-text")
            assert "Tutorial" in details and "You will learn to" in details and "Goals" in details
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DashboardScreen)
            status = text_of(app, "#status")
            assert "2026Q1" in status and "turn 1/8" in status and "¥12B" in status
            assert "Hint" in text_of(app, "#hint")
            await play_tutorial(pilot, answers, log)
            end = text_of(app, "#end-text")
            assert "Goals" in end and "score" in end and "Key metrics over the game" in end
            assert "Global shares over the game" in end
            assert any(t in end for t in ("VICTORY", "PARTIAL", "DEFEAT", "DISMISSED"))
            session = app.session
            assert session is not None and session.predictions == PREDICTED
            revealed = reveals(session.world, session.turns, session.predictions)
            mean = mean_points(revealed)
            assert mean is not None
            assert f"2 predictions in 8 quarters: {mean:.0f} points of 100 on average" in end
            flat = " ".join(end.split("\n"))
            for r in revealed:
                assert f"{r.quarter} {goal_short(r.goal, r.metric)}: {reveal_line(r)}" in flat
            return session, end, app.service.last_saved

    session, end, saved = asyncio.run(run())

    async def reopen():  # a finished save opens on its end screen, with its predictions
        app = make_app(load=saved)
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):  # a save opened from a path may take a few refreshes on a busy machine
                if isinstance(app.screen, EndScreen):
                    break
                await settle(pilot)
                await asyncio.sleep(0.02)
            assert isinstance(app.screen, EndScreen)
            assert text_of(app, "#end-text").split("Your predictions")[1].split("What if")[0] \
                == end.split("Your predictions")[1].split("What if")[0]

    asyncio.run(reopen())
    assert answers, "no event was answered through the dialog"
    assert len(session.log) == 8
    assert session.log == log  # the keys did what we meant
    # Same core as headless: replaying the same moves gives the same final state, bit for bit.
    replay = Session.replay(session.content, "tutorial", SEED, log)
    assert replay.state_hash == session.state_hash
    # ... and so does `homegrown run` with a scripted strategy of the same moves.
    script = tmp_path / "moves.toml"
    lines = []
    for h, turn in zip(session.history, log, strict=False):
        alloc = ", ".join(f'"{k}" = {v:g}' for k, v in turn.allocations.items())
        lines += ["[[turn]]", f'quarter = "{h.quarter}"', f"allocations = {{ {alloc} }}"]
        if turn.choices:
            lines.append("choices = { " + ", ".join(f'"{k}" = "{v}"' for k, v in turn.choices.items()) + " }")
    script.write_text("\n".join(lines) + "\n")
    out = tmp_path / "run.json"
    code = cli_main(["run", "--content", str(OVERLAY), "--scenario", "tutorial", "--seed", str(SEED),
                     "--strategy", f"scripted:{script}", "--json", str(out)])
    assert code == 0
    doc = json.loads(out.read_text())
    assert doc["content_fingerprint"] == session.content.fingerprint, "content/ changed during the test"
    diverged = next(((a["quarter"], k) for a, b in zip(doc["history"], session.history, strict=False) for k in a
                     if a[k] != b.to_json().get(k)), None)
    assert doc["state_hash"] == session.state_hash, (diverged, script.read_text())


def test_overspending_is_impossible_with_a_message():
    async def run():
        async with on_dashboard(scenario="tutorial", size=(80, 24)) as pilot:
            app = pilot.app
            screen = app.screen
            panel = screen.query_one(LeverPanel)
            for index in range(len(panel.plan.levers)):
                await pilot.press("up", *(["down"] * index), "m")
            await pilot.pause()
            assert panel.plan.spent <= panel.plan.budget + 1e-9
            assert panel.plan.left <= 1e-9
            await pilot.press("up", "right")
            await pilot.pause()
            note = text_of(app, "#plan-note")
            assert "No budget left" in note or "maximum" in note
            assert panel.plan.spent <= panel.plan.budget + 1e-9
            # mouse: click a row's [−]
            await pilot.press(*(["up"] * len(panel.plan.levers)))
            await pilot.pause()
            before = panel.plan.spent
            first = panel.plan.levers[panel.lines[1].lever]  # the first row, under its group's header
            await pilot.click(panel, offset=(3, 1 + MONEY_LINE))  # its [−]
            await pilot.pause()
            assert panel.plan.spent < before or panel.plan.amounts[first.id] == 0
            # the forecast arrives in a worker and reaches the screen
            await settle(pilot)
            assert screen.forecast is not None and screen.forecast_latency is not None
            assert "→" in text_of(app, "#kpis")
            assert "Security incident" in text_of(app, "#risks")
            await pilot.press("right_square_bracket")
            assert "2/" in text_of(app, "#markets")

    asyncio.run(run())


def test_a_forecast_cached_by_an_earlier_worker_still_reaches_the_screen():
    """Two quick requests for one plan: the first worker computes (its stamp is stale by then, so it shows
    nothing) and the second finds the forecast cached; it must show it, not leave 'computing…'."""
    from game.play.forecast import forecast

    async def run():
        async with on_dashboard(scenario="tutorial", size=(80, 24)) as pilot:
            app = pilot.app
            await settle(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            s = dash.session
            allocations, choices = {"subsidy-fujitsu": 1.0}, dict(dash.choices)
            cached = forecast(s.state, s.world, allocations, choices, n=8)
            dash._cache[dash._key(s.state.turn, allocations, choices)] = cached  # the first worker's
            dash.forecast, dash._stamp = None, 123.0  # the second request, not yet answered
            dash.run_forecast(123.0, s.state, allocations, choices, [], 0.0)
            await settle(pilot)
            assert dash.forecast is cached

    asyncio.run(run())


def test_prediction_themes_palette_and_title_notices():
    from game.tui.app import COLOURBLIND
    from game.tui.screens.dialogs import PredictDialog

    async def run():
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("c")  # Continue with no saves: a friendly notice, still on the title
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)
            assert any("No saved games yet" in str(n.message) for n in app._notifications)
            await pilot.press("ctrl+t")
            assert app.theme == "textual-light"
            await pilot.press("ctrl+t")
            assert app.theme == COLOURBLIND.name
            app.start_game("tutorial", SEED)
            await settle(pilot)
            await answer_events(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            titles = [c.title for c in app.get_system_commands(dash)]
            assert {"End turn", "Answer events", "Predict", "How to play", "Glossary"} <= set(titles)
            await pilot.press("p")
            assert isinstance(app.screen, PredictDialog)
            await pilot.press(*"1.8", "enter")
            await pilot.pause()
            assert dash.prediction is not None and "your guess 1.800 %" in text_of(app, "#goals")
            await pilot.press("m", "e")
            if isinstance(app.screen, ConfirmScreen):
                await pilot.press("y")
            await answer_events(pilot)
            assert isinstance(app.screen, TurnReportScreen)
            assert "Your prediction" in text_of(app, "#report-text")
            assert list(dash.session.predictions) == [0]

    asyncio.run(run())


def test_the_theme_chosen_is_the_next_games_theme(tmp_path, monkeypatch):
    from game.storage.settings import load_settings

    monkeypatch.setenv("HOMEGROWN_CONFIG", str(tmp_path / "config"))

    async def first() -> str:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            before = app.theme
            await pilot.press("ctrl+t")
            await pilot.pause()
            assert app.theme != before
            return app.theme

    async def second() -> str:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            return app.theme

    chosen = asyncio.run(first())
    assert load_settings().theme == chosen
    assert asyncio.run(second()) == chosen


# ---------------------------------------------------------------- keyboard reach and polish (issue 13)


async def _dashboard(pilot):
    await settle(pilot)
    await answer_events(pilot)
    await settle(pilot)
    assert isinstance(pilot.app.screen, DashboardScreen)
    return pilot.app.screen


def test_page_keys_scroll_the_information_column_to_news_at_small_sizes():
    from textual.containers import VerticalScroll

    from game.tui.widgets.panels import NewsLog

    async def run(size: tuple[int, int]):
        app = make_app(scenario="default")
        async with app.run_test(size=size) as pilot:
            dash = await _dashboard(pilot)
            info = dash.query_one("#info", VerticalScroll)
            levers = dash.query_one(LeverPanel)
            news = dash.query_one(NewsLog)
            assert app.focused is levers  # the lever list has the keys, yet PgDn is the column's
            assert news.region.y >= info.region.bottom  # below the fold
            for _ in range(12):
                await pilot.press("pagedown")
                await pilot.pause()
            assert levers.scroll_y == 0 and levers.cursor == 0
            assert info.scroll_y > 0
            assert news.region.intersection(info.region).height > 0, "the news is reachable"
            bottom = info.scroll_y
            await pilot.press("pageup")
            await pilot.pause()
            assert info.scroll_y < bottom

    for size in [(80, 24), (120, 40)]:
        asyncio.run(run(size))


def test_questions_focus_the_safe_answer_so_enter_never_ends_a_turn_or_leaves():
    async def run():
        app = make_app(scenario="tutorial")
        async with app.run_test(size=(80, 24)) as pilot:
            dash = await _dashboard(pilot)
            await pilot.press("right", "e")  # ¥1B of the budget allocated: the rest is left
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen) and "not allocated" in app.screen.question
            assert app.focused is not None and app.focused.id == "confirm-no"  # "Keep planning"
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dash and dash.session.state.turn == 0
            await pilot.press("escape")  # leave? Enter stays
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen) and app.focused.id == "confirm-no"
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is dash and app.session is dash.session

    asyncio.run(run())


def test_question_mark_opens_help_over_the_report_and_a_question_and_closes_back():
    async def help_toggles(pilot) -> None:
        app = pilot.app
        under = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), f"? over {type(under).__name__}"
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is under

    async def run():
        app = make_app(scenario="default")
        async with app.run_test(size=(80, 24)) as pilot:
            dash = await _dashboard(pilot)
            await pilot.press("right", "e")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await help_toggles(pilot)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is dash
            await end_turn(pilot, stop_at_report=True)
            await help_toggles(pilot)
            assert isinstance(app.screen, TurnReportScreen)

    asyncio.run(run())


def test_goals_show_units_at_the_targets_precision_and_never_break_inside_a_goal():
    from textual.geometry import Region

    from game.render.labels import goal_numbers
    from game.sim.scoring import evaluate
    from game.tui.widgets.panels import GoalsBar

    async def run():
        app = make_app(scenario="exercise-southeast-asia")
        async with app.run_test(size=(80, 24)) as pilot:
            dash = await _dashboard(pilot)
            w, state = dash.session.world, dash.session.state
            scores = evaluate(state, w)
            wanted = []
            for j, g in enumerate(w.scenario.goals):
                value, target = goal_numbers(g.metric, g.op, g.target, float(scores.values[0, j]),
                                             bool(scores.met[0, j]))
                wanted.append(f"{value} (target {target})")
            sea = wanted[[g.id for g in w.scenario.goals].index("sea-share")]
            assert sea.endswith("(target ≥ 3 %)") and " % " in sea  # a share in %, at the target's precision
            for width in (80, 72, 64, 90, 99):
                await pilot.resize_terminal(width, 24)
                await settle(pilot)
                bar = dash.query_one(GoalsBar)
                # (the whole bar, padding included: a region of its content size cuts its last column)
                lines = [s.text.rstrip() for s in bar.render_lines(Region(0, 0, *bar.outer_size))]
                assert "SEA share" in "\n".join(lines)
                for numbers in wanted:
                    assert any(numbers in line for line in lines), (width, numbers, lines)
                assert not any(line.strip() in ("%", "%)") for line in lines)

    asyncio.run(run())


def test_no_unit_wraps_onto_a_line_of_its_own_in_the_metrics_and_on_the_end_screen():
    from textual.geometry import Region

    from game.render.labels import goal_detail
    from game.tui.widgets.panels import KpiPanel, Panel

    def lines(widget) -> list[str]:
        return [s.text.strip() for s in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))]

    async def run():
        async with on_dashboard(scenario="default", size=(80, 24), answer=False) as pilot:
            app = pilot.app
            played = Session.replay(app.content, "default", SEED, [TurnActions({"subsidy-fujitsu": 4})] * 12)
            app.service.play(played)  # twelve quarters of sparklines beside the forecast
            app._replace_all(DashboardScreen(played))
            dash = await _dashboard(pilot)
            shown = lines(dash.query_one(KpiPanel))
            assert any("pp" in line for line in shown)  # the changes carry their unit…
            assert not [line for line in shown if line in ("pp", "%", "%]")]  # …on their own line
            session = Session.replay(app.content, "default", SEED, [TurnActions({"subsidy-fujitsu": 4})] * 20)
            app.show_end(session)
            await settle(pilot)
            details = [d for g in session.result().goals for d in
                       goal_detail(g.weight, session.result().total_weight, g.met, g.progress, g.bonus,
                                   g.started_met).split(" · ")]
            for width in range(60, 101, 4):  # each part of a goal's detail whole on one line
                await pilot.resize_terminal(width, 24)
                await settle(pilot)
                shown = lines(app.screen.query_one("#end-text", Panel))
                for part in details:
                    assert any(part in line for line in shown), (width, part, shown[:16])

    asyncio.run(run())


def test_every_goal_is_on_screen_at_every_size():
    """The default campaign's seven goals: one a line would overflow the goals bar, so none may be cut."""
    from game.render.labels import goal_short
    from game.tui.widgets.panels import GoalsBar

    async def run() -> None:
        for size in [(80, 24), (120, 40), (160, 48)]:
            async with on_dashboard(scenario="default", seed=SEED, samples=8, size=size) as pilot:
                app = pilot.app
                bar = app.screen.query_one(GoalsBar)
                world = app.screen.session.world
                assert len(world.goals) > 5
                shown = bar.plain
                assert len(shown.splitlines()) <= bar.size.height, (size, shown)
                for goal in world.goals:
                    assert goal_short(goal.id, goal.metric.source) in " ".join(shown.split()), (size, goal.id, shown)

    asyncio.run(run())
