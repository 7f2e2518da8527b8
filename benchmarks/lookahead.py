"""Benchmark: the `lookahead` bot's speed and strength, in games per second (in-process, one core).

    python benchmarks/lookahead.py [--scenario default] [--games 40] [--runs 3] [--futures 4]

Each run plays the same seeds 0..games-1 as one batch (the bot imagines every game's futures together);
prints every run's games/s, the min and median, and the win rate (the same every run: the bot is
deterministic), next to `balanced` on the same seeds.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from game.content.loader import load_content
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.scoring import evaluate
from game.strategies import get_strategy
from game.strategies.builtin import Lookahead


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--games", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--futures", type=int, default=4)
    args = parser.parse_args()
    world = build_world(load_content(), args.scenario)
    seeds = np.arange(args.games)
    bot = Lookahead(futures=args.futures)
    rates, wins = [], 0
    for run in range(args.runs):
        start = time.perf_counter()
        final = play(world, seeds, bot)
        rates.append(args.games / (time.perf_counter() - start))
        wins = int((evaluate(final, world).outcome == 0).sum())
        print(f"run {run + 1}: {rates[-1]:.1f} games/s", flush=True)
    K = bot.candidates(final, world).count
    base = int((evaluate(play(world, seeds, get_strategy("balanced")), world).outcome == 0).sum())
    print(f"lookahead on {args.scenario}: {K} candidates x {args.futures} futures; games/s min {min(rates):.1f}, "
          f"median {statistics.median(rates):.1f}; wins {wins}/{args.games} ({wins / args.games:.1%}), "
          f"balanced {base}/{args.games} ({base / args.games:.1%})")


if __name__ == "__main__":
    main()
