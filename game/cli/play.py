"""`homegrown play` (the default): the terminal game.

`--load SAVE` (a path, or a bare name in the saves folder) is read and verified before the app starts: a
save that cannot be read or does not replay is one line on stderr and exit 1, and the file is not touched.
A save made with another content pack that replays in full opens the app with a question: continue anyway
under the current rules (to a new file), or not.

`--seed N` follows the one seed policy (game.play.rules.effective_seed): it wins over a scenario's fixed
seed, with a one-line note on stderr (and in the app); without it, a new game plays the scenario's fixed
seed, else a random one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from game import storage
from game.cli.common import (
    Failure,
    UsageError,
    add_content_option,
    add_saves_option,
    load_with_scenario,
    non_negative_int,
)
from game.play.rules import effective_seed
from game.render.words import plural


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("play", help="play in the terminal (the default)")
    p.add_argument("--scenario", help="start a new game of this scenario straight away")
    p.add_argument("--seed", type=non_negative_int, help="random seed for new games (default: the scenario's "
                   "fixed seed, else a random one; an explicit seed wins over the scenario's)")
    p.add_argument("--load", metavar="SAVE", help="continue a saved game: a save file, or the name of a save "
                   "in the saves folder")
    p.add_argument("--class", dest="class_folder", metavar="DIR", help="join a class: pick your name among the "
                   "class folder's saves and play that save (what `homegrown serve --class DIR` runs for each "
                   f"browser; the class code, if any, comes from ${CODE_VAR})")
    add_saves_option(p)
    add_content_option(p)
    p.set_defaults(func=run)


CODE_VAR = "HOMEGROWN_CLASS_CODE"


def has_terminal() -> bool:
    """Without a terminal on both ends the app would wait for keys that never come (unless a browser is the
    terminal: textual-serve runs each game with Textual's web driver)."""
    return (sys.stdin.isatty() and sys.stdout.isatty()) or "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")


def offer_legacy_saves(folder: Path, ask: Callable[[str], str] = input) -> list[Path]:
    """Once: saves found in an old ./saves (the default before the user folders) are offered, and copied
    into `folder` if the player agrees (copied, not moved: the old files stay as they were). Returns the
    copies made."""
    from game.storage.settings import load_settings, save_settings  # lazy: only for the first run's offer

    settings = load_settings()
    old = storage.legacy_saves(folder)
    if settings.legacy_saves_offered or not old:
        return []
    answer = ask(f"Found {plural(len(old), 'save')} in {old[0].parent} (where earlier versions kept them). "
                 f"Copy them to {folder}? [Y/n] ").strip().lower()
    copied = []
    if answer in ("", "y", "yes"):
        folder.mkdir(parents=True, exist_ok=True)
        for path in old:
            target = folder / path.name
            if not target.exists():
                shutil.copy2(path, target)
                copied.append(target)
        print(f"copied {plural(len(copied), 'save')} to {folder}")
    save_settings(replace(settings, legacy_saves_offered=True))
    return copied


def run(args: argparse.Namespace) -> int:
    if args.load and args.scenario:
        raise UsageError("--load continues a saved game; it cannot be combined with --scenario")
    if args.class_folder and (args.load or args.scenario):
        raise UsageError("--class picks a student's save; it cannot be combined with --load or --scenario")
    if args.class_folder and not Path(args.class_folder).is_dir():
        raise UsageError(f"--class {args.class_folder}: no such folder")
    content = load_with_scenario(args.content, args.scenario)
    if args.scenario is not None and args.seed is not None:
        notice = effective_seed(content.scenarios[args.scenario], args.seed).notice
        if notice:
            print(f"note: {notice}", file=sys.stderr)
    folder = storage.saves_dir(args.saves)
    # lazy: every command's parser imports this module, and `run` and the others must not load the TUI
    # (tests/test_cli.py checks it)
    from game.tui.app import HomegrownApp
    from game.tui.saving import open_save

    opened = None
    if args.load:
        try:
            path = storage.resolve_save(args.load, folder)
        except storage.InvalidSaveName as exc:
            raise UsageError(f"--load: {exc}") from None
        try:
            opened = open_save(path, content)
        except storage.SaveError as exc:
            raise Failure(f"cannot load {exc}") from None
    if not has_terminal():
        raise UsageError("play needs a terminal (its input and output are not one); "
                         "`homegrown run` plays a game without one")
    if folder == storage.user_saves_dir() and sys.stdin.isatty():
        offer_legacy_saves(folder)  # only into the default folder (none chosen), and to a player who can answer
    app = HomegrownApp(content, scenario=args.scenario, seed=args.seed, load=opened, saves_folder=folder,
                       class_folder=args.class_folder, class_code=os.environ.get(CODE_VAR) or None)
    app.run()
    return app.return_code or 0
