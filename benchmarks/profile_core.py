"""Profile: where the core's time goes, per stage of `game.sim.step.step`.

    python benchmarks/profile_core.py [--games 10000] [--runs 3] [--scenario default] [--strategy balanced]

Plays the scenario once to record each quarter's state and actions, then replays those quarters `--runs`
times with every stage of `step` timed (CPU time; the stages are wrapped where `step` calls them) and
prints the fastest run: µs per game-turn and share of the whole for each stage. "other" is what `step`
does itself: copying the state's arrays, its own arithmetic, restoring finished games.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from game.content.loader import load_content
from game.sim import step as core
from game.sim.compile import build_world
from game.strategies import get_strategy

# (module, function) -> stage, for the functions `step` calls
STAGES = {
    (core, "current_budget"): "budget and legal allocations",
    (core.levers, "fundable"): "budget and legal allocations",
    (core.levers, "legal_allocations"): "budget and legal allocations",
    (core, "domestic_share"): "domestic share (approval)",
    (core.events, "resolve_choices"): "applying events",
    (core.events, "apply_events"): "applying events",
    (core.levers, "fund_levers"): "funding levers",
    (core.levers, "keep_pledges"): "alliance pledges",
    (core.drift, "hold_unfounded"): "drift",
    (core.drift, "drift"): "drift",
    (core.market, "move_shares"): "market",
    (core.deals, "decide_deals"): "deals",
    (core.security, "draw_incidents"): "security",
    (core, "_clamp"): "limits",
    (core.events, "draw_events"): "drawing next quarter's events",
}


def timed(spent: dict[str, float], stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[stage] += time.process_time() - start
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", default="default")
    parser.add_argument("--strategy", default="balanced")
    args = parser.parse_args()
    world = build_world(load_content(), args.scenario)
    strategy = get_strategy(args.strategy)
    state = core.initial_state(world, np.arange(args.games))
    quarters = []
    while state.turn < world.turns and not state.done.all():
        actions = strategy.act(state, world)
        quarters.append((state, actions))
        state, _ = core.step(state, actions, world)
    spent: dict[str, float] = defaultdict(float)
    for (module, name), stage in STAGES.items():
        setattr(module, name, timed(spent, stage, getattr(module, name)))
    best: dict[str, float] = {}
    for _ in range(args.runs):
        spent.clear()
        start = time.process_time()
        for state, actions in quarters:
            core.step(state, actions, world)
        total = time.process_time() - start
        if not best or total < best["total"]:
            best = {**spent, "total": total}
    total = best.pop("total")
    best["other"] = total - sum(best.values())
    per = 1e6 / (args.games * len(quarters))
    print(f"step per game-turn, {args.games:,} '{args.scenario}' games, {args.strategy}, fastest of {args.runs} "
          f"runs: {total * per:.2f} µs (CPU)")
    for stage, seconds in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:32} {seconds * per:6.2f} µs  {100 * seconds / total:5.1f} %")


if __name__ == "__main__":
    main()
