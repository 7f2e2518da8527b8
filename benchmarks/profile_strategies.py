"""Profile: where a sweep shard's time goes, per strategy: the stages of the core, the strategy's own work
(greedy's forks, candidate plans and values) and the shard's results.

    python benchmarks/profile_strategies.py [--games 1000] [--runs 2] [--scenario default] [--strategy NAME ...]

Plays one shard (`game.analysis.shards.play_columns`, as a sweep's worker does) of each strategy (default:
every built-in) `--runs` times and prints the fastest: µs per game-turn and share of the whole for each
part. Each part counts its own CPU time only (a part called inside another is taken out of it), so the
shares add up to the whole. A look-ahead bot's imagined quarters go through the same core stages as the
played ones: greedy's lines show the core's work across its candidates. "step" is what `open_quarter` and
`close_quarter` do themselves (copies, their own arithmetic).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from profile_core import STAGES  # (the core's stages, named as there)

from game.analysis import shards
from game.content.loader import load_content
from game.play import runner
from game.sim import state as states
from game.sim import step as core
from game.strategies import base, builtin, get_strategy
from game.strategies.registry import BUILTIN


class Clock:
    """Self time per part: a part's time minus that of the parts it calls."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.inner: list[float] = []

    def wrap(self, part: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            self.inner.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                took = time.process_time() - start
                self.spent[part] += took - self.inner.pop()
                if self.inner:
                    self.inner[-1] += took
        return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--strategy", action="append", help="a strategy (repeatable; default every built-in)")
    args = parser.parse_args()
    world = shards.world_for(load_content(), args.scenario)
    clock = Clock()
    for (module, name), stage in STAGES.items():
        setattr(module, name, clock.wrap(stage, getattr(module, name)))
    runner.step = clock.wrap("step", core.step)  # a played quarter (its stages counted apart)
    builtin.step = clock.wrap("step", core.step)  # lookahead's imagined ones
    builtin.open_quarter = clock.wrap("step", core.open_quarter)  # greedy's
    builtin.close_quarter = clock.wrap("step", core.close_quarter)
    builtin.spend = clock.wrap("budget and legal allocations", builtin.spend)
    core.Quarter.rows = clock.wrap("greedy: forking the opened quarter", core.Quarter.rows)  # type: ignore[method-assign]
    builtin.Greedy.value = clock.wrap("greedy: valuing candidates", builtin.Greedy.value)  # type: ignore[method-assign]
    builtin.Greedy.plans = clock.wrap("greedy: candidate plans", builtin.Greedy.plans)  # type: ignore[method-assign]
    builtin.fill_budget = clock.wrap("strategy: fill_budget", base.fill_budget)
    shards.evaluate = clock.wrap("results: scores", shards.evaluate)
    states.State.hashes = clock.wrap("results: state hashes", states.State.hashes)  # type: ignore[method-assign]
    per = 1e6 / (args.games * world.turns)
    for name in args.strategy or list(BUILTIN):
        strategy = get_strategy(name)
        strategy.act = clock.wrap("strategy: act", strategy.act)  # type: ignore[method-assign]
        best: tuple[float, dict[str, float]] | None = None
        for _ in range(args.runs):
            clock.spent.clear()
            start = time.process_time()
            shards.play_columns(world, strategy, np.arange(args.games))
            total = time.process_time() - start
            if best is None or total < best[0]:
                best = (total, dict(clock.spent))
        assert best is not None
        total, parts = best
        parts["other (play loop, metrics, columns)"] = total - sum(parts.values())
        print(f"{name}: {args.games:,} '{args.scenario}' games, fastest of {args.runs}: {total:.3f} s CPU, "
              f"{total * per:.2f} µs per game-turn")
        for part, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
            if seconds >= 0.002 * total:
                print(f"  {part:36} {seconds * per:7.2f} µs  {100 * seconds / total:5.1f} %")


if __name__ == "__main__":
    main()
