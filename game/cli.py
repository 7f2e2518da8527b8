"""One entry point: `homegrown [play|run|sweep|check|replay|report|classroom] ...`.

A thin layer: each command parses its arguments and calls functions the tests call too. Errors reach
the user as one clear line and an exit code, never a traceback (set HOMEGROWN_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from enum import IntEnum

from game import __version__
from game.loader import ContentError

# Each module has `register(subparsers)`; imported lazily so `run` never pays for the TUI's imports.
COMMANDS = ("play", "run", "check", "replay", "sweep", "report", "classroom")


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
    def error(self, message: str):  # one line, exit 2, instead of argparse's usage block
        raise UsageError(f"{self.prog}: {message} (see '{self.prog} --help')")


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    if value > MAX_INT:  # seeds are int64 in the core
        raise argparse.ArgumentTypeError(f"must be at most {MAX_INT}, not {value}")
    return value


def positive_int(text: str) -> int:
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be 1 or more, not 0")
    return value


def add_content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", action="append", default=[], metavar="DIR",
                        help="overlay a content pack on the default one (repeatable)")


def build_parser() -> Parser:
    parser = Parser(prog="homegrown", description="Homegrown: a strategy game about Japan's push for "
                    "homegrown wireless base-station technology.")
    parser.add_argument("--version", action="version", version=f"homegrown {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"game.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("--") and argv[0] not in ("--help", "--version"):
        argv = ["play", *argv]
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.USAGE
    except ContentError as exc:
        print(f"error: the content pack has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return Exit.PROBLEMS
    except Failure as exc:
        print(f"error: {exc}", file=sys.stderr)
        return Exit.PROBLEMS
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # last resort: one line, never a traceback
        if os.environ.get("HOMEGROWN_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (set HOMEGROWN_DEBUG=1 for details)",
              file=sys.stderr)
        return Exit.PROBLEMS
