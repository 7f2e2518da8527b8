"""Strategy names -> strategies: the built-ins, `scripted:PATH` and `module:attr` for a user's own, where
the module is a dotted module name (`mypkg.bots:Smart`) or a Python file (`plans/plan-reactive.py:policy`,
relative or absolute)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from game.sim.world import World
from game.strategies.base import Strategy, StrategyError
from game.strategies.builtin import DoNothing, Greedy, Lookahead, RandomPlay, balanced, heavy
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
"""The built-ins a sweep, a debrief and the golden table play by default."""
ON_REQUEST: dict[str, Callable[[], Strategy]] = {
    "lookahead": Lookahead,
}
"""Built-ins played only when named (`--strategy lookahead`): they cost far more than a game each."""


def get_strategy(name: str) -> Strategy:
    if name in BUILTIN or name in ON_REQUEST:
        return {**BUILTIN, **ON_REQUEST}[name]()
    if name.startswith("scripted:"):
        return Scripted.load(name.partition(":")[2])
    if ":" in name:
        module_name, _, attr = name.rpartition(":")  # the last colon: a Windows path has one of its own
        if module_name.endswith(".py"):
            module = load_file(module_name, name)
            if not hasattr(module, attr):
                raise StrategyError(f"cannot load strategy '{name}': {module_name} defines no '{attr}'")
            obj = getattr(module, attr)
        else:
            try:
                obj = getattr(importlib.import_module(module_name), attr)
            except (ImportError, AttributeError) as exc:
                raise StrategyError(f"cannot load strategy '{name}': {exc}") from None
        strategy = obj() if isinstance(obj, type) else obj
        if not isinstance(strategy, Strategy):  # a runtime-checkable Protocol
            raise StrategyError(f"'{name}' is not a strategy (it needs a `name` and an `act(state, world)` method)")
        return strategy
    if name.endswith(".py"):
        raise StrategyError(f"strategy '{name}': name the strategy in the file too, e.g. {name}:policy")
    valid = ", ".join([*BUILTIN, *ON_REQUEST, "scripted:PATH", "module:attr"])
    raise StrategyError(f"unknown strategy '{name}' (valid: {valid})")


def load_file(path: str, name: str) -> ModuleType:
    """The module defined by a Python file, run afresh under a name unique to its absolute path (so that
    two files of the same name do not clash); `name` is the strategy name, for the error messages."""
    file = Path(path).expanduser()
    if not file.is_file():
        raise StrategyError(f"cannot load strategy '{name}': no file {path}")
    resolved = file.resolve()
    module_name = "homegrown_strategy_" + hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
    spec = importlib.util.spec_from_file_location(module_name, resolved)
    if spec is None or spec.loader is None:
        raise StrategyError(f"cannot load strategy '{name}': {path} is not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look a module up by its name
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        del sys.modules[module_name]
        raise StrategyError(f"cannot load strategy '{name}': {path}:{exc.lineno}: {exc.msg}") from None
    except Exception as exc:  # the file's own code failed: one line, whatever it raised
        del sys.modules[module_name]
        first = (str(exc).strip().splitlines() or [""])[0]
        raise StrategyError(f"cannot load strategy '{name}': {path} failed: {type(exc).__name__}: {first}"
                            ) from None
    return module


def check_strategy(strategy: Strategy, world: World) -> None:
    """Let a strategy refuse a scenario before play (e.g. a script naming levers the content lacks)."""
    check = getattr(strategy, "check", None)
    if callable(check):
        check(world)
