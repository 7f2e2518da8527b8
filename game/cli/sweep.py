"""`homegrown sweep`: many seeded games per strategy through the batched core, with balance statistics."""

from __future__ import annotations

import contextlib
import sys
import time
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from game.cli.common import (
    Subparsers,
    UsageError,
    add_content_option,
    add_json_option,
    emit,
    games_count,
    machine_cores,
    non_negative_int,
    positive_int,
    workers_count,
)

if TYPE_CHECKING:
    from game.analysis.balance import BotRate, TargetCheck
    from game.analysis.search import Settings
    from game.content.pack import Content


ABLATE_DEFAULT = "balanced"
"""The strategy `--ablate` ranks the levers of when no --strategy is named (every lever's worth under each
of nine strategies is nine times the games for much the same ranking)."""


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "sweep",
        help="balance testing: many seeded games per strategy",
        description=(
            "Play N seeded games per strategy (and per content variant) through the batched core and print "
            "win rates with 95 % intervals, scores, outcomes and goal attainment. --out DIR also writes "
            "summary.json, games.jsonl and report.md."
        ),
    )
    p.add_argument("--scenario", default="default", help="scenario id (default: default)")
    p.add_argument(
        "--games", type=games_count, required=True, metavar="N", help="games per strategy (1 to 100,000,000)"
    )
    p.add_argument(
        "--seed-start",
        type=non_negative_int,
        default=0,
        metavar="S",
        help="first seed; games use seeds S .. S+N-1 (default 0)",
    )
    p.add_argument(
        "--strategy",
        action="append",
        metavar="NAME",
        help="strategy (repeatable): a built-in, scripted:PATH or module:attr (default: all built-ins but "
        "lookahead, which plans to the end on imagined futures and is played only when named)",
    )
    p.add_argument(
        "--workers", type=workers_count, default=None, metavar="W",
        help="processes to use (default: this machine's cores, at most 256)",
    )
    p.add_argument("--out", metavar="DIR", help="write summary.json, games.jsonl and report.md here")
    add_json_option(p)
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY.PATH=V1,V2",
        help="sweep content variants, e.g. levers.rnd-b5g.saturation=3,5,8 (repeatable: a grid)",
    )
    p.add_argument(
        "--ablate",
        action="store_true",
        help=f"replay the same seeds with each lever removed and doubled; rank the levers (of {ABLATE_DEFAULT} "
        "unless --strategy names others)",
    )
    p.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where shards run: local processes (default) or a Dask cluster",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    p.add_argument("--balance", action="store_true", help="also run a balance search and check the scenario's "
                   "declared [balance] targets (one verdict)")
    p.add_argument("--strict", action="store_true", help="with --balance: exit 1 when a declared target fails")
    p.add_argument("--search-generations", type=positive_int, default=30, metavar="N",
                   help="with --balance: the search's generations (default 30)")
    p.add_argument("--search-validate", type=positive_int, default=2000, metavar="N",
                   help="with --balance: the search's validation games (default 2000)")
    p.add_argument("--verdict-games", type=positive_int, default=500, metavar="N",
                   help="with --balance: paired games per lever, category or answer variant (default 500)")
    p.add_argument("--lookahead-games", type=positive_int, default=100, metavar="N",
                   help="with --balance and a lookahead_min target: games the lookahead bot plays, from seed 0, "
                        "unless --strategy lookahead is swept (default 100; it plans to the end, so it is slow)")
    add_content_option(p)
    p.set_defaults(func=run)


def run(args: Namespace) -> int:
    # lazy: each command imports only what it runs (start-up time)
    from game.analysis.gathered import Spool
    from game.analysis.search import Settings
    from game.analysis.stats import summarize
    from game.analysis.sweep import SweepError, sweep
    from game.cli.common import load_with_scenario
    from game.render.sweep_report import check_out_dir, console_text, write_outputs
    from game.strategies import BUILTIN, StrategyError, get_strategy

    if args.strategy:
        strategies = args.strategy
    elif args.ablate:
        strategies = [ABLATE_DEFAULT]
        print(f"--ablate: ablating {ABLATE_DEFAULT}, the default strategy (name --strategy to ablate others)",
              file=sys.stderr)
    else:
        strategies = list(BUILTIN)
    workers = args.workers or machine_cores()
    if len(set(strategies)) != len(strategies):
        raise UsageError("a strategy is named twice")
    if args.executor == "dask" and not args.scheduler:
        raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    if args.strict and not args.balance:
        raise UsageError("--strict checks the balance targets: use it with --balance")
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler only applies with --executor dask")
    try:
        for name in strategies:
            get_strategy(name)
    except StrategyError as exc:
        raise UsageError(str(exc)) from None
    out = Path(args.out) if args.out else None
    with contextlib.ExitStack() as scratch:
        try:
            if out is not None:
                check_out_dir(out)
            # games.jsonl's lines, written as games finish (removed when the command ends)
            spool = scratch.enter_context(Spool(out)) if out is not None else None
            content = load_with_scenario(args.content, args.scenario)
            start = time.perf_counter()
            result = sweep(
                content,
                args.scenario,
                args.games,
                strategies,
                seed_start=args.seed_start,
                varies=args.vary,
                ablate=args.ablate,
                workers=workers,
                executor=args.executor,
                scheduler=args.scheduler,
                on_plan=lambda e: print(e.line, file=sys.stderr, flush=True),
                spool=spool,
            )
        except (SweepError, StrategyError) as exc:
            raise UsageError(str(exc)) from None
        summary = summarize(result)
        if args.json != "-":
            sys.stdout.write(console_text(result, summary))
        if out is not None and spool is not None:
            write_outputs(result, summary, out, spool)
            print(f"wrote {out / 'summary.json'}, {out / 'games.jsonl'}, {out / 'report.md'}", file=sys.stderr)
    played = sum(g.cols.seed.size for g in result.groups.values())
    print(f"{played:,} games in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if not args.balance:
        emit(args.json, summary)
        return 0
    from game.analysis.balance import BotRate  # lazy: only for --balance

    bots = {name: BotRate(int((result.group(0, s).cols.outcome == 0).sum()), args.games, args.seed_start)
            for s, name in enumerate(strategies)}
    settings = Settings(generations=args.search_generations, validate=args.search_validate)
    checks = _balance(content, args.scenario, bots, settings, workers, args.verdict_games, args.lookahead_games)
    from game.render.search_report import target_lines  # lazy: only for --balance

    failed = [c for c in checks if not c.ok]
    if args.json != "-":
        print(f"\nBalance targets (the scenario's [balance]; the search validated on seeds 0-{settings.validate - 1}):")
        print("\n".join(target_lines(checks)))
    summary["balance"] = {"balanced": not failed, "validated_on": [0, settings.validate - 1],
                          "targets": [{"target": c.target, "ok": c.ok, "detail": c.detail} for c in checks]}
    emit(args.json, summary)
    return 1 if failed and args.strict else 0


def _balance(content: Content, scenario: str, bots: dict[str, BotRate], settings: Settings, workers: int,
             verdict_games: int, lookahead_games: int) -> list[TargetCheck]:
    # lazy: the search is only loaded for --balance
    from game.analysis.balance import check_targets, measure

    measures = measure(content, scenario, [], settings, bots=bots, workers=workers, verdict_games=verdict_games,
                       lookahead_games=lookahead_games)
    return check_targets(content.scenarios[scenario].balance, measures)
