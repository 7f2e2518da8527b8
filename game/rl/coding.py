"""What an agent sees and does, for a whole batch at once, in numpy alone (no Gymnasium needed): the
observation of every game (`observe`), its flat form (`flatten`), and actions turned into the core's
`Actions` (`decode`, `decode_flat`). The environments and `PolicyStrategy` share these, so an agent
trained on the environment plays the same game as a strategy in `sweep` and `search`.

Observation: a dict of named float32 arrays, each inside the bounds of `OBSERVATION` (scaled so most
run 0-1):

| key | shape | what |
|---|---|---|
| `shares` | R×V | each region's vendor shares |
| `global_shares` | V | vendors' shares weighted by market size |
| `goals` | G | each goal's progress from the start to its target (1: met) |
| `met` | G | 1 where the goal is met now |
| `budget` | 1 | this quarter's budget ÷ the scenario's base budget (capped at 10) |
| `politics` | 3 | approval, tension, threat ÷ 100 |
| `engineers` | 1 | engineers (thousands) ÷ 100 (capped at 10) |
| `tech` | V | vendors' technology ÷ 100 |
| `standing` | A | standing in each alliance ÷ 100 |
| `events` | E | 1 where the event is pending this quarter (its answer counts now) |
| `deals` | D | 1 won, -1 lost, 0 open or not yet decided |
| `time` | 1 | turns played ÷ the scenario's turns |

Action: `weights` (L, 0-1: how the money is split across levers; levers that cannot take money this
quarter are skipped), `spend` (1, 0-1: the share of the budget spent; the rest is kept, carried over
where the scenario allows) and `answers` (E integers: 0 takes the event's default, k takes its choice
k-1; only pending events count). The flat form is one 0-1 vector, weights then spend then one slot
per event whose answer is `floor(x · (choices + 1))`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.sim.metrics import budget, global_shares
from game.sim.scoring import Scores, evaluate
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies.base import fill_budget

CAP = 10.0
"""Upper bound of the scaled budget and engineers (far beyond any game; values past it read as CAP)."""


@dataclass(frozen=True)
class Box:
    """A bounded float32 array: what Gymnasium's `Box` is built from (kept free of Gymnasium)."""

    low: float
    high: float
    shape: tuple[int, ...]


def observation_boxes(world: World) -> dict[str, Box]:
    """The observation's keys in order (sorted, as Gymnasium's `Dict` orders them), shapes and bounds."""
    R, V = len(world.region_ids), len(world.vendor_ids)
    G, E, D, A = len(world.goals), len(world.event_ids), len(world.deal_ids), len(world.alliance_ids)
    boxes = {
        "shares": Box(0, 1, (R, V)), "global_shares": Box(0, 1, (V,)), "goals": Box(0, 1, (G,)),
        "met": Box(0, 1, (G,)), "budget": Box(0, CAP, (1,)), "politics": Box(0, 1, (3,)),
        "engineers": Box(0, CAP, (1,)), "tech": Box(0, 1, (V,)), "standing": Box(0, 1, (A,)),
        "events": Box(0, 1, (E,)), "deals": Box(-1, 1, (D,)), "time": Box(0, 1, (1,)),
    }
    return dict(sorted(boxes.items()))


def observe(state: State, world: World, scores: Scores | None = None) -> dict[str, np.ndarray]:
    """Every game's observation, key -> float32 [B, ...] (inside `observation_boxes`); `scores` is
    `evaluate(state, world)` when the caller has it."""
    scores = evaluate(state, world) if scores is None else scores
    B = state.batch
    raw = {
        "shares": state.shares,
        "global_shares": global_shares(state.shares, state.market_size),
        "goals": scores.progress,
        "met": scores.met,
        "budget": (budget(state, world) / max(world.scenario.budget, 1e-9))[:, None],
        "politics": np.stack([state.approval, state.tension, state.threat], axis=1) / 100.0,
        "engineers": state.engineers[:, None] / 100.0,
        "tech": state.tech / 100.0,
        "standing": state.standing / 100.0,
        "events": state.pending,
        "deals": state.deal_status,
        "time": np.full((B, 1), state.turn / world.turns),
    }
    return {k: np.clip(np.asarray(raw[k], dtype=np.float32), box.low, box.high)
            for k, box in observation_boxes(world).items()}


def flatten(obs: dict[str, np.ndarray]) -> np.ndarray:
    """[B, N] float32: a batch of observations as one vector per game, in key order (the same numbers
    as `gymnasium.spaces.flatten` of the `Dict` space, game by game)."""
    return np.concatenate([v.reshape(v.shape[0], -1) for v in obs.values()], axis=1)


def choice_counts(world: World) -> np.ndarray:
    """int[E]: the answers an event accepts, default included (`answers` is 0 .. count-1)."""
    return world.arrays["event_choices"].astype(np.int64) + 1


def flat_size(world: World) -> int:
    return len(world.lever_ids) + 1 + len(world.event_ids)


def decode(weights: np.ndarray, spend: np.ndarray, answers: np.ndarray, state: State, world: World) -> Actions:
    """The core's actions from weights [B,L], spend [B,1] and answers [B,E] (see the module's doc)."""
    weights = np.clip(np.nan_to_num(np.asarray(weights, dtype=np.float64)), 0.0, 1.0)
    share = np.clip(np.nan_to_num(np.asarray(spend, dtype=np.float64)).reshape(state.batch), 0.0, 1.0)
    allocations = fill_budget(weights, state, world, share)
    answers = np.asarray(answers, dtype=np.int64)
    valid = (answers >= 1) & (answers < choice_counts(world)[None, :])
    return Actions(allocations, np.where(valid, answers - 1, -1))


def decode_flat(action: np.ndarray, state: State, world: World) -> Actions:
    """The core's actions from flat 0-1 actions [B, flat_size]."""
    L = len(world.lever_ids)
    a = np.clip(np.nan_to_num(np.asarray(action, dtype=np.float64)), 0.0, 1.0)
    n = choice_counts(world)
    answers = np.minimum(np.floor(a[:, L + 1:] * n[None, :]), n[None, :] - 1)
    return decode(a[:, :L], a[:, L:L + 1], answers, state, world)
