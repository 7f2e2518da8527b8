"""Balance statistics and reports from a sweep: the tables, the dominant-strategy verdict, skill versus
luck, lever ablation, and the files `--out` writes (summary.json, games.jsonl, report.md).

Statistics:
- win rate ("victory") with a 95 % Wilson interval;
- paired comparisons on the same seeds (difference per seed, mean ± 1.96 standard errors) for the
  dominant-strategy verdict and for lever ablation;
- skill versus luck: a two-way decomposition of the score's variance over strategies × seeds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from game.analysis.sweep import Group, SweepError, SweepResult
from game.sim.scoring import OUTCOMES
from game.sim.world import World
from game.storage import atomic_write

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
    c, n = g.cols, g.cols.seed.size
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
        "goals": {goal.id: float(c.met[:, j].mean()) for j, goal in enumerate(world.goals)},
        "score_quantiles": {k: float(v) for k, v in zip(("min", "p5", "p25", "p50", "p75", "p95", "max"), q, strict=False)},
        "events": {
            eid: {"games_with": float((c.fired[:, e] > 0).mean()), "per_game": float(c.fired[:, e].mean())}
            for e, eid in enumerate(world.event_ids)
        },
        "spend": {lid: float(c.invested[:, i].mean()) for i, lid in enumerate(world.lever_ids)},
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


BALANCE_TARGETS = (
    "do_nothing wins under 5 %",
    "random wins under 15 %",
    "no fixed strategy wins more than 60 %",
    "at least 3 strategies within 15 points of the best",
    "greedy beats random",
)


def balance_checks(result: SweepResult, v: int) -> list[dict[str, Any]]:
    """The issue's balance targets, for the strategies present in the sweep (None when not measurable)."""
    rate = {
        name: float((result.group(v, s).cols.outcome == 0).mean()) for s, name in enumerate(result.strategies)
    }
    fixed = [n for n in rate if n not in ("random", "greedy", "do_nothing") and not n.startswith("scripted:")]
    best = max(rate.values())
    checks = [
        (
            "do_nothing wins under 5 %",
            rate["do_nothing"] < 0.05 if "do_nothing" in rate else None,
            f"{rate.get('do_nothing', float('nan')):.1%}",
        ),
        (
            "random wins under 15 %",
            rate["random"] < 0.15 if "random" in rate else None,
            f"{rate.get('random', float('nan')):.1%}",
        ),
        (
            "no fixed strategy wins more than 60 %",
            all(rate[n] <= 0.60 for n in fixed) if fixed else None,
            ", ".join(f"{n} {rate[n]:.1%}" for n in fixed if rate[n] > 0.60) or "none above",
        ),
        (
            "at least 3 strategies within 15 points of the best",
            sum(best - r <= 0.15 for r in rate.values()) >= 3 if len(rate) >= 3 else None,
            ", ".join(n for n, r in rate.items() if best - r <= 0.15),
        ),
        (
            "greedy beats random",
            rate["greedy"] > rate["random"] if {"greedy", "random"} <= rate.keys() else None,
            f"{rate.get('greedy', float('nan')):.1%} vs {rate.get('random', float('nan')):.1%}",
        ),
    ]
    return [{"target": t, "ok": ok, "detail": d} for t, ok, d in checks]


# ====================================================================== text output


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def strategy_table(stats: list[dict[str, Any]], world: World) -> str:
    """A fixed-width table, one row per strategy."""
    name_w = max([8, *(len(r["strategy"]) for r in stats)])
    head = (
        f"{'strategy':{name_w}}  {'games':>6}  {'win %':>5}  {'95 % CI':>13}  {'mean':>6}  {'median':>6}  "
        f"{'vict':>5} {'part':>5} {'def':>5} {'dism':>5}"
    )
    goal_ids = [g.id for g in world.goals]
    head += "  " + "  ".join(f"{gid[:14]:>14}" for gid in goal_ids)
    lines = [head, "-" * len(head)]
    for r in stats:
        o = r["outcomes"]
        lo, hi = r["win_ci"]
        line = (
            f"{r['strategy']:{name_w}}  {r['games']:>6}  {_pct(r['win_rate'])}  "
            f"{f'{100 * lo:.1f}–{100 * hi:.1f}':>13}  {r['mean_score']:6.2f}  {r['median_score']:6.2f}  "
            f"{o['victory']:>5} {o['partial']:>5} {o['defeat']:>5} {o['dismissed']:>5}"
        )
        line += "  " + "  ".join(f"{_pct(r['goals'][gid]) + ' %':>14}" for gid in goal_ids)
        lines.append(line)
    return "\n".join(lines)


def histogram(scores: dict[str, np.ndarray], bins: int = 10, width: int = 40) -> str:
    """Text histograms of several score samples over one shared range."""
    allv = np.concatenate(list(scores.values()))
    lo, hi = float(np.floor(allv.min())), float(np.ceil(allv.max()))
    if hi <= lo:
        hi = lo + 1
    edges = np.linspace(lo, hi, bins + 1)
    out = []
    for name, x in scores.items():
        counts, _ = np.histogram(x, edges)
        top = max(int(counts.max()), 1)
        out.append(f"{name}")
        for k in range(bins):
            bar = "█" * round(width * counts[k] / top)
            out.append(f"  {edges[k]:6.1f}–{edges[k + 1]:6.1f} {counts[k]:>6} {bar}")
    return "\n".join(out)


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
            "balance": balance_checks(result, v),
        }
        if len(result.ablations) > 1:
            entry["ablation"] = {
                name: ablation_stats(result, v, s) for s, name in enumerate(result.strategies)
            }
        out["variants"].append(entry)
    return out


def console_text(result: SweepResult, summary: dict[str, Any]) -> str:
    lines = []
    for v, entry in enumerate(summary["variants"]):
        world = result.worlds[v]
        title = (
            f"{result.scenario} · {result.games:,} games per strategy · seeds {result.seed_start}–"
            f"{result.seed_start + result.games - 1} · content {entry['content_fingerprint']}"
        )
        if entry["label"] != "base" or len(summary["variants"]) > 1:
            title += f" · variant: {entry['label']}"
        lines += [title, strategy_table(entry["strategies"], world), ""]
        lines.append(f"verdict: {entry['dominance']['verdict']}")
        var = entry["variance"]
        if var:
            lines.append(
                f"score variance explained: strategy (skill) {var['strategy']:.1%}, seed (luck) "
                f"{var['seed']:.1%}, strategy × seed {var['interaction']:.1%}"
            )
        checks = [c for c in entry["balance"] if c["ok"] is not None]
        if checks:
            lines.append(
                "balance targets: "
                + "; ".join(f"{'✔' if c['ok'] else '✘'} {c['target']} ({c['detail']})" for c in checks)
            )
        if "ablation" in entry:
            for name, rows in entry["ablation"].items():
                lines.append(f"lever ablation for {name} (win-rate change in points, paired 95 % CI):")
                for r in rows:
                    m, lo, hi = r["removed_win"]
                    dm, dlo, dhi = r["doubled_win"]
                    lines.append(
                        f"  {r['lever']:24} removed {100 * m:+6.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}]"
                        f"  doubled {100 * dm:+6.1f} [{100 * dlo:+.1f}, {100 * dhi:+.1f}]  {r['verdict']}"
                    )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def report_markdown(result: SweepResult, summary: dict[str, Any]) -> str:
    L: list[str] = [f"# Sweep report: scenario `{result.scenario}`", ""]
    L += [
        (
            f"{result.games:,} games per strategy and variant, seeds {result.seed_start}–"
            f"{result.seed_start + result.games - 1} (the same seeds for every strategy, so comparisons are "
            f"paired). Strategies: {', '.join(f'`{s}`' for s in result.strategies)}."
        ),
        "",
    ]
    for v, entry in enumerate(summary["variants"]):
        world = result.worlds[v]
        L += [
            f"## Variant: {entry['label']}",
            "",
            f"Content fingerprint `{entry['content_fingerprint']}`."
            + (
                ""
                if not entry["changes"]
                else " Changes: " + ", ".join(f"`{c['path']}` = `{c['value']}`" for c in entry["changes"])
            ),
            "",
        ]
        L += [
            "### Results",
            "",
            (
                "Win = outcome `victory`; the interval is the 95 % Wilson score interval. "
                "Outcome counts are victory / partial / defeat / dismissed; goal columns are the share of "
                "games "
                "that met each goal."
            ),
            "",
            "```",
            strategy_table(entry["strategies"], world),
            "```",
            "",
        ]
        checks = [c for c in entry["balance"] if c["ok"] is not None]
        if checks:
            L += ["### Balance targets", ""]
            L += [f"- {'✔' if c['ok'] else '✘'} {c['target']}: {c['detail']}" for c in checks]
            L += [""]
        d = entry["dominance"]
        L += [
            "### Dominant strategy?",
            "",
            (
                "Every strategy played the same seeds, so each is compared with the best (highest win rate, "
                "then mean score) game by game: the difference per seed (−1, 0 or +1 for a win) is averaged "
                "and "
                "given a 95 % interval (mean ± 1.96 standard errors). A strategy whose interval includes 0 "
                "cannot be told apart from the best at this number of games."
            ),
            "",
            (
                "| strategy | win % | win-rate difference vs best (points, 95 % CI) | score difference (95 "
                "% CI) "
                "| indistinguishable |"
            ),
            "|---|---:|---|---|---|",
        ]
        for r in d["rows"]:
            m, lo, hi = r["win_diff"]
            sm, slo, shi = r["score_diff"]
            L.append(
                f"| {r['strategy']} | {100 * r['win_rate']:.1f} | {100 * m:+.1f} [{100 * lo:+.1f}, "
                f"{100 * hi:+.1f}] | {sm:+.2f} [{slo:+.2f}, {shi:+.2f}] | "
                f"{'yes' if r['indistinguishable'] else 'no'} |"
            )
        L += [
            "",
            f"**Verdict:** {d['verdict']}. Within 15 points of the best: {', '.join(d['within_15_points'])}.",
            "",
        ]
        var = entry["variance"]
        if var:
            L += [
                "### Skill versus luck",
                "",
                (
                    "The scores form a strategies × seeds table. Its total variance splits into the part "
                    "explained "
                    "by the strategy (differences between strategy means: skill), by the seed (differences "
                    "between "
                    "seed means: luck shared by every strategy, e.g. an early incident), and the rest (a "
                    "seed that "
                    "is good for one strategy and bad for another)."
                ),
                "",
                "| source | share of score variance |",
                "|---|---:|",
                f"| strategy (skill) | {var['strategy']:.1%} |",
                f"| seed (luck) | {var['seed']:.1%} |",
                f"| strategy × seed | {var['interaction']:.1%} |",
                "",
            ]
        L += [
            "### Score distributions",
            "",
            "| strategy | min | 5 % | 25 % | median | 75 % | 95 % | max |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in entry["strategies"]:
            q = r["score_quantiles"]
            L.append(
                f"| {r['strategy']} | "
                + " | ".join(f"{q[k]:.2f}" for k in ("min", "p5", "p25", "p50", "p75", "p95", "max"))
                + " |"
            )
        scores = {result.strategies[s]: result.group(v, s).cols.score for s in range(len(result.strategies))}
        L += ["", "```", histogram(scores), "```", ""]
        L += [
            "### Events",
            "",
            "Share of games in which each event fired at least once (and mean times per game).",
            "",
            "| event | " + " | ".join(result.strategies) + " |",
            "|---|" + "---:|" * len(result.strategies),
        ]
        for eid in world.event_ids:
            cells = [
                f"{100 * r['events'][eid]['games_with']:.1f} % ({r['events'][eid]['per_game']:.2f})"
                for r in entry["strategies"]
            ]
            L.append(f"| {eid} | " + " | ".join(cells) + " |")
        L += [
            "",
            "### Average spend per lever",
            "",
            f"¥ billions per game over the {world.turns} quarters.",
            "",
            "| lever | " + " | ".join(result.strategies) + " |",
            "|---|" + "---:|" * len(result.strategies),
        ]
        for lid in world.lever_ids:
            L.append(f"| {lid} | " + " | ".join(f"{r['spend'][lid]:.1f}" for r in entry["strategies"]) + " |")
        L.append("")
        if "ablation" in entry:
            L += [
                "### Lever importance (ablation)",
                "",
                (
                    "The same seeds played again with one lever removed (spend forced to 0) and with its "
                    "spend "
                    "doubled (the rules then cap it at the lever's max and scale an over-budget plan down). "
                    "Changes are paired differences against the unchanged strategy, with 95 % intervals; "
                    "levers "
                    "are ranked by what removing them costs. *worth it*: removing it hurts; *trap*: the "
                    "strategy "
                    "does better without it."
                ),
                "",
            ]
            for name, rows in entry["ablation"].items():
                L += [
                    f"#### {name}",
                    "",
                    (
                        "| lever | removed: win (points) | removed: score | doubled: win (points) "
                        "| doubled: score | verdict |"
                    ),
                    "|---|---|---|---|---|---|",
                ]
                for r in rows:
                    cells = []
                    for key, scale, fmt in (
                        ("removed_win", 100, "+.1f"),
                        ("removed_score", 1, "+.2f"),
                        ("doubled_win", 100, "+.1f"),
                        ("doubled_score", 1, "+.2f"),
                    ):
                        m, lo, hi = (scale * x for x in r[key])
                        cells.append(f"{m:{fmt}} [{lo:{fmt}}, {hi:{fmt}}]")
                    L.append(f"| {r['lever']} | " + " | ".join(cells) + f" | {r['verdict']} |")
                L.append("")
    return "\n".join(L)


def game_lines(result: SweepResult) -> Iterable[str]:
    """games.jsonl: one line per game, in a fixed order (variant, strategy, ablation, seed)."""
    with_variant = len(result.variants) > 1
    for (_v, _s, _a), g in sorted(result.groups.items()):
        c = g.cols
        outcomes = [OUTCOMES[o] for o in c.outcome]
        for i in range(c.seed.size):
            row: dict[str, Any] = {
                "seed": int(c.seed[i]),
                "strategy": g.strategy,
                "outcome": outcomes[i],
                "score": float(c.score[i]),
                "state_hash": c.hashes[i],
            }
            if with_variant:
                row["variant"] = g.variant
            if g.ablation:
                row["ablation"] = g.ablation
            yield json.dumps(row, ensure_ascii=False)


def check_out_dir(out: Path) -> None:
    """Create `out` and make sure it is writable (before hours of play, not after)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".homegrown-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise SweepError(f"--out {out}: cannot write there: {exc.strerror or exc}") from None


def write_outputs(result: SweepResult, summary: dict[str, Any], out: Path) -> None:
    check_out_dir(out)
    files = {
        "summary.json": json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
        "games.jsonl": "".join(line + "\n" for line in game_lines(result)),
        "report.md": report_markdown(result, summary),
    }
    for name, text in files.items():
        atomic_write(out / name, text.encode("utf-8"), keep_backup=False)
