"""Balance sweeps: many seeded games per strategy (and per content variant) through the batched core.
The statistics a designer needs and the report writers are in `game.analysis.stats`.

The plan of a sweep is a list of *tasks*: (variant, strategy, ablation, seeds from..to). A task plays its
seeds as one batch and returns columns (outcome, score, goals met, events fired, spend per lever,
state hash). Tasks run in this process, on a ProcessPoolExecutor, or on a Dask cluster; results are put
back by task key, and every game depends only on its own seed (counter-based randomness, no
interaction between games of a batch), so the output is the same whatever the number of workers, the
shard size or the order in which shards finish.
"""

from __future__ import annotations

import math
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from game.content.pack import Content
from game.content.suggest import did_you_mean
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.scoring import evaluate
from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies import Strategy, check_strategy, get_strategy

MAX_SHARD = 1000
"""Most games played as one batch. Results do not depend on it; speed does: per game, batches of about
1,000 are fastest here (arrays stay in the CPU cache), 10,000 at once is about twice as slow."""
MIN_SHARD = 250
DASK_CONNECT_TIMEOUT = "10s"


class SweepError(ValueError):
    """A bad sweep request (unknown key path, bad value, ...): one line for the user."""


# ====================================================================== content variants (--vary)

CONTENT_KINDS = ("sources", "vendors", "regions", "levers", "deals", "alliances", "events", "scenarios")


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
    items = list(values.split(","))
    if any(not v.strip() for v in items):
        raise SweepError(f"--vary '{spec}': empty value in the list")
    return path, [parse_value(v) for v in items]


def _child(obj: Any, key: str, trail: str, last: bool) -> Any:
    if isinstance(obj, BaseModel):
        names = type(obj).model_fields
        if key not in names:
            raise SweepError(f"--vary {trail}: unknown key '{key}'{did_you_mean(key, names, cutoff=0.5)}")
        if key == "id":
            raise SweepError(f"--vary {trail}: ids cannot be varied")
        return getattr(obj, key)
    if isinstance(obj, dict):
        if key not in obj:
            if last:
                return None  # a new key in a table such as model.start
            raise SweepError(f"--vary {trail}: unknown key '{key}'{did_you_mean(key, obj, cutoff=0.5)}")
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
            f"--vary {path}: unknown section '{kind}'{did_you_mean(kind, valid, cutoff=0.5)} (valid: {', '.join(valid)})"
        )
    if kind == "model":
        item, item_keys, item_id = content.model, keys, None
    else:
        items: dict[str, BaseModel] = getattr(content, kind)
        if not keys:
            raise SweepError(f"--vary {path}: name an item and a key, e.g. {kind}.ID.KEY")
        item_id, item_keys = keys[0], keys[1:]
        if item_id not in items:
            raise SweepError(f"--vary {path}: unknown {kind[:-1]} '{item_id}'{did_you_mean(item_id, items, cutoff=0.5)}")
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
    from game.content.loader import (
        _fingerprint,  # the loader's own definition, so unchanged content keeps its id
    )

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
        games = {f.key: t.games for f, t in zip(futures, tasks, strict=False)}
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
                f"cannot ablate unknown lever '{unknown[0]}'{did_you_mean(unknown[0], worlds[0].lever_ids, cutoff=0.5)}"
            )
        ablations = [NO_ABLATION, *ablations_for(worlds[0], ablate)]
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
