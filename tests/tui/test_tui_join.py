"""Joining a class (`play --class DIR`, what `serve --class DIR` runs per browser): the class code first
when there is one, then a name among the class's saves, whose file the game plays and saves into."""

from __future__ import annotations

import asyncio

from game.analysis.classroom import new_class
from game.storage import read_save
from game.tui.app import HomegrownApp
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.join import JoinScreen


def test_the_class_code_guards_the_names_and_a_name_plays_its_save(tmp_path, content):
    room = new_class(content, "exercise-procurement-2018", tmp_path / "c", names=["Ana", "Ben"])

    async def play() -> None:
        app = HomegrownApp(content, class_folder=room.folder, class_code="4242", forecast_samples=5,
                           saves_folder=tmp_path / "elsewhere")
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, JoinScreen)
            await pilot.press("enter")  # no code, no name
            await pilot.press(*"1234", "enter")
            await pilot.pause()
            assert isinstance(app.screen, JoinScreen) and not app.screen.joined
            await pilot.press(*"4242", "enter")
            await pilot.pause()
            assert app.screen.joined
            await pilot.press("down", "enter")  # Ben
            await pilot.pause()
            assert app.service.save_target == room.students[1].save
            assert any(isinstance(s, DashboardScreen) for s in app.screen_stack)

    asyncio.run(play())
    assert read_save(room.students[1].save).name == "Ben"
    assert not (tmp_path / "elsewhere").exists()
