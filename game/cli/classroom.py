"""`homegrown classroom new --scenario ID --students N [--out DIR] [--distinct-seeds] [--names FILE]`:
prepare a class — one folder per student or team with a save ready for `homegrown play --load` and a
one-page handout, plus a teacher's sheet.

Exit codes: 0 the class was created; 1 it could not be (an existing folder, an unwritable disk); 2 bad
arguments (unknown scenario, a names file that cannot be read, --distinct-seeds with a fixed-seed scenario).
"""

from __future__ import annotations

import sys
from argparse import Namespace

from game.cli.common import (
    Failure,
    Subparsers,
    UsageError,
    add_content_option,
    non_negative_int,
    positive_int,
)


def register(sub: Subparsers) -> None:
    p = sub.add_parser("classroom", help="prepare a class: saves and handouts for every student")
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    new = actions.add_parser(
        "new",
        help="create one folder per student with a save and a handout",
        description=(
            "Create OUT/<student>/<student>.json (a new game of the scenario, ready for "
            "`homegrown play --load`) and OUT/<student>/HANDOUT.md for every student, and OUT/TEACHER.md "
            "with the roster and the commands "
            "to run the report. Everyone gets the same seed (the scenario's own if it fixes one) unless "
            "--distinct-seeds."
        ),
    )
    new.add_argument(
        "--scenario", required=True, metavar="ID", help="scenario id (e.g. exercise-southeast-asia)"
    )
    new.add_argument(
        "--students",
        type=positive_int,
        metavar="N",
        help="number of students or teams (named student-01, student-02, ...; optional with --names)",
    )
    new.add_argument("--names", metavar="FILE", help="a text file with one student or team name per line")
    new.add_argument("--out", metavar="DIR", help="the class folder to create (default: ./class-<scenario>)")
    new.add_argument(
        "--distinct-seeds",
        action="store_true",
        help="give each student another seed (seed, seed+1, ...) instead of one world for all",
    )
    new.add_argument(
        "--seed",
        type=non_negative_int,
        help="the seed (default: the scenario's fixed seed, else a random one)",
    )
    new.add_argument(
        "--hide-forecast",
        action="store_true",
        help="predict, then reveal: each save keeps the forecast panel hidden every quarter until the student "
        "has made a prediction",
    )
    add_content_option(new)
    new.set_defaults(func=run_new)
    p.set_defaults(
        func=lambda args: (_ for _ in ()).throw(
            UsageError("homegrown classroom: choose an action: new (see 'homegrown classroom new --help')")
        )
    )


def run_new(args: Namespace) -> int:
    # lazy: each command imports only what it runs (start-up time)
    from game.analysis.classroom import ClassroomError, new_class, play_command, read_names
    from game.cli.common import load_with_scenario

    content = load_with_scenario(args.content, args.scenario)
    if args.students is None and args.names is None:
        raise UsageError("homegrown classroom new: give --students N or --names FILE")
    try:
        names = read_names(args.names) if args.names else None
    except ClassroomError as exc:
        raise UsageError(str(exc)) from None
    out = args.out or f"class-{args.scenario}"
    try:
        room = new_class(
            content,
            args.scenario,
            out,
            students=args.students,
            names=names,
            distinct_seeds=args.distinct_seeds,
            seed=args.seed,
            overlays=tuple(args.content),
            hide_forecast=args.hide_forecast,
        )
    except ClassroomError as exc:
        message = str(exc)
        if "already exists" in message or "cannot create" in message:
            raise Failure(message) from None
        raise UsageError(message) from None
    except OSError as exc:
        raise Failure(f"cannot create the class in {out}: {exc.strerror or exc}") from None
    if room.notice:
        print(f"note: {room.notice}", file=sys.stderr)
    seeds = sorted({s.seed for s in room.students})
    print(
        f"class of {len(room.students)} for scenario '{args.scenario}' in {room.folder} "
        f"(seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds[:3]))}"
        f"{'…' if len(seeds) > 3 else ''})"
    )
    print(f"  teacher's sheet: {room.folder / 'TEACHER.md'}")
    print(f"  each student types, in their folder: {play_command(room.students[0].save, room.overlays)}")
    return 0
