"""Bots for headless play. A strategy is any object with a `name` and an `act(state, world) -> Actions`
method that decides for every game of a batch at once (see `game.strategies.base`)."""

from game.strategies.base import Strategy, StrategyError, fill_budget
from game.strategies.registry import BUILTIN, check_strategy, get_strategy

__all__ = ["BUILTIN", "Strategy", "StrategyError", "check_strategy", "fill_budget", "get_strategy"]
