"""The chrome around the game: toasts, the footer, the dialogs' keys and the leave questions."""

from __future__ import annotations

import asyncio

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets._footer import FooterKey
from tui_support import SEED, answer_events, end_turn, make_app, on_dashboard, settle

from game import storage
from game.play.session import Session, TurnActions
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, EventDialog
from game.tui.screens.drivers import DriversScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.report import TurnReportScreen
from game.tui.screens.saves import LoadScreen
from game.tui.screens.title import ScenarioScreen, TitleScreen
from game.tui.screens.whatif import WhatIfDialog
from game.tui.service import GameService


def test_toasts_leave_nothing_behind_when_they_go():
    """Toasts coming in while others are up overflow the toast rack at 80x24; when they go, every cell
    they painted is painted again (Textual's scroll fast path forgot them: their text stayed on screen)."""

    async def run() -> None:
        async with on_dashboard(notifications=True) as pilot:
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


def test_a_toast_reaches_the_right_edge_so_nothing_beneath_shows_beside_it():
    """At 80x24 the toast rack's hidden scrollbar kept the last two columns beside each toast, where the
    dashboard beneath showed through ('in      ]')."""

    async def run() -> None:
        async with on_dashboard(notifications=True) as pilot:
            pilot.app.notify("Saved as default-2027Q2.json in saves; later turns are saved there too.",
                             title="Saved")
            await pilot.pause(0.2)
            toasts = list(pilot.app.screen.query("Toast"))
            assert toasts and all(t.region.right == pilot.app.size.width for t in toasts), \
                [t.region for t in toasts]

    asyncio.run(run())


def footer_keys(app) -> list[tuple[str, Region]]:
    """The footer keys on screen (key and description) and where they are."""
    footer = app.screen.query_one("Footer")
    return [(f"{k.key_display} {k.description}", k.region) for k in footer.query(FooterKey)]


def assert_footer_whole(app, where: str) -> None:
    """Every footer key shown is whole: inside the screen and clear of its neighbours (the palette's key
    is docked right: a key under it would be cut), and on a full screen ? Help is among them."""
    keys = footer_keys(app)
    width = app.size.width
    for name, region in keys:
        assert region.width and region.right <= width, (where, name, region, keys)
    for i, (a, ra) in enumerate(keys):
        for b, rb in keys[i + 1:]:
            assert not ra.overlaps(rb), (where, a, b, keys)
    # where ? types into a field a dialog's footer does not offer it, and on help itself it closes help
    if not app.screen.query(Input) and not isinstance(app.screen, HelpScreen):
        assert any(name.endswith(" Help") for name, _ in keys), (where, keys)


def test_a_screen_under_a_dialog_lays_out_what_changed_during_a_batch():
    """Textual holds a batch while a widget recomposes (the footer does on every change of keys) and, at its
    end, wakes only the app: the dashboard under an event dialog kept a panel at its old height (the goal
    forecast two lines tall with ten to show). Here a line of the dashboard grows to five during a batch."""
    async def run() -> None:
        async with on_dashboard("exercise-procurement-2018", seed=2018, frozen=True, answer=False) as pilot:
            app = pilot.app
            assert isinstance(app.screen, EventDialog)  # the 2018 exercise opens with a question
            dash = next(s for s in app.screen_stack if isinstance(s, DashboardScreen))
            probe = Static("one line")
            await dash.query_one("#info").mount(probe, before=0)
            await settle(pilot)
            assert probe.size.height == 1
            app._begin_batch()
            probe.update("\n".join(f"line {k}" for k in range(5)))
            await pilot.pause()
            app._end_batch()
            for _ in range(100):  # the woken screen lays it out within a frame or two; asleep, never
                if probe.size.height == 5:
                    break
                await pilot.pause(0.01)
            assert probe.size.height == 5

    asyncio.run(run())


def test_every_footer_key_is_whole_at_80x24_on_every_screen(content):
    async def at(pilot, kind, where: str) -> None:
        await settle(pilot)
        assert isinstance(pilot.app.screen, kind), (where, pilot.app.screen)
        assert_footer_whole(pilot.app, where)

    async def run() -> None:
        async with on_dashboard("default", seed=5, samples=8, answer=False) as pilot:
            await at(pilot, EventDialog, "event dialog")
            while isinstance(pilot.app.screen, EventDialog):
                await pilot.press("escape")
            await at(pilot, DashboardScreen, "dashboard")
            assert "i Lever info" not in [name for name, _ in footer_keys(pilot.app)]  # no room at 80
            await pilot.resize_terminal(160, 48)
            await at(pilot, DashboardScreen, "dashboard at 160x48")
            assert "i Lever info" in [name for name, _ in footer_keys(pilot.app)]  # laid out again
            await pilot.resize_terminal(80, 24)
            await at(pilot, DashboardScreen, "dashboard back at 80x24")
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


    asyncio.run(run())


def test_page_keys_scroll_the_event_dialogs_text_and_arrows_move_the_answer():
    async def run() -> None:
        async with on_dashboard("default", seed=5, samples=8, answer=False) as pilot:
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


LEAVING = {  # each way out of a game: the keys (or palette command) and what the question says it does
    "escape": ("go back to the title screen", ["escape"]),
    "new game": ("start a new one", ["ctrl+p", *"New game"]),
    "load game": ("load a saved one", ["ctrl+p", *"Load game"]),
    "quit": ("quit Homegrown", ["ctrl+q"]),
    "palette quit": ("quit Homegrown", ["ctrl+p", *"Quit"]),
}


async def ask_to_leave(pilot, way: str) -> str:
    """Take `way` out of the game; the question asked (the leave question is on screen)."""
    where, keys = LEAVING[way]
    await pilot.press(*keys)
    await settle(pilot)
    if keys[0] == "ctrl+p":
        await pilot.press("enter")
        await settle(pilot)
    question = pilot.app.screen
    assert isinstance(question, ConfirmScreen), (way, question)
    assert question.question.startswith(f"Leave this game and {where}?"), question.question
    assert focused_answer(pilot.app) == "confirm-no"  # a stray Enter stays
    return question.question


def focused_answer(app) -> str | None:
    return app.focused.id if app.focused is not None else None


def test_every_way_out_of_a_game_never_saved_says_it_is_lost(tmp_path):
    async def run() -> None:
        async with on_dashboard() as pilot:
            app = pilot.app
            folder = app.service.saves_folder
            for way in LEAVING:
                question = await ask_to_leave(pilot, way)
                assert "not saved yet" in question and "leaving loses it" in question, (way, question)
                await pilot.press("n")
                await pilot.pause()
                assert isinstance(app.screen, DashboardScreen), way
            await ask_to_leave(pilot, "escape")
            await pilot.press("y")
            await pilot.pause()
            assert app.session is None
            assert not list(folder.glob("*.json"))  # as it said: nothing kept

    asyncio.run(run())


@pytest.mark.parametrize("way", list(LEAVING))
def test_every_way_out_of_a_saved_game_keeps_this_quarters_plan_in_its_save(way):
    async def run() -> None:
        async with on_dashboard() as pilot:
            app = pilot.app
            await end_turn(pilot)
            await settle(pilot)
            await answer_events(pilot)
            dash = app.screen
            assert isinstance(dash, DashboardScreen)
            path = app.service.last_saved
            assert path is not None
            await pilot.press("right", "right")  # this quarter's plan, after the autosave
            await settle(pilot)
            plan = dash.plan.allocations()
            assert sum(plan.values()) > sum(storage.read_save(path).draft.allocations.values())
            question = await ask_to_leave(pilot, way)
            assert f"saved in {path.name} as you leave, this quarter's plan so far included" in question
            await pilot.press("y")
            await settle(pilot)
            assert app.session is None or not app.is_running
            kept = storage.read_save(path)
            assert len(kept.turns) == 1 and kept.draft.allocations == plan

    asyncio.run(run())


def test_load_game_from_the_title_asks_nothing_there_is_no_game_to_lose():
    async def run() -> None:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            for keys in (["l"], ["ctrl+p", *"Load game"]):
                assert isinstance(app.screen, TitleScreen) and app.session is None
                await pilot.press(*keys)
                await settle(pilot)
                if keys[0] == "ctrl+p":
                    await pilot.press("enter")
                    await settle(pilot)
                assert isinstance(app.screen, LoadScreen), keys
                await pilot.press("escape")
                await settle(pilot)

    asyncio.run(run())


def test_ctrl_q_twice_quits_at_once():
    async def run() -> None:
        async with on_dashboard() as pilot:
            app = pilot.app
            await ask_to_leave(pilot, "quit")
            assert app.is_running
            await pilot.press("ctrl+q")
            await settle(pilot)
            assert not app.is_running

    asyncio.run(run())


def test_the_title_and_the_saves_list_name_a_save_in_words(content, tmp_path):
    """A named save on the title's Continue: its name, then its scenario's only if it fits whole (no
    'Homegrow…'); the saves list counts saves in words ('1 save', '2 saves', never 'save(s)')."""

    async def run(names: list[str]) -> tuple[str, str]:
        app = make_app(saves_folder=tmp_path / str(len(names)))
        folder = app.service.saves_folder
        for name in names:
            session = Session(content, "default", SEED)
            session.end_turn(TurnActions({}, {e.id: e.choices[0].id for e in session.pending_events()
                                              if e.choices}))
            storage.save_session(session, name, folder, name=name)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            note = str(app.screen.query_one("#menu", OptionList).get_option("continue").prompt)
            await pilot.press("l")
            await settle(pilot)
            return note, str(app.screen.query_one("#load-title", Static).render())

    note, head = asyncio.run(run(["default-2027Q2"]))
    assert "default-2027Q2 · 2026Q2" in note and "…" not in note, note
    assert " · 1 save in " in head, head
    note, head = asyncio.run(run(["mine", "theirs"]))
    assert "theirs · 2026Q2" in note and "…" not in note, note  # the newest
    assert " · 2 saves in " in head, head


def test_a_save_that_fails_as_the_game_is_left_says_so_in_one_line(content, tmp_path):
    service = GameService(content, tmp_path / "saves")
    session, _ = service.new_game("tutorial", 6)
    assert service.keep_on_leaving(session) is None  # never saved: nothing written, nothing to say
    assert not (tmp_path / "saves").exists() or not list((tmp_path / "saves").glob("*.json"))
    session.end_turn(TurnActions({}, {e.id: e.choices[0].id for e in session.pending_events() if e.choices}))
    first = service.autosave(session).path
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    service.save_target = blocker / "game.json"  # cannot be written
    problem = service.keep_on_leaving(session)
    assert problem is not None and "\n" not in problem and first.name in problem, problem
    assert problem.startswith("This quarter's plan was not saved")
    assert len(storage.read_save(first).turns) == 1  # the last save is as it was


def test_the_app_keeps_what_it_started_with_out_of_the_collector_until_it_ends():
    """A full garbage collection walked every object of the content and the screens: about 100 ms, three
    times in six theme switches. What exists once the first screen is drawn is frozen (gc.freeze), and is
    collectable again when the app ends (the next app in the process, the tests)."""
    import gc

    async def run() -> None:
        async with on_dashboard() as pilot:
            await pilot.pause()
            assert gc.get_freeze_count() > 10_000

    assert gc.get_freeze_count() == 0
    asyncio.run(run())
    assert gc.get_freeze_count() == 0
