"""Screens post messages and the app handles them (game/tui/messages.py): each flow is checked on the
messages seen (Pilot's message_hook) as well as on the screens and files that follow. And the seed
policy of `homegrown play`."""

from __future__ import annotations

import asyncio
import functools
import os
from pathlib import Path
from typing import TypeVar

import pytest
from textual.message import Message
from textual.widgets import Input, Static
from tui_support import OVERLAY, SEED, answer_events, end_turn, make_app, on_dashboard, settle

from game import storage as saves
from game.cli import main as cli_main
from game.play.session import Session, TurnActions
from game.tui.app import HomegrownApp
from game.tui.messages import (
    ContinueRequested,
    GameOver,
    LeaveGame,
    LoadGameRequested,
    NewGameRequested,
    OpenSaveRequested,
    SaveAsRequested,
    TurnEnded,
)
from game.tui.saving import open_save
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, SaveAsDialog
from game.tui.screens.end import EndScreen
from game.tui.screens.saves import LoadScreen
from game.tui.screens.title import ScenarioScreen, TitleScreen

M = TypeVar("M", bound=Message)
PLAN = TurnActions({"subsidy-fujitsu": 4, "rip-and-replace": 2, "rnd-b5g": 2})
FIXED = "exercise-southeast-asia"  # a scenario with a fixed seed (23)


def sync(test):
    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def posted(seen: list[Message], kind: type[M]) -> list[M]:
    """Each message of `kind` once: the hook sees a message at every pump it reaches (screen, then app)."""
    out: list[M] = []
    for m in seen:
        if isinstance(m, kind) and all(m is not o for o in out):
            out.append(m)
    return out


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def folder() -> Path:
    path = Path(os.environ["HOMEGROWN_SAVES"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def played(content, turns: int) -> Session:
    session = Session(content, "tutorial", SEED)
    for _ in range(turns):
        session.end_turn(TurnActions(dict(PLAN.allocations),
                                     {e.id: e.choices[0].id for e in session.pending_events() if e.choices}))
    return session


@sync
async def test_ending_a_turn_posts_turn_ended_and_the_app_autosaves(folder):
    seen: list[Message] = []
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        assert posted(seen, TurnEnded) == []
        await end_turn(pilot)
        await settle(pilot)
        [ended] = posted(seen, TurnEnded)
        assert ended.session is app.session and ended.summary is app.session.history[-1]
        path = folder / f"autosave-tutorial-seed{SEED}.json"
        assert path.is_file() and app.service.last_saved == path
        assert len(saves.read_save(path).turns) == 1


@sync
async def test_finishing_a_game_posts_game_over_and_shows_the_end(content, folder):
    path = saves.save_session(played(content, 7), "nearly done", folder).path  # one quarter to go
    seen: list[Message] = []
    app = make_app(load=open_save(path, content))
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        await end_turn(pilot)  # the last quarter; Enter closes its report
        await settle(pilot)
        [over] = posted(seen, GameOver)
        assert over.session is app.session and over.session.done
        assert isinstance(app.screen, EndScreen) and app.screen.session is over.session
        assert "nearly done.json" in app.screen.query_one("#end-text", Static).render().plain  # saved there
        assert len(saves.read_save(path).turns) == 8
        await pilot.press("enter")  # the end screen's Enter: back to the title
        await pilot.pause()
        assert len(posted(seen, LeaveGame)) == 1
        assert isinstance(app.screen, TitleScreen) and app.session is None


@sync
async def test_leaving_posts_leave_game_only_when_confirmed(folder):
    seen: list[Message] = []
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        await answer_events(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "This game is not saved yet" in app.screen.question
        await pilot.press("n")  # Stay
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen) and posted(seen, LeaveGame) == []
        await end_turn(pilot)
        await settle(pilot)
        await answer_events(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert f"autosave-tutorial-seed{SEED}.json" in app.screen.question  # where the game is saved
        await pilot.press("y")
        await pilot.pause()
        assert len(posted(seen, LeaveGame)) == 1
        assert isinstance(app.screen, TitleScreen) and len(app.screen_stack) == 2
        assert app.session is None and app.save_target is None and app.service.last_saved is None



async def _palette(pilot, command: str) -> None:
    """Run a command of the palette by typing its name, as a player would."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@sync
async def test_the_palettes_new_game_and_load_game_ask_before_leaving_a_game(folder):
    async with on_dashboard(scenario="tutorial", size=(80, 24)) as pilot:
        app = pilot.app
        dash = app.screen
        assert isinstance(dash, DashboardScreen)
        titles = [c.title for c in app.get_system_commands(dash)]
        assert titles.count("Keys") == 1
        for command, where in [("New game", "start a new one"), ("Load game", "load a saved one")]:
            await _palette(pilot, command)
            assert isinstance(app.screen, ConfirmScreen), command
            assert f"Leave this game and {where}?" in app.screen.question
            await pilot.press("n")  # Stay: the same game, its plan untouched
            await pilot.pause()
            assert app.screen is dash and app.session is dash.session
        await _palette(pilot, "New game")
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ScenarioScreen) and app.session is None
        await pilot.press("escape")
        await pilot.pause()
        await _palette(pilot, "Load game")  # no game any more: nothing to ask
        assert isinstance(app.screen, LoadScreen)


@sync
async def test_save_as_posts_the_request_and_the_app_writes_the_file(content, folder):
    seen: list[Message] = []
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        await answer_events(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsDialog)
        app.screen.query_one("#save-as-name", Input).value = ""
        await pilot.press(*"Homework 1", "enter")
        await pilot.pause()
        [request] = posted(seen, SaveAsRequested)
        assert request.name == "Homework 1"
        path = folder / "Homework 1.json"
        assert isinstance(app.screen, DashboardScreen) and app.save_target == path
        assert saves.verify_save(path, content).ok
        assert any(n.startswith("Saved as Homework 1.json") for n in notices(app))
        await end_turn(pilot)  # and the next turn goes there, not to an autosave file
        await settle(pilot)
        assert len(saves.read_save(path).turns) == 1 and not list(folder.glob("autosave-*"))


@sync
async def test_the_title_screens_choices_are_messages(content, folder):
    seen: list[Message] = []
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("c")  # nothing to continue yet
        await pilot.pause()
        assert len(posted(seen, ContinueRequested)) == 1 and isinstance(app.screen, TitleScreen)
        assert any("No saved games yet" in n for n in notices(app))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ScenarioScreen)
        await pilot.press("enter")
        await settle(pilot)
        [new] = posted(seen, NewGameRequested)
        assert new.scenario == app.session.scenario
        assert isinstance(app.screen, DashboardScreen) or app.screen.is_modal
    path = saves.save_session(played(content, 2), "two turns", folder).path
    seen.clear()
    app = make_app()
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert len(posted(seen, LoadGameRequested)) == 1 and isinstance(app.screen, LoadScreen)
        await pilot.press("enter")
        await settle(pilot)
        [opened] = posted(seen, OpenSaveRequested)
        assert opened.path == path and app.save_target == path and app.session.state.turn == 2


# ---------------------------------------------------------------- the seed policy


def run_play(monkeypatch, *args: str) -> HomegrownApp:
    """`homegrown play ...` up to the app's start: the app it would run."""
    apps: list[HomegrownApp] = []
    monkeypatch.setattr(HomegrownApp, "run", lambda self, *a, **k: apps.append(self))
    monkeypatch.setattr("game.cli.play.has_terminal", lambda: True)
    assert cli_main(["play", "--content", str(OVERLAY), *args]) == 0
    [app] = apps
    return app


async def first_game(app: HomegrownApp) -> tuple[int, list[str]]:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.session is not None
        return app.session.seed, notices(app)


def test_play_seed_wins_over_the_scenarios_fixed_seed_with_a_note(monkeypatch, capsys, content):
    fixed = content.scenarios[FIXED].seed
    assert fixed is not None and fixed != 5
    app = run_play(monkeypatch, "--scenario", FIXED, "--seed", "5")
    err = capsys.readouterr().err
    assert err.startswith("note: ") and err.count("\n") == 1
    assert f"fixes seed {fixed}" in err and "playing seed 5" in err
    seed, shown = asyncio.run(first_game(app))
    assert seed == 5
    assert err.removeprefix("note: ").strip() in shown  # the app says it too


def test_play_without_seed_plays_the_scenarios_seed(monkeypatch, capsys, content):
    app = run_play(monkeypatch, "--scenario", FIXED)
    assert capsys.readouterr().err == ""
    seed, shown = asyncio.run(first_game(app))
    assert seed == content.scenarios[FIXED].seed and not any("fixes seed" in n for n in shown)


def test_a_seed_given_to_the_app_wins_for_games_started_from_the_title(content):
    async def run(seed: int | None) -> tuple[int, list[str]]:
        app = make_app(seed=seed)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.start_game(FIXED)
            await pilot.pause()
            return app.session.seed, notices(app)

    seed, shown = asyncio.run(run(5))
    assert seed == 5 and any("fixes seed" in n for n in shown)
    seed, shown = asyncio.run(run(None))
    assert seed == content.scenarios[FIXED].seed and not any("fixes seed" in n for n in shown)
