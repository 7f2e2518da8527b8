"""Shared helpers for the TUI tests (imported by name: tests/tui is on sys.path under pytest)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from game.content.loader import Content, load_content
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, EventDialog
from game.tui.screens.end import EndScreen
from game.tui.screens.report import TurnReportScreen

FIXTURES = Path(__file__).parent / "fixtures"
OVERLAY = FIXTURES / "tui-overlay"
FROZEN = FIXTURES / "snapshot-pack"  # a frozen pack for snapshots: content/ may change, they must not
SEED = 6  # a tutorial seed whose first quarter has no event (content changes may need a new one)

_CONTENT: Content | None = None


def tui_content() -> Content:
    global _CONTENT
    if _CONTENT is None:
        _CONTENT = load_content(str(OVERLAY))
    return _CONTENT


_FROZEN: Content | None = None


def frozen_content() -> Content:
    global _FROZEN
    if _FROZEN is None:
        _FROZEN = load_content(str(FROZEN), include_default=False)
    return _FROZEN


def make_app(scenario: str | None = None, seed: int = SEED, samples: int = 32, frozen: bool = False,
             **kwargs):
    from game.tui.app import HomegrownApp

    content = frozen_content() if frozen else tui_content()
    return HomegrownApp(content, scenario=scenario, seed=seed, forecast_samples=samples, **kwargs)


async def settle(pilot) -> None:
    """Let workers (the forecast) finish and the screen catch up."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@asynccontextmanager
async def on_dashboard(scenario: str = "tutorial", size: tuple[int, int] = (80, 24), answer: bool = True,
                    notifications: bool = False, **kwargs) -> AsyncIterator:
    """The opening of most TUI tests: a game of `scenario` (make_app's keywords: seed, samples...) run at
    `size`, its forecast settled and, unless `answer` is False, the first quarter's events answered with 1.
    Yields the Pilot (its app's screen is the dashboard)."""
    app = make_app(scenario=scenario, **kwargs)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await settle(pilot)
        if answer:
            await answer_events(pilot)
        yield pilot


async def answer_events(pilot, pick: str = "1") -> int:
    n = 0
    while isinstance(pilot.app.screen, EventDialog):
        await pilot.press(pick)
        await pilot.pause()
        n += 1
    return n


async def end_turn(pilot, stop_at_report: bool = False) -> None:
    """From the dashboard: end the turn, confirm, and (unless asked to stop) close the report."""
    app = pilot.app
    await answer_events(pilot)
    assert isinstance(app.screen, DashboardScreen), type(app.screen)
    await pilot.press("e")
    await pilot.pause()
    await answer_events(pilot)
    if isinstance(app.screen, ConfirmScreen):
        await pilot.press("y")
        await pilot.pause()
    assert isinstance(app.screen, TurnReportScreen), type(app.screen)
    if not stop_at_report:
        await pilot.press("enter")
        await pilot.pause()


async def play_to_end(pilot) -> None:
    while not isinstance(pilot.app.screen, EndScreen):
        await end_turn(pilot)
    await settle(pilot)
