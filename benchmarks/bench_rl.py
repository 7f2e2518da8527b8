"""Environment steps per second: the native `HomegrownVectorEnv` (one batch of the core) against
Gymnasium's `SyncVectorEnv` of `HomegrownEnv` copies, on random actions (needs `homegrown[rl]`).

    python benchmarks/bench_rl.py [--scenario default] [--games 1024] [--copies 64] [--steps 40] [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

from gymnasium.vector import SyncVectorEnv

from game.rl.env import HomegrownEnv
from game.rl.vector import HomegrownVectorEnv


def rate(env, steps: int) -> float:
    """Sub-environment steps per second over `steps` calls of env.step (the actions drawn beforehand)."""
    env.reset(seed=0)
    env.action_space.seed(0)
    actions = [env.action_space.sample() for _ in range(steps)]
    start = time.perf_counter()
    for action in actions:
        env.step(action)
    return steps * env.num_envs / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--games", type=int, default=1024, help="games of the native vector env (default 1024)")
    parser.add_argument("--copies", type=int, default=64, help="HomegrownEnv copies in SyncVectorEnv (default 64)")
    parser.add_argument("--steps", type=int, default=40, help="step calls per measure (default 40)")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    native = HomegrownVectorEnv(args.games, args.scenario)
    sync = SyncVectorEnv([lambda: HomegrownEnv(args.scenario) for _ in range(args.copies)])
    rows = {}
    for label, env in ((f"HomegrownVectorEnv({args.games})", native), (f"SyncVectorEnv({args.copies})", sync)):
        rates = [rate(env, args.steps) for _ in range(args.repeats)]
        rows[label] = rates
        print(f"{label:26} steps/s min {min(rates):10,.0f}  median {statistics.median(rates):10,.0f}")
    native_median, sync_median = (statistics.median(r) for r in rows.values())
    print(f"ratio of medians: {native_median / sync_median:,.0f}x")


if __name__ == "__main__":
    main()
