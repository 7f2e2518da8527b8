"""The causal ledger, and the turn report's "why" built from it: the parts add up to the whole."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from game.play.runner import turns
from game.sim.ledger import Ledger
from game.sim.metrics import KEY_METRICS, metrics
from game.sim.step import Actions, initial_state, step
from game.sim.why import LEDGERED, contributions, top_causes
from game.strategies import get_strategy


def test_add_changes_the_array_and_records_the_cause():
    arrays = {"x": np.zeros((2, 3)), "y": np.ones(2)}
    ledger = Ledger(arrays, record=True)
    ledger.add("x", "lever:a", np.array([1.0, 2.0]), (1,))
    ledger.add("x", "lever:a", np.array([[0.5, 0.0, 0.0], [0.0, 0.0, 0.5]]))
    ledger.add("x", "drift:b", np.array([-1.0, -1.0]), (1,))
    ledger.add("y", "drift:b", np.array([3.0, 4.0]))
    np.testing.assert_array_equal(arrays["x"], [[0.5, 0.0, 0.0], [0.0, 1.0, 0.5]])
    np.testing.assert_array_equal(ledger.entries["lever:a"]["x"], [[0.5, 1.0, 0.0], [0.0, 2.0, 0.5]])
    np.testing.assert_array_equal(ledger.entries["drift:b"]["x"], [[0.0, -1.0, 0.0], [0.0, -1.0, 0.0]])
    np.testing.assert_array_equal(ledger.total("x"), arrays["x"])
    np.testing.assert_array_equal(ledger.total("y"), [3.0, 4.0])
    assert ledger.total("z") is None


def test_without_recording_the_arithmetic_is_the_same_and_nothing_is_kept():
    recorded, plain = {"x": np.zeros(3)}, {"x": np.zeros(3)}
    for arrays, record in ((recorded, True), (plain, False)):
        ledger = Ledger(arrays, record=record)
        ledger.add("x", "a", np.array([0.1, 0.2, 0.3]))
        ledger.add("x", "b", np.array([1e-17, -0.2, 7.0]))
    np.testing.assert_array_equal(recorded["x"], plain["x"])
    assert Ledger(plain, record=False).entries == {}


def test_mask_drops_what_finished_games_recorded():
    ledger = Ledger({"x": np.zeros((3, 2))}, record=True)
    ledger.add("x", "a", np.ones((3, 2)))
    ledger.mask(np.array([True, False, True]))
    np.testing.assert_array_equal(ledger.total("x"), [[1, 1], [0, 0], [1, 1]])


def _check_why_adds_up(world, seeds, strategy):
    played = 0
    for turn in turns(world, seeds, strategy, record=True):
        why = contributions(turn.before, turn.after, turn.report, world)
        before, after = metrics(turn.before, world), metrics(turn.after, world)
        for name in KEY_METRICS:
            total = sum(why[name].values(), np.zeros(len(seeds)))
            np.testing.assert_allclose(total, after[name] - before[name], rtol=0, atol=1e-9,
                                       err_msg=f"{name} at turn {turn.report.turn}")
        played += 1
    return played


@pytest.mark.parametrize("strategy", ["random", "balanced", "do_nothing"])
def test_why_of_every_key_metric_adds_up_to_its_change(world, strategy):
    assert _check_why_adds_up(world, [1, 2, 3], get_strategy(strategy)) == world.turns


def test_why_names_causes_and_the_top_list_is_sorted(world):
    state = initial_state(world, [4])
    after, report = step(state, Actions(np.full((1, len(world.lever_ids)), 2.0)), world, record=True)
    why = contributions(state, after, report, world)
    causes = {c for parts in why.values() for c in parts}
    assert any(c.startswith("lever:") for c in causes) and any(c.startswith("drift:") for c in causes)
    top = top_causes(why["domestic_share"], 0, limit=5)
    assert 0 < len(top) <= 5
    sizes = [abs(v) for _, v in top]
    assert sizes == sorted(sizes, reverse=True)


def test_games_that_end_early_stay_frozen_and_record_nothing(world):
    # Dismissal just below the starting approval: most games end within a few quarters, others play on.
    scenario = world.scenario.model_copy(update={"dismissal_approval": 53.0})
    early = dataclasses.replace(world, scenario=scenario)
    seeds = list(range(8))
    frozen = {}
    for turn in turns(early, seeds, get_strategy("random"), record=True):
        for i in np.flatnonzero(turn.before.done):
            assert _game_arrays_equal(turn.before, turn.after, i), i
            for by_name in turn.report.ledger.values():
                for name, delta in by_name.items():
                    assert not np.any(delta[i]), (i, name)
            frozen.setdefault(i, turn.report.turn)
        for name in LEDGERED:
            recorded = sum((c[name] for c in turn.report.ledger.values() if name in c),
                           np.zeros(getattr(turn.before, name).shape))
            change = getattr(turn.after, name).astype(float) - getattr(turn.before, name).astype(float)
            np.testing.assert_allclose(recorded, change, rtol=0, atol=1e-9, err_msg=name)
    assert frozen, "no game ended early: the test would prove nothing"
    assert _check_why_adds_up(early, seeds, get_strategy("random")) >= 1


def _game_arrays_equal(a, b, i):
    return all(np.array_equal(v[i], b.arrays()[k][i]) for k, v in a.arrays().items() if k != "pending")
