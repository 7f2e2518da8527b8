"""Benchmark: sweeps as batches (issue 17, points 3 and 5), against a baseline commit in the same run.

    python benchmarks/bench_batches.py [--baseline COMMIT] [--runs 3] [--scale 1.0] [--only NAME]

Each workflow runs as a whole `homegrown` process, the baseline's code (`git archive COMMIT`) and this
tree's interleaved, `--runs` times each; printed: CPU seconds of the process tree (user + system) and
wall seconds as min/median, the largest resident set of any of its processes, and whether games.jsonl
is byte-identical to the baseline's. `--scale` multiplies the game counts (0.1 for a smoke run).

Workflows and the issue's aims (full scale):
- ablate: `sweep --ablate` with no --strategy, 1,000 games (under 20 s and 300 MiB)
- all: `sweep`, every built-in strategy, 10,000 games each (under 8 s)
- vary: `sweep --vary` 3x3 grid, every strategy, 1,000 games (under 6 s)
- one: `sweep` of one strategy, 100,000 games (under 120 MiB)
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKFLOWS = {
    "ablate": (1000, ["--ablate"]),
    "all": (10_000, []),
    "vary": (1000, ["--vary", "scenarios.default.budget=18,20,24", "--vary", "levers.rnd-b5g.saturation=2,2.5,3"]),
    "one": (100_000, ["--strategy", "balanced"]),
}


MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(r.ru_utime + r.ru_stime, r.ru_maxrss)\n"
)
"""A fresh parent per run, so that its children's peak resident set is this run's own."""


def run(code: Path, games: int, extra: list[str], out: Path, workers: str) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MiB of the largest process) of one whole process tree."""
    cmd = [sys.executable, "-m", "game", "sweep", "--games", str(games), *extra, "--out", str(out)]
    if workers:
        cmd += ["--workers", workers]
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=code, check=True, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(code)})
    wall = time.perf_counter() - start
    cpu, rss = done.stdout.split()
    return float(cpu), wall, int(rss) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="bbc8d99", help="the commit to compare with (default bbc8d99)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the game counts")
    parser.add_argument("--only", action="append", choices=sorted(WORKFLOWS), help="run only these workflows")
    parser.add_argument("--workers", default="", help="--workers for both (default: each version's default)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batches-") as tmp_name:
        tmp = Path(tmp_name)
        base = tmp / "baseline"
        base.mkdir()
        archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        for name in args.only or WORKFLOWS:
            games, extra = WORKFLOWS[name]
            games = max(1, round(games * args.scale))
            figures: dict[str, list[tuple[float, float, float]]] = {"baseline": [], "this": []}
            for i in range(args.runs):
                for label, code in (("baseline", base), ("this", ROOT)):
                    figures[label].append(run(code, games, extra, tmp / f"{name}-{label}-{i}", args.workers))
            same = all(filecmp.cmp(tmp / f"{name}-baseline-0" / "games.jsonl", tmp / f"{name}-this-{i}" / "games.jsonl",
                                   shallow=False) for i in range(args.runs))
            for label, rows in figures.items():
                cpu, wall = sorted(r[0] for r in rows), sorted(r[1] for r in rows)
                print(f"{name:7} {games:>7,} games  {label:8}  cpu {cpu[0]:6.1f}/{statistics.median(cpu):6.1f} s  "
                      f"wall {wall[0]:6.1f}/{statistics.median(wall):6.1f} s  peak RSS {max(r[2] for r in rows):5.0f} MiB")
            note = " (by design: the baseline ablates all nine strategies, this tree balanced)" if name == "ablate" else ""
            print(f"{name:7} games.jsonl {'byte-identical' if same else 'DIFFERS'}{note} (min/median of {args.runs})")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
