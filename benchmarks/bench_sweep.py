"""Benchmark: balance sweeps (issue 4's targets).

    python benchmarks/bench_sweep.py [--quick] [--full] [--json PATH]

Measures, on the default scenario:
1. `homegrown sweep --games 10000 --strategy balanced` as a whole process (interpreter start, imports,
   content, play, hashes, statistics), with --workers 1 and 2: wall time, CPU time of the process tree
   and peak memory (largest resident set of any process). Targets: under 5 s (aim 2 s), under 1 GiB.
2. The batched path against looping the one-game path, per game (target: at least 30× faster).
3. `greedy` against `balanced`, per game (target: at most 10× slower).
4. Scaling from 1,000 to 100,000 games (--full; default up to 30,000): time per game should stay flat.

    python benchmarks/bench_sweep.py --greedy REV [--games N] [--repeat N] [--scenario ID ...]

times greedy alone instead: this checkout's `Greedy` against commit REV's (its game/strategies/builtin.py
loaded on this checkout's core, so only the strategy's own changes count), interleaved, on N games of one
batch of each scenario (default 1,000, every scenario), CPU min/median of --repeat runs (default 3), with
balanced as the unit; it checks that both play the same games (every final state hash equal).

Wall times on a shared machine vary with load; CPU times (user + system) are steadier, and both are
printed. --quick uses fewer games for a smoke run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def whole_process(games: int, workers: int, strategy: str = "balanced") -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cmd = [
        sys.executable,
        "-m",
        "game",
        "sweep",
        "--games",
        str(games),
        "--strategy",
        strategy,
        "--workers",
        str(workers),
    ]
    subprocess.run(
        cmd,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "games": games,
        "workers": workers,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "peak_rss_mib": round(after.ru_maxrss / 1024, 1),
    }


def per_game_times(quick: bool) -> dict:
    import numpy as np

    from game.analysis.shards import MAX_SHARD
    from game.content.loader import load_content
    from game.play.runner import play
    from game.sim.compile import build_world
    from game.strategies import get_strategy

    world = build_world(load_content(), "default")

    def batched(name: str, games: int) -> tuple[float, float]:
        strategy = get_strategy(name)
        wall, cpu = time.perf_counter(), time.process_time()
        for lo in range(0, games, MAX_SHARD):
            play(world, np.arange(lo, min(lo + MAX_SHARD, games)), strategy)
        return (time.perf_counter() - wall) / games, (time.process_time() - cpu) / games

    def one_by_one(name: str, games: int) -> tuple[float, float]:
        strategy = get_strategy(name)
        wall, cpu = time.perf_counter(), time.process_time()
        for seed in range(games):
            play(world, [seed], strategy)
        return (time.perf_counter() - wall) / games, (time.process_time() - cpu) / games

    n = 1000 if quick else 4000
    balanced = batched("balanced", n)
    single = one_by_one("balanced", 20 if quick else 60)
    greedy = batched("greedy", n // 4)
    scaling = []
    for games in [1000, 3000] if quick else [1000, 10000, 30000]:
        wall, cpu = batched("balanced", games)
        scaling.append(
            {"games": games, "wall_ms_per_game": round(1e3 * wall, 4), "cpu_ms_per_game": round(1e3 * cpu, 4)}
        )
    return {
        "balanced_ms_per_game": round(1e3 * balanced[1], 4),
        "single_game_loop_ms_per_game": round(1e3 * single[1], 4),
        "batched_speedup": round(single[1] / balanced[1], 1),
        "greedy_ms_per_game": round(1e3 * greedy[1], 4),
        "greedy_slowdown": round(greedy[1] / balanced[1], 2),
        "scaling": scaling,
    }


def greedy_against(rev: str, games: int, repeat: int, scenarios: list[str] | None) -> int:
    import importlib.util
    import statistics
    import tempfile

    import numpy as np

    from game.content.loader import load_content
    from game.play.runner import play
    from game.sim.compile import build_world
    from game.strategies import get_strategy
    from game.strategies.builtin import Greedy

    source = subprocess.run(["git", "show", f"{rev}:game/strategies/builtin.py"], cwd=ROOT, capture_output=True,
                            text=True)
    if source.returncode != 0:
        print(f"bench_sweep: --greedy {rev}: {source.stderr.strip().splitlines()[-1]}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "baseline_builtin.py")
        path.write_text(source.stdout, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("baseline_builtin", path)
        assert spec is not None and spec.loader is not None
        baseline = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = baseline  # (its dataclasses look their module up)
        spec.loader.exec_module(baseline)
    content = load_content()
    seeds = np.arange(games)
    players = {"balanced": lambda: get_strategy("balanced"), rev: baseline.Greedy, "current": Greedy}

    def pair(values: list[float]) -> str:
        return f"{min(values):.2f}/{statistics.median(values):.2f}"

    print(f"greedy alone, {games:,} games in one batch, CPU s min/median of {repeat} (load {os.getloadavg()[0]:.1f})")
    for scenario in scenarios or sorted(content.scenarios):
        world = build_world(content, scenario)
        times: dict[str, list[float]] = {name: [] for name in players}
        finals: dict[str, list[str]] = {}
        for _ in range(repeat):
            for name, make in players.items():
                strategy = make()
                cpu = time.process_time()
                final = play(world, seeds, strategy)
                times[name].append(time.process_time() - cpu)
                finals[name] = final.hashes()
        same = "same games" if finals[rev] == finals["current"] else "DIFFERENT GAMES"
        ratio = [c / b for b, c in zip(times[rev], times["current"], strict=True)]
        unit = min(times["balanced"])
        print(f"{scenario:<26} {rev} {pair(times[rev])}  current {pair(times['current'])}  "
              f"current/{rev} {pair(ratio)}x  (balanced games: {min(times[rev]) / unit:.1f} -> "
              f"{min(times['current']) / unit:.1f})  {same}")
        if finals[rev] != finals["current"]:
            return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games (a smoke run)")
    parser.add_argument("--full", action="store_true", help="also time 100,000 games as one process")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--greedy", metavar="REV", help="time greedy alone against commit REV's greedy")
    parser.add_argument("--games", type=int, default=1000, help="with --greedy: games per scenario")
    parser.add_argument("--repeat", type=int, default=3, help="with --greedy: runs of each")
    parser.add_argument("--scenario", action="append", help="with --greedy: a scenario (repeatable)")
    args = parser.parse_args()
    if args.greedy:
        return greedy_against(args.greedy, args.games, args.repeat, args.scenario)
    games = 2000 if args.quick else 10000
    figures: dict = {"cpus": os.cpu_count(), "load_average": os.getloadavg()[0]}
    figures["whole_process"] = [whole_process(games, w) for w in (1, 2)]
    for row in figures["whole_process"]:
        ok = "ok" if row["wall_s"] < 5 else "over 5 s"
        print(
            f"sweep {row['games']:,} balanced --workers {row['workers']}: wall {row['wall_s']:.2f} s, "
            f"cpu {row['cpu_s']:.2f} s, peak RSS {row['peak_rss_mib']:.0f} MiB  [{ok}]"
        )
    figures.update(per_game_times(args.quick))
    print(
        f"batched: {figures['balanced_ms_per_game']:.3f} ms/game CPU; one game at a time: "
        f"{figures['single_game_loop_ms_per_game']:.2f} ms/game -> {figures['batched_speedup']}x faster "
        f"[{'ok' if figures['batched_speedup'] >= 30 else 'under 30x'}]"
    )
    print(
        f"greedy: {figures['greedy_ms_per_game']:.3f} ms/game CPU -> {figures['greedy_slowdown']}x balanced "
        f"[{'ok' if figures['greedy_slowdown'] <= 10 else 'over 10x'}]"
    )
    if args.full:
        big = whole_process(100_000, 2)
        figures["whole_process"].append(big)
        figures["scaling"].append(
            {
                "games": 100_000,
                "wall_ms_per_game": round(1e3 * big["wall_s"] / 1e5, 4),
                "cpu_ms_per_game": round(1e3 * big["cpu_s"] / 1e5, 4),
                "whole_process": True,
            }
        )
    for row in figures["scaling"]:
        print(
            f"scaling: {row['games']:>7,} games  {row['cpu_ms_per_game']:.3f} ms/game CPU  "
            f"{row['wall_ms_per_game']:.3f} ms/game wall"
            + ("  (whole process, 2 workers)" if row.get("whole_process") else "")
        )
    print(f"(load average at start {figures['load_average']:.1f} on {figures['cpus']} CPUs)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
