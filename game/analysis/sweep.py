"""Balance sweeps: many seeded games per strategy (and per content variant) through the batched core.
The statistics a designer needs and the report writers are in `game.analysis.stats`.

The plan of a sweep is a list of *tasks* (game.analysis.shards): a variant, several (strategy, ablation)
members and seeds from..to, played as one batch (rows = member x seed), run where
game.analysis.executors says; variants come from game.content.variants and
ablations from game.analysis.ablation. Every game depends only on its own seed, so the output is the
same whatever the number of workers, the shard size or the order in which shards finish.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from game.analysis.ablation import NO_ABLATION, Ablation, ablations_for
from game.analysis.executors import ExecutorError, execute
from game.analysis.gathered import Kept, Spool, Tally, game_lines
from game.analysis.progress import ProgressBar, duration
from game.analysis.shards import Columns, Task, plan, world_for
from game.content.pack import Content
from game.content.suggest import did_you_mean
from game.content.variants import VariantError, parse_vary, vary_content
from game.sim.world import World
from game.strategies import check_strategy, get_strategy


class SweepError(ValueError):
    """A bad sweep request (unknown key path, bad value, ...): one line for the user."""


@dataclass(frozen=True)
class Variant:
    label: str
    """'base', or 'path=value, path=value'."""
    content: Content
    changes: tuple[tuple[str, Any], ...] = ()


def build_variants(content: Content, varies: Sequence[str]) -> list[Variant]:
    """The base content and, with --vary, every combination of the listed values (a grid). Variants
    identical to the base (the current value listed) are folded into it."""
    variants = [Variant("base", content)]
    if not varies:
        return variants
    try:
        axes = [parse_vary(spec) for spec in varies]
    except VariantError as exc:
        raise SweepError(str(exc)) from None
    grid: list[tuple[tuple[str, Any], ...]] = [()]
    for path, values in axes:
        grid = [(*g, (path, v)) for g in grid for v in values]
    seen = {content.fingerprint}
    for changes in grid:
        modified = content
        for path, value in changes:
            try:
                modified = vary_content(modified, path, value)
            except VariantError as exc:
                raise SweepError(str(exc)) from None
        if modified.fingerprint in seen:
            continue
        seen.add(modified.fingerprint)
        label = ", ".join(f"{p}={v}" for p, v in changes)
        variants.append(Variant(label, modified, changes))
    return variants


# ====================================================================== the sweep


@dataclass
class Group:
    """All games of one (variant, strategy, ablation): each game's score and outcome, and their tallies."""

    variant: str
    strategy: str
    ablation: str
    cols: Kept
    tally: Tally


@dataclass
class SweepResult:
    scenario: str
    games: int
    seed_start: int
    strategies: list[str]
    variants: list[Variant]
    ablations: list[Ablation]
    worlds: list[World]
    groups: dict[tuple[int, int, int], Group]

    def group(self, v: int, s: int, a: int = 0) -> Group:
        return self.groups[(v, s, a)]


def prepare(
    content: Content,
    scenario: str,
    strategies: Sequence[str],
    varies: Sequence[str] = (),
    ablate: bool | Sequence[str] = False,
) -> tuple[list[Variant], list[World], list[Ablation]]:
    """Check everything that can be checked before playing (raises SweepError / StrategyError)."""
    variants = build_variants(content, varies)
    worlds = []
    for variant in variants:
        try:
            world = world_for(variant.content, scenario)
        except (KeyError, ValueError, IndexError) as exc:
            raise SweepError(f"--vary {variant.label}: the content no longer compiles: {exc}") from None
        for name in strategies:
            check_strategy(get_strategy(name), world)
        worlds.append(world)
    if isinstance(ablate, bool):
        ablations = [NO_ABLATION] + (ablations_for(worlds[0]) if ablate else [])
    else:
        unknown = [lv for lv in ablate if lv not in worlds[0].lever_ids]
        if unknown:
            raise SweepError(
                f"cannot ablate unknown lever '{unknown[0]}'{did_you_mean(unknown[0], worlds[0].lever_ids, cutoff=0.5)}"
            )
        ablations = [NO_ABLATION, *ablations_for(worlds[0], ablate)]
    return variants, worlds, ablations


GAME_TURN_SECONDS = 8.5e-6
"""CPU seconds of one game-turn of a fixed strategy in a sweep (the core, hashes and results), on one core
of the development machine (100,000 balanced games of 20 turns with --out: about 17 CPU s;
benchmarks/bench_batches.py): the unit of a sweep's estimate."""


def strategy_cost(name: str, world: World) -> float:
    """A strategy's game-turn in fixed strategies' game-turns: its own `cost(world)` (a look-ahead bot
    plays imagined quarters), else 1."""
    cost = getattr(get_strategy(name), "cost", None)
    return float(cost(world)) if callable(cost) else 1.0


@dataclass(frozen=True)
class Estimate:
    """What a sweep is about to play, told before it starts."""

    games: int
    seconds: float
    workers: int
    """The processes sharing the work (0: a cluster's, unknown here: `seconds` is then CPU time)."""

    @property
    def line(self) -> str:
        about = duration(max(self.seconds, 1))  # never "about 0 s"
        if self.workers == 0:
            return f"{self.games:,} games to play: about {about} of CPU time across the cluster"
        per = "" if self.workers == 1 else f" on {self.workers} workers"
        return f"{self.games:,} games to play: about {about}{per}"


def estimate(tasks: Sequence[Task], worlds: Sequence[World], workers: int) -> Estimate:
    costs: dict[tuple[int, str], float] = {}
    seconds = 0.0
    for t in tasks:
        world = worlds[t.variant]
        for name in t.strategies:
            if (t.variant, name) not in costs:
                costs[(t.variant, name)] = strategy_cost(name, world) * world.turns * GAME_TURN_SECONDS
            seconds += t.seeds * costs[(t.variant, name)]
    busy = min(workers, len(tasks))
    return Estimate(sum(t.games for t in tasks), seconds / max(busy, 1), busy)


class Gather:
    """Each (variant, strategy, ablation)'s games as shards arrive: scores and outcomes in seed order,
    tallies, and with a spool their games.jsonl lines (game.analysis.gathered: memory does not grow with
    the games beyond 17 bytes each)."""

    def __init__(self, tasks: Sequence[Task], games: int, seed_start: int, labels: Labels,
                 spool: Spool | None = None):
        self.tasks = {t.key: t for t in tasks}
        self.games, self.seed_start, self.labels, self.spool = games, seed_start, labels, spool
        self.kept: dict[tuple[int, int, int], Kept] = {}
        self.tallies: dict[tuple[int, int, int], Tally] = {}

    def __call__(self, key: tuple[int, int], cols: Columns) -> None:
        task = self.tasks[key]
        world = self.labels.worlds[task.variant]
        at = task.seed_from - self.seed_start
        for m, (s, a) in enumerate(task.members):
            part = cols.rows(m * task.seeds, (m + 1) * task.seeds)
            group = (task.variant, s, a)
            if group not in self.kept:
                self.kept[group] = Kept.empty(self.games, self.seed_start)
                self.tallies[group] = Tally(self.games, len(world.goals), len(world.event_ids), len(world.lever_ids))
            kept = self.kept[group]
            kept.score[at:at + part.size] = part.score
            kept.outcome[at:at + part.size] = part.outcome
            self.tallies[group].add(at, part)
            if self.spool is not None:
                self.spool.add(group, at, game_lines(part, world, *self.labels.of(group)))


@dataclass(frozen=True)
class Labels:
    """What names a group's games in games.jsonl."""

    worlds: Sequence[World]
    variants: Sequence[str]
    strategies: Sequence[str]
    ablations: Sequence[str]

    def of(self, group: tuple[int, int, int]) -> tuple[str, str | None, str]:
        v, s, a = group
        return self.strategies[s], self.variants[v] if len(self.variants) > 1 else None, self.ablations[a]


def sweep(
    content: Content,
    scenario: str,
    games: int,
    strategies: Sequence[str],
    seed_start: int = 0,
    varies: Sequence[str] = (),
    ablate: bool | Sequence[str] = False,
    workers: int = 1,
    executor: str = "local",
    scheduler: Any = None,
    progress: bool | None = None,
    on_plan: Callable[[Estimate], None] | None = None,
    spool: Spool | None = None,
) -> SweepResult:
    """Play `games` seeded games (seeds seed_start ...) per strategy, variant and ablation.

    `ablate`: True for every lever the player controls, or a list of lever ids. `on_plan` hears the game
    count and a time estimate before play starts. `spool` receives games.jsonl's lines as games finish."""
    if games <= 0:
        raise SweepError(f"--games must be 1 or more, not {games}")
    if not strategies:
        raise SweepError("name at least one --strategy")
    variants, worlds, ablations = prepare(content, scenario, strategies, varies, ablate)
    tasks = plan(scenario, games, strategies, ablations, len(variants), seed_start,
                 workers if executor == "local" else 8)
    if on_plan is not None:
        on_plan(estimate(tasks, worlds, max(workers, 1) if executor == "local" else 0))
    bar = ProgressBar(sum(t.games for t in tasks), enabled=progress)
    labels = Labels(worlds, [v.label for v in variants], list(strategies), [a.label for a in ablations])
    gather = Gather(tasks, games, seed_start, labels, spool)
    try:
        execute(tasks, [variant.content for variant in variants], workers, executor, scheduler, bar, sink=gather)
    except ExecutorError as exc:
        raise SweepError(str(exc)) from None
    finally:
        bar.close()
    groups = {(v, s, a): Group(variants[v].label, strategies[s], ablations[a].label, kept, gather.tallies[(v, s, a)])
              for (v, s, a), kept in sorted(gather.kept.items())}
    return SweepResult(scenario, games, seed_start, list(strategies), variants, ablations, worlds, groups)
