"""One entry point: `homegrown [play|run|sweep|check|replay|report|classroom] ...`.

A thin layer: each command parses its arguments and calls functions the tests call too. Errors reach
the user as one clear line and an exit code, never a traceback (set HOMEGROWN_DEBUG=1 to see one).
"""

from __future__ import annotations

import importlib
import os
import sys

from game import __version__
from game.cli.common import Exit, Failure, Parser, UsageError
from game.content.loader import ContentError

# Each module has `register(subparsers)`; imported lazily so `run` never pays for the TUI's imports.
COMMANDS = ("play", "run", "check", "replay", "sweep", "search", "report", "classroom", "serve", "schema",
            "completion")


def build_parser() -> Parser:
    parser = Parser(prog="homegrown", description="Homegrown: a strategy game about Japan's push for "
                    "homegrown wireless base-station technology.")
    parser.add_argument("--version", action="version", version=f"homegrown {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        importlib.import_module(f"game.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("--") and argv[0] not in ("--help", "--version")):
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
