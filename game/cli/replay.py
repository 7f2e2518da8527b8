"""`homegrown replay SAVE [--what-if TURN:LEVER=AMOUNT ...] [--json PATH|-]`: verify a save by replaying
its action log, or ask what would have happened with other allocations.

Exit codes: 0 the replay matches the save (and, with --what-if, the comparison is printed); 1 the save
cannot be read or does not replay to the saved state (what differs is printed); 2 bad arguments,
including a what-if that names an unknown lever or turn or would overspend a quarter's budget.
"""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from typing import TYPE_CHECKING

from game.cli.common import (
    Failure,
    Subparsers,
    UsageError,
    add_content_option,
    add_json_option,
    add_saves_option,
    emit,
)

if TYPE_CHECKING:
    from game.storage import Verification


def register(sub: Subparsers) -> None:
    p = sub.add_parser("replay", help="verify a save, or replay it with other allocations (--what-if)",
                       description=(
        "Replay a save's action log from its scenario, content pack and seed, and check that it reaches the "
        "saved state. SAVE is a path, or a bare name in the saves folder. With --what-if, replay it with "
        "some allocations changed (every random draw stays the same) and compare the two games side by "
        "side."))
    p.add_argument("save", metavar="SAVE", help="a save file, or the name of a save in the saves folder")
    p.add_argument("--what-if", dest="what_if", action="append", default=[], metavar="TURN:LEVER=AMOUNT",
                   help="change one allocation (repeatable). TURN is a quarter (2027Q1) or a 1-based turn "
                        "number (5); AMOUNT is ¥ billions. A plan over that quarter's budget is an error: "
                        "lower another lever of the same quarter with a second --what-if")
    add_json_option(p)
    add_saves_option(p)
    add_content_option(p)
    p.set_defaults(func=run)


def _emit(args: Namespace, doc: dict, text: str) -> None:
    emit(args.json, doc, text)


def _verification_text(v: Verification) -> str:
    # lazy: each command imports only what it runs (start-up time)
    from game.render.labels import score_line, verdict

    s = v.save
    where = f"{len(s.turns)} turns" + (f", now {s.snapshot.quarter}" if s.snapshot.quarter else "")
    lines = [f"{v.path}: {s.name!r} · {s.scenario} · seed {s.seed} · {where}"]
    if v.ok and v.session is not None:
        res = v.session.result()
        status = res.outcome.upper() if v.session.done else f"in progress ({res.outcome} so far)"
        lines.append(f"replay OK: state hash {v.session.state_hash[:16]}… matches the save")
        lines.append(f"{status}   {score_line(res.score, res.outcome)}")
        lines.append(verdict(res.goals_met, len(res.goals), res.weight_met))
    else:
        lines.append("replay FAILED: the save does not match this game:")
        lines += [f"  - {p}" for p in v.problems]
        for key, (saved, now) in v.differences.items():
            lines.append(f"    {key}: saved {saved}, replayed {now}")
    lines += [f"note: {n}" for n in v.notes]
    return "\n".join(lines)


def run(args: Namespace) -> int:
    # lazy: each command imports only what it runs (start-up time)
    from game import storage
    from game.content.loader import load_content
    from game.play import whatif
    from game.render.whatif import format_what_if

    specs = []
    for text in args.what_if:
        try:
            specs.append(whatif.parse_change(text))
        except whatif.WhatIfError as exc:
            raise UsageError(f"--what-if {exc}") from None
    try:
        path = storage.resolve_save(args.save, storage.saves_dir(args.saves))
    except storage.InvalidSaveName as exc:
        raise UsageError(str(exc)) from None
    content = load_content(*args.content)
    try:
        v = storage.verify_save(path, content)
    except storage.SaveError as exc:
        if args.json == "-":
            sys.stdout.write(json.dumps({"ok": False, "save": str(path), "error": exc.message}) + "\n")
        raise Failure(str(exc)) from None
    if not specs or not v.ok:
        _emit(args, v.to_json(), _verification_text(v))
        if not v.ok:
            print(f"error: {v.path}: the replay does not match the save ({len(v.problems)} problem"
                  f"{'s' if len(v.problems) != 1 else ''})", file=sys.stderr)
        return 0 if v.ok else 1
    try:
        w = whatif.what_if(content, v.save.scenario, v.save.seed, v.save.log(), specs)
    except whatif.WhatIfError as exc:
        raise UsageError(f"--what-if {exc}") from None
    doc = {"save": str(v.path), "scenario": v.save.scenario, "seed": v.save.seed, **w.to_json()}
    _emit(args, doc, f"{v.path}: {v.save.name!r} · {v.save.scenario} · seed {v.save.seed}\n\n"
                     + format_what_if(w))
    return 0
