"""`homegrown play` (the default): the terminal game."""

from __future__ import annotations

from game.cli import add_content_option, non_negative_int


def register(sub) -> None:
    p = sub.add_parser("play", help="play in the terminal (the default)")
    p.add_argument("--scenario", help="start a new game of this scenario straight away")
    p.add_argument("--seed", type=non_negative_int, help="random seed for a new game")
    p.add_argument("--load", metavar="SAVE", help="continue a saved game")
    add_content_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from game.commands import load_with_scenario

    content = load_with_scenario(args.content, args.scenario)
    from game.tui.app import HomegrownApp

    app = HomegrownApp(content, scenario=args.scenario, seed=args.seed, load=args.load)
    app.run()
    return app.return_code or 0
