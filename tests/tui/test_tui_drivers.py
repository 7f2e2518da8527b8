"""The drivers view in the app: opened with d, Enter shows a metric's drivers and follows a link,
Esc / Backspace go back the way they came, ? helps; snapshots at 80x24 and 160x48."""

from __future__ import annotations

import asyncio
import functools

import pytest
from rich.text import Text
from textual.widgets import OptionList
from tui_support import answer_events, end_turn, make_app, on_dashboard, settle

from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.drivers import DriversScreen
from game.tui.screens.help import HelpScreen

SIZES = [(80, 24), (160, 48)]


def synchronous(test):
    """Run an async test body on its own event loop (the suite's way: no async plugin)."""
    @functools.wraps(test)
    def run(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))
    return run


async def _open(pilot, played: int = 0) -> DriversScreen:
    await settle(pilot)
    await answer_events(pilot)
    for _ in range(played):
        await end_turn(pilot)
        await settle(pilot)
        await answer_events(pilot)
    await pilot.press("right", "right")  # ¥2B on the first lever
    await settle(pilot)
    await pilot.press("d")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DriversScreen)
    return screen


def _texts(screen: DriversScreen) -> list[str]:
    out = []
    for options in screen.query(OptionList):
        for i in range(options.option_count):
            prompt = options.get_option_at_index(i).prompt
            out.append(prompt.plain if isinstance(prompt, Text) else str(prompt))
    return out


async def _to_first_link(pilot, screen: DriversScreen) -> int:
    listing = screen.query_one("#drivers-list", OptionList)
    target = next(i for i, d in enumerate(screen._shown)
                  if d.link and not listing.get_option_at_index(i).disabled)
    while listing.highlighted != target:
        await pilot.press("down")
    return target


@synchronous
async def test_enter_follows_links_and_escape_comes_back(content):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, played=1)
        metrics = screen.query_one("#drivers-metrics", OptionList)
        assert app.focused is metrics and screen.current == screen.model.metrics[0].id
        await pilot.press("down")  # the next metric: its drivers at once
        second = metrics.get_option_at_index(metrics.highlighted).id
        assert screen.current == second != screen.model.metrics[0].id
        await pilot.press("enter")
        assert app.focused is screen.query_one("#drivers-list")
        target = await _to_first_link(pilot, screen)
        link = screen._shown[target].link
        await pilot.press("enter")
        await pilot.pause()
        assert (screen.current, screen.history) == (link, [second])
        assert metrics.get_option_at_index(metrics.highlighted).id == link
        assert any(d.kind in ("state", "part", "lever", "last quarter") for d in screen.model.of(link))
        await pilot.press("escape")
        await pilot.pause()
        assert (screen.current, screen.history) == (second, [])
        assert app.focused is screen.query_one("#drivers-list")
        await pilot.press("backspace")
        assert app.focused is metrics and app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@synchronous
async def test_a_driver_that_is_no_metric_stays_put(content):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        await pilot.press("enter")
        listing = screen.query_one("#drivers-list", OptionList)
        driver = screen._shown[listing.highlighted]
        assert driver.kind == "lever" and driver.link is None
        before = screen.current
        await pilot.press("enter")
        await pilot.pause()
        assert (screen.current, screen.history, app.screen) == (before, [], screen)


@synchronous
async def test_the_plan_on_the_dashboard_is_the_one_measured(content):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        dashboard = app.screen_stack[-2]
        assert isinstance(dashboard, DashboardScreen)
        (lever_id, spend), = dashboard.plan.allocations().items()
        name = content.levers[lever_id].name
        levers = [d for m in screen.model.metrics for d in screen.model.of(m.id) if d.kind == "lever"]
        assert {d.spend for d in levers if d.name == name} == {spend}
        assert any(f"plan: ¥{spend:g}B" in t for t in _texts(screen))


@synchronous
async def test_names_never_ids(content):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, played=1)
        w = screen.session.world
        ids = [x for x in (*w.lever_ids, *w.event_ids, *w.deal_ids, *w.alliance_ids) if "-" in x]
        seen = []
        for m in screen.model.metrics:
            screen.show(m.id)
            seen += _texts(screen)
        text = "\n".join(seen)
        assert "Last quarter" in text and "Your levers" in text and "What pulls it now" in text
        assert not [x for x in ids if x in text]


@synchronous
async def test_question_mark_helps_and_closes_again(content):
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is screen


@synchronous
async def test_no_drivers_once_the_game_is_over(content):
    async with on_dashboard(scenario="tutorial", size=(80, 24), answer=False) as pilot:
        app = pilot.app
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        dashboard.session.state = dashboard.session.state.replace(done=dashboard.session.state.done | True)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is dashboard


async def _snapshot(pilot) -> None:
    screen = await _open(pilot, played=1)
    await pilot.press("enter")
    await _to_first_link(pilot, screen)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_drivers_snapshot(snap_compare, size):
    assert snap_compare(make_app(frozen=True, scenario="tutorial"), terminal_size=size, run_before=_snapshot)


@synchronous
async def test_key_spam_on_the_drivers_view(content):
    """Random keys (and resizes) from the drivers view: it never breaks, and Esc always leads home."""
    import random

    keys = ["up", "down", "pageup", "pagedown", "home", "end", "enter", "escape", "backspace", "tab", "d",
            "question_mark", "left", "right"]
    rng = random.Random("drivers")
    app = make_app(scenario="tutorial")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, played=1)
        for i in range(60):  # the fuzz campaign (benchmarks/fuzz_campaign.py) plays far more
            if i % 20 == 19:
                await pilot.resize_terminal(*rng.choice([(80, 24), (160, 48), (60, 20)]))
            if not isinstance(app.screen, DriversScreen | HelpScreen):
                await pilot.press("d")  # back in: the dashboard under it, by Esc
            await pilot.press(rng.choice(keys))
        await pilot.pause()
        for _ in range(12):
            if isinstance(app.screen, DashboardScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@synchronous
async def test_a_failure_is_one_line_and_the_game_goes_on(content, monkeypatch):
    import game.tui.screens.drivers as screen_module

    def broken(*_args, **_kwargs):
        raise ValueError("no drivers today")

    monkeypatch.setattr(screen_module, "drivers", broken)
    async with on_dashboard(scenario="tutorial", size=(80, 24)) as pilot:
        app = pilot.app
        dashboard = app.screen
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is dashboard
        assert any("drivers view is unavailable" in str(n.message) and "\\n" not in str(n.message)
                   for n in app._notifications)
