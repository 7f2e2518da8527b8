"""`homegrown report SAVES... [--out DIR] [--format md|html]`: a class debrief from the class's saves.

Exit codes: 0 every save was counted and the report written; 1 some input was not counted (unreadable,
another scenario or content pack, failed replay, an empty folder) — the report is still written for the
others when there are any — or no report could be made; 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys

from game.cli.common import (
    Exit,
    Failure,
    Subparsers,
    UsageError,
    add_content_option,
    add_json_option,
    bounded_int,
    emit,
)


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "report",
        help="a class debrief from students' saves (markdown or HTML)",
        description=(
            "Read a class's saves (files, or folders searched for *.json), replay-verify each one, and "
            "write a "
            "debrief: every game's outcome, score and goals, spend profiles, the class against the built-in "
            "strategies, the decisions that most changed each game, the events met and discussion prompts. "
            "All saves must be of one scenario and content pack; the odd ones out are named and not counted."
        ),
    )
    p.add_argument("saves", nargs="+", metavar="SAVES", help="save files or folders of saves")
    p.add_argument(
        "--out",
        metavar="DIR",
        help="folder to write debrief-<scenario>.md|html in (default: the current folder; with --json -, "
        "only when given)",
    )
    add_json_option(p)
    p.add_argument(
        "--format",
        choices=("md", "html"),
        default="md",
        help="markdown (default) or one self-contained HTML file with charts",
    )
    p.add_argument(
        "--scenario",
        metavar="ID",
        help="report on this scenario's saves when the inputs mix "
        "several (the others are listed as not counted)",
    )
    p.add_argument(
        "--sweep-games",
        type=bounded_int(0, 1_000_000, "games per strategy"),
        default=200,
        metavar="N",
        help="games per built-in strategy for the comparison (default 200, at most 1,000,000; 0 skips it)",
    )
    p.add_argument(
        "--strategy",
        action="append",
        metavar="NAME",
        help="compare with this strategy (repeatable; default: every built-in)",
    )
    add_content_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # lazy: each command imports only what it runs (start-up time)
    from game.analysis.debrief import ReportError, gather
    from game.analysis.sweep import SweepError
    from game.content.loader import load_content
    from game.render.debrief import report_json, write_report
    from game.strategies import get_strategy
    from game.strategies.base import StrategyError

    content = load_content(*args.content)
    try:
        for name in args.strategy or []:
            get_strategy(name)  # a bad name is a usage error before any save is replayed
    except StrategyError as exc:
        raise UsageError(str(exc)) from None
    try:
        report = gather(
            args.saves,
            content,
            scenario=args.scenario,
            sweep_games=args.sweep_games,
            strategies=args.strategy,
            progress=None,
        )
    except ReportError as exc:
        raise Failure(str(exc)) from None
    except (StrategyError, SweepError) as exc:
        raise UsageError(str(exc)) from None
    for p in report.problems:
        print(f"not counted: {p.path}: {p.message}", file=sys.stderr)
    if not report.games:
        raise Failure(
            f"no save could be counted ({len(report.problems)} problem(s) above); no report written"
        )
    out = args.out if args.out is not None else None if args.json == "-" else "."
    wrote = ""
    if out is not None:
        try:
            wrote = f"; wrote {write_report(report, out, args.format)}"
        except OSError as exc:
            raise Failure(f"cannot write the report in {out}: {exc.strerror or exc}") from None
    counted = f"{len(report.games)} game(s) counted, {len(report.problems)} not counted{wrote}"
    if args.json == "-":
        print(counted, file=sys.stderr)
    emit(args.json, report_json(report), None if args.json == "-" else counted)
    return Exit.PROBLEMS if report.problems else Exit.OK
