"""Ctrl+T draws the new theme in one whole frame: restyling, the dashboard's redraw and the screens below
in one batch, nothing drawn before it."""

from __future__ import annotations

import asyncio

from textual._compositor import LayoutUpdate
from tui_support import answer_events, make_app, settle

from game.tui.screens.dashboard import DashboardScreen


def test_a_theme_switch_is_one_frame_in_the_new_colours():
    async def run():
        app = make_app(scenario="tutorial")
        frames: list[object] = []
        display = app._display

        def drawn(screen, renderable) -> None:
            if renderable is not None:
                frames.append(renderable)
            display(screen, renderable)

        app._display = drawn  # every frame the terminal would get
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await answer_events(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            for _ in range(3):
                before = app.theme
                frames.clear()
                await pilot.press("ctrl+t")
                for _ in range(10):
                    await pilot.pause(0.02)
                assert app.theme != before
                whole = [f for f in frames if isinstance(f, LayoutUpdate)]
                assert len(whole) == 1, f"{len(whole)} whole frames for one switch to {app.theme}"
                assert frames.index(whole[0]) == 0  # nothing drawn before it in the old colours

    asyncio.run(run())
