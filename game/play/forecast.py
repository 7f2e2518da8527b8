"""Look before you leap: where the key metrics and the scenario's own goals are likely to go under the
current plan, and the coming quarter's risks with their odds and reasons.

Pure functions over the batched core: the game's state is copied `n` times with seeds from
`derive_seeds` (never the game's own seed, so a forecast never reveals the real future), the plan is
repeated every quarter to the end of the game through the same `step` the game uses, and percentiles are
taken across the sampled futures. One run serves both the key metrics' few-quarter detail and the goals'
fan to the end. No I/O, no UI; the TUI runs it in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from game.sim import levers
from game.sim.deals import win_chance
from game.sim.ledger import Ledger
from game.sim.metrics import KEY_METRICS, metrics, untrusted_japan
from game.sim.rng import Purpose, derive_seeds, hash64
from game.sim.scoring import goal_values, goals_met
from game.sim.security import incident_rate
from game.sim.state import State
from game.sim.step import Actions, step
from game.sim.world import World

DEFAULT_SAMPLES = 64
"""Sampled futures per forecast: every one runs to the end of the game (up to 40 quarters), so modest; the
10-90 % band of 64 samples moves by a few percent of its width from one seed set to the next."""
DETAIL_QUARTERS = 4
"""The key metrics are shown this many quarters ahead (the goals, to the end)."""


@dataclass(frozen=True)
class Band:
    """One metric's sampled future: median and 10-90 % band per quarter ahead (index 0 = next quarter)."""

    now: float
    median: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]


@dataclass(frozen=True)
class GoalBand:
    """One of the scenario's goals sampled to the end of the game: its band per quarter, and the share of
    the sampled futures that end with it met."""

    id: str
    metric: str
    """The goal's metric as content writes it (its unit: game.render.labels.goal_unit)."""
    op: str
    target: float
    band: Band
    met: float


@dataclass(frozen=True)
class Risk:
    """Something that may happen in the coming quarter."""

    kind: str  # "incident" | "deal"
    title: str
    chance: float  # 0-1
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Forecast:
    quarters: int
    """Quarters ahead in the key metrics' `bands` (at most DETAIL_QUARTERS)."""
    samples: int
    bands: dict[str, Band]
    risks: tuple[Risk, ...] = field(default_factory=tuple)
    goals: tuple[GoalBand, ...] = ()
    """The scenario's goals, each to the end of the game."""
    horizon: int = 0
    """Quarters sampled: to the end of the game."""


@dataclass(frozen=True)
class Futures:
    """What the sampled futures went through, quarter by quarter (index 0 = after the coming quarter)."""

    metrics: dict[str, np.ndarray]
    """Key metric -> [detail quarters, samples] (the first DETAIL_QUARTERS at most: all that is shown)."""
    goals: np.ndarray
    """[quarters, samples, goals]: each goal's metric (game.sim.scoring.goal_values)."""

    @property
    def quarters(self) -> int:
        return int(self.goals.shape[0])


def forecast_seeds(seed: int, turn: int, n: int) -> np.ndarray:
    """Seeds for the sampled futures of one turn: derived from the game's seed, never equal to its stream."""
    base = int(hash64(np.uint64(seed), turn, Purpose.FORECAST, 0))
    return derive_seeds(base, n, Purpose.FORECAST)


Plan = tuple[dict[str, float], dict[str, str]]
"""One way to play the coming quarter: {lever id: ¥ billions} and {event id: choice id} (events left out
take their default answers, as do all later events)."""


def sample_futures(state: State, world: World, plans: Sequence[Plan], n: int = DEFAULT_SAMPLES,
                   quarters: int | None = None, checkpoint: Callable[[], bool] | None = None) -> list[Futures] | None:
    """Each plan's lever spending repeated every quarter for `quarters` (None: to the end of the game), in
    `n` futures; all plans in one batch on the same `n` seeds, so that they differ by the plan alone (and
    a step of a batch costs far less than a step per plan).

    `checkpoint` is called between quarters; if it returns False the work is abandoned (None)."""
    single = state.game(0) if state.batch > 1 else state
    k = len(plans)
    batch = single.repeat(k * n).replace(seed=np.tile(forecast_seeds(int(single.seed[0]), single.turn, n), k))
    alloc = np.repeat(np.stack([world.allocation_vector(a) for a, _ in plans]), n, axis=0)
    first_choices = np.repeat(np.stack([world.choice_vector(c) for _, c in plans]), n, axis=0)
    left = world.turns - single.turn
    quarters = left if quarters is None else min(quarters, left)
    out: dict[str, list[np.ndarray]] = {m: [] for m in KEY_METRICS}
    goals: list[np.ndarray] = []
    for q in range(max(quarters, 0)):
        if checkpoint is not None and not checkpoint():
            return None
        if batch.done.all():
            break
        batch, _ = step(batch, Actions(alloc, first_choices if q == 0 else None), world)
        if q < DETAIL_QUARTERS:
            for name, values in metrics(batch, world).items():
                out[name].append(np.asarray(values, dtype=np.float64))
        goals.append(goal_values(batch, world))
    every = Futures({m: np.stack(v) if v else np.zeros((0, k * n)) for m, v in out.items()},
                    np.stack(goals) if goals else np.zeros((0, k * n, len(world.goals))))
    return [Futures({m: v[:, i * n:(i + 1) * n] for m, v in every.metrics.items()}, every.goals[:, i * n:(i + 1) * n])
            for i in range(k)]


def _band(now: float, values: np.ndarray) -> Band:
    """Band of [quarters, samples] values."""
    if not values.size:
        return Band(now, (), (), ())
    lo, med, hi = np.percentile(values, [10, 50, 90], axis=1)
    return Band(now, tuple(map(float, med)), tuple(map(float, lo)), tuple(map(float, hi)))


def bands(state: State, world: World, futures: dict[str, np.ndarray]) -> dict[str, Band]:
    now = metrics(state, world)
    return {name: _band(float(now[name][0]), values) for name, values in futures.items()}


def met_share(world: World, values: np.ndarray) -> np.ndarray:
    """[..., G] goal values -> [G] share of them meeting each goal (as game.sim.scoring.evaluate judges)."""
    return goals_met(world, values).reshape(-1, len(world.goals)).mean(axis=0)


def goal_bands(state: State, world: World, futures: Futures) -> tuple[GoalBand, ...]:
    now = goal_values(state.game(0) if state.batch > 1 else state, world)[0]
    met = met_share(world, futures.goals[-1]) if futures.quarters else np.full(len(world.goals), np.nan)
    return tuple(GoalBand(g.id, g.metric.source, g.op, g.target, _band(float(now[j]), futures.goals[:, :, j]),
                          float(met[j])) for j, g in enumerate(world.goals))


def _level(value: float) -> str:
    return "high" if value >= 60 else "low" if value < 40 else "moderate"


def risks(state: State, world: World, allocations: dict[str, float]) -> tuple[Risk, ...]:
    """The coming quarter's incident chance and the export deals decided this quarter, with reasons.

    Evaluated on the current state with this quarter's lever spending applied (so financing a bid moves
    its odds at once); drift, events and market moves of the quarter are not included.
    """
    single = state.game(0) if state.batch > 1 else state
    if single.turn >= world.turns or bool(single.done[0]):
        return ()
    a = {k: v.copy() for k, v in single.arrays().items()}
    spent, _ = levers.legal_allocations(world.allocation_vector(allocations)[None, :],
                                        np.array([np.inf]), levers.fundable(single, world), world)
    levers.fund_levers(Ledger(a, record=False), world, spent, single.turn)
    out: list[Risk] = []

    rate = float(incident_rate(a, world)[0])
    untrusted = float(untrusted_japan(a, world)[0])
    threat, tension = float(a["threat"][0]), float(a["tension"][0])
    engineers, needed = float(a["engineers"][0]), world.model.workforce.needed
    reasons = [f"untrusted equipment {untrusted * 100:.1f} % of Japan's network",
               f"threat level {_level(threat)} ({threat:.0f})",
               f"tension {_level(tension)} ({tension:.0f})"]
    if engineers < needed:
        reasons.append(f"engineers short ({engineers:.1f}k of {needed:.0f}k needed)")
    out.append(Risk("incident", "Security incident", 1.0 - float(np.exp(-rate)), tuple(reasons)))

    due = [d for d in range(len(world.deal_ids))
           if world.arrays["deal_decides"][d] == single.turn and a["deal_status"][0, d] == 0]
    if due:
        chance = win_chance(a, world)[0]
        arr, m = world.arrays, world.model.deals
        for d in due:
            deal = world.deal(d)
            b, r = arr["deal_bidder"][d], arr["deal_rival"][d]
            bidder, rival = world.content.vendors[deal.bidder].name, world.content.vendors[deal.rival].name
            our_price = a["cost"][0, b] / (1 + m.support_price * a["support"][0, d])
            price_gap = arr["deal_rival_price"][d] * a["cost"][0, r] / our_price - 1
            out.append(Risk("deal", f"{deal.name} decided", float(chance[d]), (
                f"{bidder} tech {a['tech'][0, b]:.0f} vs {rival} {a['tech'][0, r]:.0f}",
                (f"our bid {'cheaper' if price_gap >= 0 else 'dearer'} by {abs(price_gap) * 100:.0f} %"
                f" after ¥{a['support'][0, d]:.1f}B financing"),
                f"trust {a['trust'][0, b]:.2f} vs {a['trust'][0, r]:.2f}",
            )))
    return tuple(out)


def forecasts(state: State, world: World, allocations: Sequence[dict[str, float]],
              choices: dict[str, str] | None = None, n: int = DEFAULT_SAMPLES, quarters: int | None = None,
              checkpoint: Callable[[], bool] | None = None) -> list[Forecast] | None:
    """`forecast` for several spending plans at once (one batch). None only if `checkpoint` asked to stop."""
    runs = sample_futures(state, world, [(a, choices or {}) for a in allocations], n, quarters, checkpoint)
    if runs is None:
        return None
    out = []
    for plan, futures in zip(allocations, runs, strict=True):
        out.append(Forecast(min(futures.quarters, DETAIL_QUARTERS), n, bands(state, world, futures.metrics),
                            risks(state, world, plan), goal_bands(state, world, futures), futures.quarters))
    return out


def forecast(state: State, world: World, allocations: dict[str, float], choices: dict[str, str] | None = None,
             n: int = DEFAULT_SAMPLES, quarters: int | None = None,
             checkpoint: Callable[[], bool] | None = None) -> Forecast | None:
    """The key metrics for the next DETAIL_QUARTERS, the goals for the next `quarters` (None: to the end of
    the game; one run serves both), and the coming quarter's risks. None only if `checkpoint` asked to stop."""
    result = forecasts(state, world, [allocations], choices, n, quarters, checkpoint)
    return None if result is None else result[0]


# ------------------------------------------------------------ look before you choose


@dataclass(frozen=True)
class Spread:
    """Median and 10-90 % band of one number across the sampled futures."""

    median: float
    low: float
    high: float

    @staticmethod
    def of(values: np.ndarray) -> Spread:
        lo, med, hi = np.percentile(values, [10, 50, 90])
        return Spread(float(med), float(lo), float(hi))


@dataclass(frozen=True)
class ChoiceOutlook:
    """One answer to an event, per goal (in the order of World.goals): the goal's metric at the end of the
    game, and how much it moves against the default answer in the same sampled future (0 for the default
    itself) after the coming quarter and at the end."""

    choice: str
    end: tuple[Spread, ...]
    next_change: tuple[Spread, ...]
    end_change: tuple[Spread, ...]


@dataclass(frozen=True)
class EventOutlook:
    event: str
    samples: int
    horizon: int
    """Quarters sampled: to the end of the game."""
    choices: tuple[ChoiceOutlook, ...]
    """One per choice, in the event's order."""


def event_outlook(state: State, world: World, event_id: str, allocations: dict[str, float],
                  choices: dict[str, str] | None = None, n: int = DEFAULT_SAMPLES,
                  checkpoint: Callable[[], bool] | None = None) -> EventOutlook | None:
    """Every answer to `event_id` played to the end of the game under the current plan and the other
    answers in `choices`, all in one batch on the same `n` seeds, so that the answers differ by their
    choice alone. None only if `checkpoint` asked to stop."""
    event = world.content.events[event_id]
    plans = [(allocations, {**(choices or {}), event_id: c.id}) for c in event.choices]
    runs = sample_futures(state, world, plans, n, None, checkpoint)
    if runs is None:
        return None
    horizon = runs[0].quarters
    if not horizon:
        return EventOutlook(event_id, n, 0, ())
    G = len(world.goals)
    default = runs[event.default].goals
    out = []
    for choice, futures in zip(event.choices, runs, strict=True):
        own = futures.goals
        out.append(ChoiceOutlook(
            choice.id,
            tuple(Spread.of(own[-1, :, j]) for j in range(G)),
            tuple(Spread.of(own[0, :, j] - default[0, :, j]) for j in range(G)),
            tuple(Spread.of(own[-1, :, j] - default[-1, :, j]) for j in range(G)),
        ))
    return EventOutlook(event_id, n, horizon, tuple(out))
