"""Benchmark: one default game headless, as a whole process, as a player or a script would run it.

    python benchmarks/bench_run.py [--runs N] [--scenario default] [--strategy balanced]

Times `python -m game run --scenario default --seed 1 --strategy balanced --json -` end to end (interpreter
start, imports, content loading, 20 turns, JSON) with subprocess; prints the median of N runs after one
warm-up run, and an in-process breakdown of where the time goes. Target (issue 2): well under 1 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BREAKDOWN = """
import time
t0 = time.perf_counter()
import game.cli, game.cli.run, game.play.headless
t1 = time.perf_counter()
from game.content.loader import load_content
content = load_content()
t2 = time.perf_counter()
from game.sim.compile import build_world
build_world(content, {scenario!r})
t3 = time.perf_counter()
from game.play.headless import run_game
doc = run_game(content, {scenario!r}, 1, {strategy!r})
t4 = time.perf_counter()
import json
json.dumps(doc, ensure_ascii=False, indent=1)
t5 = time.perf_counter()
print(f"{{t1 - t0:.3f}} {{t2 - t1:.3f}} {{t3 - t2:.3f}} {{t4 - t3:.3f}} {{t5 - t4:.3f}}")
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_process(command: list[str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one run; CPU time is steadier on a busy machine."""
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return elapsed, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--strategy", default="balanced")
    args = parser.parse_args()

    game = [sys.executable, "-m", "game", "run", "--scenario", args.scenario, "--seed", "1",
            "--strategy", args.strategy, "--json", "-"]
    baseline = [sys.executable, "-c", "import numpy, pydantic"]
    time_process(game)  # warm the file cache and the .pyc files
    runs = [time_process(game) for _ in range(args.runs)]
    floor = [time_process(baseline) for _ in range(max(3, args.runs // 2))]

    print(f"homegrown run --scenario {args.scenario} --seed 1 --strategy {args.strategy} --json -")
    wall, cpu = [r[0] for r in runs], [r[1] for r in runs]
    print(f"  whole process, {args.runs} runs: median {statistics.median(wall):.3f} s   "
          f"min {min(wall):.3f} s   max {max(wall):.3f} s   (CPU median {statistics.median(cpu):.3f} s)")
    print(f"  for scale, python -c 'import numpy, pydantic': median {statistics.median(r[0] for r in floor):.3f} s "
          f"(CPU {statistics.median(r[1] for r in floor):.3f} s)")

    parts = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", BREAKDOWN.format(scenario=args.scenario,
                                                                     strategy=args.strategy)],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        parts.append([float(x) for x in out.split()])
    names = ("imports", "load content", "build world", "play + history", "json")
    medians = [statistics.median(p[i] for p in parts) for i in range(len(names))]
    print("  in-process breakdown (median of 3): " + ", ".join(f"{n} {m:.3f} s" for n, m in zip(names, medians, strict=False)))


if __name__ == "__main__":
    main()
