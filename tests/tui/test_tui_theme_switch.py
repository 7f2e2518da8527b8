"""Ctrl+T draws the new theme in one whole frame (restyling, the dashboard's redraw and the screens below in
one batch, nothing drawn before it), and every cell in the new theme's colours: the screen after a switch is
the screen of a game started in that theme."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

from textual._compositor import ChopsUpdate, LayoutUpdate
from tui_support import answer_events, make_app, settle

from game.tui.screens.dashboard import DashboardScreen

SIZE = (100, 30)


def whole(frame: object) -> bool:
    """A frame that draws every cell of the screen."""
    if isinstance(frame, LayoutUpdate):
        return True
    return isinstance(frame, ChopsUpdate) and sum(x2 - x1 for _, x1, x2 in frame.spans) == SIZE[0] * SIZE[1]


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
        async with app.run_test(size=SIZE) as pilot:
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
                wholes = [f for f in frames if whole(f)]
                assert len(wholes) == 1, f"{len(wholes)} whole frames for one switch to {app.theme}"
                assert frames.index(wholes[0]) == 0  # nothing drawn before it in the old colours

    asyncio.run(run())


def colours(svg: str) -> Counter:
    """Every background cell run and every text run of a screenshot, with its colours."""
    styles = dict(re.findall(r"\.(terminal-r\d+) \{ ([^}]*) \}", svg))
    texts = re.findall(r'<text class="(terminal-r\d+)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>', svg)
    rects = re.findall(r'<rect fill="(#[0-9a-fA-F]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg)
    return Counter((styles.get(c, ""), x, y, t) for c, x, y, t in texts) + Counter(rects)


def test_after_a_switch_every_cell_is_in_the_new_themes_colours():
    """At 160x48 (the lever detail pane beside the levers: it painted its lines with the old background)."""
    async def shot(theme: str, switches: int) -> tuple[str, str]:
        app = make_app(frozen=True, scenario="tutorial", theme=theme, samples=8)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await answer_events(pilot)
            await settle(pilot)
            for _ in range(switches):
                await pilot.press("ctrl+t")
                await pilot.pause(0.2)
            app.clear_notifications()
            await pilot.pause(0.2)
            return app.theme, app.export_screenshot()

    async def run():
        switched, after = await shot("textual-dark", 1)
        started, direct = await shot(switched, 0)
        assert switched == started == "textual-light"
        only_after, only_direct = colours(after) - colours(direct), colours(direct) - colours(after)
        assert not only_after and not only_direct, (sorted(only_after)[:4], sorted(only_direct)[:4])

    asyncio.run(run())
