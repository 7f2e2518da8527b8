"""Greedy's cheap look-ahead decides exactly as the plain one: the look-ahead step (no next-quarter event
draw) leaves every array but `pending` bit for bit the full step's, in every scenario and on every turn,
and greedy forks only the games still playing, picking what a plain full-step fork of the whole batch
picks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import game.strategies.builtin as builtin
from game.sim.compile import build_world
from game.sim.rng import Purpose, hash64
from game.sim.scoring import evaluate
from game.sim.state import State
from game.sim.step import Actions, close_quarter, initial_state, open_quarter, step
from game.strategies import get_strategy
from game.strategies.builtin import Greedy

SCENARIOS = ("6g-race", "default", "exercise-procurement-2018", "exercise-southeast-asia", "history-2019",
             "southeast-asia", "tutorial")


def plain_greedy(state: State, world, greedy: Greedy) -> np.ndarray:
    """int[B] the plan the definition picks: every game's every candidate through a full step."""
    plans = greedy.plans(state, world)
    forked = state.replace(seed=hash64(state.seed, state.turn, Purpose.FORECAST, 0))
    values = [evaluate(step(forked, Actions(p), world)[0], world).exact for p in plans]
    return np.argmax(np.stack(values), axis=0)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_lookahead_step_is_the_full_step_but_for_next_quarters_events(scenario, content):
    world = build_world(content, scenario)
    state = initial_state(world, np.arange(120))
    mover, greedy = get_strategy("random"), Greedy()
    skipped = 0
    while not state.done.all():
        for actions in (mover.act(state, world), Actions(greedy.plans(state, world)[state.turn % 16])):
            full, _ = step(state, actions, world)
            lite, _ = step(state, actions, world, lookahead=True)
            for name, value in full.arrays().items():
                if name != "pending":
                    assert np.array_equal(value, getattr(lite, name), equal_nan=True), (scenario, state.turn, name)
            assert not lite.pending.any()
            skipped += int(full.pending.sum())
            assert np.array_equal(evaluate(full, world).exact, evaluate(lite, world).exact)
        state, _ = step(state, mover.act(state, world), world)
    assert skipped > 0  # the full step drew events the look-ahead step did not


def test_greedy_decides_as_the_plain_fork_in_every_scenario(content):
    for scenario in SCENARIOS:
        world = build_world(content, scenario)
        state, greedy = initial_state(world, np.arange(30)), Greedy()
        for _ in range(3):
            picked = greedy.act(state, world).allocations
            plans = greedy.plans(state, world)
            np.testing.assert_array_equal(picked, plans[plain_greedy(state, world, greedy), np.arange(state.batch)])
            state, _ = step(state, Actions(picked), world)


def distinct_plans(plans: np.ndarray, game: int) -> int:
    return len({plan.tobytes() for plan in plans[:, game]})


@given(finished=st.lists(st.booleans(), min_size=12, max_size=12), turn=st.integers(0, 6),
       max_rows=st.sampled_from([1, 12, 50, 1024]))
def test_greedy_imagines_only_distinct_plans_of_games_still_playing(finished, turn, max_rows, world):
    state = initial_state(world, np.arange(12))
    balanced = get_strategy("balanced")
    for _ in range(turn):
        state, _ = step(state, balanced.act(state, world), world)
    done = np.array(finished)
    state = state.replace(done=done, dismissed=done)
    forked: list[int] = []

    def counting(quarter, w, **options):
        forked.append(quarter.active.size)
        return close_quarter(quarter, w, **options)

    # the balanced plan twice over: its copy is never imagined
    greedy = Greedy(candidates=[*Greedy().candidates, Greedy().candidates[0]], max_rows=max_rows)
    plans = greedy.plans(state, world)
    expected = plans[plain_greedy(state, world, greedy), np.arange(state.batch)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builtin, "close_quarter", counting)
        picked = greedy.act(state, world).allocations
    assert sum(forked) == sum(distinct_plans(plans, b) for b in np.flatnonzero(~done))
    assert sum(forked) <= (len(greedy.candidates) - 1) * int((~done).sum())  # the copy never
    assert all(rows <= max(max_rows, 12) for rows in forked)
    np.testing.assert_array_equal(picked, expected)


def test_where_an_event_touches_the_reserve_greedy_spends_before_it_as_the_plain_step(content):
    # The supplementary budget paid into the reserve: a plan spent after the events would change its bits
    # (and a `set` its meaning), so no opening is shared, and greedy still picks what the definition picks.
    event = content.events["supplementary-budget"]
    effects = [e.model_copy(update={"target": "reserve"}) if e.target == "budget" else e for e in event.effects]
    changed = dataclasses.replace(content, events={**content.events,
                                                   event.id: event.model_copy(update={"effects": effects})})
    world = build_world(changed, "default")
    assert world.events_touch_reserve and not build_world(content, "default").events_touch_reserve
    state = initial_state(world, np.arange(24))
    with pytest.raises(AssertionError):
        open_quarter(state, world)
    fires = state.pending.copy()
    fires[::2, world.event_ids.index(event.id)] = True
    state, greedy = state.replace(pending=fires), Greedy()
    picked = greedy.act(state, world).allocations
    plans = greedy.plans(state, world)
    np.testing.assert_array_equal(picked, plans[plain_greedy(state, world, greedy), np.arange(state.batch)])
    after, _ = step(state, Actions(picked), world)
    assert (after.reserve[::2] > after.reserve[1::2] + 5).all()  # the event's ¥6B reached the reserve
