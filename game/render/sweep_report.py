"""A sweep's outputs: the console text, report.md, games.jsonl and summary.json (written atomically)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from game.analysis.gathered import Spool
from game.analysis.sweep import SweepError, SweepResult
from game.render.labels import score_legend
from game.render.tables import markdown_table
from game.sim.world import World
from game.storage import atomic_write

QUANTILES = ("min", "p5", "p25", "p50", "p75", "p95", "max")


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
        lines += [title, score_legend(world), strategy_table(entry["strategies"], world), ""]
        lines.append(f"verdict: {entry['dominance']['verdict']}")
        var = entry["variance"]
        if var:
            lines.append(
                f"score variance explained: strategy (skill) {var['strategy']:.1%}, seed (luck) "
                f"{var['seed']:.1%}, strategy × seed {var['interaction']:.1%}"
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
            score_legend(world),
            "",
            "```",
            strategy_table(entry["strategies"], world),
            "```",
            "",
        ]
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
        ]
        rows = []
        for r in d["rows"]:
            m, lo, hi = r["win_diff"]
            sm, slo, shi = r["score_diff"]
            rows.append([r["strategy"], f"{100 * r['win_rate']:.1f}",
                         f"{100 * m:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}]", f"{sm:+.2f} [{slo:+.2f}, {shi:+.2f}]",
                         "yes" if r["indistinguishable"] else "no"])
        L += [
            markdown_table(["strategy", "win %", "win-rate difference vs best (points, 95 % CI)",
                            "score difference (95 % CI)", "indistinguishable"], rows, "lrlll"),
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
                markdown_table(["source", "share of score variance"], [
                    ["strategy (skill)", f"{var['strategy']:.1%}"], ["seed (luck)", f"{var['seed']:.1%}"],
                    ["strategy × seed", f"{var['interaction']:.1%}"]], "lr"),
                "",
            ]
        L += [
            "### Score distributions",
            "",
            markdown_table(["strategy", "min", "5 %", "25 %", "median", "75 %", "95 %", "max"],
                           [[r["strategy"], *(f"{r['score_quantiles'][k]:.2f}" for k in QUANTILES)]
                            for r in entry["strategies"]], "l" + "r" * len(QUANTILES)),
        ]
        scores = {result.strategies[s]: result.group(v, s).cols.score for s in range(len(result.strategies))}
        L += ["", "```", histogram(scores), "```", ""]
        L += [
            "### Events",
            "",
            "Share of games in which each event fired at least once (and mean times per game).",
            "",
            markdown_table(["event", *result.strategies], [
                [eid, *(f"{100 * r['events'][eid]['games_with']:.1f} % ({r['events'][eid]['per_game']:.2f})"
                        for r in entry["strategies"])] for eid in world.event_ids],
                "l" + "r" * len(result.strategies)),
        ]
        L += [
            "",
            "### Average spend per lever",
            "",
            f"¥ billions per game over the {world.turns} quarters.",
            "",
            markdown_table(["lever", *result.strategies],
                           [[lid, *(f"{r['spend'][lid]:.1f}" for r in entry["strategies"])] for lid in world.lever_ids],
                           "l" + "r" * len(result.strategies)),
            "",
        ]
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
                ]
                table_rows = []
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
                    table_rows.append([r["lever"], *cells, r["verdict"]])
                L += [markdown_table(["lever", "removed: win (points)", "removed: score", "doubled: win (points)",
                                      "doubled: score", "verdict"], table_rows), ""]
    return "\n".join(L)


def check_out_dir(out: Path) -> None:
    """Create `out` and make sure it is writable (before hours of play, not after)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        # a probe of its own (two sweeps may share --out): created, closed and removed at once
        with tempfile.NamedTemporaryFile(dir=out, prefix=".homegrown-write-test-"):
            pass
    except OSError as exc:
        raise SweepError(f"--out {out}: cannot write there: {exc.strerror or exc}") from None


def write_outputs(result: SweepResult, summary: dict[str, Any], out: Path, games: Spool) -> None:
    """summary.json, report.md and games.jsonl (from the spool the sweep wrote its games' lines to: a
    million games' lines never sit in memory)."""
    check_out_dir(out)
    files: dict[str, bytes | Iterable[bytes]] = {
        "summary.json": (json.dumps(summary, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode(),
        "games.jsonl": games.chunks(),
        "report.md": report_markdown(result, summary).encode(),
    }
    for name, data in files.items():
        atomic_write(out / name, data, keep_backup=False)
