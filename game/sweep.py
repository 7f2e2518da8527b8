"""Balance sweeps: many seeded games per strategy (and per content variant) through the batched core,
the statistics a designer needs, and the report writers.

The plan of a sweep is a list of *tasks*: (variant, strategy, ablation, seeds from..to). A task plays its
seeds as one batch and returns columns (outcome, score, goals met, events fired, spend per lever,
state hash). Tasks run in this process, on a ProcessPoolExecutor, or on a Dask cluster; results are put
back by task key, and every game depends only on its own seed (counter-based randomness, no
interaction between games of a batch), so the output is the same whatever the number of workers, the
shard size or the order in which shards finish.

Statistics:
- win rate ("victory") with a 95 % Wilson interval;
- paired comparisons on the same seeds (difference per seed, mean ± 1.96 standard errors) for the
  dominant-strategy verdict and for lever ablation;
- skill versus luck: a two-way decomposition of the score's variance over strategies × seeds.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from game.loader import Content
from game.runner import play
from game.sim.scoring import OUTCOMES, evaluate
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World, build_world
from game.strategies import Strategy, check_strategy, get_strategy

SCHEMA_VERSION = 1
MAX_SHARD = 1000
"""Most games played as one batch. Results do not depend on it; speed does: per game, batches of about
1,000 are fastest here (arrays stay in the CPU cache), 10,000 at once is about twice as slow."""
MIN_SHARD = 250
Z95 = 1.959963984540054
DASK_CONNECT_TIMEOUT = "10s"


class SweepError(ValueError):
    """A bad sweep request (unknown key path, bad value, ...): one line for the user."""


# ====================================================================== content variants (--vary)

CONTENT_KINDS = ("sources", "vendors", "regions", "levers", "deals", "alliances", "events", "scenarios")


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_value(text: str) -> Any:
    """A value as TOML reads it (5, 0.3, true, "text"); anything else is a string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text.strip()


def parse_vary(spec: str) -> tuple[str, list[Any]]:
    """'levers.rnd-b5g.saturation=3,5,8' -> ('levers.rnd-b5g.saturation', [3, 5, 8])."""
    path, eq, values = spec.partition("=")
    path = path.strip()
    if not eq or not path or not values.strip():
        raise SweepError(
            f"--vary '{spec}': expected KEY.PATH=V1,V2,... (e.g. levers.rnd-b5g.saturation=3,5,8)"
        )
    items = [v for v in values.split(",")]
    if any(not v.strip() for v in items):
        raise SweepError(f"--vary '{spec}': empty value in the list")
    return path, [parse_value(v) for v in items]


def _child(obj: Any, key: str, trail: str, last: bool) -> Any:
    if isinstance(obj, BaseModel):
        names = type(obj).model_fields
        if key not in names:
            raise SweepError(f"--vary {trail}: unknown key '{key}'{_suggest(key, names)}")
        if key == "id":
            raise SweepError(f"--vary {trail}: ids cannot be varied")
        return getattr(obj, key)
    if isinstance(obj, dict):
        if key not in obj:
            if last:
                return None  # a new key in a table such as model.start
            raise SweepError(f"--vary {trail}: unknown key '{key}'{_suggest(key, obj)}")
        return obj[key]
    if isinstance(obj, list):
        try:
            return obj[int(key)]
        except (ValueError, IndexError):
            raise SweepError(f"--vary {trail}: '{key}' is not an index of a list of {len(obj)}") from None
    raise SweepError(f"--vary {trail}: a {type(obj).__name__} value has no key '{key}'")


def _set_in(data: Any, keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        data = data[int(key)] if isinstance(data, list) else data[key]
    if isinstance(data, list):
        data[int(keys[-1])] = value
    else:
        data[keys[-1]] = value


def vary_content(content: Content, path: str, value: Any) -> Content:
    """A copy of `content` with the value at `path` replaced, re-validated by the content schema."""
    kind, *keys = path.split(".")
    valid = [*CONTENT_KINDS, "model"]
    if kind not in valid:
        raise SweepError(
            f"--vary {path}: unknown section '{kind}'{_suggest(kind, valid)} (valid: {', '.join(valid)})"
        )
    if kind == "model":
        item, item_keys, item_id = content.model, keys, None
    else:
        items: dict[str, BaseModel] = getattr(content, kind)
        if not keys:
            raise SweepError(f"--vary {path}: name an item and a key, e.g. {kind}.ID.KEY")
        item_id, item_keys = keys[0], keys[1:]
        if item_id not in items:
            raise SweepError(f"--vary {path}: unknown {kind[:-1]} '{item_id}'{_suggest(item_id, items)}")
        item = items[item_id]
    if not item_keys:
        raise SweepError(f"--vary {path}: name a key to vary, e.g. {path}.KEY")
    obj: Any = item
    for j, key in enumerate(item_keys):
        trail = ".".join([kind, *([item_id] if item_id else []), *item_keys[: j + 1]])
        obj = _child(obj, key, trail, last=j == len(item_keys) - 1)
    if isinstance(obj, (BaseModel, dict, list)):
        raise SweepError(f"--vary {path}: not a single value; name one of its keys")
    data = item.model_dump()
    _set_in(data, item_keys, value)
    try:
        new_item = type(item).model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise SweepError(f"--vary {path}={value}: {err['msg']}") from None
    if kind == "model":
        changed = {"model": new_item}
    else:
        changed = {kind: {**getattr(content, kind), item_id: new_item}}
    from dataclasses import replace

    new = replace(content, **changed)
    return replace(new, fingerprint=content_fingerprint(new))


def content_fingerprint(content: Content) -> str:
    from game.loader import _fingerprint  # the loader's own definition, so unchanged content keeps its id

    singular = {
        "sources": "source",
        "vendors": "vendor",
        "regions": "region",
        "levers": "lever",
        "deals": "deal",
        "alliances": "alliance",
        "events": "event",
        "scenarios": "scenario",
    }
    return _fingerprint({singular[k]: getattr(content, k) for k in CONTENT_KINDS}, content.model)


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
    axes = [parse_vary(spec) for spec in varies]
    grid: list[tuple[tuple[str, Any], ...]] = [()]
    for path, values in axes:
        grid = [(*g, (path, v)) for g in grid for v in values]
    seen = {content.fingerprint}
    for changes in grid:
        modified = content
        for path, value in changes:
            modified = vary_content(modified, path, value)
        if modified.fingerprint in seen:
            continue
        seen.add(modified.fingerprint)
        label = ", ".join(f"{p}={v}" for p, v in changes)
        variants.append(Variant(label, modified, changes))
    return variants


# ====================================================================== ablation (--ablate)


@dataclass(frozen=True)
class Ablation:
    lever: str = ""
    factor: float = 1.0
    """0 removes the lever, 2 doubles its spend (the rules then cap it at the lever's max and scale
    an over-budget plan down to the budget)."""

    @property
    def label(self) -> str:
        if not self.lever:
            return ""
        return f"-{self.lever}" if self.factor == 0 else f"{self.factor:g}x {self.lever}"


NO_ABLATION = Ablation()


class Ablated:
    """A strategy with one lever's spend multiplied by `factor` after it decides."""

    def __init__(self, base: Strategy, lever_index: int, factor: float):
        self.base, self.lever_index, self.factor = base, lever_index, factor
        self.name = base.name

    def act(self, state: State, world: World) -> Actions:
        actions = self.base.act(state, world)
        alloc = np.array(actions.allocations, dtype=np.float64, copy=True)
        alloc[:, self.lever_index] *= self.factor
        return Actions(alloc, actions.choices)


def ablations_for(world: World, levers: Sequence[str] | None = None) -> list[Ablation]:
    """Remove and double each lever the player controls (offered, not locked), or only `levers`."""
    arr = world.arrays
    out = []
    for i, lever_id in enumerate(world.lever_ids):
        if levers is not None and lever_id not in levers:
            continue
        if arr["lever_offered"][i] and np.isnan(arr["lever_locked"][i]):
            out += [Ablation(lever_id, 0.0), Ablation(lever_id, 2.0)]
    return out


# ====================================================================== playing shards


@dataclass(frozen=True)
class Task:
    """One shard. Small to send: the variant's content travels once per worker, not with each task."""

    key: tuple[int, int, int, int]
    """(variant, strategy, ablation, shard) indexes: where the result goes."""
    scenario: str
    strategy: str
    ablation: Ablation
    seed_from: int
    seed_to: int

    @property
    def games(self) -> int:
        return self.seed_to - self.seed_from

    @property
    def variant(self) -> int:
        return self.key[0]


@dataclass
class Columns:
    """Per-game results of one batch (or several, concatenated)."""

    seed: np.ndarray  # int64[B]
    outcome: np.ndarray  # int8[B] index into OUTCOMES
    score: np.ndarray  # [B]
    met: np.ndarray  # bool[B,G]
    fired: np.ndarray  # int[B,E] times each event fired
    invested: np.ndarray  # [B,L] ¥ billions spent per lever over the game
    hashes: list[str] = field(default_factory=list)

    @staticmethod
    def concat(parts: Sequence[Columns]) -> Columns:
        return Columns(
            *(
                np.concatenate([getattr(p, n) for p in parts])
                for n in ("seed", "outcome", "score", "met", "fired", "invested")
            ),
            hashes=[h for p in parts for h in p.hashes],
        )


_WORLDS: dict[tuple[str, str], World] = {}


def world_for(content: Content, scenario: str) -> World:
    """Compiled worlds, cached per process (workers play many shards of the same variant)."""
    key = (content.fingerprint, scenario)
    if key not in _WORLDS:
        if len(_WORLDS) > 64:
            _WORLDS.clear()
        _WORLDS[key] = build_world(content, scenario)
    return _WORLDS[key]


def make_strategy(name: str, world: World, ablation: Ablation = NO_ABLATION) -> Strategy:
    strategy = get_strategy(name)
    if ablation.lever:
        strategy = Ablated(strategy, world.lever_ids.index(ablation.lever), ablation.factor)
    return strategy


def play_columns(world: World, strategy: Strategy, seeds: np.ndarray) -> Columns:
    final = play(world, seeds, strategy)
    scores = evaluate(final, world)
    return Columns(
        seed=np.asarray(seeds, dtype=np.int64),
        outcome=scores.outcome.astype(np.int8),
        score=scores.score.astype(np.float64),
        met=scores.met.copy(),
        fired=final.fired.copy(),
        invested=final.invested.copy(),
        hashes=final.hashes(),
    )


_CONTENTS: list[Content] = []
"""The variants' content packs in this process (set by `_init_worker` in worker processes)."""


def _init_worker(contents: list[Content]) -> None:
    _CONTENTS[:] = contents


def run_task(task: Task, content: Content | None = None) -> tuple[tuple[int, int, int, int], Columns]:
    """Play one shard (in any process, on any machine): with `content`, or the worker's variant."""
    world = world_for(content if content is not None else _CONTENTS[task.variant], task.scenario)
    strategy = make_strategy(task.strategy, world, task.ablation)
    return task.key, play_columns(world, strategy, np.arange(task.seed_from, task.seed_to, dtype=np.int64))


def shard_bounds(games: int, workers: int) -> list[tuple[int, int]]:
    """Offsets of the shards of one group of `games` (enough shards to keep `workers` busy)."""
    size = min(MAX_SHARD, max(MIN_SHARD, math.ceil(games / max(workers, 1))))
    return [(lo, min(lo + size, games)) for lo in range(0, games, size)]


# ====================================================================== executors

Progress = Callable[[int], None]


def execute(
    tasks: list[Task],
    contents: list[Content],
    workers: int = 1,
    executor: str = "local",
    scheduler: Any = None,
    progress: Progress | None = None,
) -> dict[tuple[int, int, int, int], Columns]:
    """Run every task (`contents[task.variant]` is its content); returns results by task key.
    `progress(games)` is called as shards finish."""
    results: dict[tuple[int, int, int, int], Columns] = {}

    def done(key, cols: Columns, games: int) -> None:
        results[key] = cols
        if progress is not None:
            progress(games)

    if executor == "dask":
        _execute_dask(tasks, contents, scheduler, done)
        return results
    if executor != "local":
        raise SweepError(f"unknown executor '{executor}' (valid: local, dask)")
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            key, cols = run_task(task, contents[task.variant])
            done(key, cols, task.games)
        return results
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(contents,)) as pool:
        futures = {pool.submit(run_task, task): task for task in tasks}
        for future in as_completed(futures):
            key, cols = future.result()
            done(key, cols, futures[future].games)
    return results


def _execute_dask(tasks: list[Task], contents: list[Content], scheduler: Any, done) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SweepError(
            "--executor dask needs Dask distributed: pip install 'homegrown[distributed]'"
        ) from None
    own = not isinstance(scheduler, Client)
    if own and not scheduler:
        raise SweepError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT) if own else scheduler
    except (OSError, TimeoutError, ValueError) as exc:
        raise SweepError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        shared = client.scatter(contents, broadcast=True)  # each variant's content sent once per worker
        futures = [client.submit(run_task, task, shared[task.variant], pure=False) for task in tasks]
        games = {f.key: t.games for f, t in zip(futures, tasks)}
        for future in as_completed(futures):
            key, cols = future.result()
            done(key, cols, games[future.key])
    finally:
        if own:
            client.close()


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, stream=None, enabled: bool | None = None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.perf_counter()

    def __call__(self, games: int) -> None:
        self.done += games
        if not self.enabled:
            return
        width = 30
        filled = round(width * self.done / max(self.total, 1))
        elapsed = time.perf_counter() - self.start
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done:,}/{self.total:,} games {elapsed:5.1f} s"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


# ====================================================================== the sweep


@dataclass
class Group:
    """All games of one (variant, strategy, ablation)."""

    variant: str
    strategy: str
    ablation: str
    cols: Columns


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
                f"cannot ablate unknown lever '{unknown[0]}'{_suggest(unknown[0], worlds[0].lever_ids)}"
            )
        ablations = [NO_ABLATION] + ablations_for(worlds[0], ablate)
    return variants, worlds, ablations


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
) -> SweepResult:
    """Play `games` seeded games (seeds seed_start ...) per strategy, variant and ablation.

    `ablate`: True for every lever the player controls, or a list of lever ids."""
    if games <= 0:
        raise SweepError(f"--games must be 1 or more, not {games}")
    if not strategies:
        raise SweepError("name at least one --strategy")
    variants, worlds, ablations = prepare(content, scenario, strategies, varies, ablate)
    bounds = shard_bounds(games, workers if executor == "local" else 8)
    tasks = [
        Task((v, s, a, k), scenario, name, ablation, seed_start + lo, seed_start + hi)
        for v, variant in enumerate(variants)
        for s, name in enumerate(strategies)
        for a, ablation in enumerate(ablations)
        for k, (lo, hi) in enumerate(bounds)
    ]
    bar = ProgressBar(sum(t.games for t in tasks), enabled=progress)
    try:
        results = execute(tasks, [variant.content for variant in variants], workers, executor, scheduler, bar)
    finally:
        bar.close()
    groups = {}
    for v, variant in enumerate(variants):
        for s, name in enumerate(strategies):
            for a, ablation in enumerate(ablations):
                cols = Columns.concat([results[(v, s, a, k)] for k in range(len(bounds))])
                groups[(v, s, a)] = Group(variant.label, name, ablation.label, cols)
    return SweepResult(scenario, games, seed_start, list(strategies), variants, ablations, worlds, groups)


# ====================================================================== statistics


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion k / n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if k == 0 else max(0.0, centre - half)
    hi = 1.0 if k == n else min(1.0, centre + half)
    return (lo, hi)


def paired(diff: np.ndarray, z: float = Z95) -> tuple[float, float, float]:
    """(mean, low, high): mean of paired differences with a normal 95 % interval."""
    n = diff.size
    mean = float(diff.mean()) if n else 0.0
    if n < 2:
        return mean, mean, mean
    se = float(diff.std(ddof=1)) / math.sqrt(n)
    return mean, mean - z * se, mean + z * se


def strategy_stats(g: Group, world: World) -> dict[str, Any]:
    c, n = g.cols, g.cols.seed.size
    wins = int((c.outcome == 0).sum())
    lo, hi = wilson(wins, n)
    counts = np.bincount(c.outcome, minlength=len(OUTCOMES))
    q = np.quantile(c.score, [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0])
    return {
        "variant": g.variant,
        "strategy": g.strategy,
        "games": n,
        "wins": wins,
        "win_rate": wins / n,
        "win_ci": [lo, hi],
        "mean_score": float(c.score.mean()),
        "median_score": float(np.median(c.score)),
        "score_sd": float(c.score.std(ddof=1)) if n > 1 else 0.0,
        "outcomes": {o: int(k) for o, k in zip(OUTCOMES, counts)},
        "goals": {goal.id: float(c.met[:, j].mean()) for j, goal in enumerate(world.goals)},
        "score_quantiles": {k: float(v) for k, v in zip(("min", "p5", "p25", "p50", "p75", "p95", "max"), q)},
        "events": {
            eid: {"games_with": float((c.fired[:, e] > 0).mean()), "per_game": float(c.fired[:, e].mean())}
            for e, eid in enumerate(world.event_ids)
        },
        "spend": {lid: float(c.invested[:, i].mean()) for i, lid in enumerate(world.lever_ids)},
    }


def dominance(result: SweepResult, v: int) -> dict[str, Any]:
    """Which strategies are statistically indistinguishable from the best (paired, same seeds)."""
    names = result.strategies
    groups = [result.group(v, s) for s in range(len(names))]
    win = [(g.cols.outcome == 0).astype(np.float64) for g in groups]
    rates = [w.mean() for w in win]
    means = [g.cols.score.mean() for g in groups]
    best = max(range(len(names)), key=lambda s: (rates[s], means[s]))
    rows = []
    for s, name in enumerate(names):
        d_win = paired(win[s] - win[best])
        d_score = paired(groups[s].cols.score - groups[best].cols.score)
        same = s == best or (d_win[1] <= 0 <= d_win[2])
        rows.append(
            {
                "strategy": name,
                "win_rate": rates[s],
                "win_diff": list(d_win),
                "score_diff": list(d_score),
                "indistinguishable": bool(same),
            }
        )
    tied = [r["strategy"] for r in rows if r["indistinguishable"]]
    within15 = [names[s] for s in range(len(names)) if rates[best] - rates[s] <= 0.15]
    if len(names) == 1:
        verdict = "one strategy only: nothing to compare"
    elif len(tied) == 1:
        verdict = (
            f"'{names[best]}' dominates: every other strategy wins significantly less often "
            "(paired 95 % intervals of the win-rate difference exclude 0)"
        )
    else:
        verdict = (
            f"no single dominant strategy: {len(tied)} strategies ({', '.join(tied)}) cannot be told "
            f"apart from the best, '{names[best]}' (paired 95 % intervals include 0)"
        )
    return {
        "best": names[best],
        "rows": rows,
        "indistinguishable": tied,
        "within_15_points": within15,
        "verdict": verdict,
    }


def variance_split(result: SweepResult, v: int) -> dict[str, float] | None:
    """Skill versus luck: a two-way decomposition of the score over strategies × seeds (same seeds)."""
    if len(result.strategies) < 2 or result.games < 2:
        return None
    x = np.stack([result.group(v, s).cols.score for s in range(len(result.strategies))])  # [S,N]
    grand = x.mean()
    S, N = x.shape
    total = float(((x - grand) ** 2).sum())
    if total == 0:
        return {"strategy": 0.0, "seed": 0.0, "interaction": 0.0, "total_ss": 0.0}
    ss_strategy = float(N * ((x.mean(axis=1) - grand) ** 2).sum())
    ss_seed = float(S * ((x.mean(axis=0) - grand) ** 2).sum())
    rest = total - ss_strategy - ss_seed
    return {
        "strategy": ss_strategy / total,
        "seed": ss_seed / total,
        "interaction": max(rest, 0.0) / total,
        "total_ss": total,
    }


def ablation_stats(result: SweepResult, v: int, s: int) -> list[dict[str, Any]]:
    """Per lever: the paired effect of removing it and of doubling it, on win rate and score."""
    base = result.group(v, s, 0).cols
    base_win = (base.outcome == 0).astype(np.float64)
    by_lever: dict[str, dict[str, Any]] = {}
    for a, ablation in enumerate(result.ablations):
        if not ablation.lever:
            continue
        cols = result.group(v, s, a).cols
        mode = "removed" if ablation.factor == 0 else "doubled"
        row = by_lever.setdefault(ablation.lever, {"lever": ablation.lever})
        row[f"{mode}_win"] = list(paired((cols.outcome == 0).astype(np.float64) - base_win))
        row[f"{mode}_score"] = list(paired(cols.score - base.score))
    rows = list(by_lever.values())
    # A lever's worth: what removing it costs (positive: the lever helps).
    rows.sort(key=lambda r: (r["removed_win"][0], r["removed_score"][0]))
    for r in rows:
        lo, hi = r["removed_win"][1], r["removed_win"][2]
        slo, shi = r["removed_score"][1], r["removed_score"][2]
        if hi < 0 or (lo <= 0 <= hi and shi < 0):
            r["verdict"] = "worth it"
        elif lo > 0 or (lo <= 0 <= hi and slo > 0):
            r["verdict"] = "trap: better without it"
        else:
            r["verdict"] = "no detectable effect"
    return rows


BALANCE_TARGETS = (
    "do_nothing wins under 5 %",
    "random wins under 15 %",
    "no fixed strategy wins more than 60 %",
    "at least 3 strategies within 15 points of the best",
    "greedy beats random",
)


def balance_checks(result: SweepResult, v: int) -> list[dict[str, Any]]:
    """The issue's balance targets, for the strategies present in the sweep (None when not measurable)."""
    rate = {
        name: float((result.group(v, s).cols.outcome == 0).mean()) for s, name in enumerate(result.strategies)
    }
    fixed = [n for n in rate if n not in ("random", "greedy", "do_nothing") and not n.startswith("scripted:")]
    best = max(rate.values())
    checks = [
        (
            "do_nothing wins under 5 %",
            rate["do_nothing"] < 0.05 if "do_nothing" in rate else None,
            f"{rate.get('do_nothing', float('nan')):.1%}",
        ),
        (
            "random wins under 15 %",
            rate["random"] < 0.15 if "random" in rate else None,
            f"{rate.get('random', float('nan')):.1%}",
        ),
        (
            "no fixed strategy wins more than 60 %",
            all(rate[n] <= 0.60 for n in fixed) if fixed else None,
            ", ".join(f"{n} {rate[n]:.1%}" for n in fixed if rate[n] > 0.60) or "none above",
        ),
        (
            "at least 3 strategies within 15 points of the best",
            sum(best - r <= 0.15 for r in rate.values()) >= 3 if len(rate) >= 3 else None,
            ", ".join(n for n, r in rate.items() if best - r <= 0.15),
        ),
        (
            "greedy beats random",
            rate["greedy"] > rate["random"] if {"greedy", "random"} <= rate.keys() else None,
            f"{rate.get('greedy', float('nan')):.1%} vs {rate.get('random', float('nan')):.1%}",
        ),
    ]
    return [{"target": t, "ok": ok, "detail": d} for t, ok, d in checks]


# ====================================================================== text output


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def strategy_table(stats: list[dict[str, Any]], world: World) -> str:
    """A fixed-width table, one row per strategy."""
    name_w = max([8, *(len(r["strategy"]) for r in stats)])
    head = (
        f"{'strategy':{name_w}}  {'games':>6}  {'win %':>5}  {'95 % CI':>13}  {'mean':>6}  {'median':>6}  "
        f"{'vict':>5} {'part':>5} {'def':>5} {'dism':>5}"
    )
    goal_ids = [g.id for g in world.goals]
    head += "  " + "  ".join(f"{gid[:14]:>14}" for gid in goal_ids)
    lines = [head, "-" * len(head)]
    for r in stats:
        o = r["outcomes"]
        lo, hi = r["win_ci"]
        line = (
            f"{r['strategy']:{name_w}}  {r['games']:>6}  {_pct(r['win_rate'])}  "
            f"{f'{100 * lo:.1f}–{100 * hi:.1f}':>13}  {r['mean_score']:6.2f}  {r['median_score']:6.2f}  "
            f"{o['victory']:>5} {o['partial']:>5} {o['defeat']:>5} {o['dismissed']:>5}"
        )
        line += "  " + "  ".join(f"{_pct(r['goals'][gid]) + ' %':>14}" for gid in goal_ids)
        lines.append(line)
    return "\n".join(lines)


def histogram(scores: dict[str, np.ndarray], bins: int = 10, width: int = 40) -> str:
    """Text histograms of several score samples over one shared range."""
    allv = np.concatenate(list(scores.values()))
    lo, hi = float(np.floor(allv.min())), float(np.ceil(allv.max()))
    if hi <= lo:
        hi = lo + 1
    edges = np.linspace(lo, hi, bins + 1)
    out = []
    for name, x in scores.items():
        counts, _ = np.histogram(x, edges)
        top = max(int(counts.max()), 1)
        out.append(f"{name}")
        for k in range(bins):
            bar = "█" * round(width * counts[k] / top)
            out.append(f"  {edges[k]:6.1f}–{edges[k + 1]:6.1f} {counts[k]:>6} {bar}")
    return "\n".join(out)


def summarize(result: SweepResult) -> dict[str, Any]:
    """Everything summary.json holds."""
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "scenario": result.scenario,
        "games": result.games,
        "seed_start": result.seed_start,
        "strategies": result.strategies,
        "variants": [],
        "ablations": [a.label for a in result.ablations if a.lever],
    }
    for v, variant in enumerate(result.variants):
        world = result.worlds[v]
        entry: dict[str, Any] = {
            "label": variant.label,
            "content_fingerprint": variant.content.fingerprint,
            "changes": [{"path": p, "value": val} for p, val in variant.changes],
            "strategies": [strategy_stats(result.group(v, s), world) for s in range(len(result.strategies))],
            "dominance": dominance(result, v),
            "variance": variance_split(result, v),
            "balance": balance_checks(result, v),
        }
        if len(result.ablations) > 1:
            entry["ablation"] = {
                name: ablation_stats(result, v, s) for s, name in enumerate(result.strategies)
            }
        out["variants"].append(entry)
    return out


def console_text(result: SweepResult, summary: dict[str, Any]) -> str:
    lines = []
    for v, entry in enumerate(summary["variants"]):
        world = result.worlds[v]
        title = (
            f"{result.scenario} · {result.games:,} games per strategy · seeds {result.seed_start}–"
            f"{result.seed_start + result.games - 1} · content {entry['content_fingerprint']}"
        )
        if entry["label"] != "base" or len(summary["variants"]) > 1:
            title += f" · variant: {entry['label']}"
        lines += [title, strategy_table(entry["strategies"], world), ""]
        lines.append(f"verdict: {entry['dominance']['verdict']}")
        var = entry["variance"]
        if var:
            lines.append(
                f"score variance explained: strategy (skill) {var['strategy']:.1%}, seed (luck) "
                f"{var['seed']:.1%}, strategy × seed {var['interaction']:.1%}"
            )
        checks = [c for c in entry["balance"] if c["ok"] is not None]
        if checks:
            lines.append(
                "balance targets: "
                + "; ".join(f"{'✔' if c['ok'] else '✘'} {c['target']} ({c['detail']})" for c in checks)
            )
        if "ablation" in entry:
            for name, rows in entry["ablation"].items():
                lines.append(f"lever ablation for {name} (win-rate change in points, paired 95 % CI):")
                for r in rows:
                    m, lo, hi = r["removed_win"]
                    dm, dlo, dhi = r["doubled_win"]
                    lines.append(
                        f"  {r['lever']:24} removed {100 * m:+6.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}]"
                        f"  doubled {100 * dm:+6.1f} [{100 * dlo:+.1f}, {100 * dhi:+.1f}]  {r['verdict']}"
                    )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def report_markdown(result: SweepResult, summary: dict[str, Any]) -> str:
    L: list[str] = [f"# Sweep report: scenario `{result.scenario}`", ""]
    L += [
        (
            f"{result.games:,} games per strategy and variant, seeds {result.seed_start}–"
            f"{result.seed_start + result.games - 1} (the same seeds for every strategy, so comparisons are "
            f"paired). Strategies: {', '.join(f'`{s}`' for s in result.strategies)}."
        ),
        "",
    ]
    for v, entry in enumerate(summary["variants"]):
        world = result.worlds[v]
        L += [
            f"## Variant: {entry['label']}",
            "",
            f"Content fingerprint `{entry['content_fingerprint']}`."
            + (
                ""
                if not entry["changes"]
                else " Changes: " + ", ".join(f"`{c['path']}` = `{c['value']}`" for c in entry["changes"])
            ),
            "",
        ]
        L += [
            "### Results",
            "",
            (
                "Win = outcome `victory`; the interval is the 95 % Wilson score interval. "
                "Outcome counts are victory / partial / defeat / dismissed; goal columns are the share of "
                "games "
                "that met each goal."
            ),
            "",
            "```",
            strategy_table(entry["strategies"], world),
            "```",
            "",
        ]
        checks = [c for c in entry["balance"] if c["ok"] is not None]
        if checks:
            L += ["### Balance targets", ""]
            L += [f"- {'✔' if c['ok'] else '✘'} {c['target']}: {c['detail']}" for c in checks]
            L += [""]
        d = entry["dominance"]
        L += [
            "### Dominant strategy?",
            "",
            (
                "Every strategy played the same seeds, so each is compared with the best (highest win rate, "
                "then mean score) game by game: the difference per seed (−1, 0 or +1 for a win) is averaged "
                "and "
                "given a 95 % interval (mean ± 1.96 standard errors). A strategy whose interval includes 0 "
                "cannot be told apart from the best at this number of games."
            ),
            "",
            (
                "| strategy | win % | win-rate difference vs best (points, 95 % CI) | score difference (95 "
                "% CI) "
                "| indistinguishable |"
            ),
            "|---|---:|---|---|---|",
        ]
        for r in d["rows"]:
            m, lo, hi = r["win_diff"]
            sm, slo, shi = r["score_diff"]
            L.append(
                f"| {r['strategy']} | {100 * r['win_rate']:.1f} | {100 * m:+.1f} [{100 * lo:+.1f}, "
                f"{100 * hi:+.1f}] | {sm:+.2f} [{slo:+.2f}, {shi:+.2f}] | "
                f"{'yes' if r['indistinguishable'] else 'no'} |"
            )
        L += [
            "",
            f"**Verdict:** {d['verdict']}. Within 15 points of the best: {', '.join(d['within_15_points'])}.",
            "",
        ]
        var = entry["variance"]
        if var:
            L += [
                "### Skill versus luck",
                "",
                (
                    "The scores form a strategies × seeds table. Its total variance splits into the part "
                    "explained "
                    "by the strategy (differences between strategy means: skill), by the seed (differences "
                    "between "
                    "seed means: luck shared by every strategy, e.g. an early incident), and the rest (a "
                    "seed that "
                    "is good for one strategy and bad for another)."
                ),
                "",
                "| source | share of score variance |",
                "|---|---:|",
                f"| strategy (skill) | {var['strategy']:.1%} |",
                f"| seed (luck) | {var['seed']:.1%} |",
                f"| strategy × seed | {var['interaction']:.1%} |",
                "",
            ]
        L += [
            "### Score distributions",
            "",
            "| strategy | min | 5 % | 25 % | median | 75 % | 95 % | max |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in entry["strategies"]:
            q = r["score_quantiles"]
            L.append(
                f"| {r['strategy']} | "
                + " | ".join(f"{q[k]:.2f}" for k in ("min", "p5", "p25", "p50", "p75", "p95", "max"))
                + " |"
            )
        scores = {result.strategies[s]: result.group(v, s).cols.score for s in range(len(result.strategies))}
        L += ["", "```", histogram(scores), "```", ""]
        L += [
            "### Events",
            "",
            "Share of games in which each event fired at least once (and mean times per game).",
            "",
            "| event | " + " | ".join(result.strategies) + " |",
            "|---|" + "---:|" * len(result.strategies),
        ]
        for eid in world.event_ids:
            cells = [
                f"{100 * r['events'][eid]['games_with']:.1f} % ({r['events'][eid]['per_game']:.2f})"
                for r in entry["strategies"]
            ]
            L.append(f"| {eid} | " + " | ".join(cells) + " |")
        L += [
            "",
            "### Average spend per lever",
            "",
            f"¥ billions per game over the {world.turns} quarters.",
            "",
            "| lever | " + " | ".join(result.strategies) + " |",
            "|---|" + "---:|" * len(result.strategies),
        ]
        for lid in world.lever_ids:
            L.append(f"| {lid} | " + " | ".join(f"{r['spend'][lid]:.1f}" for r in entry["strategies"]) + " |")
        L.append("")
        if "ablation" in entry:
            L += [
                "### Lever importance (ablation)",
                "",
                (
                    "The same seeds played again with one lever removed (spend forced to 0) and with its "
                    "spend "
                    "doubled (the rules then cap it at the lever's max and scale an over-budget plan down). "
                    "Changes are paired differences against the unchanged strategy, with 95 % intervals; "
                    "levers "
                    "are ranked by what removing them costs. *worth it*: removing it hurts; *trap*: the "
                    "strategy "
                    "does better without it."
                ),
                "",
            ]
            for name, rows in entry["ablation"].items():
                L += [
                    f"#### {name}",
                    "",
                    (
                        "| lever | removed: win (points) | removed: score | doubled: win (points) "
                        "| doubled: score | verdict |"
                    ),
                    "|---|---|---|---|---|---|",
                ]
                for r in rows:
                    cells = []
                    for key, scale, fmt in (
                        ("removed_win", 100, "+.1f"),
                        ("removed_score", 1, "+.2f"),
                        ("doubled_win", 100, "+.1f"),
                        ("doubled_score", 1, "+.2f"),
                    ):
                        m, lo, hi = (scale * x for x in r[key])
                        cells.append(f"{m:{fmt}} [{lo:{fmt}}, {hi:{fmt}}]")
                    L.append(f"| {r['lever']} | " + " | ".join(cells) + f" | {r['verdict']} |")
                L.append("")
    return "\n".join(L)


def game_lines(result: SweepResult) -> Iterable[str]:
    """games.jsonl: one line per game, in a fixed order (variant, strategy, ablation, seed)."""
    with_variant = len(result.variants) > 1
    for (v, s, a), g in sorted(result.groups.items()):
        c = g.cols
        outcomes = [OUTCOMES[o] for o in c.outcome]
        for i in range(c.seed.size):
            row: dict[str, Any] = {
                "seed": int(c.seed[i]),
                "strategy": g.strategy,
                "outcome": outcomes[i],
                "score": float(c.score[i]),
                "state_hash": c.hashes[i],
            }
            if with_variant:
                row["variant"] = g.variant
            if g.ablation:
                row["ablation"] = g.ablation
            yield json.dumps(row, ensure_ascii=False)


def _atomic_write(path: Path, text: str | Iterable[str]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        if isinstance(text, str):
            f.write(text)
        else:
            f.writelines(line + "\n" for line in text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def check_out_dir(out: Path) -> None:
    """Create `out` and make sure it is writable (before hours of play, not after)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".homegrown-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise SweepError(f"--out {out}: cannot write there: {exc.strerror or exc}") from None


def write_outputs(result: SweepResult, summary: dict[str, Any], out: Path) -> None:
    check_out_dir(out)
    _atomic_write(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
    _atomic_write(out / "games.jsonl", game_lines(result))
    _atomic_write(out / "report.md", report_markdown(result, summary))
