"""The class against the built-in strategies and the best plan `homegrown search` finds, compared two ways
and labelled as such: on the class's own seeds (each game against each strategy on that game's seed, the
fair comparison) and over many seeds (the sweep's seeds 0..N-1: how much of a strategy's score is luck)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from game.analysis.debrief.data import GameRow, Matchup, StrategyRow
from game.analysis.search import FAMILY, Settings, make_space, search
from game.analysis.sweep import sweep
from game.content.pack import Content
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.scoring import evaluate
from game.strategies import get_strategy
from game.strategies.base import Strategy
from game.strategies.registry import BUILTIN

DEFAULT_SWEEP_GAMES = 200
DEFAULT_SEARCH_GENERATIONS = 8
BEST_PLAN = "best plan (search)"


def _scores(content: Content, scenario: str, strategy: Strategy, seeds: Sequence[int]) -> list[float]:
    if not seeds:
        return []
    world = build_world(content, scenario)
    return [float(x) for x in evaluate(play(world, np.asarray(seeds, dtype=np.int64), strategy), world).score]


def strategy_distribution(
    content: Content, scenario: str, games: int, strategies: Sequence[str], class_seeds: Sequence[int] = (),
    progress: bool | None = False,
) -> list[StrategyRow]:
    """Each built-in strategy's scores over seeds 0..games-1 (a quick, deterministic sweep), and its score
    on each seed the class played. `progress`: as `sweep`'s."""
    if not strategies:
        return []
    rows = []
    if games > 0:
        result = sweep(content, scenario, games, list(strategies), seed_start=0, progress=progress)
    for s, name in enumerate(strategies):
        cols = result.group(0, s).cols if games > 0 else None
        scores = [float(x) for x in cols.score] if cols is not None else []
        wins = int((cols.outcome == 0).sum()) if cols is not None else 0
        own = _scores(content, scenario, get_strategy(name), sorted(set(class_seeds)))
        rows.append(StrategyRow(name, scores, wins, dict(zip(sorted(set(class_seeds)), own, strict=True))))
    return rows


def best_plan(content: Content, scenario: str, games: int, class_seeds: Sequence[int],
              generations: int) -> tuple[StrategyRow | None, str]:
    """The best fixed plan a short `homegrown search` finds (seeded: the same every time), played on the
    class's seeds and on the sweep's seeds; and one line saying how it was searched."""
    if generations <= 0:
        return None, "not searched (--search-generations 0)"
    settings = Settings(generations=generations, population=24, seeds=16, validate=max(games, 1))
    found = search(content, scenario, ["fixed"], settings)[0]
    space = make_space(build_world(content, scenario))

    def plan_scores(seeds: list[int]) -> list[float]:
        """The plan on each seed (one plan row per game: the family's strategy repeats it per seed)."""
        strategy = FAMILY["fixed"].strategy(found.theta[None], found.choices[None], space, len(seeds))
        return _scores(content, scenario, strategy, seeds)

    seeds = sorted(set(class_seeds))
    own = dict(zip(seeds, plan_scores(seeds), strict=True))
    many = plan_scores(list(range(games))) if games > 0 else []
    wins = sum(1 for x in many if x >= 70.0)
    note = (f"the best fixed plan of `homegrown search --scenario {scenario} --family fixed --generations "
            f"{generations} --population 24 --seeds 16` (search seed 0)")
    return StrategyRow(BEST_PLAN, many, wins, own, label=note), note


def matchups(games: Sequence[GameRow], rows: Sequence[StrategyRow]) -> list[Matchup]:
    """Each finished counted game against each strategy on that game's own seed."""
    out = []
    for row in rows:
        pairs = [(g.score, row.on_class_seeds[g.seed]) for g in games if g.done and g.seed in row.on_class_seeds]
        if not pairs:
            continue
        beaten = sum(1 for mine, theirs in pairs if mine > theirs + 1e-9)
        tied = sum(1 for mine, theirs in pairs if abs(mine - theirs) <= 1e-9)
        out.append(Matchup(row.name, len(pairs), beaten, tied, sum(p[0] for p in pairs) / len(pairs),
                           sum(p[1] for p in pairs) / len(pairs)))
    return out


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
