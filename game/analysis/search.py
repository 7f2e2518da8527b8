"""Balance search: the strongest plans the game allows, found by the cross-entropy method through the
batched core (candidates × seeds play as one batch).

A *family* turns a parameter vector (plus one answer per event) into a strategy, and a winner into a file
that `homegrown run` and `sweep` replay to exactly the games the search measured:

- `fixed`: one weight per lever for the whole game, a static plan (¥ per lever per quarter, filled through
  the project's own `fill_budget` at the scenario's nominal budget), written as a `scripted:` TOML plan;
- `phased`: three weightings and two switch quarters, likewise;
- `reactive` (game.analysis.reactive): weights computed each quarter from the game's state, written as a
  policy file (`--strategy PATH.py:policy`).

Method (deterministic for a given `seed`, whatever the number of workers): each generation samples
`population` candidates from a Gaussian over the log-weights (and a categorical per event answer), plays
every candidate on the same training seeds (common random numbers), and refits the distribution to the
best `elite` fraction. The finalists (the distribution's mean and the last generation's best) are played
on fresh selection seeds; the winner is then validated on `validate` seeds that neither training nor
selection saw, with a Wilson 95 % interval. Validation seeds start at `validate_start` (default 0), the
seeds `homegrown sweep` plays by default.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from game.analysis.executors import ExecutorError, dask_client, submit
from game.analysis.reactive import Reactive, weights_and_share
from game.analysis.shards import RowBlocks
from game.analysis.stats import wilson
from game.content.pack import Content
from game.content.schema import CATEGORIES, Category
from game.content.suggest import did_you_mean
from game.play.runner import play
from game.sim.compile import build_world
from game.sim.scoring import evaluate
from game.sim.state import State
from game.sim.step import Actions, initial_state
from game.sim.world import World
from game.strategies.answers import answerable
from game.strategies.base import Strategy, fill_budget, usable_levers

FAMILIES = ("fixed", "phased", "reactive")
TRAIN_BASE = 1 << 40
"""Training seeds live far from the seeds designers sweep (0, 1, 2...)."""
SELECT_BASE = 1 << 41
WIN_WEIGHT, SCORE_WEIGHT = 1.0, 0.002
"""Fitness: wins first; the score (0-100) breaks ties and gives the search a slope before anything wins."""
PENALTY = 10.0
"""Fitness lost per unit of a spending constraint's violation (fraction of the money)."""


class SearchError(ValueError):
    """A search that cannot run as asked (unknown family, lever or category, impossible constraints): one
    line for the user."""


@dataclass(frozen=True)
class Constraint:
    category: Category
    low: float
    high: float
    """Share of the plan's money (0-1) that goes to the category."""

    @property
    def label(self) -> str:
        return f"{self.category}={self.low:g}..{self.high:g}"


def parse_constraint(text: str) -> Constraint:
    """'export=0.4..1' (shares of the money; 40..100 % also accepted)."""
    category, eq, span = text.partition("=")
    low_text, dots, high_text = span.partition("..")
    if not eq or not dots:
        raise SearchError(f"--constrain '{text}': expected CATEGORY=MIN..MAX, e.g. export=0.4..1")
    if category not in CATEGORIES:
        raise SearchError(f"--constrain '{text}': unknown category '{category}' (valid: {', '.join(CATEGORIES)})")
    try:
        low, high = float(low_text.rstrip("%") or 0), float(high_text.rstrip("%") or 1)
    except ValueError:
        raise SearchError(f"--constrain '{text}': MIN and MAX must be numbers") from None
    if "%" in span or low > 1 or high > 1:
        low, high = low / 100, high / 100
    if not (0 <= low <= high <= 1) or not (math.isfinite(low) and math.isfinite(high)):
        raise SearchError(f"--constrain '{text}': need 0 <= MIN <= MAX <= 1 (shares of the money)")
    return Constraint(category, low, high)


@dataclass(frozen=True)
class Space:
    """What a plan may do in one scenario: which levers it may fund, which events it answers, and the
    constraints on its spending."""

    world: World
    free: np.ndarray
    """bool[L] levers the search may fund (the player controls them and none is forbidden)."""
    constraints: tuple[Constraint, ...] = ()

    @property
    def answerable(self) -> np.ndarray:
        """int[E] the events a plan answers (allowed in the scenario, with choices), as event indexes."""
        return answerable(self.world)


def make_space(world: World, forbid: Sequence[str] = (), constraints: Sequence[Constraint] = ()) -> Space:
    free = world.controllable.copy()
    for item in forbid:
        if item in CATEGORIES:
            free &= world.arrays["lever_category"] != CATEGORIES.index(item)
        elif item in world.index("lever"):
            free[world.index("lever")[item]] = False
        else:
            raise SearchError(f"--forbid '{item}': not a lever or category of this scenario"
                              f"{did_you_mean(item, [*world.lever_ids, *CATEGORIES])}")
    category = world.arrays["lever_category"]
    for c in constraints:
        has = bool((free & (category == CATEGORIES.index(c.category))).any())
        if c.low > 0 and not has:
            raise SearchError(f"--constrain {c.label}: no lever of '{c.category}' may be funded here")
    lows = sum(c.low for c in constraints)
    if lows > 1 + 1e-9:
        raise SearchError(f"the constraints ask for {lows:.0%} of the money in total: they cannot all hold")
    if not free.any():
        raise SearchError("every lever is forbidden: nothing left to search")
    return Space(world, free, tuple(constraints))


# ---------------------------------------------------------------- families: parameters -> static plans


def _nominal(world: World, batch: int, turn: int) -> State:
    """The state a static plan is filled against: the scenario's nominal budget, every deal still open."""
    start = initial_state(world, np.zeros(1, dtype=np.int64)).repeat(batch)
    return start.replace(turn=turn, budget_mod=np.zeros(batch), deal_status=np.zeros_like(start.deal_status))


def _fill(weights: np.ndarray, world: World, turn: int, share: np.ndarray | float = 1.0) -> np.ndarray:
    return fill_budget(weights, _nominal(world, weights.shape[0], turn), world, share)


def open_quarters(world: World) -> np.ndarray:
    """bool[T,L]: the quarters a static plan may fund each lever in (on offer, its deal still open)."""
    return np.stack([usable_levers(_nominal(world, 1, t), world)[0] for t in range(world.turns)])


class Family(Protocol):
    """Turns parameter vectors into strategies the batched core plays, and a winner into a file."""

    name: str

    def dim(self, space: Space) -> int: ...

    def strategy(self, theta: np.ndarray, choices: np.ndarray, space: Space, repeat: int) -> Strategy:
        """A strategy for P × repeat games: rows [p * repeat, (p + 1) * repeat) play candidate p."""
        ...

    def export(self, theta: np.ndarray, choices: np.ndarray, space: Space, name: str) -> tuple[str, str]:
        """(file suffix, text) of one candidate as a file `run` and `sweep` replay to the same games."""
        ...


class Static:
    """Families whose candidates are static plans (¥ per lever per quarter): `scripted:` TOML files."""

    def tables(self, theta: np.ndarray, space: Space) -> np.ndarray:
        raise NotImplementedError

    def strategy(self, theta: np.ndarray, choices: np.ndarray, space: Space, repeat: int) -> Strategy:
        return PlanTable(np.repeat(self.tables(theta, space), repeat, axis=0), np.repeat(choices, repeat, axis=0))

    def export(self, theta: np.ndarray, choices: np.ndarray, space: Space, name: str) -> tuple[str, str]:
        return ".toml", plan_toml(self.tables(theta[None], space)[0], choices, space.world, name)


class Fixed(Static):
    name = "fixed"

    def dim(self, space: Space) -> int:
        return len(space.world.lever_ids) + 1  # one weight per lever, and one for money kept

    def tables(self, theta: np.ndarray, space: Space) -> np.ndarray:
        """[P,T,L] ¥ per lever per quarter for P parameter vectors."""
        w, share = weights_and_share(theta, space.free)
        return np.stack([_fill(w, space.world, t, share) for t in range(space.world.turns)], axis=1)


class Phased(Static):
    """Three weightings; the two switch quarters are parameters too (as fractions of the game)."""

    name = "phased"
    phases = 3

    def dim(self, space: Space) -> int:
        return self.phases * (len(space.world.lever_ids) + 1) + self.phases - 1

    def switches(self, theta: np.ndarray, turns: int) -> np.ndarray:
        """int[P, phases-1] the first quarter of phases 2, 3, ..."""
        cuts = np.cumsum(1 / (1 + np.exp(-theta[:, -(self.phases - 1):])), axis=1) / self.phases * 2
        return np.clip(np.round(cuts * turns), 1, turns - 1).astype(np.int64)

    def tables(self, theta: np.ndarray, space: Space) -> np.ndarray:
        L, T = len(space.world.lever_ids), space.world.turns
        cuts = self.switches(theta, T)
        out = np.zeros((theta.shape[0], T, L))
        for k in range(self.phases):
            w, share = weights_and_share(theta[:, k * (L + 1):(k + 1) * (L + 1)], space.free)
            for t in range(T):
                phase = (t >= cuts).sum(axis=1)
                rows = phase == k
                if rows.any():
                    out[rows, t] = _fill(w[rows], space.world, t, share[rows])
        return out


FAMILY: dict[str, Family] = {"fixed": Fixed(), "phased": Phased(), "reactive": Reactive()}


def category_shares(spent: np.ndarray, world: World) -> np.ndarray:
    """[P, categories] share of the money per lever category, from ¥ spent per lever [P,L]."""
    per_lever = spent
    total = np.maximum(per_lever.sum(axis=1, keepdims=True), 1e-12)
    category = world.arrays["lever_category"]
    return np.stack([per_lever[:, category == c].sum(axis=1) for c in range(len(CATEGORIES))], axis=1) / total


def violation(spent: np.ndarray, space: Space) -> np.ndarray:
    """[P] how far each plan's spending (¥ per lever [P,L]) is outside the constraints (0: all hold)."""
    shares = category_shares(spent, space.world)
    out = np.zeros(spent.shape[0])
    for c in space.constraints:
        s = shares[:, CATEGORIES.index(c.category)]
        out += np.maximum(c.low - s, 0.0) + np.maximum(s - c.high, 0.0)
    return out


# ---------------------------------------------------------------- playing plans


class PlanTable:
    """Plays per-game static plans: game b spends allocations[b, turn] and answers choices[b]."""

    name = "plan"

    def __init__(self, allocations: np.ndarray, choices: np.ndarray):
        self.allocations, self.choices = allocations, choices

    def act(self, state: State, world: World) -> Actions:
        return Actions(self.allocations[:, state.turn], self.choices)


@dataclass(frozen=True)
class Played:
    wins: np.ndarray
    """[P] games won per plan."""
    score: np.ndarray
    """[P] mean score per plan."""
    met: np.ndarray
    """[P,G] share of games meeting each goal."""
    spent: np.ndarray
    """[P,L] mean ¥ spent per lever over a game (what the games really spent)."""


def play_rows(world: World, strategy: Strategy, plans: int, seeds: np.ndarray) -> Played:
    """A strategy whose rows play `plans` plans on every seed, plan-major, as one batch."""
    P, S = plans, seeds.size
    final = play(world, np.tile(seeds, P), strategy)
    scores = evaluate(final, world)
    won = (scores.outcome == 0).reshape(P, S)
    return Played(won.sum(axis=1), scores.score.reshape(P, S).mean(axis=1),
                  scores.met.reshape(P, S, -1).mean(axis=1), final.invested.reshape(P, S, -1).mean(axis=1))


def play_variants(world: World, strategies: Sequence[Strategy], seeds: np.ndarray) -> Played:
    """Each strategy on every seed, paired (the same seeds for all), as one batch."""
    return play_rows(world, RowBlocks.even(strategies, seeds.size), len(strategies), seeds)


def play_candidates(space: Space, family: str, theta: np.ndarray, choices: np.ndarray,
                    seeds: np.ndarray) -> Played:
    """Every candidate on every seed, as one batch (candidate-major rows)."""
    strategy = FAMILY[family].strategy(theta, choices, space, seeds.size)
    return play_rows(space.world, strategy, theta.shape[0], seeds)


_SPACES: dict[tuple[str, str, tuple[str, ...], tuple[Constraint, ...]], Space] = {}
"""Spaces rebuilt in worker processes, by (content fingerprint, scenario, forbid, constraints)."""


def _space(content: Content, scenario: str, forbid: tuple[str, ...], constraints: tuple[Constraint, ...]) -> Space:
    key = (content.fingerprint, scenario, forbid, constraints)
    if key not in _SPACES:
        _SPACES.clear()  # one search at a time per worker
        _SPACES[key] = make_space(build_world(content, scenario), forbid, constraints)
    return _SPACES[key]


def _play_remote(content: Content, scenario: str, forbid: tuple[str, ...], constraints: tuple[Constraint, ...],
                 family: str, theta: np.ndarray, choices: np.ndarray, seeds: np.ndarray) -> Played:
    return play_candidates(_space(content, scenario, forbid, constraints), family, theta, choices, seeds)


class Evaluator:
    """Plays candidates here, in a local process pool or on a Dask cluster, split by candidates (the same
    numbers every way: every game depends only on its own seed and plan). The content travels as data, so a
    worker in another folder plays the same games."""

    def __init__(self, content: Content, scenario: str, space: Space, forbid: Sequence[str] = (),
                 workers: int = 1, executor: str = "local", scheduler: Any = None):
        self.space, self.workers = space, workers
        self.spec = (content, scenario, tuple(forbid), space.constraints)
        self.content_fingerprint = content.fingerprint
        self.pool: ProcessPoolExecutor | None = None
        self.client, self.own_client = None, False
        if executor == "dask":
            try:
                self.client, self.own_client = dask_client(scheduler)
            except ExecutorError as exc:
                raise SearchError(str(exc)) from None
            self.spec = (self.client.scatter(content, broadcast=True), *self.spec[1:])
            self.workers = max(2, len(self.client.scheduler_info().get("workers", {})) * 2)
        elif executor != "local":
            raise SearchError(f"unknown executor '{executor}' (valid: local, dask)")
        elif workers > 1:
            self.pool = ProcessPoolExecutor(workers)

    def __call__(self, family: str, theta: np.ndarray, choices: np.ndarray, seeds: np.ndarray) -> Played:
        if (self.pool is None and self.client is None) or theta.shape[0] < 2:
            return play_candidates(self.space, family, theta, choices, seeds)
        parts = np.array_split(np.arange(theta.shape[0]), min(self.workers, theta.shape[0]))
        args = [(*self.spec, family, theta[p], choices[p], seeds) for p in parts]
        if self.client is not None:
            done = self.client.gather([submit(self.client, _play_remote, a[0], self.content_fingerprint, *a[1:])
                                       for a in args])
        else:
            assert self.pool is not None
            done = list(self.pool.map(_play_remote, *zip(*args, strict=True)))
        return Played(*(np.concatenate([getattr(d, f) for d in done]) for f in ("wins", "score", "met", "spent")))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
        if self.client is not None and self.own_client:
            self.client.close()


# ---------------------------------------------------------------- the search


@dataclass(frozen=True)
class Settings:
    generations: int = 30
    population: int = 96
    """Plans per generation (48 converged early on the default campaign: a third fewer wins found)."""
    elite: float = 0.2
    seeds: int = 40
    """Training seeds per generation."""
    validate: int = 2000
    validate_start: int = 0
    seed: int = 0
    """The search's own randomness (which candidates are sampled)."""
    time_budget: float | None = None
    """Seconds: stop early when the next generation would not fit (the result then depends on speed)."""


@dataclass
class Found:
    """The best plan of one family, validated."""

    family: str
    theta: np.ndarray
    """The family's parameters of the plan."""
    choices: np.ndarray
    """[E] the answer per event (-1: the default)."""
    wins: int
    games: int
    score: float
    goals: dict[str, float]
    spend: dict[str, float]
    """Category -> share of the plan's money."""
    violation: float
    generations: int
    seed_start: int = 0
    """The first validation seed."""
    curve: list[float] = field(default_factory=list)
    """Best training win rate per generation."""

    @property
    def win_rate(self) -> float:
        return self.wins / self.games

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.wins, self.games)


Progress = Callable[[str, int, int, float], None]
"""(family, generation, of, best training win rate so far)."""


def _answers(probs: list[np.ndarray]) -> np.ndarray:
    return np.array([int(np.argmax(p)) for p in probs], dtype=np.int64)


WARM_STD = 0.3
"""The first generation's spread around a plan of another family it starts from (logits)."""


def search_family(family_name: str, space: Space, play_them: Evaluator, settings: Settings,
                  progress: Progress | None = None, start: Found | None = None) -> Found:
    family = FAMILY[family_name]
    world = space.world
    rng = np.random.default_rng([settings.seed, FAMILIES.index(family_name)])
    D = family.dim(space)
    mean, std = np.zeros(D), np.full(D, 1.5)
    if start is not None:  # warm start: from a plan of this family, or (reactive) as the best fixed plan does
        warm = getattr(family, "warm", None)
        if start.family == family_name:
            mean = start.theta.copy()
        elif warm is not None:
            # near the plan it starts from: the reactive family has a weight per feature and lever, and
            # wide steps in all of them at once only ever lose to the start
            mean, std = warm(start, space), np.full(D, WARM_STD)
    events = space.answerable
    counts = world.arrays["event_choices"][events]
    probs = [np.full(n, 1.0 / n) for n in counts]
    if start is not None:  # ...and with its answers the likeliest
        for j, e in enumerate(events):
            if start.choices[e] >= 0:
                probs[j] = 0.3 * probs[j] + 0.7 * np.eye(counts[j])[start.choices[e]]
    P, S = settings.population, settings.seeds
    n_elite = max(2, round(settings.elite * P))
    curve: list[float] = []
    started = time.perf_counter()
    best_theta, best_answers = mean.copy(), _answers(probs)

    def choices_of(answers: np.ndarray) -> np.ndarray:
        out = np.full((answers.shape[0], len(world.event_ids)), -1, dtype=np.int64)
        out[:, events] = answers
        return out

    def fitness(played: Played, games: int) -> np.ndarray:
        return (WIN_WEIGHT * played.wins / games + SCORE_WEIGHT * played.score
                - PENALTY * violation(played.spent, space))

    for g in range(settings.generations):
        if settings.time_budget is not None and g > 0:
            per = (time.perf_counter() - started) / g
            if time.perf_counter() - started + per > settings.time_budget:
                break
        theta = mean + std * rng.standard_normal((P, D))
        theta[0] = mean  # the current mean always competes
        answers = (np.stack([rng.choice(n, size=P, p=pr) for n, pr in zip(counts, probs, strict=True)], axis=1)
                   if len(events) else np.zeros((P, 0), dtype=np.int64))
        played = play_them(family_name, theta, choices_of(answers), TRAIN_BASE + g * S + np.arange(S))
        order = np.argsort(-fitness(played, S), kind="stable")
        elite = order[:n_elite]
        mean = 0.7 * theta[elite].mean(axis=0) + 0.3 * mean
        std = np.maximum(0.7 * theta[elite].std(axis=0) + 0.3 * std, 0.05)
        for j, n in enumerate(counts):
            probs[j] = 0.7 * np.bincount(answers[elite, j], minlength=n) / n_elite + 0.3 * probs[j]
        best_theta, best_answers = theta[order[0]].copy(), answers[order[0]].copy()
        curve.append(float(played.wins[order[0]] / S))
        if progress is not None:
            progress(family_name, g + 1, settings.generations, max(curve))
    # finalists: the distribution's mean (with its likeliest answers) and the last generation's best,
    # chosen on fresh seeds so that validation judges one plan it never selected on
    theta = np.stack([mean, best_theta])
    choices = choices_of(np.stack([_answers(probs), best_answers]))
    select = play_them(family_name, theta, choices, SELECT_BASE + np.arange(2 * S))
    k = int(np.argmax(fitness(select, 2 * S)))
    final = play_them(family_name, theta[k:k + 1], choices[k:k + 1],
                      settings.validate_start + np.arange(settings.validate))
    shares = category_shares(final.spent, world)[0]
    return Found(
        family=family_name, theta=theta[k], choices=choices[k], wins=int(final.wins[0]),
        games=settings.validate, score=float(final.score[0]),
        goals={goal.id: float(final.met[0, j]) for j, goal in enumerate(world.goals)},
        spend={c: float(shares[i]) for i, c in enumerate(CATEGORIES)},
        violation=float(violation(final.spent, space)[0]), generations=len(curve),
        seed_start=settings.validate_start, curve=curve)


def search(content: Content, scenario: str, families: Sequence[str], settings: Settings,
           forbid: Sequence[str] = (), constraints: Sequence[Constraint] = (), workers: int = 1,
           progress: Progress | None = None, executor: str = "local", scheduler: Any = None,
           start: Found | None = None) -> list[Found]:
    """The best validated plan of each family (see the module docstring); `start`, a plan found before,
    warm-starts its own family (a doctrine's search begins from the best plan and moves money into its
    category, keeping what that plan learnt, such as how much money to keep)."""
    unknown = [f for f in families if f not in FAMILY]
    if unknown:
        raise SearchError(f"unknown family '{unknown[0]}' (valid: {', '.join(FAMILIES)}, all)")
    for name, value, least in (("--generations", settings.generations, 1), ("--seeds", settings.seeds, 1),
                               ("--validate", settings.validate, 1), ("--population", settings.population, 4)):
        if value < least:
            raise SearchError(f"{name} must be {least} or more, not {value}")
    if settings.time_budget is not None and not settings.time_budget > 0:
        raise SearchError(f"--budget must be more than 0 seconds, not {settings.time_budget:g}")
    space = make_space(build_world(content, scenario), forbid, constraints)
    evaluator = Evaluator(content, scenario, space, forbid, workers, executor, scheduler)
    try:
        found: dict[str, Found] = {}
        for f in sorted(families, key=lambda name: name != "fixed"):  # fixed first: reactive starts from it
            found[f] = search_family(f, space, evaluator, settings, progress, found.get("fixed", start))
        return [found[f] for f in families]
    finally:
        evaluator.close()


def export(found: Found, space: Space, name: str) -> tuple[str, str]:
    """(file suffix, text) of a found plan, replayed by `run` and `sweep` to the same games."""
    return FAMILY[found.family].export(found.theta, found.choices, space, name)


# ---------------------------------------------------------------- plans as files


def plan_toml(table: np.ndarray, choices: np.ndarray, world: World, name: str) -> str:
    """A static plan ([T,L] ¥ per lever per quarter, [E] answers) as a `scripted:` TOML file, with exact
    floats so that it replays to the same games."""
    answers = {world.event_ids[e]: world.event(int(e)).choices[int(c)].id for e, c in enumerate(choices) if c >= 0}
    choice_text = ", ".join(f'"{e}" = "{c}"' for e, c in answers.items())
    lines = ["# Found by `homegrown search`.", f"name = {_toml_string(name)}", ""]
    for t in range(world.turns):
        row = table[t]
        alloc = ", ".join(f'"{lid}" = {float(row[i])!r}' for i, lid in enumerate(world.lever_ids) if row[i] > 0)
        lines += ["[[turn]]", f'quarter = "{world.quarter(t)}"', f"allocations = {{ {alloc} }}"]
        if choice_text:
            lines.append(f"choices = {{ {choice_text} }}")
        lines.append("")
    return "\n".join(lines)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
