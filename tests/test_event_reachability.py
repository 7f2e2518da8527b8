"""Every event can fire: seeded games with the `random` strategy, batched, in every scenario that allows the
event. An event that never fires in any of them is listed in the failure message."""

import time

import numpy as np

from game.content.loader import load_content
from game.sim.compile import build_world
from game.sim.step import initial_state, step
from game.strategies import get_strategy

GAMES = 300  # per scenario


def fired_counts(content, scenario_id: str, games: int = GAMES) -> dict[str, int]:
    world = build_world(content, scenario_id)
    strategy = get_strategy("random")
    state = initial_state(world, np.arange(games) + 1000)
    while state.turn < world.turns and not state.done.all():
        state, _ = step(state, strategy.act(state, world), world)
    totals = (state.fired > 0).sum(axis=0)
    return {event_id: int(totals[i]) for i, event_id in enumerate(world.event_ids)}


def allowed(event, scenario) -> bool:
    in_list = event.scenarios is None or scenario.id in event.scenarios
    return in_list and event.id not in scenario.exclude_events


def test_every_event_fires_in_some_scenario_that_allows_it():
    content = load_content()
    began = time.perf_counter()
    fired = dict.fromkeys(content.events, 0)
    where = {event_id: [] for event_id in content.events}
    for scenario in content.scenarios.values():
        counts = fired_counts(content, scenario.id)
        for event_id, event in content.events.items():
            if allowed(event, scenario):
                where[event_id].append(scenario.id)
                fired[event_id] += counts[event_id]
    never = sorted(e for e, n in fired.items() if n == 0)
    detail = "\n".join(f"  {e} (allowed in: {', '.join(where[e]) or 'no scenario'})" for e in never)
    assert not never, f"{len(never)} event(s) never fired in {GAMES} random games per scenario:\n{detail}"
    assert time.perf_counter() - began < 60


def test_no_event_is_allowed_nowhere():
    content = load_content()
    orphans = [e.id for e in content.events.values()
               if not any(allowed(e, s) for s in content.scenarios.values())]
    assert not orphans, f"events no scenario allows: {orphans}"
