"""The terminal keeps dates true: an invented event's dialog says "(fiction)", and a lever that did not
exist yet is shown as waiting and cannot be funded until its `since` quarter."""

from __future__ import annotations

import asyncio

from textual.app import App
from tui_support import tui_content

from game.content.schema import quarter_index
from game.render.labels import FICTION_TAG
from game.sim.compile import build_world
from game.tui.plan import Plan
from game.tui.screens.dialogs import EventDialog


def dialog_title(event_id: str) -> str:
    event = tui_content().events[event_id]

    async def run() -> str:
        app: App = App()
        async with app.run_test() as pilot:
            app.push_screen(EventDialog(event, "2026Q1"))
            await pilot.pause()
            return str(app.screen.query_one("#event-title").render())

    return asyncio.run(run())


def test_the_event_dialog_tags_invented_events_only():
    content = tui_content()
    invented = next(e for e in content.events.values() if e.fiction and e.choices)
    real = next(e for e in content.events.values() if e.date and e.choices)
    assert FICTION_TAG in dialog_title(invented.id)
    assert FICTION_TAG not in dialog_title(real.id)


def test_a_lever_waits_for_its_since_quarter_in_the_plan():
    content = tui_content()
    world = build_world(content, "history-2019")
    plan = Plan.for_world(world, 10.0)
    quad = content.levers["alliance-quad"]
    assert plan.waiting["alliance-quad"] == "offered from 2022Q2: it did not exist yet"
    assert "offered from 2022Q2" in (plan.change(quad, 1) or "") and plan.amounts["alliance-quad"] == 0.0
    assert plan.check(world, 0) == {}
    plan.advance(world, quarter_index("2022Q2") - world.start_index)
    assert "alliance-quad" not in plan.waiting
    assert plan.change(quad, 1) is None
    assert plan.check(world, quarter_index("2022Q2") - world.start_index) == {"alliance-quad": quad.step}
