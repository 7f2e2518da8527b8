"""Strategy names -> strategies: the built-ins, `scripted:PATH` and `module:attr` for a user's own."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from game.sim.world import World
from game.strategies.base import Strategy, StrategyError
from game.strategies.builtin import DoNothing, Greedy, RandomPlay, balanced, heavy
from game.strategies.scripted import Scripted

BUILTIN: dict[str, Callable[[], Strategy]] = {
    "do_nothing": DoNothing,
    "random": RandomPlay,
    "balanced": balanced,
    "subsidy_heavy": lambda: heavy("subsidy"),
    "rnd_heavy": lambda: heavy("rnd"),
    "workforce_heavy": lambda: heavy("workforce"),
    "export_heavy": lambda: heavy("export"),
    "alliance_heavy": lambda: heavy("alliance"),
    "greedy": Greedy,
}


def get_strategy(name: str) -> Strategy:
    if name in BUILTIN:
        return BUILTIN[name]()
    if name.startswith("scripted:"):
        return Scripted.load(name.partition(":")[2])
    if ":" in name:
        module_name, _, attr = name.partition(":")
        try:
            obj = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise StrategyError(f"cannot load strategy '{name}': {exc}") from None
        strategy = obj() if isinstance(obj, type) else obj
        if not isinstance(strategy, Strategy):  # a runtime-checkable Protocol
            raise StrategyError(f"'{name}' is not a strategy (it needs a `name` and an `act(state, world)` method)")
        return strategy
    valid = ", ".join([*BUILTIN, "scripted:PATH", "module:attr"])
    raise StrategyError(f"unknown strategy '{name}' (valid: {valid})")


def check_strategy(strategy: Strategy, world: World) -> None:
    """Let a strategy refuse a scenario before play (e.g. a script naming levers the content lacks)."""
    check = getattr(strategy, "check", None)
    if callable(check):
        check(world)
