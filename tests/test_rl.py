"""The Gymnasium environments: check_env on every scenario, seeds, rewards adding up to the score, the
vector env equal to single envs across autoresets, and a learned policy played as a strategy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from gymnasium.wrappers import FlattenObservation

import game.rl
from game.rl import coding
from game.rl.env import HomegrownEnv
from game.rl.policy import MLPPolicy, load_strategy
from game.rl.vector import HomegrownVectorEnv
from game.sim.compile import build_world
from game.strategies import check_strategy, get_strategy
from game.strategies.base import StrategyError

SCENARIOS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "content" / "scenarios").glob("*.toml"))


def episode(env: gym.Env, seed: int, action_seed: int = 0) -> tuple[list, list[float], dict]:
    obs, info = env.reset(seed=seed)
    env.action_space.seed(action_seed)
    seen, rewards = [obs], []
    while True:
        obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
        seen.append(obs)
        rewards.append(reward)
        assert not truncated
        if terminated:
            return seen, rewards, info


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_check_env_passes_on_every_scenario(scenario):
    check_env(HomegrownEnv(scenario), skip_render_check=True)
    check_env(HomegrownEnv(scenario, flat_actions=True), skip_render_check=True)


def test_make_finds_the_registered_env_and_its_vector_form():
    env = gym.make(game.rl.ENV_ID, scenario="tutorial")
    assert isinstance(env.unwrapped, HomegrownEnv) and env.unwrapped.world.scenario.id == "tutorial"
    vec = gym.make_vec(game.rl.ENV_ID, num_envs=3, vectorization_mode="vector_entry_point", scenario="tutorial")
    assert isinstance(vec, HomegrownVectorEnv) and vec.num_envs == 3


def test_the_entry_point_is_declared(repo_root):
    import tomllib

    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["gymnasium.envs"]["homegrown"] == "game.rl:register_envs"


def test_rewards_add_up_to_the_final_score_and_the_game_is_the_cli_game(content):
    env = HomegrownEnv("default")
    _, rewards, info = episode(env, seed=5)
    assert len(rewards) == env.world.turns
    assert sum(rewards) == pytest.approx(info["score"], abs=1e-9)
    assert info["seed"] == 5 and info["turn"] == env.world.turns


def test_the_same_seed_gives_the_same_episode_and_another_seed_another():
    env = HomegrownEnv("default")
    a, ra, _ = episode(env, seed=11)
    b, rb, _ = episode(env, seed=11)
    _, rc, _ = episode(env, seed=12)
    assert ra == rb and all(np.array_equal(x[k], y[k]) for x, y in zip(a, b, strict=True) for k in x)
    assert ra != rc


def test_unseeded_resets_follow_the_cli_seed_rule():
    fixed = HomegrownEnv("exercise-procurement-2018")
    assert fixed.reset()[1]["seed"] == fixed.world.scenario.seed  # a classroom scenario plays its seed
    assert fixed.reset(seed=3)[1]["seed"] == 3  # an explicit seed wins
    drawn = HomegrownEnv("default")
    drawn.reset(seed=1)
    first = drawn.reset()[1]["seed"]
    drawn.reset(seed=1)
    assert drawn.reset()[1]["seed"] == first  # drawn from the seeded environment's own generator


def test_why_on_request_names_the_causes():
    env = HomegrownEnv("default", why=True)
    env.reset(seed=1)
    info = env.step(env.action_space.sample())[4]
    assert "engineers" in info["why"] and all(isinstance(c, str) for c, _ in info["why"]["engineers"])
    plain = HomegrownEnv("default")
    plain.reset(seed=1)
    assert "why" not in plain.step(plain.action_space.sample())[4]


def test_the_flattening_helper_matches_gymnasium():
    env = HomegrownEnv("default")
    obs, _ = env.reset(seed=2)
    batch = {k: v[None] for k, v in obs.items()}
    assert np.array_equal(coding.flatten(batch)[0], gym.spaces.flatten(env.observation_space, obs))
    assert FlattenObservation(env).observation_space.shape == (coding.flatten(batch).shape[1],)


def test_a_zero_spend_action_spends_nothing_and_answers_map_to_choices(world):
    from game.sim.step import initial_state

    state = initial_state(world, [0, 1])
    L, E = len(world.lever_ids), len(world.event_ids)
    acts = coding.decode(np.ones((2, L)), np.zeros((2, 1)), np.zeros((2, E), dtype=int), state, world)
    assert np.nan_to_num(acts.allocations - np.nan_to_num(world.arrays["lever_locked"])).max() == 0.0
    assert (acts.choices == -1).all()  # 0 takes the default
    answers = np.full((2, E), 2)
    picked = coding.decode(np.ones((2, L)), np.ones((2, 1)), answers, state, world).choices
    two = world.arrays["event_choices"] >= 2
    assert (picked[:, two] == 1).all() and (picked[:, ~two] == -1).all()


def _dismissing_pack(tmp_path: Path, repo_root: Path) -> Path:
    """The tutorial with a dismissal threshold near the start's approval: games end early, at different
    quarters, so the vector env's sub-envs fall out of step."""
    (tmp_path / "scenarios").mkdir()
    text = (repo_root / "content" / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    assert "dismissal_approval = 5\n" in text
    (tmp_path / "scenarios" / "tutorial.toml").write_text(text.replace("dismissal_approval = 5\n",
                                                                       "dismissal_approval = 52\n"))
    return tmp_path


@pytest.mark.parametrize("flat", [False, True])
def test_the_vector_env_equals_single_envs_across_autoresets(tmp_path, repo_root, flat):
    pack = str(_dismissing_pack(tmp_path, repo_root))
    n, seed = 6, 40
    vec = HomegrownVectorEnv(n, "tutorial", content=pack, flat_actions=flat)
    singles = [HomegrownEnv("tutorial", content=pack, flat_actions=flat) for _ in range(n)]
    obs, info = vec.reset(seed=seed)
    firsts = [env.reset(seed=seed + i) for i, env in enumerate(singles)]
    for i, (o, inf) in enumerate(firsts):
        assert all(np.array_equal(obs[k][i], o[k]) for k in o) and info["seed"][i] == inf["seed"]
    vec.action_space.seed(3)
    ended, early, cohorts = [False] * n, 0, 1
    for _ in range(40):
        actions = vec.action_space.sample()
        obs, reward, terminated, truncated, info = vec.step(actions)
        cohorts = max(cohorts, len(vec._cohorts))
        for i, env in enumerate(singles):
            if ended[i]:
                o, inf = env.reset()
                r, t = 0.0, False
            else:
                action = actions[i] if flat else {k: v[i] for k, v in actions.items()}
                o, r, t, _, inf = env.step(action)
                early += int(t and inf["turn"] < env.world.turns)
            assert all(np.array_equal(obs[k][i], o[k]) for k in o)
            assert reward[i] == r and terminated[i] == t and not truncated[i]
            assert info["seed"][i] == inf["seed"] and info["turn"][i] == inf["turn"]
            ended[i] = t
    assert early > 0 and cohorts > 1  # the test did exercise games out of step


def test_a_learned_policy_plays_as_a_module_attr_strategy_in_a_sweep(tmp_path, content):
    from game.analysis.gathered import Spool
    from game.analysis.sweep import sweep

    world = build_world(content, "tutorial")
    n_obs = coding.flatten(coding.observe(*_start(world))).shape[1]
    rng = np.random.default_rng(0)
    policy = MLPPolicy((rng.normal(size=(n_obs, 8)) * 0.3, rng.normal(size=(8, coding.flat_size(world)))),
                       (np.zeros(8), np.full(coding.flat_size(world), 0.5)))
    policy.save(tmp_path / "learned.npz")
    (tmp_path / "learned.py").write_text(
        "from game.rl.policy import load_strategy\npolicy = load_strategy(__file__.replace('.py', '.npz'))\n")
    name = f"{tmp_path / 'learned.py'}:policy"
    strategy = get_strategy(name)
    assert strategy.name == "learned"
    def hashes(strategies: list[str], workers: int) -> list[list[str]]:
        """Each strategy's games' state hashes, from its games.jsonl lines."""
        with Spool(tmp_path) as spool:
            sweep(content, "tutorial", 40, strategies, workers=workers, progress=False, spool=spool)
            rows = [json.loads(line) for line in b"".join(spool.chunks()).splitlines()]
        return [[r["state_hash"] for r in rows if r["strategy"] == s] for s in strategies]

    [learned, nothing], [alone] = hashes([name, "do_nothing"], 1), hashes([name], 2)
    assert learned == alone  # alone or sharded: the same games
    assert learned != nothing  # and it does play (not do_nothing)
    with pytest.raises(StrategyError, match="scenario 'default' has"):  # 7 goals, not the tutorial's 3
        check_strategy(strategy, build_world(content, "default"))


def _start(world):
    from game.sim.step import initial_state

    return initial_state(world, [0]), world


def test_a_policy_file_that_is_not_one_is_one_line(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(StrategyError, match="cannot load policy"):
        load_strategy(bad)
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(StrategyError, match="cannot load policy"):
        load_strategy(tmp_path / "empty.npz")


@pytest.mark.slow
def test_the_ppo_example_is_valid_python_and_refuses_cleanly_without_sb3(repo_root, cli_env):
    script = repo_root / "examples" / "train_ppo.py"
    compile(script.read_text(encoding="utf-8"), str(script), "exec")
    if _has("stable_baselines3"):
        pytest.skip("stable-baselines3 installed: the example would train")
    proc = subprocess.run([sys.executable, str(script), "--steps", "10"], capture_output=True, text=True,
                          env=cli_env, timeout=120)
    assert proc.returncode == 2 and "stable-baselines3" in proc.stderr and "pip install" in proc.stderr
    assert "Traceback" not in proc.stderr


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
