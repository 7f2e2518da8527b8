"""`homegrown play` (the default): the terminal game.

`--load SAVE` (a path, or a bare name in the saves folder) is read and verified before the app starts: a
save that cannot be read or does not replay is one line on stderr and exit 1, and the file is not touched.
A save made with another content pack that replays in full opens the app with a question: continue anyway
under the current rules (to a new file), or not.
"""

from __future__ import annotations

from game.cli.common import Failure, UsageError, add_content_option, non_negative_int


def register(sub) -> None:
    p = sub.add_parser("play", help="play in the terminal (the default)")
    p.add_argument("--scenario", help="start a new game of this scenario straight away")
    p.add_argument("--seed", type=non_negative_int, help="random seed for a new game")
    p.add_argument("--load", metavar="SAVE", help="continue a saved game: a save file, or the name of a save "
                   "in the saves folder")
    p.add_argument("--saves", metavar="DIR", help="saves folder (default: $HOMEGROWN_SAVES, else the "
                   "checkout's saves/, else ./saves)")
    add_content_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from game import storage as saves
    from game.cli.common import load_with_scenario

    if args.load and args.scenario:
        raise UsageError("--load continues a saved game; it cannot be combined with --scenario")
    content = load_with_scenario(args.content, args.scenario)
    folder = saves.saves_dir(args.saves)
    opened = None
    if args.load:
        from game.tui.saving import open_save

        try:
            path = saves.resolve_save(args.load, folder)
        except saves.InvalidSaveName as exc:
            raise UsageError(f"--load: {exc}") from None
        try:
            opened = open_save(path, content)
        except saves.SaveError as exc:
            raise Failure(f"cannot load {exc}") from None
    from game.tui.app import HomegrownApp

    app = HomegrownApp(content, scenario=args.scenario, seed=args.seed, load=opened, saves_folder=folder)
    app.run()
    return app.return_code or 0
