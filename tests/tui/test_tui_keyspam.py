"""Key spam: 120 random keys and four resizes from every screen; no crash, state still valid."""

from __future__ import annotations

import asyncio
import random

import numpy as np
import pytest
from textual import events
from tui_support import end_turn, make_app, on_dashboard, settle

from game.tui.screens.dashboard import DashboardScreen

# Every key the app uses, and some it does not. Not ctrl+q / q (quit) nor ctrl+p (the palette can run "Quit").
KEYS = ["up", "down", "left", "right", "enter", "escape", "space", "tab", "shift+tab", "pageup", "pagedown",
        "e", "v", "p", "y", "n", "m", "c", "l", "h", "j", "k", "0", "1", "2", "3", "9", "plus", "minus",
        "question_mark", "left_square_bracket", "right_square_bracket", "delete", "backspace", "ctrl+t",
        "x", "home", "end", "f1"]
CHARS = {"plus": "+", "minus": "-", "question_mark": "?", "left_square_bracket": "[",
         "right_square_bracket": "]", "space": " "}
SIZES = [(80, 24), (160, 48), (60, 20), (120, 40), (80, 24)]
KEYS_PER_START = 120
RESIZE_EVERY = 30  # 80x24, 160x48, 60x20, 120x40 within KEYS_PER_START keys; the state is checked every 20


def send_key(app, key: str) -> None:
    char = CHARS.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


def check_state(app) -> None:
    session = app.session
    if session is None:
        return
    s = session.state
    assert np.allclose(s.shares.sum(axis=2), 1.0)
    assert ((s.shares >= -1e-12) & (s.shares <= 1 + 1e-12)).all()
    assert s.turn == len(session.history) == len(session.log)
    assert all(np.isfinite(v) for h in session.history for v in h.metrics.values())
    for h in session.history:
        assert h.spent <= h.budget + 1e-9
        assert not h.refused
    for screen in app.screen_stack:
        if isinstance(screen, DashboardScreen):
            assert screen.plan.spent <= screen.plan.budget + 1e-9
            assert all(0 <= v <= lv.max + 1e-9 for lv in screen.plan.levers
                       for v in [screen.plan.amounts[lv.id]])


async def spam(pilot, rng: random.Random, n: int) -> None:
    app = pilot.app
    for i in range(n):
        send_key(app, rng.choice(KEYS))
        if i % 20 == 19:
            await pilot.pause()
            check_state(app)
        if i % RESIZE_EVERY == RESIZE_EVERY - 1:
            await pilot.resize_terminal(*SIZES[(i // RESIZE_EVERY) % len(SIZES)])
    await settle(pilot)
    check_state(app)


async def _to_title(pilot):
    await settle(pilot)


async def _to_dashboard(pilot):
    await settle(pilot)


async def _to_report(pilot):
    await settle(pilot)
    await end_turn(pilot, stop_at_report=True)


async def _to_help(pilot):
    await settle(pilot)
    await pilot.press("question_mark")


async def _to_end(pilot):
    await settle(pilot)
    from game.play.session import Session, TurnActions

    app = pilot.app
    app.session = Session.replay(app.content, "tutorial", 6, [TurnActions({"subsidy-fujitsu": 3})] * 8)
    app.show_end(app.session)
    await pilot.pause()


STARTS = {
    "title": (None, _to_title),
    "dashboard": ("tutorial", _to_dashboard),
    "report": ("tutorial", _to_report),
    "help": ("tutorial", _to_help),
    "end": (None, _to_end),
}


@pytest.mark.parametrize("start", list(STARTS))
def test_key_spam(start):
    scenario, reach = STARTS[start]

    async def run():
        app = make_app(scenario=scenario, samples=16)
        async with app.run_test(size=(80, 24)) as pilot:
            await reach(pilot)
            quits: list[int] = []
            real_exit = app.exit
            app.exit = lambda *a, **k: quits.append(1)  # "Quit" in a menu is a fair key to hit: keep going
            await spam(pilot, random.Random(f"spam-{start}"), KEYS_PER_START)
            assert app.is_running
            app.exit = real_exit
            # still usable afterwards: help opens and closes
            await pilot.press("escape", "escape")
            await pilot.press("question_mark")
            await pilot.pause()

    asyncio.run(run())


BURST = ["right", "right", "down", "left", "right", "up", "m", "down", "right", "0"] * 15  # 150 lever keys


def test_a_burst_of_keys_leaves_no_backlog_of_forecasts():
    """150 lever keys typed at once: each is handled, one forecast is started once the keys pause (not one
    a key: every thread start waited for the GIL behind the running forecast), and the forecast shown is
    the final plan's."""

    async def run():
        async with on_dashboard(scenario="default", samples=16, size=(80, 24), answer=False) as pilot:
            app = pilot.app
            while not isinstance(app.screen, DashboardScreen):
                await pilot.press("1")
                await pilot.pause()
            dash = app.screen
            await settle(pilot)
            started: list[dict[str, float]] = []
            real = dash.run_forecast

            def counted(stamp, state, allocations, *rest):
                started.append(dict(allocations))
                return real(stamp, state, allocations, *rest)

            dash.run_forecast = counted
            before = dash.plan.allocations()
            for key in BURST:
                send_key(app, key)
            await settle(pilot)
            await settle(pilot)
            after = dash.plan.allocations()
            assert after != before  # the keys were handled
            assert 1 <= len(started) <= 5, f"{len(started)} forecasts started for {len(BURST)} keys"
            assert started[-1] == after
            turn, choices = dash.session.state.turn, dict(dash.choices)
            assert dash.forecast is dash._cache[dash._key(turn, after, choices)]

    asyncio.run(run())
