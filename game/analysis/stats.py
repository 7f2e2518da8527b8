"""Balance statistics of a sweep: win rates, the dominant-strategy verdict, skill versus luck and lever
ablation, gathered into the summary that summary.json holds (rendered by game.render.sweep_report).

Statistics:
- win rate ("victory") with a 95 % Wilson interval;
- paired comparisons on the same seeds (difference per seed, mean ± 1.96 standard errors) for the
  dominant-strategy verdict and for lever ablation;
- skill versus luck: a two-way decomposition of the score's variance over strategies × seeds.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from game.analysis.sweep import Group, SweepResult
from game.sim.scoring import OUTCOMES
from game.sim.world import World

# ====================================================================== statistics

SCHEMA_VERSION = 1  # of summary.json
Z95 = 1.959963984540054  # two-sided 95 % normal quantile


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion k / n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def paired(diff: np.ndarray, z: float = Z95) -> tuple[float, float, float]:
    """(mean, low, high): mean of paired differences with a normal 95 % interval."""
    n = diff.size
    mean = float(diff.mean()) if n else 0.0
    if n < 2:
        return mean, mean, mean
    se = float(diff.std(ddof=1)) / math.sqrt(n)
    return mean, mean - z * se, mean + z * se


def strategy_stats(g: Group, world: World) -> dict[str, Any]:
    c, n, tally = g.cols, g.cols.seed.size, g.tally
    wins = int((c.outcome == 0).sum())
    lo, hi = wilson(wins, n)
    counts = np.bincount(c.outcome, minlength=len(OUTCOMES))
    q = np.quantile(c.score, [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0])
    return {
        "variant": g.variant,
        "strategy": g.strategy,
        "games": n,
        "wins": wins,
        "win_rate": wins / n,
        "win_ci": [lo, hi],
        "mean_score": float(c.score.mean()),
        "median_score": float(np.median(c.score)),
        "score_sd": float(c.score.std(ddof=1)) if n > 1 else 0.0,
        "outcomes": {o: int(k) for o, k in zip(OUTCOMES, counts, strict=False)},
        "goals": {goal.id: float(tally.met[j] / n) for j, goal in enumerate(world.goals)},
        "score_quantiles": {k: float(v) for k, v in zip(("min", "p5", "p25", "p50", "p75", "p95", "max"), q, strict=False)},
        "events": {
            eid: {"games_with": float(tally.fired_games[e] / n), "per_game": float(tally.fired[e] / n)}
            for e, eid in enumerate(world.event_ids)
        },
        "spend": {lid: float(x) for lid, x in zip(world.lever_ids, tally.spend(), strict=True)},
    }


def dominance(result: SweepResult, v: int) -> dict[str, Any]:
    """Which strategies are statistically indistinguishable from the best (paired, same seeds)."""
    names = result.strategies
    groups = [result.group(v, s) for s in range(len(names))]
    win = [(g.cols.outcome == 0).astype(np.float64) for g in groups]
    rates = [w.mean() for w in win]
    means = [g.cols.score.mean() for g in groups]
    best = max(range(len(names)), key=lambda s: (rates[s], means[s]))
    rows = []
    for s, name in enumerate(names):
        d_win = paired(win[s] - win[best])
        d_score = paired(groups[s].cols.score - groups[best].cols.score)
        same = s == best or (d_win[1] <= 0 <= d_win[2])
        rows.append(
            {
                "strategy": name,
                "win_rate": rates[s],
                "win_diff": list(d_win),
                "score_diff": list(d_score),
                "indistinguishable": bool(same),
            }
        )
    tied = [r["strategy"] for r in rows if r["indistinguishable"]]
    within15 = [names[s] for s in range(len(names)) if rates[best] - rates[s] <= 0.15]
    if len(names) == 1:
        verdict = "one strategy only: nothing to compare"
    elif len(tied) == 1:
        verdict = (
            f"'{names[best]}' dominates: every other strategy wins significantly less often "
            "(paired 95 % intervals of the win-rate difference exclude 0)"
        )
    else:
        verdict = (
            f"no single dominant strategy: {len(tied)} strategies ({', '.join(tied)}) cannot be told "
            f"apart from the best, '{names[best]}' (paired 95 % intervals include 0)"
        )
    return {
        "best": names[best],
        "rows": rows,
        "indistinguishable": tied,
        "within_15_points": within15,
        "verdict": verdict,
    }


def variance_split(result: SweepResult, v: int) -> dict[str, float] | None:
    """Skill versus luck: a two-way decomposition of the score over strategies × seeds (same seeds)."""
    if len(result.strategies) < 2 or result.games < 2:
        return None
    x = np.stack([result.group(v, s).cols.score for s in range(len(result.strategies))])  # [S,N]
    grand = x.mean()
    S, N = x.shape
    total = float(((x - grand) ** 2).sum())
    if total == 0:
        return {"strategy": 0.0, "seed": 0.0, "interaction": 0.0, "total_ss": 0.0}
    ss_strategy = float(N * ((x.mean(axis=1) - grand) ** 2).sum())
    ss_seed = float(S * ((x.mean(axis=0) - grand) ** 2).sum())
    rest = total - ss_strategy - ss_seed
    return {
        "strategy": ss_strategy / total,
        "seed": ss_seed / total,
        "interaction": max(rest, 0.0) / total,
        "total_ss": total,
    }


def ablation_stats(result: SweepResult, v: int, s: int) -> list[dict[str, Any]]:
    """Per lever: the paired effect of removing it and of doubling it, on win rate and score."""
    base = result.group(v, s, 0).cols
    base_win = (base.outcome == 0).astype(np.float64)
    by_lever: dict[str, dict[str, Any]] = {}
    for a, ablation in enumerate(result.ablations):
        if not ablation.lever:
            continue
        cols = result.group(v, s, a).cols
        mode = "removed" if ablation.factor == 0 else "doubled"
        row = by_lever.setdefault(ablation.lever, {"lever": ablation.lever})
        row[f"{mode}_win"] = list(paired((cols.outcome == 0).astype(np.float64) - base_win))
        row[f"{mode}_score"] = list(paired(cols.score - base.score))
    rows = list(by_lever.values())
    # A lever's worth: what removing it costs (positive: the lever helps).
    rows.sort(key=lambda r: (r["removed_win"][0], r["removed_score"][0]))
    for r in rows:
        lo, hi = r["removed_win"][1], r["removed_win"][2]
        slo, shi = r["removed_score"][1], r["removed_score"][2]
        if hi < 0 or (lo <= 0 <= hi and shi < 0):
            r["verdict"] = "worth it"
        elif lo > 0 or (lo <= 0 <= hi and slo > 0):
            r["verdict"] = "trap: better without it"
        else:
            r["verdict"] = "no detectable effect"
    return rows


def summarize(result: SweepResult) -> dict[str, Any]:
    """Everything summary.json holds."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "scenario": result.scenario,
        "games": result.games,
        "seed_start": result.seed_start,
        "strategies": result.strategies,
        "variants": [],
        "ablations": [a.label for a in result.ablations if a.lever],
    }
    for v, variant in enumerate(result.variants):
        world = result.worlds[v]
        entry: dict[str, Any] = {
            "label": variant.label,
            "content_fingerprint": variant.content.fingerprint,
            "changes": [{"path": p, "value": val} for p, val in variant.changes],
            "strategies": [strategy_stats(result.group(v, s), world) for s in range(len(result.strategies))],
            "dominance": dominance(result, v),
            "variance": variance_split(result, v),
        }
        if len(result.ablations) > 1:
            entry["ablation"] = {
                name: ablation_stats(result, v, s) for s, name in enumerate(result.strategies)
            }
        out["variants"].append(entry)
    return out
