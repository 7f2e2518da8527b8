"""`HomegrownVectorEnv`: many games of one scenario through the batched core, as a Gymnasium 1.x
`VectorEnv` (`gymnasium.make_vec("homegrown/Homegrown-v0", num_envs=N, vectorization_mode="vector_entry_point")`).

Each sub-environment is exactly `HomegrownEnv`: the same observations, rewards, ends and seeds (sub-env
i of `reset(seed=S)` plays game seed S+i and draws its later seeds from its own generator, as a
`HomegrownEnv` reset with seed S+i would). Autoreset follows Gymnasium's `NEXT_STEP` mode: the step
after a sub-env's game ends ignores its action and returns the first observation of a new game (reward
0, not terminated).

The core plays a batch at one shared turn, so games at different turns (one was dismissed early and
started again) are kept in *cohorts*, one per turn, each a batch of the core; a step plays every cohort
once. Games that all end together (the usual case: the scenario's last quarter) stay one cohort.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium.utils import seeding
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from game.content.pack import Content
from game.rl import coding
from game.rl.env import action_space, decode, game_seed, load_world, observation_space
from game.sim.scoring import OUTCOMES, evaluate
from game.sim.state import State, stack
from game.sim.step import initial_state, step


def _rows(state: State, rows: np.ndarray) -> State:
    return State(turn=state.turn, **{k: v[rows] for k, v in state.arrays().items()})


def _take(action: Any, rows: np.ndarray, flat: bool) -> Any:
    return np.asarray(action)[rows] if flat else {k: np.asarray(v)[rows] for k, v in action.items()}


class HomegrownVectorEnv(VectorEnv):
    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(self, num_envs: int = 1, scenario: str = "default",
                 content: Content | str | list[str] | None = None, flat_actions: bool = False, **_: Any):
        if num_envs < 1:
            raise ValueError(f"num_envs must be 1 or more, not {num_envs}")
        self.world = load_world(scenario, content)
        self.num_envs, self.flat_actions = num_envs, flat_actions
        self.single_observation_space = observation_space(self.world)
        self.single_action_space = action_space(self.world, flat_actions)
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._rngs = [seeding.np_random()[0] for _ in range(num_envs)]
        self._cohorts: list[tuple[np.ndarray, State]] = []
        self._score = np.zeros(num_envs)
        self._ended = np.zeros(num_envs, dtype=bool)

    # ------------------------------------------------------------------ helpers

    def _start(self, envs: np.ndarray, seeds: list[int | None]) -> State:
        game_seeds = [game_seed(self.world, s, self._rngs[i]) for i, s in zip(envs, seeds, strict=True)]
        self._score[envs] = 0.0
        return initial_state(self.world, game_seeds)

    def _observe(self) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Observations of every sub-env, their scores and outcomes (from the cohorts' states)."""
        obs = {k: np.zeros((self.num_envs, *b.shape), dtype=np.float32)
               for k, b in coding.observation_boxes(self.world).items()}
        score, outcome, seed = np.zeros(self.num_envs), np.zeros(self.num_envs, dtype=np.int64), np.zeros(
            self.num_envs, dtype=np.int64)
        turn = np.zeros(self.num_envs, dtype=np.int64)
        for envs, state in self._cohorts:
            scores = evaluate(state, self.world)
            for k, v in coding.observe(state, self.world, scores).items():
                obs[k][envs] = v
            score[envs], outcome[envs], seed[envs], turn[envs] = scores.score, scores.outcome, state.seed, state.turn
        self._info = {"turn": turn, "score": score, "outcome": np.array([OUTCOMES[o] for o in outcome], dtype=object),
                      "seed": seed}
        return obs, score, outcome

    # ------------------------------------------------------------------ the VectorEnv API

    def reset(self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        seeds: list[int | None] = (
            [None] * self.num_envs if seed is None
            else [seed + i for i in range(self.num_envs)] if isinstance(seed, int) else list(seed))
        if len(seeds) != self.num_envs:
            raise ValueError(f"{len(seeds)} seeds for {self.num_envs} environments")
        for i, s in enumerate(seeds):
            if s is not None:
                self._rngs[i] = seeding.np_random(s)[0]
        envs = np.arange(self.num_envs)
        self._cohorts = [(envs, self._start(envs, seeds))]
        self._ended[:] = False
        obs, _, _ = self._observe()
        return obs, dict(self._info)

    def step(self, actions: Any) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray,
                                          dict[str, Any]]:
        if not self._cohorts:
            raise RuntimeError("call reset() before step()")
        restarting = np.flatnonzero(self._ended)
        cohorts: list[tuple[np.ndarray, State]] = []
        for envs, state in self._cohorts:
            keep = ~self._ended[envs]
            if not keep.any():
                continue
            if not keep.all():
                envs, state = envs[keep], _rows(state, np.flatnonzero(keep))
            after, _ = step(state, decode(_take(actions, envs, self.flat_actions), state, self.world,
                                          self.flat_actions), self.world)
            cohorts.append((envs, after))
        if restarting.size:
            cohorts.append((restarting, self._start(restarting, [None] * restarting.size)))
        self._cohorts = _merge(cohorts)
        obs, score, _ = self._observe()
        reward = score - self._score
        reward[restarting] = 0.0
        self._score = score
        self._score[restarting] = 0.0  # a new game's rewards count from 0, as after a reset
        terminated = np.zeros(self.num_envs, dtype=bool)
        for envs, state in self._cohorts:
            terminated[envs] = state.done
        terminated[restarting] = False
        self._ended = terminated.copy()
        return obs, reward, terminated, np.zeros(self.num_envs, dtype=bool), dict(self._info)


def _merge(cohorts: list[tuple[np.ndarray, State]]) -> list[tuple[np.ndarray, State]]:
    """One cohort per turn (games restarted together join the cohort already at their turn)."""
    by_turn: dict[int, list[tuple[np.ndarray, State]]] = {}
    for envs, state in cohorts:
        by_turn.setdefault(state.turn, []).append((envs, state))
    merged = []
    for turn in sorted(by_turn):
        group = by_turn[turn]
        if len(group) == 1:
            merged.append(group[0])
        else:
            merged.append((np.concatenate([e for e, _ in group]), stack([s for _, s in group])))
    return merged
