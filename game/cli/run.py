"""`homegrown run`: play one game headless with a strategy."""

from __future__ import annotations

import sys
from argparse import Namespace
from typing import Any

from game.cli.common import (
    Failure,
    Subparsers,
    UsageError,
    add_content_option,
    add_json_option,
    add_saves_option,
    emit,
    load_with_scenario,
    load_world,
    non_negative_int,
)
from game.play.rules import effective_seed


def register(sub: Subparsers) -> None:
    p = sub.add_parser("run", help="play one game headless", description=(
        "Play one game with a built-in strategy (or module:attr) and print the result."))
    p.add_argument("--scenario", default="default", help="scenario id (default: default)")
    p.add_argument("--seed", type=non_negative_int, default=None,
                   help="random seed, 0 or more (default: the scenario's fixed seed, else 1; an explicit seed "
                   "wins over the scenario's)")
    p.add_argument("--strategy", default="balanced", help="strategy name (default: balanced)")
    add_json_option(p)
    p.add_argument("--save", metavar="PATH|NAME", help="also save the game (its moves as the action log): a "
                   "bare NAME goes into the saves folder as NAME.json, a PATH with a folder is used as given")
    add_saves_option(p)
    add_content_option(p)
    p.set_defaults(func=run)


def run(args: Namespace) -> int:
    # lazy: each command imports only what it runs (start-up time)
    from game.play.headless import run_game, summary
    from game.strategies import StrategyError, get_strategy
    from game.strategies.registry import check_strategy

    world = load_world(args.content, args.scenario)
    try:
        check_strategy(get_strategy(args.strategy), world)
    except StrategyError as exc:
        raise UsageError(str(exc)) from None
    choice = effective_seed(world.scenario, args.seed, default=1)
    if choice.notice:
        print(f"note: {choice.notice}", file=sys.stderr)
    seed = choice.seed
    doc = run_game(world.content, args.scenario, seed, args.strategy, world)
    if args.save is not None:  # an empty name is refused, never silently ignored
        _save(args, seed, doc)
    emit(args.json, doc, summary(doc) if args.json != "-" else None)
    return 0


def _save(args: Namespace, seed: int, doc: dict[str, Any]) -> None:
    # lazy: each command imports only what it runs (start-up time)
    from game import storage
    from game.play.session import Session
    from game.strategies import get_strategy

    content = load_with_scenario(args.content, args.scenario)  # a save holds the pack's own models

    try:
        folder = storage.saves_dir(args.saves)
        target = storage.resolve_save(args.save, folder, for_writing=True)
    except storage.InvalidSaveName as exc:
        raise UsageError(str(exc)) from None
    if target.parent == folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise Failure(f"cannot create the saves folder {folder}: {exc.strerror or exc}") from None
    session = Session(content, args.scenario, seed).play_with(get_strategy(args.strategy))
    if session.state_hash != doc["state_hash"]:
        raise Failure(f"cannot save: replaying the strategy's moves gave another game (state hash "
                      f"{session.state_hash[:12]}…, not {doc['state_hash'][:12]}…); "
                      "is the strategy deterministic?")
    name = f"{args.scenario} · seed {seed} · {args.strategy}"
    try:
        saved = storage.save_session(session, target, name=name, player=f"strategy:{args.strategy}")
    except storage.SaveError as exc:
        raise Failure(str(exc)) from None
    if saved.moved_aside is not None:
        print(f"warning: {saved.path} was not a readable save; kept it as {saved.moved_aside}",
              file=sys.stderr)
    print(f"saved to {saved.path}", file=sys.stderr)
