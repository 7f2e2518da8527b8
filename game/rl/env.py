"""`HomegrownEnv`: one game of a scenario as a Gymnasium environment (`homegrown/Homegrown-v0`).

    import gymnasium as gym, game.rl
    env = gym.make("homegrown/Homegrown-v0", scenario="default")
    obs, info = env.reset(seed=7)          # game seed 7, as `homegrown run --seed 7`
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())

Observation and action: see game.rl.coding (a `Dict` of bounded arrays; `flat_actions=True` gives one
0-1 `Box` for libraries that need one, and `gymnasium.wrappers.FlattenObservation` flattens the
observation). Reward: the change in score over the step, counting from 0 at the reset, so an
episode's rewards add up to its final score. `terminated` when the game ends (its last quarter or a
dismissal); `truncated` is never set (only a wrapper such as `TimeLimit` would). `info` holds the
turns played, the score and outcome as the game stands and the game seed; with `why=True`, also each key
metric's largest causes this quarter (from the core's ledger).

Seeds follow the CLI's rule: `reset(seed=N)` plays game seed N; without a seed, a scenario that fixes
one plays it, else a seed is drawn from the environment's own generator (so a seeded environment
replays the same episodes).
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from game.content.loader import load_content
from game.content.pack import Content
from game.play.records import Turn, TurnSummary
from game.play.rules import effective_seed
from game.rl import coding
from game.sim.compile import build_world
from game.sim.scoring import OUTCOMES, evaluate
from game.sim.state import State
from game.sim.step import Actions, initial_state, step
from game.sim.world import World

MAX_SEED = 2**63 - 1


def load_world(scenario: str, content: Content | str | list[str] | None) -> World:
    """The compiled scenario, from a pack, overlay folder(s) on the default pack, or the default pack."""
    if not isinstance(content, Content):
        overlays = [content] if isinstance(content, str) else list(content or [])
        content = load_content(*overlays)
    if scenario not in content.scenarios:
        raise ValueError(f"unknown scenario '{scenario}' (valid: {', '.join(content.scenarios)})")
    return build_world(content, scenario)


def observation_space(world: World) -> spaces.Dict:
    return spaces.Dict({k: spaces.Box(b.low, b.high, b.shape, dtype=np.float32)
                        for k, b in coding.observation_boxes(world).items()})


def action_space(world: World, flat: bool) -> spaces.Space:
    if flat:
        return spaces.Box(0.0, 1.0, (coding.flat_size(world),), dtype=np.float32)
    return spaces.Dict({
        "weights": spaces.Box(0.0, 1.0, (len(world.lever_ids),), dtype=np.float32),
        "spend": spaces.Box(0.0, 1.0, (1,), dtype=np.float32),
        "answers": spaces.MultiDiscrete(coding.choice_counts(world)),
    })


def decode(action: Any, state: State, world: World, flat: bool) -> Actions:
    """A batch of actions ([B, ...] arrays) of either action space as the core's `Actions`."""
    if flat:
        return coding.decode_flat(np.asarray(action).reshape(state.batch, -1), state, world)
    return coding.decode(np.asarray(action["weights"]).reshape(state.batch, -1), np.asarray(action["spend"]),
                         np.asarray(action["answers"]).reshape(state.batch, -1), state, world)


def game_seed(world: World, explicit: int | None, rng: np.random.Generator) -> int:
    """The CLI's seed rule (game.play.rules.effective_seed), drawing from `rng` where the CLI draws."""
    if explicit is not None:
        return effective_seed(world.scenario, int(explicit)).seed
    if world.scenario.seed is not None:
        return world.scenario.seed
    return int(rng.integers(0, MAX_SEED))


def info_of(state: State, score: float, outcome: int) -> dict[str, Any]:
    """`info`: turns played so far, the score and outcome as the game stands, its seed."""
    return {"turn": state.turn, "score": score, "outcome": OUTCOMES[outcome], "seed": int(state.seed[0])}


class HomegrownEnv(gym.Env[Any, Any]):
    metadata = {"render_modes": ["ansi"]}

    def __init__(self, scenario: str = "default", content: Content | str | list[str] | None = None,
                 flat_actions: bool = False, why: bool = False, render_mode: str | None = None):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}, not {render_mode!r}")
        self.world = load_world(scenario, content)
        self.flat_actions, self.why, self.render_mode = flat_actions, why, render_mode
        self.observation_space = observation_space(self.world)
        self.action_space = action_space(self.world, flat_actions)
        self._state: State | None = None
        self._score = 0.0

    def _observe(self) -> dict[str, np.ndarray]:
        assert self._state is not None
        return {k: v[0] for k, v in coding.observe(self._state, self.world).items()}

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        super().reset(seed=seed)
        self._state = initial_state(self.world, [game_seed(self.world, seed, self.np_random)])
        self._score = 0.0
        scores = evaluate(self._state, self.world)
        return self._observe(), info_of(self._state, float(scores.score[0]), int(scores.outcome[0]))

    def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
        if self._state is None:
            raise RuntimeError("call reset() before step()")
        before = self._state
        if bool(before.done[0]):
            raise RuntimeError("the game is over: call reset()")
        batched = np.asarray(action)[None] if self.flat_actions else {k: np.asarray(v)[None] for k, v in action.items()}
        after, report = step(before, decode(batched, before, self.world, self.flat_actions), self.world,
                             record=self.why)
        scores = evaluate(after, self.world)
        score = float(scores.score[0])
        reward, self._score, self._state = score - self._score, score, after
        info = info_of(after, score, int(scores.outcome[0]))
        if self.why:
            summary = TurnSummary.of(Turn(before, after, report), self.world)
            info["why"] = {m: [(c.cause, c.change) for c in causes] for m, causes in summary.why.items()}
        return self._observe(), reward, bool(after.done[0]), False, info

    def render(self) -> str | None:
        if self.render_mode != "ansi" or self._state is None:
            return None
        s = self._state
        return (f"{self.world.scenario.id} turn {s.turn}/{self.world.turns} score {self._score:.1f} "
                f"approval {float(s.approval[0]):.1f}")
