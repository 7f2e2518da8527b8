"""Shards of a sweep: a task plays one batch of seeds for one (variant, strategy, ablation) and returns
compact per-game columns. Tasks run anywhere (this process, a process pool, a Dask worker): every game
depends only on its own seed, so results never depend on where or in which order shards ran."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from game.analysis.ablation import NO_ABLATION, Ablated, Ablation
from game.content.pack import Content
from game.play.records import Turn
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.metrics import metrics
from game.sim.scoring import evaluate
from game.sim.world import World
from game.strategies import Strategy, get_strategy

MAX_SHARD = 1000
"""Most games played as one batch. Results do not depend on it; speed does: per game, batches of about
1,000 are fastest here (arrays stay in the CPU cache), 10,000 at once is about twice as slow."""
MIN_SHARD = 250

TaskKey = tuple[int, int, int, int]
"""(variant, strategy, ablation, shard) indexes: where a shard's result goes."""



@dataclass(frozen=True)
class Task:
    """One shard. Small to send: the variant's content travels once per worker, not with each task."""

    key: TaskKey
    scenario: str
    strategy: str
    ablation: Ablation
    seed_from: int
    seed_to: int
    plan: Strategy | None = None
    """The strategy as data when a worker could not make it from its name (`scripted:PATH`: the file is
    read where the sweep starts; game.analysis.executors.ship_plans)."""

    @property
    def games(self) -> int:
        return self.seed_to - self.seed_from

    @property
    def variant(self) -> int:
        return self.key[0]


@dataclass
class Columns:
    """Per-game results of one batch (or several, concatenated)."""

    seed: np.ndarray  # int64[B]
    outcome: np.ndarray  # int8[B] index into OUTCOMES
    score: np.ndarray  # [B]
    met: np.ndarray  # bool[B,G]
    fired: np.ndarray  # int[B,E] times each event fired
    invested: np.ndarray  # [B,L] ¥ billions spent per lever over the game
    values: np.ndarray  # [B,G] each goal's metric at the end
    metrics: np.ndarray  # [B,M] the key metrics at the end (game.sim.metrics.KEY_METRICS)
    answers: np.ndarray  # int8[B,E] the answer last taken to each event (-1: never answered)
    hashes: list[str] = field(default_factory=list)

    ARRAYS = ("seed", "outcome", "score", "met", "fired", "invested", "values", "metrics", "answers")

    @staticmethod
    def concat(parts: Sequence[Columns]) -> Columns:
        arrays = {n: np.concatenate([getattr(p, n) for p in parts]) for n in Columns.ARRAYS}
        return Columns(**arrays, hashes=[h for p in parts for h in p.hashes])


_WORLDS: dict[tuple[str, str], World] = {}


def world_for(content: Content, scenario: str) -> World:
    """Compiled worlds, cached per process (workers play many shards of the same variant)."""
    key = (content.fingerprint, scenario)
    if key not in _WORLDS:
        if len(_WORLDS) > 64:
            _WORLDS.clear()
        _WORLDS[key] = build_world(content, scenario)
    return _WORLDS[key]


def make_strategy(name: str, world: World, ablation: Ablation = NO_ABLATION, plan: Strategy | None = None
                  ) -> Strategy:
    strategy = plan if plan is not None else get_strategy(name)
    if ablation.lever:
        strategy = Ablated(strategy, world.lever_ids.index(ablation.lever), ablation.factor)
    return strategy


def play_columns(world: World, strategy: Strategy, seeds: np.ndarray) -> Columns:
    answers = np.full((len(seeds), len(world.event_ids)), -1, dtype=np.int8)

    def note_answers(turn: Turn) -> None:
        taken = turn.report.choices >= 0
        answers[taken] = turn.report.choices[taken]

    final = play(world, seeds, strategy, on_turn=note_answers)
    scores = evaluate(final, world)
    return Columns(
        seed=np.asarray(seeds, dtype=np.int64),
        outcome=scores.outcome.astype(np.int8),
        score=scores.score.astype(np.float64),
        met=scores.met.copy(),
        fired=final.fired.copy(),
        invested=final.invested.copy(),
        values=scores.values.copy(),
        metrics=np.stack(list(metrics(final, world).values()), axis=1),
        answers=answers,
        hashes=final.hashes(),
    )


_CONTENTS: list[Content] = []
"""The variants' content packs in this process (set by `init_worker` in worker processes)."""


def init_worker(contents: list[Content]) -> None:
    _CONTENTS[:] = contents


def run_task(task: Task, content: Content | None = None) -> tuple[TaskKey, Columns]:
    """Play one shard (in any process, on any machine): with `content`, or the worker's variant."""
    world = world_for(content if content is not None else _CONTENTS[task.variant], task.scenario)
    strategy = make_strategy(task.strategy, world, task.ablation, task.plan)
    return task.key, play_columns(world, strategy, np.arange(task.seed_from, task.seed_to, dtype=np.int64))


def shard_bounds(games: int, workers: int) -> list[tuple[int, int]]:
    """Offsets of the shards of one group of `games` (enough shards to keep `workers` busy)."""
    size = min(MAX_SHARD, max(MIN_SHARD, math.ceil(games / max(workers, 1))))
    return [(lo, min(lo + size, games)) for lo in range(0, games, size)]


