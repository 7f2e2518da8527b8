"""Benchmark: the core (`game.sim.step.step`) per game-turn, against a reference checkout.

    python benchmarks/bench_core.py PATH_TO_REFERENCE_CHECKOUT [--games 10000] [--runs 3] [--scenario default]

Each run plays `--games` games of the scenario with the `balanced` strategy in a fresh process and
times only the calls to `step` (CPU time, time.process_time), divided by games × quarters played. The
reference checkout and this one run interleaved (reference, this, reference, this, ...), so that load on
the shared machine falls on both alike; each prints min/median over the runs, and the ratio of the
reference's figures to this checkout's (above 1: this checkout is faster).

Both processes use this interpreter and its packages; only the `game` package (and its content) differs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a child process with the checkout first on sys.path; prints one JSON line.
CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np
import game
from game.content.loader import load_content
from game.sim.compile import build_world
from game.sim.step import initial_state, step
from game.strategies import get_strategy

assert game.__file__.startswith(sys.argv[1]), game.__file__
games, scenario = int(sys.argv[2]), sys.argv[3]
world = build_world(load_content(), scenario)
strategy = get_strategy("balanced")
state = initial_state(world, np.arange(games))
spent, quarters = 0.0, 0
while state.turn < world.turns and not state.done.all():
    actions = strategy.act(state, world)
    start = time.process_time()
    state, _ = step(state, actions, world)
    spent += time.process_time() - start
    quarters += 1
print(json.dumps({"us_per_game_turn": spent / (games * quarters) * 1e6, "quarters": quarters,
                  "hash0": state.hash(0)}))
"""


def one_run(checkout: Path, games: int, scenario: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(checkout.resolve()), str(games), scenario],
                         capture_output=True, text=True, cwd=checkout)
    if out.returncode != 0:
        raise SystemExit(f"bench_core: the run in {checkout} failed: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="a checkout of the baseline commit (e.g. a git worktree)")
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", default="default")
    args = parser.parse_args()
    if not (args.reference / "game" / "sim" / "step.py").is_file():
        raise SystemExit(f"bench_core: {args.reference} is not a checkout of the game (no game/sim/step.py)")
    checkouts = {"reference": args.reference, "this": ROOT}
    times: dict[str, list[float]] = {name: [] for name in checkouts}
    for _ in range(args.runs):
        for name, path in checkouts.items():
            times[name].append(one_run(path, args.games, args.scenario)["us_per_game_turn"])
    print(f"core per game-turn, {args.games:,} '{args.scenario}' games, balanced, {args.runs} runs "
          "(CPU µs, min / median):")
    for name, path in checkouts.items():
        t = times[name]
        print(f"  {name:9} {min(t):6.2f} / {statistics.median(t):6.2f}   ({path})")
    ref, this = times["reference"], times["this"]
    print(f"  ratio     {min(ref) / min(this):6.2f} / {statistics.median(ref) / statistics.median(this):6.2f}"
          "   (reference ÷ this: above 1 is faster)")


if __name__ == "__main__":
    main()
