"""Look before you leap: where the key metrics are likely to go under the current plan, and the coming
quarter's risks with their odds and reasons.

Pure functions over the batched core: the game's state is copied `n` times with seeds from
`derive_seeds` (never the game's own seed, so a forecast never reveals the real future), the plan is
repeated for a few quarters through the same `step` the game uses, and percentiles are taken across the
sampled futures. No I/O, no UI; the TUI runs it in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from game.sim import levers
from game.sim.deals import win_chance
from game.sim.ledger import Ledger
from game.sim.metrics import KEY_METRICS, metrics, untrusted_japan
from game.sim.rng import Purpose, derive_seeds, hash64
from game.sim.security import incident_rate
from game.sim.state import State
from game.sim.step import Actions, step
from game.sim.world import World

DEFAULT_SAMPLES = 200
DEFAULT_QUARTERS = 4


@dataclass(frozen=True)
class Band:
    """One metric's sampled future: median and 10-90 % band per quarter ahead (index 0 = next quarter)."""

    now: float
    median: tuple[float, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]


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
    samples: int
    bands: dict[str, Band]
    risks: tuple[Risk, ...] = field(default_factory=tuple)


def forecast_seeds(seed: int, turn: int, n: int) -> np.ndarray:
    """Seeds for the sampled futures of one turn: derived from the game's seed, never equal to its stream."""
    base = int(hash64(np.uint64(seed), turn, Purpose.FORECAST, 0))
    return derive_seeds(base, n, Purpose.FORECAST)


def sample_futures(state: State, world: World, allocations: dict[str, float], choices: dict[str, str],
                   n: int = DEFAULT_SAMPLES, quarters: int = DEFAULT_QUARTERS,
                   checkpoint: Callable[[], bool] | None = None) -> dict[str, np.ndarray] | None:
    """metric -> [quarters, n] values after each sampled quarter (fewer quarters near the end).

    `checkpoint` is called between quarters; if it returns False the work is abandoned (None)."""
    single = state.game(0) if state.batch > 1 else state
    batch = single.repeat(n).replace(seed=forecast_seeds(int(single.seed[0]), single.turn, n))
    alloc = np.broadcast_to(world.allocation_vector(allocations), (n, len(world.lever_ids))).copy()
    first_choices = np.broadcast_to(world.choice_vector(choices), (n, len(world.event_ids))).copy()
    out: dict[str, list[np.ndarray]] = {m: [] for m in KEY_METRICS}
    for q in range(quarters):
        if checkpoint is not None and not checkpoint():
            return None
        if batch.turn >= world.turns or batch.done.all():
            break
        batch, _ = step(batch, Actions(alloc, first_choices if q == 0 else None), world)
        for name, values in metrics(batch, world).items():
            out[name].append(np.asarray(values, dtype=np.float64))
    return {m: np.stack(v) if v else np.zeros((0, n)) for m, v in out.items()}


def bands(state: State, world: World, futures: dict[str, np.ndarray]) -> dict[str, Band]:
    now = metrics(state, world)
    result = {}
    for name, values in futures.items():
        if values.size:
            lo, med, hi = np.percentile(values, [10, 50, 90], axis=1)
        else:
            lo = med = hi = np.zeros(0)
        result[name] = Band(float(now[name][0]), tuple(map(float, med)), tuple(map(float, lo)),
                            tuple(map(float, hi)))
    return result


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


def forecast(state: State, world: World, allocations: dict[str, float], choices: dict[str, str] | None = None,
             n: int = DEFAULT_SAMPLES, quarters: int = DEFAULT_QUARTERS,
             checkpoint: Callable[[], bool] | None = None) -> Forecast | None:
    """Median and 10-90 % band of each key metric for the next `quarters`, and the coming quarter's risks.

    None only if `checkpoint` asked to stop."""
    futures = sample_futures(state, world, allocations, choices or {}, n, quarters, checkpoint)
    if futures is None:
        return None
    done = next(iter(futures.values())).shape[0] if futures else 0
    return Forecast(done, n, bands(state, world, futures), risks(state, world, allocations))
