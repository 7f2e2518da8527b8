"""What a sweep keeps of its games as shards arrive, so that a million games fit in bounded memory: per
game only its seed, score and outcome (17 bytes: quantiles and paired comparisons need them); everything
else as exact tallies per group; and, with an output folder, each game's games.jsonl line written at
once to a scratch file, copied out in order at the end.

Every figure is the same whatever the number of workers, the shard size or the order in which shards
finish: counts are integers, and sums of money are taken per block of BLOCK seeds (game.analysis.shards
cuts shards on block boundaries) and then over the blocks in seed order."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from game.analysis import shards
from game.analysis.shards import Columns
from game.content.terms import CATEGORIES
from game.play.records import rounded
from game.sim.metrics import KEY_METRICS
from game.sim.scoring import OUTCOMES
from game.sim.world import World


@dataclass
class Kept:
    """The per-game columns a sweep keeps in memory: seed, score, outcome (seed order)."""

    seed: np.ndarray  # int64[N]
    score: np.ndarray  # float64[N]
    outcome: np.ndarray  # int8[N] index into OUTCOMES

    @staticmethod
    def empty(size: int, seed_start: int) -> Kept:
        return Kept(np.arange(seed_start, seed_start + size, dtype=np.int64), np.empty(size), np.empty(size, np.int8))


@dataclass
class Tally:
    """One group's totals: games whose goals were met, events fired, ¥ billions spent per lever."""

    games: int
    goals: int
    events: int
    levers: int
    met: np.ndarray = field(init=False)  # int64[G] games meeting each goal
    fired_games: np.ndarray = field(init=False)  # int64[E] games in which each event fired
    fired: np.ndarray = field(init=False)  # int64[E] times each event fired
    blocks: np.ndarray = field(init=False)  # float64[ceil(N / BLOCK), L] money spent per lever, per block of seeds

    def __post_init__(self) -> None:
        self.met = np.zeros(self.goals, np.int64)
        self.fired_games = np.zeros(self.events, np.int64)
        self.fired = np.zeros(self.events, np.int64)
        self.blocks = np.zeros((-(-self.games // shards.BLOCK), self.levers))

    def add(self, at: int, part: Columns) -> None:
        """Games at..at + part.size of the group (`at` on a block boundary)."""
        assert at % shards.BLOCK == 0
        self.met += part.met.sum(axis=0)
        self.fired_games += (part.fired > 0).sum(axis=0)
        self.fired += part.fired.sum(axis=0, dtype=np.int64)
        block = shards.BLOCK
        for lo in range(0, part.size, block):  # each block whole within one part: summed the same every time
            self.blocks[(at + lo) // block] = part.invested[lo:lo + block].sum(axis=0)

    def spend(self) -> np.ndarray:
        """[L] mean ¥ billions per game spent on each lever."""
        return self.blocks.sum(axis=0) / self.games


def game_lines(part: Columns, world: World, strategy: str, variant: str | None, ablation: str) -> Iterator[str]:
    """games.jsonl's lines for these games: each game's seed, strategy, outcome, score and state hash; each
    goal's final value and whether it is met; the key metrics at the end; ¥ billions spent per lever
    category; the answer last taken to each event that fired (null for an event without choices);
    `variant` when the sweep has several, `ablation` when there is one."""
    c = part
    outcomes = [OUTCOMES[o] for o in c.outcome]
    category = world.arrays["lever_category"]
    spend = np.stack([c.invested[:, category == k].sum(axis=1) for k in range(len(CATEGORIES))], axis=1)
    goal_ids = [goal.id for goal in world.goals]
    choice_ids = [[ch.id for ch in world.event(e).choices] for e in range(len(world.event_ids))]
    for i in range(c.size):
        row: dict[str, Any] = {
            "seed": int(c.seed[i]),
            "strategy": strategy,
            "outcome": outcomes[i],
            "score": float(c.score[i]),
            "state_hash": c.digests[i].tobytes().hex(),
            "goals": {gid: {"value": rounded(c.values[i, j]), "met": bool(c.met[i, j])}
                      for j, gid in enumerate(goal_ids)},
            "metrics": {m: rounded(c.metrics[i, k]) for k, m in enumerate(KEY_METRICS)},
            "spend": {cat: rounded(spend[i, k]) for k, cat in enumerate(CATEGORIES)},
            "answers": {world.event_ids[e]: choice_ids[e][c.answers[i, e]] if c.answers[i, e] >= 0 else None
                        for e in np.flatnonzero(c.fired[i])},
        }
        if variant is not None:
            row["variant"] = variant
        if ablation:
            row["ablation"] = ablation
        yield json.dumps(row, ensure_ascii=False, allow_nan=False)


class Spool:
    """games.jsonl as shards arrive: each block of lines appended to a scratch file in `folder` (removed
    when closed), its place noted by (group, first seed); `chunks()` reads them back in that order."""

    def __init__(self, folder: Path):
        # closed by close() (the caller's `with`), which also removes it
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=folder, prefix=".homegrown-games-")  # noqa: SIM115
        self._index: dict[tuple[tuple[int, int, int], int], tuple[int, int]] = {}

    def add(self, group: tuple[int, int, int], at: int, lines: Iterator[str]) -> None:
        data = "".join(line + "\n" for line in lines).encode()
        self._file.seek(0, 2)
        self._index[(group, at)] = (self._file.tell(), len(data))
        self._file.write(data)

    def chunks(self) -> Iterator[bytes]:
        for key in sorted(self._index):
            offset, size = self._index[key]
            self._file.seek(offset)
            yield self._file.read(size)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
