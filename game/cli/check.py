"""`homegrown check [DIR ...]`: validate content packs (overlaid on the default pack)."""

from __future__ import annotations

from argparse import Namespace

from game.cli.common import Subparsers, add_content_option  # noqa: F401  (kept for symmetry with other commands)
from game.content.loader import load_content


def register(sub: Subparsers) -> None:
    p = sub.add_parser("check", help="validate content packs", description=(
        "Validate content packs. Each DIR is overlaid on the default pack, as `--content` would be; "
        "with --standalone, the first DIR is a whole pack on its own."))
    p.add_argument("dirs", nargs="*", metavar="DIR")
    p.add_argument("--standalone", action="store_true", help="do not load the default pack first")
    p.set_defaults(func=run)


def run(args: Namespace) -> int:
    content = load_content(*args.dirs, include_default=not (args.standalone and args.dirs))
    print(f"content OK: {content.summary()} (fingerprint {content.fingerprint})")
    return 0
