"""Strategies: every built-in plays legal, reproducible moves for a whole batch; heavy strategies lean
on their category; greedy looks ahead without peeking at real draws; scripted:PATH plays a TOML plan
and reports bad files naming the file and the key."""

from __future__ import annotations

import numpy as np
import pytest

from game.cli import main
from game.content.schema import CATEGORIES
from game.play.runner import play
from game.sim.metrics import budget
from game.sim.step import Actions, initial_state, step
from game.strategies import BUILTIN, StrategyError, fill_budget, get_strategy
from game.strategies.builtin import Greedy, Lookahead, spent_share
from game.strategies.registry import ON_REQUEST
from game.strategies.scripted import Scripted

SEEDS = np.arange(40)


@pytest.mark.parametrize("name", [*BUILTIN, *ON_REQUEST])
def test_builtin_moves_are_legal_and_reproducible(name, world):
    strategy = get_strategy(name)
    seeds = SEEDS if name in BUILTIN else SEEDS[:6]  # lookahead plays hundreds of imagined games a move
    state = initial_state(world, seeds)
    for _ in range(3):
        actions = strategy.act(state, world)
        alloc = actions.allocations
        assert alloc.shape == (seeds.size, len(world.lever_ids))
        assert (alloc >= 0).all() and np.isfinite(alloc).all()
        assert (alloc <= world.arrays["lever_max"] + 1e-9).all()
        assert (alloc.sum(axis=1) <= budget(state, world) + 1e-6).all()
        again = get_strategy(name).act(state, world)
        np.testing.assert_array_equal(again.allocations, alloc)
        state, _ = step(state, actions, world)


@pytest.mark.parametrize(
    "name, seeds", [("random", [3, 11, 7]), ("greedy", [11, 3]), ("rnd_heavy", [3, 11, 7])]
)
def test_batch_equals_single(name, seeds, world):
    strategy = get_strategy(name)
    batch = play(world, seeds, strategy)
    for i, seed in enumerate(seeds):
        assert play(world, [seed], get_strategy(name)).hash(0) == batch.hash(i)


@pytest.mark.parametrize("name", ["random", "balanced", "export_heavy"])
def test_batch_size_never_changes_a_game(name, world):
    """fill_budget's water-filling stops per game, not when the whole batch is done."""
    big = play(world, np.arange(3, 93), get_strategy(name))
    small = play(world, np.arange(3, 48), get_strategy(name))
    assert [big.hash(i) for i in range(45)] == [small.hash(i) for i in range(45)]


@pytest.mark.parametrize("category", CATEGORIES)
def test_heavy_strategies_lean_on_their_category(category, world):
    state = initial_state(world, [1])
    heavy = get_strategy(f"{category}_heavy").act(state, world).allocations[0]
    balanced = get_strategy("balanced").act(state, world).allocations[0]
    in_cat = world.arrays["lever_category"] == category_index(category)
    assert heavy[in_cat].sum() > balanced[in_cat].sum()


def category_index(category: str) -> int:
    return CATEGORIES.index(category)


def test_greedy_picks_one_of_its_candidate_plans(world):
    greedy = Greedy()
    state = initial_state(world, SEEDS)
    plans = greedy.plans(state, world)
    chosen = greedy.act(state, world).allocations
    matches = (np.abs(plans - chosen[None]) < 1e-12).all(axis=2)  # [K,B]
    assert matches.any(axis=0).all()


def test_greedy_does_not_peek_at_the_real_draws(world, monkeypatch):
    """The look-ahead runs on forecast seeds, never on the game's own seeds."""
    from game.strategies import builtin

    seen = []
    real_close = builtin.close_quarter

    def spy(quarter, w, **options):
        seen.append(quarter.ledger.arrays["seed"].copy())
        return real_close(quarter, w, **options)

    monkeypatch.setattr(builtin, "close_quarter", spy)
    Greedy().act(initial_state(world, SEEDS), world)
    assert seen and not np.isin(seen[0], SEEDS.astype(np.uint64)).any()


def test_unknown_strategy_lists_the_valid_ones():
    with pytest.raises(StrategyError, match=r"unknown strategy 'greedyy'.*greedy.*scripted:PATH"):
        get_strategy("greedyy")


def test_lookahead_is_played_only_when_named_and_runs_from_the_command_line(capsys):
    assert "lookahead" not in BUILTIN  # a default sweep, the debrief and the golden table leave it out
    with pytest.raises(StrategyError, match=r"unknown strategy 'lookahed'.*lookahead"):
        get_strategy("lookahed")
    assert main(["run", "--scenario", "tutorial", "--seed", "4", "--strategy", "lookahead", "--json", "-"]) == 0
    assert '"strategy": "lookahead"' in capsys.readouterr().out


def test_module_attr_strategy():
    strategy = get_strategy("game.strategies.builtin:DoNothing")
    assert strategy.name == "do_nothing"


# ---------------------------------------------------------------- scripted:PATH


def write_script(tmp_path, text: str):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_scripted_plays_its_allocations_and_choices(tmp_path, world):
    lever_a, lever_b = [world.lever_ids[i] for i in np.flatnonzero(world.controllable)[:2]]
    event = next(e for e in world.content.events.values() if len(e.choices) >= 2)
    path = write_script(
        tmp_path,
        f"""
name = "two levers"
[[turn]]
quarter = "{world.quarter(0)}"
allocations = {{ {lever_a} = 2, {lever_b} = 1.5 }}
choices = {{ {event.id} = "{event.choices[1].id}" }}

[[turn]]
quarter = "{world.quarter(2)}"
allocations = {{ {lever_a} = 1 }}
""",
    )
    strategy = get_strategy(f"scripted:{path}")
    assert strategy.name == "two levers"
    final = play(world, [0, 1], strategy)
    spent = final.invested[:, [world.lever_ids.index(lever_a), world.lever_ids.index(lever_b)]]
    np.testing.assert_allclose(spent, [[3.0, 1.5], [3.0, 1.5]])
    actions = strategy.act(initial_state(world, [0]), world)
    assert actions.choices[0, world.event_ids.index(event.id)] == 1


def test_scripted_fill_repeat(tmp_path, world):
    lever = world.lever_ids[int(np.flatnonzero(world.controllable)[0])]
    path = write_script(
        tmp_path,
        f'fill = "repeat"\n[[turn]]\nquarter = "{world.quarter(0)}"\nallocations = {{ {lever} = 1 }}\n',
    )
    final = play(world, [0], get_strategy(f"scripted:{path}"))
    assert final.invested[0, world.lever_ids.index(lever)] == pytest.approx(world.turns * 1.0)


@pytest.mark.parametrize(
    "body, message",
    [
        ('[[turn]]\nquarter = "Q"\nallocations = {{ {lever}x = 1 }}\n', "not a quarter"),
        (
            '[[turn]]\nquarter = "{q0}"\nallocations = {{ {lever}x = 1 }}\n',
            r"turn\[0\]\.allocations\.{lever}x: unknown lever \(did you mean '{lever}'\?\)",
        ),
        (
            '[[turn]]\nquarter = "{q0}"\nallocations = {{ {lever} = 1000 }}\n',
            r"turn\[0\]\.allocations\.{lever}: .*max",
        ),
        ('[[turn]]\nquarter = "2199Q1"\n', r"turn\[0\]\.quarter: 2199Q1 is not in the scenario"),
        ('[[turn]]\nquarter = "{q0}"\n[[turn]]\nquarter = "{q0}"\n', r"turn\[1\]\.quarter: .* listed twice"),
        (
            '[[turn]]\nquarter = "{q0}"\nchoices = {{ no-such-event = "x" }}\n',
            r"turn\[0\]\.choices\.no-such-event: unknown event",
        ),
    ],
)
def test_scripted_errors_name_the_file_and_key(tmp_path, world, body, message):
    lever, q0 = world.lever_ids[int(np.flatnonzero(world.controllable)[0])], world.quarter(0)
    path = write_script(tmp_path, body.format(lever=lever, q0=q0))
    with pytest.raises(StrategyError, match=f"plan.toml: .*{message.format(lever=lever, q0=q0)}"):
        get_strategy(f"scripted:{path}").check(world)


def test_scripted_over_budget_turn(tmp_path, world):
    arr = world.arrays
    order = [i for i in np.argsort(-arr["lever_max"]) if world.controllable[i]]
    amounts, total = {}, 0.0
    for i in order:  # enough levers at their max to go over the budget
        amounts[world.lever_ids[i]] = float(arr["lever_max"][i])
        total += arr["lever_max"][i]
        if total > world.scenario.budget:
            break
    table = ", ".join(f"{k} = {v}" for k, v in amounts.items())
    path = write_script(tmp_path, f'[[turn]]\nquarter = "{world.quarter(1)}"\nallocations = {{ {table} }}\n')
    with pytest.raises(
        StrategyError, match=r"plan.toml: turn\[0\]\.allocations: .* more than the scenario's budget"
    ):
        get_strategy(f"scripted:{path}").check(world)


@pytest.mark.parametrize(
    "text, message",
    [
        ("[[turn]\n", "invalid TOML"),
        ("turns = []\n", r"turns: unknown key \(did you mean 'turn'\?\)"),
        (
            '[[turn]]\nquarter = "2026Q1"\nallocations = { a = -1 }\n',
            r"turn\[0\]\.allocations\.a: must be a number, 0 or more",
        ),
        ('fill = "sometimes"\n', "fill: must be one of nothing, repeat"),
    ],
)
def test_scripted_file_errors(tmp_path, text, message):
    path = write_script(tmp_path, text)
    with pytest.raises(StrategyError, match=f"plan.toml: .*{message}"):
        Scripted.load(str(path))


def test_scripted_missing_file():
    with pytest.raises(StrategyError, match=r"no-such-plan\.toml: cannot read"):
        get_strategy("scripted:no-such-plan.toml")


def test_run_with_a_bad_script_is_a_usage_error(tmp_path, capsys):
    path = write_script(tmp_path, "[[turn]\n")
    assert main(["run", "--strategy", f"scripted:{path}"]) == 2
    assert "invalid TOML" in capsys.readouterr().err


# ---------------------------------------------------------------- lookahead


@pytest.fixture(scope="module")
def tutorial(content):
    from game.sim.compile import build_world

    return build_world(content, "tutorial")


def test_lookahead_plays_a_game_the_same_alone_or_in_any_batch_or_chunk(tutorial):
    seeds = [11, 3, 7, 5]
    batch = play(tutorial, seeds, Lookahead())
    one_game_per_chunk = Lookahead()
    one_game_per_chunk.max_rows = 1  # every game's imagined futures step on their own
    chunked = play(tutorial, seeds, one_game_per_chunk)
    for i, seed in enumerate(seeds):
        assert play(tutorial, [seed], Lookahead()).hash(0) == batch.hash(i) == chunked.hash(i)


def test_lookahead_does_not_peek_at_the_real_draws(tutorial, monkeypatch):
    """Every imagined future runs on seeds derived from the game's own seed and turn, never the game's seeds."""
    from game.strategies import builtin

    seen = []
    real_step = builtin.step

    def spy(state, actions, w, **options):
        seen.append(state.seed.copy())
        return real_step(state, actions, w, **options)

    monkeypatch.setattr(builtin, "step", spy)
    seeds = np.arange(6)
    state = initial_state(tutorial, seeds)
    Lookahead(futures=3).act(state, tutorial)
    K = Lookahead().candidates(state, tutorial).count
    assert len(seen) == tutorial.turns and all(s.size == seeds.size * K * 3 for s in seen)
    assert not np.isin(np.concatenate(seen), seeds.astype(np.uint64)).any()
    assert len(np.unique(seen[0])) == seeds.size * 3  # three futures per game, shared by its candidates


def test_lookahead_plays_one_of_its_candidates(tutorial):
    la = Lookahead()
    state = initial_state(tutorial, SEEDS)
    c = la.candidates(state, tutorial)
    plans = np.stack([fill_budget(c.weights[:, k], state, tutorial, spent_share(state, tutorial, c.shares[k]))
                      for k in range(c.count)])
    actions = la.act(state, tutorial)
    matches = (np.abs(plans - actions.allocations[None]) < 1e-12).all(axis=2)  # [K,B]
    matches &= (c.choices[:, None, :] == actions.choices[None]).all(axis=2)
    assert matches.any(axis=0).all()


class FirstCandidate(Lookahead):
    """The look-ahead switched off: always candidate 0 (balanced, the whole budget, the default answers)."""

    def pick(self, state, world, c):
        return np.zeros(state.batch, dtype=np.int64)


class Kept:
    """One of the look-ahead's candidates kept for the whole game."""

    name = "kept"

    def __init__(self, split, share, choices):
        self.split, self.share, self.choices = split, share, choices

    def act(self, state, world):
        from game.strategies.builtin import category_lever_weights

        w = np.broadcast_to(category_lever_weights(self.split, world), (state.batch, len(world.lever_ids)))
        share = spent_share(state, world, np.full(state.batch, self.share))
        return Actions(fill_budget(w, state, world, share), np.broadcast_to(self.choices, (state.batch,
                                                                                                 self.choices.size)))


def wins(world, strategy, seeds) -> int:
    from game.sim.scoring import evaluate

    return int((evaluate(play(world, seeds, strategy), world).outcome == 0).sum())


def test_lookahead_beats_balanced_and_every_candidate_it_weighs_played_alone(content):
    """On fixed seeds, planning to the end wins more than balanced and than the look-ahead switched off (always
    candidate 0), and about as much as the best of its candidates kept for the whole game (a split with an
    answer policy, which the bot cannot know in advance): within 2 of 40 games, paired noise (measured on 300
    seeds of today's tutorial: 85.7 % against the best candidate's 88.3 %; on default 95 % against 88 %; on
    these 40 seeds 18 against balanced's 8, the switched-off bot's 8 and the best candidate's 19)."""
    from _balance_support import calibrated

    from game.sim.compile import build_world
    from game.strategies.answers import by_name

    tutorial = build_world(calibrated(content), "tutorial")  # goals balanced meets in 60 % of its games
    seeds = np.arange(40)
    la = Lookahead()
    ahead = wins(tutorial, la, seeds)
    assert ahead > wins(tutorial, get_strategy("balanced"), seeds)
    assert ahead > wins(tutorial, FirstCandidate(), seeds)
    alone = [wins(tutorial, Kept(split, share, policy.choices), seeds)
             for split in la.splits for share in la.shares for policy in by_name(tutorial, la.answer_policies)]
    assert ahead >= max(alone) - 2, (ahead, alone)


def test_lookahead_weighs_a_final_stretch_and_plays_it_once_it_has_begun(content):
    """Each split is weighed with a final stretch of its own (the same split, or subsidy-heavy); the chosen
    candidate's late split is played from quarter `switch` on, its early split before."""
    from game.sim.compile import build_world
    from game.strategies.builtin import category_lever_weights

    world = build_world(content, "default")
    la = Lookahead()
    state = initial_state(world, np.arange(3))
    c = la.candidates(state, world)
    assert c.count == 17 * 2 * 2 * 2 and c.switch == 14  # the last 30 % of a 20-quarter game
    heavy = np.broadcast_to(category_lever_weights(la.late[0], world), c.weights[:, 0].shape)
    late = np.flatnonzero([(np.abs(c.late[:, k] - heavy) < 1e-12).all() and not
                           (np.abs(c.weights[:, k] - heavy) < 1e-12).all() for k in range(c.count)])
    assert late.size == c.count // 2 - 2 * 2  # every split but the subsidy-heavy one itself gets a changed stretch

    class Chooses(Lookahead):
        def pick(self, state, world, c):
            return np.full(state.batch, late[0])

    for turn, expected in ((c.switch - 1, c.weights[:, late[0]]), (c.switch, heavy)):
        at = state.replace(turn=turn)
        share = spent_share(at, world, np.full(3, c.shares[late[0]]))
        assert np.allclose(Chooses().act(at, world).allocations, fill_budget(expected, at, world, share))
