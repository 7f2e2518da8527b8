"""Benchmark: a sweep's memory as its game count grows (issue 17: 100,000 games under 120 MiB; 1,000,000
games in bounded memory, with progress).

    python benchmarks/bench_memory.py [--games 10000,100000] [--workers 2] [--runs 3] [--baseline DIR]
                                      [--strategy balanced]

Runs `homegrown sweep --games N --strategy balanced --out DIR --workers W` as a whole process per size
and prints, min/median of the runs: the parent's peak resident set (what gathers the results: the figure
that grew with the games), the largest worker's (one shard at a time: it does not), CPU seconds of the
process tree and wall time. `--baseline DIR` runs another checkout's game package (e.g. a `git worktree`
of main) interleaved with this one. The parent's figure should stay nearly flat from size to size; with
`--games 1000000` it shows the million-game sweep (about 6 CPU minutes of `balanced` here).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = """
import json, resource, sys
from game.cli import main
code = main(sys.argv[1:])
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "parent_mib": me.ru_maxrss / 1024, "worker_mib": kids.ru_maxrss / 1024,
                  "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime}), file=sys.stderr)
"""


def one(games: int, workers: int, strategy: str, cwd: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="homegrown-bench-memory-") as out:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", MEASURE, "sweep", "--games", str(games), "--strategy", strategy,
                               "--workers", str(workers), "--out", out, "--json", "-"],
                              cwd=cwd, capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        wall = time.perf_counter() - start
        lines = proc.stderr.strip().splitlines()
        if proc.returncode != 0 or not lines:
            sys.exit(f"sweep failed ({proc.returncode}): {proc.stderr[-2000:]}")
        row = json.loads(lines[-1])
        if row["code"] != 0:
            sys.exit(f"sweep exited {row['code']}: {proc.stderr[-2000:]}")
        games_file = Path(out) / "games.jsonl"
        assert sum(1 for _ in games_file.open("rb")) == games  # it did write every game
        return {**row, "wall_s": wall}


def min_median(rows: list[dict[str, float]], key: str, unit: str) -> str:
    values = [r[key] for r in rows]
    return f"{min(values):.1f}/{statistics.median(values):.1f} {unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", default="10000,100000", help="comma-separated sizes (default 10000,100000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3, help="runs of each size (default 3)")
    parser.add_argument("--strategy", default="balanced")
    parser.add_argument("--baseline", type=Path, metavar="DIR", help="another checkout, run interleaved")
    args = parser.parse_args()
    sizes = [int(x) for x in args.games.split(",")]
    trees = [("this", ROOT)] + ([("baseline", args.baseline)] if args.baseline else [])
    print(f"homegrown sweep --strategy {args.strategy} --workers {args.workers} --out DIR  (min/median of "
          f"{args.runs} runs)")
    for games in sizes:
        rows: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
        for _ in range(args.runs):  # interleaved: both see the same load
            for name, cwd in trees:
                rows[name].append(one(games, args.workers, args.strategy, cwd))
        for name, _ in trees:
            r = rows[name]
            print(f"  {games:>9,} games  {name:8}  parent peak RSS {min_median(r, 'parent_mib', 'MiB')}   "
                  f"largest worker {min_median(r, 'worker_mib', 'MiB')}   CPU {min_median(r, 'cpu_s', 's')}   "
                  f"wall {min_median(r, 'wall_s', 's')}", flush=True)


if __name__ == "__main__":
    main()
