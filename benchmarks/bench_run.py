"""Benchmark: one default game headless, as a whole process, as a player or a script would run it.

    python benchmarks/bench_run.py [--runs N] [--scenario default] [--strategy balanced] [--baseline DIR]
                                   [--no-bytecode]

Times `python -m game run --scenario default --seed 1 --strategy balanced --json -` end to end (interpreter
start, imports, content loading, 20 turns, JSON) with subprocess; prints min/median of N runs (at least 5)
after one warm-up run, and an in-process breakdown of where the time goes. `--baseline DIR` times another
checkout's code (e.g. a `git worktree` of main) interleaved with this one, so both see the same load on a
busy machine. Compiled modules are kept between runs, as on a player's machine, even where
PYTHONDONTWRITEBYTECODE is set; `--no-bytecode` compiles every module of the game on every run instead.
Target (issue 17): under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYCACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "homegrown-bench-pycache"
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPYCACHEPREFIX": str(PYCACHE)}
"""As a player runs it: compiled modules are kept (pip writes them for a wheel, Python for a checkout);
they go to a folder of their own, never into a checkout."""

BREAKDOWN = """
import time
t0 = time.perf_counter()
import game.cli, game.cli.run, game.play.headless
t1 = time.perf_counter()
from game.cli.common import load_world
world = load_world([], {scenario!r})
t2 = time.perf_counter()
from game.play.headless import run_game
doc = run_game(world.content, {scenario!r}, 1, {strategy!r}, world)
t3 = time.perf_counter()
import json
json.dumps(doc, ensure_ascii=False, indent=1)
t4 = time.perf_counter()
print(f"{{t1 - t0:.3f}} {{t2 - t1:.3f}} {{t3 - t2:.3f}} {{t4 - t3:.3f}}")
"""
"""Where one warm `run` spends its time: the compiled world comes from the cache (game.cli.common.load_world)."""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_process(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one run; CPU time is steadier on a busy machine."""
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, env=ENV)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
    return elapsed, _cpu() - cpu


def min_median(values: list[float]) -> str:
    return f"{min(values):.3f}/{statistics.median(values):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each command (at least 5)")
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--strategy", default="balanced")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another checkout (its game/ package is run from there) timed in the same loop")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="compile the game's modules on every run (as with PYTHONDONTWRITEBYTECODE=1)")
    args = parser.parse_args()
    args.runs = max(5, args.runs)
    if args.no_bytecode:  # the libraries' .pyc (written by pip) are read, the checkout's are never written
        del ENV["PYTHONPYCACHEPREFIX"]
        ENV["PYTHONDONTWRITEBYTECODE"] = "1"

    game = [sys.executable, "-m", "game", "run", "--scenario", args.scenario, "--seed", "1",
            "--strategy", args.strategy, "--json", "-"]
    baseline = [sys.executable, "-c", "import numpy"]
    time_process(game)  # warm the file cache, the .pyc files and the content cache
    if args.baseline:
        time_process(game, cwd=args.baseline)
    runs, base = [], []
    for _ in range(args.runs):  # interleaved: both see the same load
        runs.append(time_process(game))
        if args.baseline:
            base.append(time_process(game, cwd=args.baseline))  # `-m game` imports the cwd's package first
    floor = [time_process(baseline) for _ in range(args.runs)]

    print(f"homegrown run --scenario {args.scenario} --seed 1 --strategy {args.strategy} --json -  (min/median)")
    print(f"  whole process, {args.runs} runs: wall {min_median([r[0] for r in runs])}   "
          f"CPU {min_median([r[1] for r in runs])}")
    if base:
        print(f"  baseline {args.baseline}: wall {min_median([r[0] for r in base])}   "
              f"CPU {min_median([r[1] for r in base])}")
    print(f"  for scale, python -c 'import numpy': wall {min_median([r[0] for r in floor])}   "
          f"CPU {min_median([r[1] for r in floor])}")

    parts = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", BREAKDOWN.format(scenario=args.scenario,
                                                                     strategy=args.strategy)],
                             cwd=ROOT, capture_output=True, text=True, check=True, env=ENV).stdout
        parts.append([float(x) for x in out.split()])
    names = ("imports", "load world (cached)", "play + history", "json")
    print(f"  in-process breakdown, {args.runs} runs: "
          + ", ".join(f"{n} {min_median([p[i] for p in parts])}" for i, n in enumerate(names)))


if __name__ == "__main__":
    main()
