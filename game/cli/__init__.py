"""One entry point: `homegrown [play|run|sweep|check|replay|report|classroom] ...`.

A thin layer: each command parses its arguments and calls functions the tests call too. Errors reach
the user as one clear line and an exit code, never a traceback (set HOMEGROWN_DEBUG=1 to see one).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import sys
from typing import TYPE_CHECKING, NoReturn

from game.render.words import plural

if TYPE_CHECKING:
    from game.cli.common import Parser

INTERRUPTED = 130
"""Exit code after Ctrl+C (game.cli.common.Exit.INTERRUPTED)."""

# Each module has `register(subparsers)`; imported lazily so `run` never pays for the TUI's imports.
COMMANDS = ("play", "run", "check", "replay", "sweep", "search", "report", "classroom", "serve", "schema",
            "completion")


def build_parser(only: str | None = None) -> Parser:
    """The whole command line, or with `only` a known command's parser alone: one game's process then
    imports that command's module, not the TUI's, the sweep's and the report's (start-up time)."""
    # lazy: main() must be running (its Ctrl+C handler in place) before the heavy imports start
    from game import __version__
    from game.cli.common import Parser

    parser = Parser(prog="homegrown", description="Homegrown: a strategy game about Japan's push for "
                    "homegrown wireless base-station technology.")
    parser.add_argument("--version", action="version", version=f"homegrown {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in (only,) if only in COMMANDS else COMMANDS:
        importlib.import_module(f"game.cli.{name}").register(sub)
    return parser


QUICK_EXIT = frozenset({"run"})
"""Commands whose process ends without the interpreter's teardown (its module cleanup and garbage
collection, about 0.07 s of CPU, a sixth of one `run`): they have written and closed everything but the
standard streams by the time they return. Not when an exit handler or another thread is left (a
`module:attr` strategy may start one): those still get the normal exit."""


def entry() -> NoReturn:
    """The `homegrown` executable and `python -m game`: `main()`, then the process ends (tests call
    `main()`, which returns)."""
    argv = sys.argv[1:]
    code = main(argv)
    threads = sys.modules.get("threading")
    if (argv[:1] and argv[0] in QUICK_EXIT and atexit._ncallbacks() == 0
            and (threads is None or threads.active_count() == 1)):
        from game.cli.common import Exit  # lazy: imported by main() already

        try:
            sys.stdout.flush()
        except BrokenPipeError:  # as in main(): a reader that stopped reading is no error
            pass
        except OSError as exc:
            print(f"error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
            code = Exit.PROBLEMS
        with contextlib.suppress(OSError):
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    """The `homegrown` command. Ctrl+C at any moment, even while the imports below load (about a second
    on a slow machine), is one line and exit 130, never a traceback."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED


def _main(argv: list[str] | None) -> int:
    # lazy: imported under main()'s Ctrl+C handler (a second of pydantic and numpy on a slow machine)
    from game.cli.common import Exit, Failure, UsageError
    from game.content.pack import ContentError
    from game.content.untrusted import printable

    argv = sys.argv[1:] if argv is None else argv
    if not argv or (argv[0].startswith("--") and argv[0] not in ("--help", "--version")):
        argv = ["play", *argv]

    def error(text: str) -> None:  # messages quote paths and file contents: no control characters
        print(printable(text), file=sys.stderr)

    try:
        args = build_parser(only=argv[0]).parse_args(argv)
        return int(args.func(args) or 0)
    except UsageError as exc:
        error(f"error: {exc}")
        return Exit.USAGE
    except ContentError as exc:
        error(f"error: the content pack has {plural(len(exc.problems), 'problem')}:")
        for problem in exc.problems:
            error(f"  {problem}")
        return Exit.PROBLEMS
    except Failure as exc:
        error(f"error: {exc}")
        return Exit.PROBLEMS
    except BrokenPipeError:
        return Exit.OK
    except OSError as exc:  # a path the system refuses (too long, no permission...): named, one line
        if os.environ.get("HOMEGROWN_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        error(f"error: {where}{exc.strerror or exc}")
        return Exit.PROBLEMS
    except Exception as exc:  # last resort: one line, never a traceback
        if os.environ.get("HOMEGROWN_DEBUG"):
            raise
        error(f"error: unexpected {type(exc).__name__}: {exc} (set HOMEGROWN_DEBUG=1 for details)")
        return Exit.PROBLEMS
