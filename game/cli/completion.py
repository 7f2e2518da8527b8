"""`homegrown completion bash|zsh|tcsh`: a shell completion script generated from the parser itself
(with shtab, the optional extra `homegrown[completion]`), so it always knows every command and option."""

from __future__ import annotations

import sys
from argparse import Namespace

from game.cli.common import Failure, Subparsers

SHELLS = ("bash", "zsh", "tcsh")


def register(sub: Subparsers) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh, tcsh)", description=(
        "Print a completion script for your shell, generated from the command line's own parser. "
        "bash: `homegrown completion bash > ~/.local/share/bash-completion/completions/homegrown`; "
        "zsh: `homegrown completion zsh > ~/.zfunc/_homegrown` (with fpath+=~/.zfunc before compinit). "
        "Needs `pip install 'homegrown[completion]'`."))
    p.add_argument("shell", choices=SHELLS)
    p.set_defaults(func=run)


def run(args: Namespace) -> int:
    try:
        # lazy: an optional extra, only for this command
        import shtab
    except ImportError:
        raise Failure("shell completion needs shtab: pip install 'homegrown[completion]'") from None
    from game.cli import build_parser  # lazy: the parser imports this module

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0
