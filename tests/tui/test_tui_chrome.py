"""The chrome around the game: toasts, the footer, the dialogs' keys and the leave questions."""

from __future__ import annotations

import asyncio

from textual.geometry import Region
from tui_support import dashboard


def test_toasts_leave_nothing_behind_when_they_go():
    """Toasts coming in while others are up overflow the toast rack at 80x24; when they go, every cell
    they painted is painted again (Textual's scroll fast path forgot them: their text stayed on screen)."""

    async def run() -> None:
        async with dashboard(notifications=True) as pilot:
            app = pilot.app
            compositor = app.screen._compositor
            painted: list[Region] = []
            full, partial = compositor.render_full_update, compositor.render_partial_update

            def full_update(*args, **kwargs):
                painted.append(compositor.size.region)
                return full(*args, **kwargs)

            def partial_update(*args, **kwargs):
                painted.extend(compositor._dirty_regions)
                return partial(*args, **kwargs)

            compositor.render_full_update, compositor.render_partial_update = full_update, partial_update
            for i in range(7):
                app.notify(f"Toast {i}, long enough to take a few lines", timeout=1.5)
                await pilot.pause(0.15)
            screen = app.screen.region
            covered = [r.intersection(screen) for r in (t.region for t in app.screen.query("Toast"))]
            assert sum(r.area for r in covered) > screen.area // 4  # they did fill the rack
            painted.clear()
            for _ in range(40):
                await pilot.pause(0.1)
                if not app.screen.query("Toast"):
                    break
            await pilot.pause(0.2)
            assert not app.screen.query("Toast")
            stale = [(x, y) for r in covered for y in range(r.y, r.bottom) for x in range(r.x, r.right)
                     if not any(p.contains(x, y) for p in painted)]
            assert not stale, f"{len(stale)} cells a toast painted were never painted again: {stale[:5]}"

    asyncio.run(run())


def footer_keys(app) -> list[tuple[str, Region]]:
    """The footer keys on screen (key and description) and where they are."""
    from textual.widgets._footer import FooterKey

    footer = app.screen.query_one("Footer")
    return [(f"{k.key_display} {k.description}", k.region) for k in footer.query(FooterKey)]


def assert_footer_whole(app, where: str) -> None:
    """Every footer key shown is whole: inside the screen and clear of its neighbours (the palette's key
    is docked right: a key under it would be cut), and on a full screen ? Help is among them."""
    from textual.screen import ModalScreen

    keys = footer_keys(app)
    width = app.size.width
    for name, region in keys:
        assert region.width and region.right <= width, (where, name, region, keys)
    for i, (a, ra) in enumerate(keys):
        for b, rb in keys[i + 1:]:
            assert not ra.overlaps(rb), (where, a, b, keys)
    if not isinstance(app.screen, ModalScreen):  # (a dialog's footer has only the dialog's keys)
        assert any(name.endswith(" Help") for name, _ in keys), (where, keys)


def test_every_footer_key_is_whole_at_80x24_on_every_screen(content):
    from textual.widgets import Input, Select
    from tui_support import SEED, end_turn, make_app, settle

    from game.play.session import Session, TurnActions
    from game.tui.screens.dialogs import ConfirmScreen, EventDialog
    from game.tui.screens.drivers import DriversScreen
    from game.tui.screens.end import EndScreen
    from game.tui.screens.help import HelpScreen
    from game.tui.screens.report import TurnReportScreen
    from game.tui.screens.saves import LoadScreen
    from game.tui.screens.title import ScenarioScreen, TitleScreen
    from game.tui.screens.whatif import WhatIfDialog

    async def at(pilot, kind, where: str) -> None:
        await settle(pilot)
        assert isinstance(pilot.app.screen, kind), (where, pilot.app.screen)
        assert_footer_whole(pilot.app, where)

    async def run() -> None:
        async with dashboard("default", seed=5, samples=8, answer=False) as pilot:
            await at(pilot, EventDialog, "event dialog")
            while isinstance(pilot.app.screen, EventDialog):
                await pilot.press("escape")
            await at(pilot, DashboardScreen, "dashboard")
            await pilot.press("i")
            await at(pilot, DashboardScreen, "dashboard with the lever detail")
            await pilot.press("d")
            await at(pilot, DriversScreen, "drivers")
            await pilot.press("escape", "escape")
            await at(pilot, ConfirmScreen, "leave question")
            await pilot.press("n")
            await end_turn(pilot, stop_at_report=True)
            await at(pilot, TurnReportScreen, "turn report")
            await pilot.press("question_mark")
            await at(pilot, HelpScreen, "help")
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await at(pilot, TitleScreen, "title")
            await pilot.press("n")
            await at(pilot, ScenarioScreen, "scenario picker")
            await pilot.press("escape", "l")
            await at(pilot, LoadScreen, "saves")
            await pilot.press("escape")
            app.show_end(Session.replay(content, "tutorial", SEED, [TurnActions({"rnd-b5g": 2})] * 8))
            await at(pilot, EndScreen, "end")
            await pilot.press("w")
            await at(pilot, WhatIfDialog, "what-if")
            assert app.screen.query(Select) and app.screen.query(Input)

    from game.tui.screens.dashboard import DashboardScreen

    asyncio.run(run())


def test_page_keys_scroll_the_event_dialogs_text_and_arrows_move_the_answer():
    from textual.containers import VerticalScroll
    from textual.widgets import OptionList

    from game.tui.screens.dialogs import EventDialog

    async def run() -> None:
        async with dashboard("default", seed=5, samples=8, answer=False) as pilot:
            dialog = pilot.app.screen
            assert isinstance(dialog, EventDialog)
            answers = dialog.query_one("#choices", OptionList)
            story = dialog.query_one("#event-body", VerticalScroll)
            effects = dialog.query_one("#event-detail-box", VerticalScroll)
            assert story.max_scroll_y > 0  # at 80x24 the story does not fit: there is something to scroll
            start = answers.highlighted
            await pilot.press("pagedown")
            await pilot.pause()
            assert answers.highlighted == start and story.scroll_y > 0
            for _ in range(10):
                await pilot.press("pagedown")
            await pilot.pause()
            assert answers.highlighted == start and story.scroll_y == story.max_scroll_y
            assert effects.max_scroll_y == 0 or effects.scroll_y == effects.max_scroll_y  # then the effects
            for _ in range(12):
                await pilot.press("pageup")
            await pilot.pause()
            assert answers.highlighted == start and story.scroll_y == 0 and effects.scroll_y == 0
            await pilot.press("down" if start == 0 else "up")
            assert answers.highlighted != start and pilot.app.screen is dialog

    asyncio.run(run())
