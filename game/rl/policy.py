"""A learned policy as a strategy, so `sweep`, `search --balance` and `report` judge it like any bot.

`PolicyStrategy(name, act)` wraps a function from flat observations [B, N] (game.rl.coding.flatten) to
flat 0-1 actions [B, flat_size] (the `flat_actions=True` space). `MLPPolicy` is such a function kept
as plain numpy arrays (`save`/`load` an .npz), e.g. a stable-baselines3 `MlpPolicy`'s deterministic
actor exported by examples/train_ppo.py. A two-line Python file makes it a `module:attr` strategy:

    # plans/ppo.py
    from game.rl.policy import load_strategy
    policy = load_strategy(__file__.replace(".py", ".npz"))

    homegrown sweep --strategy plans/ppo.py:policy --games 2000

Needs numpy only (no Gymnasium, no torch). Each game's action is computed from its own row with
explicit sums, so a game plays the same alone or in any batch, shard or worker (the sweeps' rule).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game.rl import coding
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies.base import StrategyError

ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh, "relu": lambda x: np.maximum(x, 0.0), "identity": lambda x: x}


@dataclass(frozen=True)
class MLPPolicy:
    """Dense layers `x @ W + b` with `activation` between them (none after the last); the output is
    clipped to the 0-1 action box."""

    weights: tuple[np.ndarray, ...]
    """[in, out] per layer."""
    biases: tuple[np.ndarray, ...]
    activation: str = "tanh"

    def __call__(self, obs: np.ndarray) -> np.ndarray:
        x = np.asarray(obs, dtype=np.float64)
        act = ACTIVATIONS[self.activation]
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            x = (x[:, :, None] * w[None, :, :]).sum(axis=1) + b  # per row: same bits for any batch size
            if i < len(self.weights) - 1:
                x = act(x)
        return np.clip(x, 0.0, 1.0)

    def save(self, path: str | Path) -> None:
        arrays: dict[str, Any] = {f"w{i}": w for i, w in enumerate(self.weights)}
        arrays |= {f"b{i}": b for i, b in enumerate(self.biases)}
        np.savez(path, **arrays, activation=np.array(self.activation))

    @classmethod
    def load(cls, path: str | Path) -> MLPPolicy:
        try:
            with np.load(path) as data:
                n = sum(1 for k in data.files if k.startswith("w"))
                weights = tuple(np.asarray(data[f"w{i}"], dtype=np.float64) for i in range(n))
                biases = tuple(np.asarray(data[f"b{i}"], dtype=np.float64) for i in range(n))
                activation = str(data["activation"]) if "activation" in data.files else "tanh"
        except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise StrategyError(f"cannot load policy {path}: {exc}") from None
        if not n or activation not in ACTIVATIONS or any(
                w.ndim != 2 or b.shape != (w.shape[1],) for w, b in zip(weights, biases, strict=True)):
            raise StrategyError(f"cannot load policy {path}: not a dense network saved by MLPPolicy.save")
        return cls(weights, biases, activation)

    @property
    def sizes(self) -> tuple[int, int]:
        return self.weights[0].shape[0], self.weights[-1].shape[1]


class PolicyStrategy:
    """A strategy that plays `act(flat observations) -> flat actions` for the whole batch."""

    def __init__(self, name: str, act: Callable[[np.ndarray], np.ndarray], sizes: Sequence[int] | None = None):
        self.name, self._act, self._sizes = name, act, tuple(sizes) if sizes else None

    def check(self, world: World) -> None:
        """Refuse a scenario whose observation or action size differs from the policy's."""
        if self._sizes is None:
            return
        expected = (sum(int(np.prod(b.shape)) for b in coding.observation_boxes(world).values()),
                    coding.flat_size(world))
        if tuple(self._sizes) != expected:
            raise StrategyError(f"policy '{self.name}' takes {self._sizes[0]} observations and gives "
                                f"{self._sizes[1]} actions; scenario '{world.scenario.id}' has {expected[0]} "
                                f"and {expected[1]}")

    def act(self, state: State, world: World) -> Actions:
        obs = coding.flatten(coding.observe(state, world))
        return coding.decode_flat(np.asarray(self._act(obs)), state, world)


def load_strategy(path: str | Path, name: str | None = None) -> PolicyStrategy:
    """The `MLPPolicy` saved at `path` as a strategy (named after the file unless `name` is given)."""
    policy = MLPPolicy.load(path)
    return PolicyStrategy(name or Path(path).stem, policy, policy.sizes)
