"""`homegrown report SAVES... [--out DIR] [--format md|html|slides|csv|json] [--roster FILE]`: a class
debrief from the class's saves.

Exit codes: 0 every save was counted, nothing was flagged and the report written; 1 some input was not
counted (unreadable, another scenario or content pack, failed replay, an empty folder) or some save was
flagged (a copy, an older version, a bot's game, another seed, a name twice or not on the roster, a roster
name without a save) — each is listed on stderr, one line each, and the report is still written when
there are games — or no report could be made; 2 bad arguments (a roster file that cannot be read).
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
from game.render.words import plural


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
        choices=("md", "html", "slides", "csv", "json"),
        default="md",
        help="markdown (default), one self-contained HTML file with charts, slides (one HTML deck for a "
        "projector), csv (games.csv and decisions.csv) or json (every figure)",
    )
    p.add_argument(
        "--roster",
        metavar="FILE",
        help="the class's names, one per line: names with no save and saves with a name not on it are flagged",
    )
    p.add_argument(
        "--search-generations",
        type=bounded_int(0, 1000, "generations"),
        default=8,
        metavar="N",
        help="generations of the search for the best plan the class is compared with (default 8; 0 skips it)",
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
    from game.analysis.classroom import ClassroomError, read_names
    from game.analysis.debrief import ReportError, gather
    from game.analysis.sweep import SweepError
    from game.content.loader import load_content
    from game.render.debrief import write_report
    from game.render.debrief_data import report_json
    from game.strategies import get_strategy
    from game.strategies.base import StrategyError

    content = load_content(*args.content)
    try:
        roster = read_names(args.roster) if args.roster else None
    except ClassroomError as exc:
        raise UsageError(str(exc)) from None
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
            roster=roster,
            search_generations=args.search_generations,
            overlays=args.content,
        )
    except ReportError as exc:
        raise Failure(str(exc)) from None
    except (StrategyError, SweepError) as exc:
        raise UsageError(str(exc)) from None
    from game.render.debrief_view import flag_lines

    for p in report.problems:
        print(f"not counted: {p.path}: {p.message}", file=sys.stderr)
    for line in flag_lines(report):
        print(f"flagged: {line}", file=sys.stderr)
    if not report.games:
        raise Failure(
            f"no save could be counted ({plural(len(report.problems), 'problem')} above); no report written"
        )
    out = args.out if args.out is not None else None if args.json == "-" else "."
    wrote = ""
    if out is not None:
        try:
            paths = write_report(report, out, args.format)
        except OSError as exc:
            raise Failure(f"cannot write the report in {out}: {exc.strerror or exc}") from None
        wrote = f"; wrote {', '.join(map(str, paths))}"
    counted = (f"{plural(len(report.counted), 'game')} counted, {len(report.games) - len(report.counted)} flagged, "
               f"{len(report.problems)} not counted{wrote}")
    if args.json == "-":
        print(counted, file=sys.stderr)
    emit(args.json, report_json(report), None if args.json == "-" else counted)
    return Exit.OK if report.ok else Exit.PROBLEMS
