"""Game i of a batch equals the same game run alone, bit for bit, for the whole scenario.

This is what lets one core serve the TUI (B = 1) and balance sweeps (B = thousands).
"""

from __future__ import annotations

import numpy as np
import pytest

from game.play.runner import turns
from game.sim.rng import Purpose, uniform
from game.sim.state import stack
from game.sim.step import Actions
from game.strategies import get_strategy

SEEDS = [0, 1, 2, 7, 12345, 2**63 - 1]
REPORT_ARRAYS = ("budget", "spent", "refused", "events", "choices", "incidents", "major_incidents", "deals")


class WildPerGame:
    """Each game its own absurd plan (negative, NaN, huge, over budget), keyed by its seed and turn."""

    name = "wild"

    def act(self, state, world):
        L, E = len(world.lever_ids), len(world.event_ids)
        u = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, np.arange(L)[None, :])
        alloc = np.select([u < 0.1, u < 0.2, u < 0.3], [np.nan, -5.0, 1e9], default=u * 15)
        picks = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, 500 + np.arange(E)[None, :])
        return Actions(alloc, (picks * 6).astype(np.int64) - 2)


def play(world, seeds, strategy):
    """(per-turn states, per-turn reports) of the games started from `seeds`, played as one batch."""
    states, reports = [], []
    for turn in turns(world, seeds, strategy, record=True):
        states.append(turn.after)
        reports.append(turn.report)
    return states, reports


@pytest.mark.parametrize("strategy", [get_strategy("random"), WildPerGame(), get_strategy("balanced")],
                         ids=lambda s: s.name)
def test_batch_equals_games_run_one_at_a_time(world, strategy):
    batch_states, batch_reports = play(world, SEEDS, strategy)
    assert len(batch_states) == world.turns
    for i, seed in enumerate(SEEDS):
        alone_states, alone_reports = play(world, [seed], strategy)
        assert len(alone_states) == len(batch_states)
        for t, (together, alone) in enumerate(zip(batch_states, alone_states, strict=False)):
            assert together.hash(i) == alone.hash(0), f"seed {seed} differs at turn {t + 1}"
            for name, array in together.arrays().items():
                assert np.array_equal(array[i], alone.arrays()[name][0]), (seed, t, name)
        for t, (together, alone) in enumerate(zip(batch_reports, alone_reports, strict=False)):
            for name in REPORT_ARRAYS:
                assert np.array_equal(getattr(together, name)[i], getattr(alone, name)[0]), (seed, t, name)


def test_games_in_a_batch_really_differ(world):
    """The comparison above is not vacuous: the random strategy plays different games per seed."""
    states, reports = play(world, SEEDS, get_strategy("random"))
    assert len(set(states[-1].hashes())) == len(SEEDS)
    assert not np.array_equal(reports[0].spent[0], reports[0].spent[1])


def test_batch_order_does_not_matter(world):
    strategy = get_strategy("random")
    forward, _ = play(world, SEEDS, strategy)
    backward, _ = play(world, SEEDS[::-1], strategy)
    assert forward[-1].hashes() == backward[-1].hashes()[::-1]


def test_split_and_stack_round_trip(world):
    states, _ = play(world, SEEDS[:3], get_strategy("random"))
    middle = states[len(states) // 2]
    rebuilt = stack([middle.game(i) for i in range(middle.batch)])
    assert rebuilt.hashes() == middle.hashes()
    four = middle.game(1).repeat(4)
    assert four.hashes() == [middle.hash(1)] * 4


def test_every_scenario_of_the_pack_is_batch_equivalent(content):
    """Lighter check for the other scenarios: the final state of the game in the middle of a batch."""
    from game.sim.compile import build_world

    strategy = get_strategy("random")
    for scenario in content.scenarios:
        world = build_world(content, scenario)
        together, _ = play(world, [1, 2, 3], strategy)
        alone, _ = play(world, [2], strategy)
        # a game alone stops when it ends (dismissed early, say); in the batch it waits for the others
        assert together[len(alone) - 1].hash(1) == alone[-1].hash(0), scenario


def test_the_lookahead_bot_is_batch_equivalent_turn_by_turn(content):
    """It imagines every game's futures in one big batch: each game still plays as it would alone."""
    from game.sim.compile import build_world

    tutorial = build_world(content, "tutorial")
    strategy = get_strategy("lookahead")
    seeds = SEEDS[:4]
    together, together_reports = play(tutorial, seeds, strategy)
    for i, seed in enumerate(seeds):
        alone, alone_reports = play(tutorial, [seed], strategy)
        # a game alone stops when it ends; in the batch it waits, unchanged, for the others
        assert [s.hash(i) for s in together[:len(alone)]] == [s.hash(0) for s in alone], seed
        assert all(s.hash(i) == alone[-1].hash(0) for s in together[len(alone):]), seed
        for a, b in zip(together_reports, alone_reports, strict=False):
            for name in REPORT_ARRAYS:
                assert np.array_equal(getattr(a, name)[i], getattr(b, name)[0]), (seed, name)
