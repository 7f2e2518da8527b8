"""Shards of a sweep: a task plays one batch of seeds for one variant and several (strategy, ablation)
members at once (rows = member x seed, member-major) and returns compact per-game columns. Tasks run
anywhere (this process, a process pool, a Dask worker): every game depends only on its own seed, so
results never depend on where, in which batch or in which order shards ran."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.analysis.ablation import Ablated, Ablation, factors
from game.content.pack import Content
from game.play.records import Turn
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.metrics import metrics
from game.sim.scoring import evaluate
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies import Strategy, get_strategy

MAX_SHARD = 2000
"""Most games played as one batch. Results do not depend on it; speed and memory do: per game, 2,000 at
once play about a tenth faster than 1,000 (greedy a sixth); more at once gain little and cost memory
(4,000: about 125 MiB a worker, where the 100,000-game sweep's aim is 120)."""
MIN_SHARD = 250
BLOCK = 50
"""Shards start on multiples of BLOCK seeds from a group's first: sums over seeds are taken per block
(game.analysis.gathered), so they never depend on the shard size."""

TaskKey = tuple[int, int]
"""(variant, task) indexes: where a shard's result goes."""

Member = tuple[int, int]
"""(strategy, ablation) indexes into the sweep's lists."""


@dataclass(frozen=True)
class Task:
    """One shard: every member on seeds seed_from..seed_to. Small to send: the variant's content travels
    once per worker, not with each task."""

    key: TaskKey
    scenario: str
    members: tuple[Member, ...]
    strategies: tuple[str, ...]
    """The strategy of each member (by name)."""
    ablations: tuple[Ablation, ...]
    """The ablation of each member."""
    seed_from: int
    seed_to: int
    plans: tuple[tuple[str, Strategy], ...] = ()
    """(name, strategy) of the strategies that travel as data because a worker could not make them from
    their names (`scripted:PATH`: the file is read where the sweep starts; game.analysis.executors.ship_plans)."""

    @property
    def seeds(self) -> int:
        return self.seed_to - self.seed_from

    @property
    def games(self) -> int:
        return self.seeds * len(self.members)

    @property
    def variant(self) -> int:
        return self.key[0]


@dataclass
class Columns:
    """Per-game results of one batch (or several, gathered), in compact types: about half a kilobyte a game."""

    seed: np.ndarray  # int64[B]
    outcome: np.ndarray  # int8[B] index into OUTCOMES
    score: np.ndarray  # [B]
    met: np.ndarray  # bool[B,G]
    fired: np.ndarray  # uint8/uint16[B,E] times each event fired (at most once a turn: see counter_type)
    invested: np.ndarray  # [B,L] ¥ billions spent per lever over the game
    values: np.ndarray  # [B,G] each goal's metric at the end
    metrics: np.ndarray  # [B,M] the key metrics at the end (game.sim.metrics.KEY_METRICS)
    answers: np.ndarray  # int8[B,E] the answer last taken to each event (-1: never answered)
    digests: np.ndarray  # uint8[B,32] the state hash of each game (sha256), as bytes

    ARRAYS = ("seed", "outcome", "score", "met", "fired", "invested", "values", "metrics", "answers", "digests")

    @property
    def hashes(self) -> list[str]:
        return [d.tobytes().hex() for d in self.digests]

    @property
    def size(self) -> int:
        return int(self.seed.size)

    def rows(self, lo: int, hi: int) -> Columns:
        """Games lo..hi (views, no copy)."""
        return Columns(**{n: getattr(self, n)[lo:hi] for n in Columns.ARRAYS})

    @staticmethod
    def empty_like(part: Columns, size: int) -> Columns:
        """Room for `size` games of `part`'s types and shapes, filled by `put`."""
        return Columns(**{n: np.empty((size, *getattr(part, n).shape[1:]), dtype=getattr(part, n).dtype)
                          for n in Columns.ARRAYS})

    def put(self, at: int, part: Columns) -> None:
        for n in Columns.ARRAYS:
            getattr(self, n)[at:at + part.size] = getattr(part, n)


def counter_type(world: World) -> type[np.unsignedinteger]:
    """The smallest unsigned type that holds a count of turns (an event fires at most once a turn)."""
    return np.uint8 if world.turns <= np.iinfo(np.uint8).max else np.uint16


_WORLDS: dict[tuple[str, str], World] = {}


def world_for(content: Content, scenario: str) -> World:
    """Compiled worlds, cached per process (workers play many shards of the same variant)."""
    key = (content.fingerprint, scenario)
    if key not in _WORLDS:
        if len(_WORLDS) > 64:
            _WORLDS.clear()
        _WORLDS[key] = build_world(content, scenario)
    return _WORLDS[key]


class RowBlocks:
    """Several strategies in one batch: rows bounds[i]..bounds[i+1] play strategies[i] (each sees only its
    own rows, so every game plays as it would alone)."""

    name = "blocks"

    def __init__(self, strategies: Sequence[Strategy], bounds: Sequence[int]):
        self.strategies, self.bounds = list(strategies), list(bounds)

    @staticmethod
    def even(strategies: Sequence[Strategy], size: int) -> RowBlocks:
        return RowBlocks(strategies, [i * size for i in range(len(strategies) + 1)])

    def act(self, state: State, world: World) -> Actions:
        allocations, choices = [], []
        E = len(world.event_ids)
        for strategy, lo, hi in zip(self.strategies, self.bounds, self.bounds[1:], strict=False):
            part = State(turn=state.turn, **{k: v[lo:hi] for k, v in state.arrays().items()})
            actions = strategy.act(part, world)
            allocations.append(actions.allocations)
            choices.append(np.full((part.batch, E), -1, dtype=np.int64) if actions.choices is None
                           else np.broadcast_to(actions.choices, (part.batch, E)))
        return Actions(np.concatenate(allocations), np.concatenate(choices))


def task_strategy(task: Task, world: World) -> Strategy:
    """The strategy of a task's rows: each run of members with the same strategy is one block (one `act`
    for all its ablations, each row's spend scaled by its own ablation's factors)."""
    n = task.seeds
    shipped = dict(task.plans)
    blocks: list[Strategy] = []
    bounds = [0]
    lo = 0
    while lo < len(task.members):
        hi = lo
        while hi < len(task.members) and task.strategies[hi] == task.strategies[lo]:
            hi += 1
        name = task.strategies[lo]
        strategy = shipped[name] if name in shipped else get_strategy(name)
        ablations = task.ablations[lo:hi]
        if any(a.lever for a in ablations):
            strategy = Ablated(strategy, factors(ablations, world, n))
        blocks.append(strategy)
        bounds.append(hi * n)
        lo = hi
    return blocks[0] if len(blocks) == 1 else RowBlocks(blocks, bounds)


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
        fired=final.fired.astype(counter_type(world)),
        invested=final.invested.copy(),
        values=scores.values.copy(),
        metrics=np.stack(list(metrics(final, world).values()), axis=1),
        answers=answers,
        digests=np.frombuffer(bytes.fromhex("".join(final.hashes())), dtype=np.uint8).reshape(len(seeds), -1),
    )


_CONTENTS: list[Content] = []
"""The variants' content packs in this process (set by `init_worker` in worker processes)."""


def init_worker(contents: list[Content]) -> None:
    _CONTENTS[:] = contents


def run_task(task: Task, content: Content | None = None) -> tuple[TaskKey, Columns]:
    """Play one shard (in any process, on any machine): with `content`, or the worker's variant. Rows are
    member-major: member m's games are rows m * seeds .. (m + 1) * seeds."""
    world = world_for(content if content is not None else _CONTENTS[task.variant], task.scenario)
    seeds = np.arange(task.seed_from, task.seed_to, dtype=np.int64)
    return task.key, play_columns(world, task_strategy(task, world), np.tile(seeds, len(task.members)))


def shard_bounds(games: int, workers: int) -> list[tuple[int, int]]:
    """Offsets of the shards of one group of `games` (enough shards to keep `workers` busy)."""
    size = min(MAX_SHARD, max(MIN_SHARD, math.ceil(games / max(workers, 1))))
    size = BLOCK * math.ceil(size / BLOCK)  # whole blocks
    return [(lo, min(lo + size, games)) for lo in range(0, games, size)]


def plan(scenario: str, games: int, strategies: Sequence[str], ablations: Sequence[Ablation], variants: int,
         seed_start: int = 0, workers: int = 1) -> list[Task]:
    """The tasks of a sweep: per variant, the seeds in shards (`shard_bounds`) and the
    (strategy, ablation) members packed together while a batch stays at most MAX_SHARD games (one batch
    plays faster than several small ones), yet in enough tasks to keep `workers` busy."""
    members = [(s, a) for s in range(len(strategies)) for a in range(len(ablations))]
    # The groups (variant, member) share the workers: a grid of many keeps them busy with whole shards of
    # MAX_SHARD seeds each (a look-ahead bot plays its games about a sixth faster 2,000 at once than 1,000)
    bounds = shard_bounds(games, math.ceil(max(workers, 1) / (variants * len(members))))
    size = bounds[0][1] - bounds[0][0]
    # members per task: at most MAX_SHARD rows; fewer to give every worker a task, yet MIN_SHARD rows or more
    busy = math.ceil(len(members) / math.ceil(max(workers, 1) / len(bounds)))
    per = max(1, min(MAX_SHARD // size, max(busy, math.ceil(MIN_SHARD / size))))
    packs = [members[i:i + per] for i in range(0, len(members), per)]
    tasks: list[Task] = []
    for v in range(variants):
        for pack in packs:
            for lo, hi in bounds:
                tasks.append(Task((v, len(tasks)), scenario, tuple(pack), tuple(strategies[s] for s, _ in pack),
                                  tuple(ablations[a] for _, a in pack), seed_start + lo, seed_start + hi))
    return tasks
