"""Benchmark: `homegrown search --family fixed` with its default settings, as a whole process.

    python benchmarks/bench_search.py [--runs 3] [--scenario default] [--workers 1]

Targets (balance-search issue): on today's default content the search finds a plan winning at least 95 %
of 2,000 validation seeds, in under 60 s as a whole process on a 2-core machine (performance issue: under
30 s). Prints every run's wall and CPU seconds, the min and median, and the validated win rate with its
95 % interval (the same every run: the search is deterministic).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    walls, cpus, result = [], [], None
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            command = [sys.executable, "-m", "game", "search", "--scenario", args.scenario, "--family", "fixed",
                       "--workers", str(args.workers), "--json", str(Path(out) / "s.json")]
            cpu, start = _cpu(), time.perf_counter()
            proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            walls.append(time.perf_counter() - start)
            cpus.append(_cpu() - cpu)
            if proc.returncode != 0:
                sys.exit(f"search failed ({proc.returncode}): {proc.stderr}")
            result = json.loads((Path(out) / "s.json").read_text())["families"][0]
        print(f"run {len(walls)}: {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU", flush=True)
    assert result is not None
    lo, hi = result["win_ci"]
    print(f"search --family fixed ({args.scenario}, --workers {args.workers}): wall min {min(walls):.2f} s / "
          f"median {statistics.median(walls):.2f} s; CPU min {min(cpus):.2f} s / median {statistics.median(cpus):.2f} s")
    print(f"best fixed plan: {100 * result['win_rate']:.1f} % of {result['games']} validation seeds "
          f"(95 % CI {100 * lo:.1f}–{100 * hi:.1f}); targets: ≥ 95 % and under 60 s "
          f"({'met' if result['win_rate'] >= 0.95 and max(walls) < 60 else 'NOT met'})")


if __name__ == "__main__":
    main()
