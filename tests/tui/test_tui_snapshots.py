"""Snapshots of every main screen at 80x24 and 120x40 (fixed seed, no animations, no clock).

Regenerate after a deliberate change to the look or to the content pack with
`.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`, and look at the SVGs before committing.
"""

from __future__ import annotations

import pytest
from tui_support import SEED, answer_events, end_turn, frozen_content, make_app, settle

from game.content.schema import quarter_index
from game.play.predictions import Prediction
from game.play.session import Session, TurnActions
from game.sim.compile import build_world
from game.tui.screens.dialogs import EventDialog

SIZES = [(80, 24), (120, 40)]


def sells_nec_kit(lever) -> bool:
    """A lever that buys NEC base stations: props NEC's installs or adds to its appeal to buyers."""
    return any((getattr(e, "vendor", None) == "nec" and e.kind == "prop")
               or (str(getattr(e, "target", "")).startswith("appeal.") and str(e.target).endswith(".nec"))
               for e in lever.effects)


def test_the_frozen_pack_is_the_2026_world():
    """NEC left the base-station market in December 2025 (facts.md section 10): no game from 2026 on offers
    money for its kit, and the frozen pack's screens say what the shipped content says."""
    pack = frozen_content()
    assert sells_nec_kit(pack.levers["subsidy-nec"])  # the check finds what it looks for
    later = [s for s in pack.scenarios.values() if quarter_index(s.start) >= quarter_index("2026Q1")]
    assert {"tutorial", "default"} <= {s.id for s in later}
    for s in later:
        world = build_world(pack, s.id)
        offered = [lever for lever, on in zip(world.lever_ids, world.offered, strict=True)
                   if on and sells_nec_kit(pack.levers[lever])]
        assert not offered, (s.id, offered)


async def _dashboard(pilot) -> None:
    await settle(pilot)
    await answer_events(pilot)
    await pilot.press("right", "right", "right", "right", "down", "down", "down", "right", "right")
    await settle(pilot)


async def _report(pilot) -> None:
    await _dashboard(pilot)
    await end_turn(pilot, stop_at_report=True)
    await settle(pilot)


async def _event(pilot) -> None:
    await settle(pilot)
    await answer_events(pilot)
    for _ in range(8):
        await end_turn(pilot)
        await settle(pilot)
        if isinstance(pilot.app.screen, EventDialog):
            return
    pytest.fail("no event with choices in the tutorial's quarters (check the test overlay event)")


async def _end(pilot) -> None:
    """The end screen of a tutorial played headlessly (the pilot test reaches it through the UI)."""
    await settle(pilot)
    app = pilot.app
    session = Session.replay(app.content, "tutorial", SEED, [
        TurnActions({"subsidy-fujitsu": 4, "rip-and-replace": 2, "rnd-b5g": 2})] * 8)
    session.predictions = {0: Prediction("domestic-share", 0.0262)}
    app.show_end(session)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title(snap_compare, size):
    assert snap_compare(make_app(frozen=True), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare, size):
    assert snap_compare(make_app(frozen=True, scenario="tutorial"), terminal_size=size, run_before=_dashboard)


async def _detail(pilot) -> None:
    """The dashboard with the lever detail pane: beside the levers when wide, toggled with i when narrow."""
    await _dashboard(pilot)
    if pilot.app.size.width < 140:
        await pilot.press("i")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard_detail(snap_compare, size):
    assert snap_compare(make_app(frozen=True, scenario="tutorial"), terminal_size=size, run_before=_detail)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_event_dialog(snap_compare, size):
    assert snap_compare(make_app(frozen=True, scenario="tutorial"), terminal_size=size, run_before=_event)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_event_dialog_with_previews(snap_compare, size):
    """The 2018 exercise's first question beside the dashboard, each answer's outlook filled in (the cursor
    on the first answer that bans nobody)."""
    app = make_app(frozen=True, scenario="exercise-procurement-2018", seed=2018)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_turn_report(snap_compare, size):
    assert snap_compare(make_app(frozen=True, scenario="tutorial"), terminal_size=size, run_before=_report)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_end_screen(snap_compare, size):
    assert snap_compare(make_app(frozen=True, scenario="tutorial"), terminal_size=size, run_before=_end)


@pytest.mark.parametrize("theme", ["textual-light", "homegrown-colourblind"])
def test_dashboard_themes(snap_compare, theme):
    app = make_app(frozen=True, scenario="tutorial", theme=theme)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_dashboard)
