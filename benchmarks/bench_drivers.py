"""Benchmark: the drivers view's model (game.play.drivers.drivers), which the screen computes when it opens.

    python benchmarks/bench_drivers.py [--scenario default] [--turns 8] [--repeat 15]

Plays `--turns` quarters of a fixed plan, then times every metric's drivers for the next quarter (levers,
last quarter, parts and one batched quarter for the state links) and prints min / median in ms. The
screen should open well within a key press (a target of 100 ms on one busy core).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from game.content.loader import load_content
from game.play.drivers import drivers
from game.play.session import Session, TurnActions

PLAN = {"subsidy-fujitsu": 2.0, "rip-and-replace": 1.0, "rnd-b5g": 2.0, "workforce-university": 1.0}
TARGET_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--turns", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    session = Session(load_content(), args.scenario, 1)
    w = session.world
    plan = {k: v for k, v in PLAN.items() if k in w.lever_ids and w.controllable[w.index("lever")[k]]}
    for _ in range(min(args.turns, session.world.turns - 1)):
        session.end_turn(TurnActions(plan, {}))
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        model = drivers(session.world, session.state, plan, {}, session.turns[-1] if session.turns else None)
        times.append((time.perf_counter() - start) * 1000)
    links = sum(len(model.of(m.id)) for m in model.metrics)
    best, median = min(times), statistics.median(times)
    print(f"{args.scenario} {session.quarter}: {len(model.metrics)} metrics, {links} drivers; "
          f"min {best:.1f} ms, median {median:.1f} ms (target {TARGET_MS:.0f} ms)")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
