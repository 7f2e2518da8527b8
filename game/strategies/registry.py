"""Strategy names -> strategies, including `module:attr` for a user's own."""

from __future__ import annotations

import importlib

from game.strategies.base import Strategy
from game.strategies.builtin import DoNothing, RandomPlay, balanced


class StrategyError(ValueError):
    pass


BUILTIN = {
    "do_nothing": DoNothing,
    "random": RandomPlay,
    "balanced": balanced,
}


def get_strategy(name: str) -> Strategy:
    if name in BUILTIN:
        return BUILTIN[name]()
    if ":" in name:
        module_name, _, attr = name.partition(":")
        try:
            obj = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise StrategyError(f"cannot load strategy '{name}': {exc}") from None
        strategy = obj() if isinstance(obj, type) else obj
        if not isinstance(strategy, Strategy):
            raise StrategyError(f"'{name}' is not a strategy (it needs a `name` and an `act(state, world)` method)")
        return strategy
    valid = ", ".join([*BUILTIN, "module:attr"])
    raise StrategyError(f"unknown strategy '{name}' (valid: {valid})")
