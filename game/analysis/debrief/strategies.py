"""The class against the built-in strategies: each strategy's scores over a quick deterministic sweep,
its score on the class's own seed, and the statistics the tables and charts show."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from game.analysis.debrief.data import StrategyRow
from game.analysis.sweep import sweep
from game.content.pack import Content
from game.strategies.registry import BUILTIN

DEFAULT_SWEEP_GAMES = 200


def strategy_distribution(
    content: Content, scenario: str, games: int, strategies: Sequence[str], class_seed: int | None = None,
    progress: bool | None = False,
) -> list[StrategyRow]:
    """Each built-in strategy's scores over seeds 0..games-1 (a quick, deterministic sweep), and its score
    on the class's own seed when the whole class played one. `progress`: as `sweep`'s."""
    if games <= 0 or not strategies:
        return []
    result = sweep(content, scenario, games, list(strategies), seed_start=0, progress=progress)
    rows = []
    for s, name in enumerate(strategies):
        cols = result.group(0, s).cols
        rows.append(StrategyRow(name, [float(x) for x in cols.score], int((cols.outcome == 0).sum())))
    if class_seed is not None:
        own = sweep(content, scenario, 1, list(strategies), seed_start=class_seed, progress=False)
        for s, row in enumerate(rows):
            row.on_class_seed = float(own.group(0, s).cols.score[0])
    return rows


def default_strategies() -> list[str]:
    return list(BUILTIN)


def score_stats(scores: Sequence[float]) -> dict[str, float]:
    """n, mean, min, quartiles and max of a list of scores (NaN when empty)."""
    if not scores:
        return dict.fromkeys(("mean", "min", "p25", "median", "p75", "max"), math.nan) | {"n": 0}
    a = np.asarray(scores, dtype=np.float64)
    q = np.quantile(a, [0.0, 0.25, 0.5, 0.75, 1.0])
    return {
        "n": int(a.size),
        "mean": float(a.mean()),
        "min": float(q[0]),
        "p25": float(q[1]),
        "median": float(q[2]),
        "p75": float(q[3]),
        "max": float(q[4]),
    }
