"""`homegrown check [DIR ...] [--format text|json|github] [--json PATH|-]`: validate content packs
(overlaid on the default pack). Each problem names its file, key path and, where the TOML source shows
them, line and column: `FILE:LINE:COLUMN: key.path: message` (text, as compilers print for editors),
one JSON document, or GitHub Actions `::error` annotations."""

from __future__ import annotations

import sys
from argparse import Namespace
from typing import Any

from game.cli.common import Exit, Subparsers, add_json_option, emit
from game.content.loader import ContentError, load_content
from game.content.locate import locate_problem
from game.content.pack import Problem
from game.render.words import plural


def register(sub: Subparsers) -> None:
    p = sub.add_parser("check", help="validate content packs", description=(
        "Validate content packs. Each DIR is overlaid on the default pack, as `--content` would be; "
        "with --standalone, the first DIR is a whole pack on its own."))
    p.add_argument("dirs", nargs="*", metavar="DIR")
    p.add_argument("--standalone", action="store_true", help="do not load the default pack first")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text (default; FILE:LINE:COLUMN: key: message on stderr), json (one document on "
                        "stdout) or github (workflow annotations on stdout)")
    add_json_option(p)
    p.set_defaults(func=run)


def problem_json(problem: Problem) -> dict[str, Any]:
    """A problem with its position; `key` is empty where the problem is the file's TOML syntax (its path
    is then the position itself)."""
    at = locate_problem(problem)
    return {"file": problem.file, "line": at[0] if at else None, "column": at[1] if at else None,
            "key": "" if problem.path.startswith("line ") else problem.path, "message": problem.message}


def _what(p: dict[str, Any]) -> str:
    return f"{p['key']}: {p['message']}" if p["key"] else p["message"]


def text_line(p: dict[str, Any]) -> str:
    where = f"{p['file']}:{p['line']}:{p['column']}" if p["line"] else p["file"]
    return f"{where}: {_what(p)}"


def github_line(p: dict[str, Any]) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    props = f"file={escape(p['file'])}" + (f",line={p['line']},col={p['column']}" if p["line"] else "")
    return f"::error {props},title=homegrown check::{escape(_what(p))}"


def run(args: Namespace) -> int:
    fmt = "json" if args.json == "-" else args.format
    try:
        content = load_content(*args.dirs, include_default=not (args.standalone and args.dirs))
        problems: list[dict[str, Any]] = []
        doc: dict[str, Any] = {"ok": True, "problems": problems, "summary": content.summary(),
                               "fingerprint": content.fingerprint}
    except ContentError as exc:
        problems = [problem_json(p) for p in exc.problems]
        doc = {"ok": False, "problems": problems}
    if args.json and args.json != "-":
        emit(args.json, doc)
    if fmt == "json":
        emit("-", doc)
    elif fmt == "github":
        if problems:
            print("\n".join(github_line(p) for p in problems))
    elif problems:
        print(f"error: the content pack has {plural(len(problems), 'problem')}:", file=sys.stderr)
        print("\n".join(f"  {text_line(p)}" for p in problems), file=sys.stderr)
    else:
        print(f"content OK: {doc['summary']} (fingerprint {doc['fingerprint']})")
    return Exit.PROBLEMS if problems else Exit.OK
