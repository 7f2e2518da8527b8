"""`homegrown serve [--class DIR] [--host HOST] [--port N]`: the game in the students' browsers, from one
machine (`pip install 'homegrown[serve]'`: textual-serve).

Each browser that opens the address gets its own game: textual-serve starts one `homegrown play` per
connection. With `--class DIR` that is `homegrown play --class DIR`: the student picks their name among the
class's saves and plays that save, which saves itself into the class folder after every turn, where
`homegrown report DIR` reads it. The server binds 127.0.0.1 (this machine only) unless `--host` is given;
with `--host` (the lab's network) a class code is printed at start and asked for before a student can pick
a name.

Exit codes: 0 the server stopped (Ctrl+C); 1 textual-serve is not installed or the server cannot start;
2 bad arguments.
"""

from __future__ import annotations

import os
import secrets
import shlex
import sys
from argparse import Namespace
from pathlib import Path

from game.cli.common import Failure, Subparsers, UsageError, add_content_option, bounded_int
from game.cli.play import CODE_VAR

LOCAL = "127.0.0.1"


def register(sub: Subparsers) -> None:
    p = sub.add_parser("serve", help="play in a browser: one game per browser, served from this machine",
                       description=__doc__.split("\n\n")[1] if __doc__ else None)
    p.add_argument("--class", dest="class_folder", metavar="DIR",
                   help="a class folder (`classroom new`): students pick their name and play their save")
    p.add_argument("--host", metavar="HOST", help=f"address to listen on (default {LOCAL}: this machine only; "
                   "0.0.0.0 for the lab's network, which also requires a class code)")
    p.add_argument("--port", type=bounded_int(1, 65535, "port"), default=8000, help="port (default 8000)")
    p.add_argument("--code", metavar="CODE", help="the class code (default: a random one when --host is given)")
    add_content_option(p)
    p.set_defaults(func=run)


def play_command(args: Namespace) -> list[str]:
    words = [sys.executable, "-m", "game", "play"]
    if args.class_folder:
        words += ["--class", str(Path(args.class_folder).resolve())]
    for overlay in args.content:
        words += ["--content", str(Path(overlay).resolve())]
    return words


def run(args: Namespace) -> int:
    try:
        # lazy: an optional extra, only this command needs it
        from textual_serve.server import Server
    except ImportError:
        raise Failure("homegrown serve needs textual-serve: pip install 'homegrown[serve]'") from None
    if args.class_folder and not Path(args.class_folder).is_dir():
        raise UsageError(f"--class {args.class_folder}: no such folder")
    host = args.host or LOCAL
    code = args.code or (secrets.token_hex(3) if args.host else None)
    if code is not None and not args.class_folder:
        raise UsageError("a class code guards a class: give --class DIR with --host or --code")
    if code is not None:
        os.environ[CODE_VAR] = code  # the per-browser games inherit it (never on their command line)
        print(f"class code: {code}  (students type it before picking their name)", flush=True)
    else:
        os.environ.pop(CODE_VAR, None)
    command = shlex.join(play_command(args))
    url = f"http://{'localhost' if host in (LOCAL, '0.0.0.0', '::') else host}:{args.port}"
    print(f"serving Homegrown on {url} (listening on {host}); Ctrl+C stops", flush=True)
    try:
        Server(command, host=host, port=args.port, title="Homegrown", public_url=url).serve()
    except OSError as exc:
        raise Failure(f"cannot serve on {host}:{args.port}: {exc.strerror or exc}") from None
    return 0
