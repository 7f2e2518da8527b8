"""`homegrown search`: the strongest plans the game allows, found by search through the batched core."""

from __future__ import annotations

from argparse import Namespace
from pathlib import Path

from game.cli.common import (
    Failure,
    Subparsers,
    UsageError,
    add_content_option,
    add_json_option,
    emit,
    json_text,
    machine_cores,
    non_negative_int,
    positive_int,
    workers_count,
)


def positive_seconds(text: str) -> float:
    import argparse  # lazy: only when the option is given

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {text}")
    return value


def register(sub: Subparsers) -> None:
    p = sub.add_parser("search", help="balance search: the strongest plans the game allows", description=(
        "Search for the strongest static plans (money per lever per quarter, one answer per event) with the "
        "cross-entropy method, then validate the best of each family on fresh seeds. The plans are written "
        "as scripted: TOML files that `run` and `sweep` replay to the same games."))
    p.add_argument("--scenario", default="default", help="scenario id (default: default)")
    p.add_argument("--family", default="fixed", help="fixed (one weighting), phased (three and two switch "
                   "quarters), reactive (weights from the state each quarter) or all (default: fixed)")
    p.add_argument("--generations", type=positive_int, default=30, metavar="N", help="generations (default 30)")
    p.add_argument("--budget", type=positive_seconds, metavar="SECONDS",
                   help="stop a family early when the next generation would not fit (results then depend "
                        "on the machine's speed)")
    p.add_argument("--population", type=positive_int, default=96, metavar="N", help="plans per generation "
                   "(default 96)")
    p.add_argument("--seeds", type=positive_int, default=40, metavar="N", help="training seeds per generation "
                   "(default 40)")
    p.add_argument("--validate", type=positive_int, default=2000, metavar="N", help="validation games "
                   "(default 2000)")
    p.add_argument("--validate-start", type=non_negative_int, default=0, metavar="S",
                   help="first validation seed (default 0, as sweep)")
    p.add_argument("--seed", type=non_negative_int, default=0, help="the search's own random seed (default 0)")
    p.add_argument("--constrain", action="append", default=[], metavar="CATEGORY=MIN..MAX",
                   help="share of the money in a category, e.g. export=0.4..1 (repeatable)")
    p.add_argument("--forbid", action="append", default=[], metavar="LEVER|CATEGORY",
                   help="a lever or category the plans may not fund (repeatable)")
    p.add_argument("--balance", action="store_true", help="also judge the scenario and check its declared "
                   "[balance] targets: the best plan of each category-led doctrine, each lever removed and forced, "
                   "each category removed from the viable plans, each event's answers, the answer policies "
                   "(default, answer-K, last, thrifty, spender, search) on the best plan and on balanced, and the "
                   "bots the targets name; adds the fixed family (and reactive when reactive_beats_fixed_by is "
                   "declared) if not searched")
    p.add_argument("--verdict-games", type=positive_int, default=500, metavar="N", help="paired games per "
                   "lever, category, answer or answer-policy variant with --balance (default 500)")
    p.add_argument("--lookahead-games", type=positive_int, default=100, metavar="N", help="with --balance and "
                   "a lookahead_min target: games the lookahead bot plays from the first validation seed "
                   "(default 100; it plans to the game's end each quarter, so it is slow)")
    p.add_argument("--workers", type=workers_count, default=None, metavar="W",
                   help="processes (default: this machine's cores, at most 256)")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="where candidates play: local processes (default) or a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    p.add_argument("--out", metavar="DIR", help="write search.json, search.md and the plans here (plan-fixed.toml, plan-phased.toml, plan-reactive.py)")
    add_json_option(p)
    add_content_option(p)
    p.set_defaults(func=run)


def run(args: Namespace) -> int:
    # lazy: each command imports only what it runs (start-up time)
    from game.analysis.balance import check_targets, measure
    from game.analysis.executors import ExecutorError
    from game.analysis.progress import ProgressBar
    from game.analysis.search import (
        FAMILIES,
        SearchError,
        Settings,
        export,
        make_space,
        parse_constraint,
        search,
    )
    from game.cli.common import load_with_scenario
    from game.render.search_report import (
        BalanceFindings,
        console_text,
        findings_json,
        findings_text,
        search_json,
        search_markdown,
    )
    from game.sim.compile import build_world
    from game.storage import atomic_write

    workers = args.workers or machine_cores()
    families = list(FAMILIES) if args.family == "all" else [args.family]
    try:
        constraints = [parse_constraint(c) for c in args.constrain]
    except SearchError as exc:
        raise UsageError(str(exc)) from None
    content = load_with_scenario(args.content, args.scenario)
    targets = content.scenarios[args.scenario].balance
    if args.balance:  # the judgements need these families; search them alongside the asked ones
        needed = ["fixed", *(["reactive"] if targets.reactive_beats_fixed_by is not None else [])]
        families += [f for f in needed if f not in families]
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not out.is_dir():
        raise Failure(f"--out {out}: exists and is not a folder")
    settings = Settings(generations=args.generations, population=args.population, seeds=args.seeds,
                        validate=args.validate, validate_start=args.validate_start, seed=args.seed,
                        time_budget=args.budget)
    bars: dict[str, ProgressBar] = {}

    def close_bars() -> None:
        for bar in bars.values():
            bar.close()
        bars.clear()

    def progress(family: str, generation: int, of: int, best: float) -> None:
        if family not in bars:
            close_bars()
            bars[family] = ProgressBar(of, unit="generations")
        bars[family].set(generation, f"{family}: best {best:.0%} on training seeds")

    try:
        found = search(content, args.scenario, families, settings, forbid=args.forbid, constraints=constraints,
                       workers=workers, progress=progress, executor=args.executor, scheduler=args.scheduler)
    except (SearchError, ExecutorError) as exc:  # ExecutorError: e.g. a worker running other code
        raise UsageError(str(exc)) from None
    finally:
        close_bars()
    world = build_world(content, args.scenario)
    findings = None
    if args.balance:
        measures = measure(content, args.scenario, found, settings, forbid=args.forbid,
                           verdict_games=args.verdict_games, lookahead_games=args.lookahead_games,
                           workers=workers, progress=progress)
        close_bars()
        findings = BalanceFindings(measures, check_targets(targets, measures))
    plans: dict[str, str] = {}
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
            space = make_space(world, args.forbid, constraints)
            for f in found:
                suffix, text = export(f, space, f"search {args.scenario} {f.family}")
                path = out / f"plan-{f.family}{suffix}"
                atomic_write(path, text.encode(), keep_backup=False)
                plans[f.family] = str(path)
        except OSError as exc:
            raise Failure(f"cannot write to {out}: {exc.strerror or exc}") from None
    doc = search_json(args.scenario, content.fingerprint, settings, [c.label for c in constraints],
                      list(args.forbid), found, plans)
    if findings is not None:
        doc["balance"] = findings_json(findings)
    if out is not None:
        atomic_write(out / "search.json", json_text(doc).encode(), keep_backup=False)
        md = search_markdown(args.scenario, found, plans, settings)
        if findings is not None:
            md += "\n## Balance\n\n" + findings_text(findings) + "\n"
        atomic_write(out / "search.md", md.encode(), keep_backup=False)
    if args.json == "-":
        emit("-", doc)
        return 0
    emit(args.json, doc, console_text(args.scenario, found, plans))
    if findings is not None:
        print("\n" + findings_text(findings))
    return 0
