"""What every command shares: exit codes, one-line errors, argument types, loading the content pack."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from game.content.pack import Content
    from game.sim.world import World

Subparsers = argparse._SubParsersAction  # what `register(sub)` receives

MAX_INT = 2**63 - 1


class Exit(IntEnum):
    OK = 0
    PROBLEMS = 1
    USAGE = 2
    INTERRUPTED = 130


class UsageError(Exception):
    """Bad arguments: printed as one line, exit 2."""


class Failure(Exception):
    """Something the user must fix (a bad save, an unwritable folder): one line, exit 1."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, instead of argparse's usage block
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be {least} or more, not {value}")
    if value > MAX_INT:  # seeds are int64 in the core
        raise argparse.ArgumentTypeError(f"must be at most {MAX_INT}, not {value}")
    return value


def non_negative_int(text: str) -> int:
    return _whole_number(text, 0)


def positive_int(text: str) -> int:
    return _whole_number(text, 1)


MAX_WORKERS = 256
MAX_GAMES = 100_000_000
"""Per strategy and variant: beyond this a sweep would run for days; split it into seed ranges."""


def bounded_int(least: int, most: int, what: str) -> Callable[[str], int]:
    """An argument type: a whole number from `least` to `most` (the error names `what`)."""

    def parse(text: str) -> int:
        value = _whole_number(text, least)
        if value > most:
            raise argparse.ArgumentTypeError(f"at most {most:,} {what}, not {value:,}")
        return value

    return parse


workers_count = bounded_int(1, MAX_WORKERS, "worker processes")


def machine_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one): the default --workers."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return min(os.process_cpu_count() or 1, MAX_WORKERS)
    if hasattr(os, "sched_getaffinity"):
        return min(len(os.sched_getaffinity(0)), MAX_WORKERS)
    return min(os.cpu_count() or 1, MAX_WORKERS)
games_count = bounded_int(1, MAX_GAMES, "games (split larger runs with --seed-start)")


def add_saves_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--saves", metavar="DIR", help="saves folder (default: $HOMEGROWN_SAVES, else the "
                        "checkout's saves/, else the user's data folder, e.g. ~/.local/share/homegrown/saves)")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", metavar="PATH|-", help="write the result as JSON to PATH, or to stdout with - "
                        "(then stdout holds that one document only)")


def json_text(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def emit(target: str | None, doc: Any, text: str | None = None) -> None:
    """--json: the document to stdout (`-`, and nothing else there) or to a file; then `text`, the readable
    form, on stdout unless the document went there."""
    if target == "-":
        sys.stdout.write(json_text(doc))
        return
    if target:
        try:
            Path(target).write_text(json_text(doc), encoding="utf-8")
        except OSError as exc:
            raise Failure(f"cannot write {target}: {exc.strerror or exc}") from None
    if text is not None:
        print(text)


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", action="append", default=[], metavar="DIR",
                        help="overlay a content pack on the default one (repeatable)")


def load_with_scenario(overlays: list[str], scenario: str | None) -> Content:
    """Load the pack and check the scenario id (a usage error naming the valid ones)."""
    from game.content.loader import load_content  # lazy: pydantic, which `run` needs only on a cold cache

    content = load_content(*overlays)
    if scenario is not None and scenario not in content.scenarios:
        raise UsageError(f"unknown scenario '{scenario}' (valid: {', '.join(content.scenarios)})")
    return content


def load_world(overlays: list[str], scenario: str) -> World:
    """The scenario's compiled world, as `run` plays it: read back from the cache, where neither
    pydantic nor the compiler is imported (a fifth of one game's process), or else loaded strictly
    (`load_with_scenario`: errors name the file and key), compiled and cached. Either way the world's
    pack is plain records (game.content.plain): the cache holds exactly what the compiler produced."""
    # lazy: every command imports this module; only the ones that play need numpy and the core
    import numpy as np

    import game.sim
    from game.content import cache, files
    from game.sim.world import World

    sim = Path(game.sim.__file__).parent
    key = cache.key([files.default_content_dir(), *map(Path, overlays)], f"world-{scenario}",
                    sorted(sim.glob("*.py")), salt=f"numpy {np.__version__}")
    world = cache.read(key, World)
    if world is None:
        from game.content.plain import plain_world  # lazy: the cold path
        from game.sim.compile import build_world

        world = plain_world(build_world(load_with_scenario(overlays, scenario), scenario))
        cache.write(key, world)
    return world
