"""The `reactive` search family: state features, the batched policy, its exported file and the registry's
`PATH.py:attr` loading."""

from __future__ import annotations

import json

import numpy as np
import pytest
from _cli_support import one_error_line

from game.analysis.reactive import Reactive, ReactivePlay, feature_names, features
from game.analysis.search import make_space
from game.cli import main
from game.play.runner import play, turns
from game.sim.compile import build_world
from game.sim.metrics import budget
from game.strategies import StrategyError, get_strategy
from game.strategies.base import fill_budget
from game.strategies.builtin import Greedy, RandomPlay


def random_theta(space, candidates, seed=0, scale=1.5):
    return np.random.default_rng(seed).normal(0.0, scale, (candidates, Reactive().dim(space)))


def choices_for(space, candidates, seed=0):
    """Random answers to the answerable events, -1 elsewhere (as the search builds them)."""
    arr = space.world.arrays
    out = np.full((candidates, len(space.world.event_ids)), -1, dtype=np.int64)
    rng = np.random.default_rng(seed)
    for e in space.answerable:
        out[:, e] = rng.integers(0, arr["event_choices"][e], candidates)
    return out


def test_features_are_finite_and_bounded_in_every_scenario(content):
    for scenario in content.scenarios:
        world = build_world(content, scenario)
        names = feature_names(world)
        assert len(names) == len(set(names)) == len(world.goals) + 11 and names[-1] == "bias"
        for turn in turns(world, np.arange(4), RandomPlay()):
            f = features(turn.before, world)
            assert f.shape == (4, len(names))
            assert np.isfinite(f).all() and (np.abs(f) <= 1.0).all(), scenario
            assert (f[:, -1] == 1.0).all()


def test_the_policy_spends_within_the_budget_and_the_levers_max(world):
    space = make_space(world, forbid=["alliance", "rnd-b5g"])
    P = 6
    strategy = Reactive().strategy(random_theta(space, P, scale=4.0), choices_for(space, P), space, 1)
    controllable_not_free = world.controllable & ~space.free
    spent_any = 0.0
    for turn in turns(world, np.arange(P), strategy):
        alloc = strategy.allocations(turn.before, world)
        assert (alloc.sum(axis=1) <= budget(turn.before, world) + 1e-9).all()
        assert (alloc <= world.arrays["lever_max"] + 1e-9).all()
        assert (alloc[:, controllable_not_free] == 0).all()
        assert (turn.report.spent <= alloc + 1e-9).all()
        spent_any += float(alloc.sum())
    assert spent_any > 0


def test_the_same_parameters_give_the_same_games_in_a_batch_or_alone(world):
    space = make_space(world)
    P, seeds = 3, np.array([5, 11])
    theta, choices = random_theta(space, P, seed=1), choices_for(space, P, seed=1)
    together = play(world, np.tile(seeds, P), Reactive().strategy(theta, choices, space, seeds.size)).hashes()
    for p in range(P):
        for s, seed in enumerate(seeds):
            alone = play(world, seed[None], Reactive().strategy(theta[p:p + 1], choices[p:p + 1], space, 1))
            assert alone.hash() == together[p * seeds.size + s]
    assert len(set(together)) > 1  # the candidates really play differently


def test_a_state_free_plan_is_the_bias_column(world):
    """With every non-bias weight zero, a reactive plan weighs each lever by exp(bias) in every quarter, and
    keeps exp(keep bias) / (that + the levers' weights) of the budget unspent."""
    space = make_space(world)
    F = len(feature_names(world))
    bias = np.random.default_rng(2).normal(0, 1, len(world.lever_ids) + 1)  # the last: money kept
    weights = np.zeros((1, len(world.lever_ids) + 1, F))
    weights[0, :, -1] = bias
    plan = ReactivePlay(weights, space.free, np.full((1, len(world.event_ids)), -1))
    levers = np.where(space.free, np.exp(bias[:-1]), 0.0)
    expected = np.tile(levers, (2, 1))
    share = levers.sum() / (levers.sum() + np.exp(bias[-1]))
    for turn in turns(world, np.arange(2), plan):
        assert np.allclose(plan.allocations(turn.before, world), fill_budget(expected, turn.before, world, share))


def test_the_exported_file_replays_through_sweep_and_run_to_the_validated_result(tmp_path, capsys, content):
    out = tmp_path / "out"
    assert main(["search", "--family", "reactive", "--generations", "2", "--population", "6", "--seeds", "6",
                 "--validate", "40", "--out", str(out), "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    [family] = doc["families"]
    plan = out / "plan-reactive.py"
    assert family["family"] == "reactive" and family["plan"] == str(plan)
    assert "from game.analysis.reactive import ReactivePolicy" in plan.read_text()
    assert main(["sweep", "--games", "40", "--strategy", f"{plan}:policy", "--out", str(tmp_path / "sw")]) == 0
    capsys.readouterr()
    rows = [json.loads(line) for line in (tmp_path / "sw" / "games.jsonl").read_text().splitlines()]
    assert [r["seed"] for r in rows] == list(range(40))
    assert sum(r["outcome"] == "victory" for r in rows) == family["wins"]
    assert main(["run", "--strategy", f"{plan}:policy", "--seed", "3"]) == 0
    capsys.readouterr()
    policy = get_strategy(f"{plan}:policy")
    others = [s for s in content.scenarios
              if feature_names(build_world(content, s)) != feature_names(build_world(content, "default"))]
    if others:
        with pytest.raises(StrategyError, match="made for the features"):
            policy.check(build_world(content, others[0]))  # type: ignore[attr-defined]


@pytest.mark.parametrize("text, attr, message", [
    (None, "policy", "no file"),
    ("policy = (\n", "policy", "plan.py:1:"),
    ("x = 1\n", "policy", "plan.py defines no 'policy'"),
    ("raise RuntimeError('broken\\nsecond line')\n", "policy", "plan.py failed: RuntimeError: broken"),
    ("x = 1\n", "x", "is not a strategy"),
])
def test_a_strategy_file_that_cannot_be_used_is_one_line(tmp_path, capsys, text, attr, message):
    path = tmp_path / "plan.py"
    if text is not None:
        path.write_text(text)
    assert main(["sweep", "--games", "1", "--strategy", f"{path}:{attr}"]) == 2
    assert message in one_error_line(capsys)


def test_strategy_files_and_dotted_modules_both_load(tmp_path):
    for folder in ("a", "b"):  # two files of the same name do not clash
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bot.py").write_text(
            f"from game.strategies.builtin import CategoryWeighted\nbot = CategoryWeighted('{folder}', {{}})\n")
    assert get_strategy(f"{tmp_path / 'a' / 'bot.py'}:bot").name == "a"
    assert get_strategy(f"{tmp_path / 'b' / 'bot.py'}:bot").name == "b"
    assert isinstance(get_strategy("game.strategies.builtin:Greedy"), Greedy)
    with pytest.raises(StrategyError, match=r"e\.g\. plan\.py:policy"):
        get_strategy("plan.py")
