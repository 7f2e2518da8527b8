"""Saves in the app: autosave after every turn, Continue, Load (broken files shown as broken), --load of a
bad save, a loaded save written back to its own file, Save as, and the end screen's what-if."""

from __future__ import annotations

import asyncio
import functools
import json
import os
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static
from tui_support import OVERLAY, SEED, answer_events, end_turn, make_app, on_dashboard, settle

from game import storage as saves
from game.cli import main as cli_main
from game.play.session import Draft, Session, TurnActions
from game.play.whatif import Change, WhatIfError, what_if
from game.tui.saving import open_save
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, MessageScreen, SaveAsDialog
from game.tui.screens.end import EndScreen
from game.tui.screens.saves import LoadScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.whatif import WhatIfDialog, WhatIfResultScreen


def sync(test):
    """Run an async test with asyncio.run (as the other TUI tests do: no async plugin needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


PLAN = TurnActions({"subsidy-fujitsu": 4, "rip-and-replace": 2, "rnd-b5g": 2})


@pytest.fixture
def folder(tmp_path) -> Path:
    """The saves folder every app in a test uses (conftest points HOMEGROWN_SAVES here)."""
    path = Path(os.environ["HOMEGROWN_SAVES"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def saved_session(content, turns: int, scenario: str = "tutorial", plan: TurnActions = PLAN) -> Session:
    session = Session(content, scenario, SEED)
    for _ in range(turns):
        session.end_turn(TurnActions(dict(plan.allocations),
                                     {e.id: e.choices[0].id for e in session.pending_events() if e.choices}))
    return session


@sync
async def test_autosave_then_continue_resumes_the_same_game(content, folder):
    async with on_dashboard(scenario="tutorial", size=(80, 24), answer=False) as pilot:
        app = pilot.app
        await end_turn(pilot)
        await end_turn(pilot)
        await settle(pilot)
        state_hash, quarter = app.session.state_hash, app.session.quarter
    files = sorted(p.name for p in folder.glob("*.json"))
    assert files == [f"autosave-tutorial-seed{SEED}.json"]
    v = saves.verify_save(folder / files[0], content)
    assert v.ok, v.problems
    assert len(v.save.turns) == 2 and v.session.state_hash == state_hash

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        menu = app.screen.query_one("#menu", OptionList)
        assert quarter in str(menu.get_option("continue").prompt)
        await pilot.press("c")
        await settle(pilot)
        await answer_events(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.session.quarter == quarter and app.session.state_hash == state_hash
        assert app.save_target == folder / files[0]
        await end_turn(pilot)
        await settle(pilot)
    assert len(saves.read_save(folder / files[0]).turns) == 3  # the same file goes on


@sync
async def test_a_loaded_game_keeps_its_history_plan_answers_and_predictions(content, folder):
    """Save as in the middle of a quarter, then Continue: the sparklines' history, the plan on the levers,
    the answers given and the guesses (this quarter's and past ones) are as they were left."""
    from game.tui.screens.dialogs import PredictDialog
    from game.tui.widgets.levers import LeverPanel
    from game.tui.widgets.panels import KpiPanel

    async with on_dashboard(scenario="tutorial", size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PredictDialog)
        await pilot.press(*"1.8", "enter")  # a guess for the first quarter: scored, kept in the log
        await pilot.pause()
        await end_turn(pilot)
        await end_turn(pilot)
        await settle(pilot)
        await answer_events(pilot)
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        await pilot.press("right", "right", "down", "right")  # this quarter's plan, changed
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"1.9", "enter")  # and this quarter's guess
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#save-as-name", Input).value = ""
        await pilot.press(*"half way", "enter")
        await settle(pilot)
        left = (dash.plan.allocations(), dict(dash.choices), dash.prediction, dict(dash.session.predictions),
                {m: list(v) for m, v in dash.series.items()}, list(dash.news))
        sparks = dash.query_one(KpiPanel).plain
        assert left[0] and left[2] is not None and left[3]
    assert saves.read_save(folder / "half way.json").draft is not None

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_save(folder / "half way.json")
        await settle(pilot)
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        assert (dash.plan.allocations(), dash.choices, dash.prediction, dash.session.predictions,
                dash.series, dash.news) == left
        assert dash.query_one(KpiPanel).plain.split(" · ")[-1] == sparks.split(" · ")[-1]  # same lines
        panel = dash.query_one(LeverPanel)
        assert panel.plan is dash.plan and dash.plan.spent == round(sum(left[0].values()), 6)


@sync
async def test_a_save_of_format_3_has_no_plan_in_progress_and_reopens_with_an_empty_one(content, folder):
    session = saved_session(content, 2)
    session.draft = Draft(TurnActions({"rnd-b5g": 2.0}), None)
    path = saves.save_session(session, "v3", folder).path
    raw = json.loads(path.read_text())
    assert raw["format_version"] == saves.FORMAT_VERSION and raw["draft"]["allocations"] == {"rnd-b5g": 2.0}
    old = {k: v for k, v in raw.items() if k not in ("draft", "checksum")}
    old["format_version"] = 3  # what this game's file looked like before format 4
    path.write_bytes(saves.encode({**old, "checksum": saves.checksum(old)}))
    assert saves.read_save(path).draft is None
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_save(path)
        await settle(pilot)
        await answer_events(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.screen.plan.allocations() == {}


@sync
async def test_title_with_no_saves_says_so(folder):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#menu", OptionList)
        assert "no saved game yet" in str(menu.get_option("continue").prompt)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert any("No saved games yet" in n for n in notices(app))
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        assert "No saved games" in str(app.screen.query_one("#saves-empty", Static).render())


@sync
async def test_load_lists_saves_and_shows_broken_ones_as_broken(content, folder):
    good = saves.save_session(saved_session(content, 3), "Good game", folder).path
    broken = folder / "broken.json"
    data = good.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    os.utime(broken, (1_000_000_000, 1_000_000_000))  # older: listed after the good one
    before = broken.read_bytes()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LoadScreen)
        options = screen.query_one("#saves-list", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Good game" in prompts[0] and "2026Q4" in prompts[0] and "score" in prompts[0]
        assert "broken.json" in prompts[1] and "broken, cannot be loaded" in prompts[1]
        assert "not valid JSON" in prompts[1] or "truncated" in prompts[1], prompts[1]
        await pilot.press("down", "enter")  # the broken one: an error, no game
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen) and app.session is None
        assert any("cannot be loaded" in n for n in notices(app))
        await pilot.click("#saves-list", offset=(6, 1))  # the mouse: click the good one
        await settle(pilot)
        await answer_events(pilot)
        assert isinstance(app.screen, DashboardScreen), type(app.screen)
        assert app.session.state.turn == 3 and app.save_target == good
    assert broken.read_bytes() == before


@sync
async def test_lists_show_the_replayed_game_never_the_files_claims(content, folder):
    """A save edited to claim a victory at 100 (its checksum line deleted, as the format allows)."""
    import json

    honest = saved_session(content, 3)
    path = saves.save_session(honest, "Forged", folder).path
    raw = json.loads(path.read_text())
    raw["snapshot"].update(outcome="victory", score=100.0, done=True, quarter="2030Q4")
    del raw["checksum"]
    path.write_text(json.dumps(raw))
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert "2030Q4" not in app.screen.menu_notes()["continue"]
        await pilot.press("l")
        await pilot.pause()
        options = app.screen.query_one("#saves-list", OptionList)
        prompt = str(options.get_option_at_index(0).prompt)
        assert "Forged" in prompt and "does not replay" in prompt
        assert "victory" not in prompt and "100.0" not in prompt and "2030Q4" not in prompt


def test_cli_load_of_a_truncated_save_is_one_line_and_exit_1(content, folder, capsys):
    path = saves.save_session(saved_session(content, 2), "homework", folder).path
    data = path.read_bytes()
    path.write_bytes(data[:-40])
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    for arg in (str(path), "homework"):  # a path, and a bare name in the saves folder
        code = cli_main(["play", "--content", str(OVERLAY), "--saves", str(folder), "--load", arg])
        err = capsys.readouterr().err
        assert code == 1
        assert err.startswith("error: cannot load ") and str(path) in err, err
        assert err.count("\n") == 1 and "Traceback" not in err
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in folder.iterdir()) == ["homework.json"]


@sync
async def test_app_load_of_a_bad_save_shows_a_dialog(folder):
    path = folder / "bad.json"
    path.write_text('{"format_version": 1, "name": ')
    app = make_app(load=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MessageScreen)
        assert "bad.json" in app.screen.message
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
    assert path.read_text() == '{"format_version": 1, "name": '


@sync
async def test_a_loaded_named_save_is_written_back_to_its_own_file(content, tmp_path, folder):
    # a classroom save: a game at turn 0 in the student's own folder, outside the saves folder
    student = tmp_path / "class" / "alice"
    student.mkdir(parents=True)
    path = saves.save_session(Session(content, "tutorial", SEED), "alice", student, name="Alice").path
    app = make_app(load=open_save(path, content))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await end_turn(pilot)
        await settle(pilot)
        state_hash = app.session.state_hash
    save = saves.read_save(path)
    assert len(save.turns) == 1 and save.name == "Alice" and save.snapshot.state_hash == state_hash
    assert saves.verify_save(path, content).ok
    assert list(folder.glob("*.json")) == []  # no autosave elsewhere


@sync
async def test_a_save_of_other_rules_asks_and_then_saves_elsewhere(content, folder):
    from tui_support import frozen_content

    frozen = frozen_content()
    old_plan = TurnActions({"rip-and-replace": 2, "rnd-b5g": 2})  # levers both packs offer
    path = saves.save_session(saved_session(frozen, 2, plan=old_plan), "old", folder).path
    before = path.read_bytes()
    app = make_app()  # the test overlay: another content pack than the save's
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_save(path)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "another content pack" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        await answer_events(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.save_target is None
        await end_turn(pilot)
        await settle(pilot)
    assert path.read_bytes() == before
    assert (folder / f"autosave-tutorial-seed{SEED}.json").is_file()


@sync
async def test_save_as_checks_the_name_and_writes_the_file(content, folder):
    async with on_dashboard(scenario="tutorial", size=(80, 24), answer=False) as pilot:
        app = pilot.app
        await end_turn(pilot)
        await settle(pilot)
        await answer_events(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SaveAsDialog)
        name = dialog.query_one("#save-as-name", Input)
        for bad, says in (("CON", "reserved"), ("///", "cannot be used")):
            name.value = ""
            await pilot.press(*bad, "enter")
            await pilot.pause()
            assert app.screen is dialog
            message = dialog.query_one("#save-as-message", Static)
            assert message.display and says in str(message.render()), str(message.render())
        name.value = ""
        await pilot.press(*"My homework", "enter")
        await pilot.pause()
        await answer_events(pilot)
        assert isinstance(app.screen, DashboardScreen)
        path = folder / "My homework.json"
        assert app.save_target == path and any("Saved as" in n for n in notices(app))
        v = saves.verify_save(path, content)
        assert v.ok and v.save.name == "My homework" and len(v.save.turns) == 1
        await end_turn(pilot)  # later turns go to the saved-as file
        await settle(pilot)
    assert len(saves.read_save(path).turns) == 2


@sync
async def test_a_failed_autosave_is_reported_and_the_game_goes_on(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the saves folder should be")
    async with on_dashboard(scenario="tutorial", saves_folder=blocker, size=(80, 24), answer=False) as pilot:
        app = pilot.app
        await end_turn(pilot)
        await settle(pilot)
        await answer_events(pilot)
        assert isinstance(app.screen, DashboardScreen) and app.session.state.turn == 1
        assert any(n.startswith("Autosave failed:") and "\n" not in n for n in notices(app)), notices(app)
        await end_turn(pilot)
        assert app.session.state.turn == 2


@sync
async def test_end_screen_what_if_shows_a_comparison(content):
    session = Session.replay(content, "tutorial", SEED, [PLAN] * 8)
    assert session.done
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_end(session)
        await settle(pilot)
        assert isinstance(app.screen, EndScreen)
        await pilot.press("w")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, WhatIfDialog)
        dialog.query_one("#whatif-quarter", Select).value = 1
        dialog.query_one("#whatif-lever", Select).value = "rnd-b5g"
        await pilot.pause()
        amount = dialog.query_one("#whatif-amount", Input)
        assert amount.value == "2"  # what was played that quarter
        # over the quarter's budget: the message what_if gives, inline
        over = dialog.budget_at(1) - 4 + 1
        with pytest.raises(WhatIfError) as expected:
            what_if(content, "tutorial", SEED, session.log, [Change(1, "rnd-b5g", over)])
        amount.value = f"{over:g}"
        amount.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is dialog
        shown = str(dialog.query_one("#whatif-message", Static).render())
        assert shown == str(expected.value).replace("with more --what-if changes",
                                                    "(Ctrl+N keeps a change and adds another)")
        # keep that change (Ctrl+N) and lower another lever of the same quarter to fit the budget
        await pilot.press("ctrl+n")
        dialog.query_one("#whatif-lever", Select).value = "subsidy-fujitsu"
        await pilot.pause()
        assert amount.value == "4"
        amount.value = "0"
        amount.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = app.screen
        assert isinstance(result, WhatIfResultScreen), str(dialog.query_one("#whatif-message", Static).render())
        text = str(result.query_one("#whatif-text", Static).render())
        names = content.levers
        assert f"{names['rnd-b5g'].name} ¥2.00B → ¥{over:.2f}B" in text
        assert f"{names['subsidy-fujitsu'].name} ¥4.00B → ¥0.00B" in text
        assert "rnd-b5g" not in text and "subsidy-fujitsu" not in text  # names, never ids
        assert "as played" in text and "what if" in text and "Score" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog
