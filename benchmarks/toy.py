"""A toy batched model of the game's size: the honest lower bound of a numpy core (issue 17).

    python benchmarks/toy.py [--games 10000] [--repeat 3] [--sizes JSON]

It plays the same kind of quarter as game/sim/step.py over arrays of the default scenario's sizes (regions
× vendors, offered levers with their lag ring, the allowed events' checks with their conditions, deals,
alliances, stakeholders) with counter-hash random numbers like game/sim/rng.py, but with no bookkeeping:
no ledger, no causes, no attribution, no per-array copies, every effect a column of one table applied by
one matrix product a quarter. Its parameters are made up; only its shapes and its work are the game's.
`perf.py` times it next to the real core; alone it prints its µs per game-turn (CPU, min/median).

`Sizes.of(world)` reads a compiled World; without --sizes the script reads the default scenario of the
checkout it lives in.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

# splitmix64, as game/sim/rng.py (copied so the toy needs no checkout)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
EVENT, INCIDENT, MAJOR, DEAL = 1, 3, 4, 5
MAX_INCIDENTS = 5


def _mix(x: np.ndarray) -> np.ndarray:
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def uniform(seed: np.ndarray, turn: int, purpose: int, index: np.ndarray | int = 0) -> np.ndarray:
    index = np.asarray(index, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = _mix(_mix(_mix(_mix(seed) ^ np.uint64(turn)) ^ np.uint64(purpose)) ^ index)
    return (h >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)


@dataclass(frozen=True)
class Sizes:
    regions: int
    vendors: int
    levers: int
    """levers the scenario offers"""
    lag_slots: int
    events: int
    """events the scenario allows: each is checked every quarter"""
    conditional: int
    """of those, events with a condition"""
    deals: int
    alliances: int
    stakeholders: int
    turns: int
    cap: int
    """events that may fire per quarter"""

    @staticmethod
    def of(world: Any) -> Sizes:  # any checkout's World
        arr = world.arrays
        allowed = np.asarray(arr.get("event_allowed", np.ones(len(world.event_ids), bool)), bool)
        conditional = np.asarray(arr.get("event_conditional", np.zeros(len(world.event_ids), bool)), bool)
        offered = arr.get("lever_offered")
        cap = getattr(world.scenario, "max_events_per_turn", None) or getattr(world.model, "max_events_per_turn", 2)
        return Sizes(
            regions=len(world.region_ids), vendors=len(world.vendor_ids),
            levers=int(np.sum(offered)) if offered is not None else len(world.lever_ids),
            lag_slots=int(np.max(arr["lever_lag"], initial=0)) + 1, events=int(allowed.sum()),
            conditional=int((allowed & conditional).sum()), deals=len(world.deal_ids),
            alliances=len(world.alliance_ids), stakeholders=len(getattr(world, "stakeholder_ids", ())),
            turns=int(world.turns), cap=int(cap))

    def describe(self) -> str:
        return (f"{self.regions} regions × {self.vendors} vendors, {self.levers} levers (lag ring "
                f"{self.lag_slots}), {self.events} event checks ({self.conditional} conditional, at most "
                f"{self.cap} a quarter), {self.deals} deals, {self.alliances} alliances, {self.stakeholders} "
                f"stakeholders, {self.turns} turns")


class Toy:
    """The constants of one toy scenario. The numeric state of a game is one row of a matrix whose columns
    are, in order: 7 per-vendor blocks (tech, cost, trust, rnd, rnd6g, sixg, dependence), 6 scalars
    (engineers, approval, tension, threat, budget_mod, reserve), standing, stance, support and appeal."""

    def __init__(self, z: Sizes, seed: int = 0):
        rng = np.random.default_rng(seed)
        R, V, L, E, D, A, K = z.regions, z.vendors, z.levers, z.events, z.deals, z.alliances, z.stakeholders
        self.z = z
        self.v = {name: slice(i * V, (i + 1) * V) for i, name in
                  enumerate(("tech", "cost", "trust", "rnd", "rnd6g", "sixg", "dependence"))}
        base = 7 * V
        self.eng, self.approval, self.tension, self.threat, self.budget_mod, self.reserve = range(base, base + 6)
        self.standing = slice(base + 6, base + 6 + A)
        self.stance = slice(self.standing.stop, self.standing.stop + K)
        self.support = slice(self.stance.stop, self.stance.stop + D)
        self.appeal = slice(self.support.stop, self.support.stop + R * V)
        S = self.columns = self.appeal.stop
        self.x0 = np.concatenate([rng.uniform(20, 60, V), rng.uniform(0.8, 1.2, V), rng.uniform(0.3, 0.9, V),
                                  rng.uniform(0, 2, V), rng.uniform(0, 1, V), rng.uniform(0, 20, V), np.zeros(V),
                                  [30.0, 55.0, 45.0, 50.0, 0.0, 0.0], rng.uniform(0, 40, A),
                                  rng.uniform(30, 70, K), np.zeros(D), np.zeros(R * V)])
        self.low = np.zeros(S)
        self.high = np.full(S, np.inf)
        for name, lo, hi in (("tech", 0, 100), ("cost", 0.3, 3), ("trust", 0, 1), ("dependence", 0, 1)):
            self.low[self.v[name]], self.high[self.v[name]] = lo, hi
        self.high[[self.approval, self.tension, self.threat]] = 100.0
        self.low[[self.budget_mod]] = -np.inf
        self.high[self.standing], self.high[self.stance] = 100.0, 100.0
        self.low[self.appeal] = -np.inf

        def table(rows: int, per_row: int, scale: float) -> np.ndarray:
            m = np.zeros((rows, S))
            for r in range(rows):
                m[r, rng.choice(S - R * V, per_row, replace=False)] = rng.normal(0, scale, per_row)
                m[r, self.appeal.start + rng.integers(R * V)] = rng.normal(0, 0.1)
            return m

        # every effect of levers, events and alliances: one table, one product a quarter
        self.effects = np.concatenate([table(L, 3, 0.5), table(E, 2, 2.0), table(A, 2, 0.5)])
        self.deal_effects = table(2 * D, 2, 1.0)  # won, lost
        self.weights = rng.dirichlet(np.ones(L)) * 0.9
        self.lever_max, self.lever_cost = rng.uniform(4, 12, L), rng.uniform(0, 1, L)
        self.saturation, lag = rng.uniform(2, 4, L), rng.integers(0, z.lag_slots, L)
        self.lags = [(int(g), (lag == g).astype(np.float64)) for g in np.unique(lag)]  # levers by their lag
        self.needs_engineers = rng.random(L) < 0.5
        self.lever_alliance = np.zeros((L, A))
        for a in range(A):
            self.lever_alliance[rng.integers(L), a] = 1.0
        self.pledge, self.term = rng.uniform(1, 3, A), rng.integers(2, 6, A)
        self.probability = rng.uniform(0.01, 0.15, E)
        self.cooldown, self.once = rng.integers(1, 8, E), rng.random(E) < 0.3
        start = rng.integers(0, z.turns, E)
        self.window = (np.arange(z.turns)[:, None] >= start[None, :] // 2)  # [T,E]
        self.conditional = rng.choice(E, z.conditional, replace=False)
        self.condition_column = rng.integers(0, base + 6, z.conditional)
        self.condition_value = self.x0[self.condition_column] * rng.uniform(0.8, 1.2, z.conditional)
        self.deal_decides = rng.integers(2, z.turns, D)
        self.deal_bidder, self.deal_rival = rng.integers(0, V, D), rng.integers(0, V, D)
        self.deal_region, self.deal_deploy = rng.integers(0, R, D), rng.integers(2, 6, D)
        self.domestic = np.zeros(V, bool)
        self.domestic[:2] = True
        self.sensitivity, self.turnover = rng.uniform(0, 2, R), rng.uniform(0.05, 0.15, R)
        self.incumbency = rng.normal(0, 1, (R, V))
        shares = rng.dirichlet(np.ones(V), R)
        self.shares0, self.market0 = shares, rng.uniform(1, 10, R)
        self.banned0 = rng.random((R, V)) < 0.05

    def play(self, seeds: np.ndarray) -> np.ndarray:
        """Play every game to the end; returns the final numeric state [B, columns]."""
        z, B = self.z, seeds.size
        R, V, L, D = z.regions, z.vendors, z.levers, z.deals
        seed = seeds.astype(np.uint64)
        x = np.tile(self.x0, (B, 1))
        shares = np.tile(self.shares0, (B, 1, 1))
        market = np.tile(self.market0, (B, 1))
        banned = np.tile(self.banned0, (B, 1, 1))
        pipeline = np.zeros((z.lag_slots, B, L))  # a ring: slot (turn + lag) % slots matures on that turn
        pledged = np.zeros((B, z.alliances), np.int64)
        status = np.zeros((B, D), np.int8)
        deploying = np.zeros((B, D), np.int64)
        fired = np.zeros((B, z.events), np.int64)
        last = np.full((B, z.events), -10**6, np.int64)
        done = np.zeros(B, bool)
        events, deals = np.arange(z.events)[None, :], np.arange(MAX_INCIDENTS)[None, :]
        v = self.v
        for turn in range(z.turns):
            alive = ~done
            # budget and the strategy's plan, scaled down to the budget
            budget = np.maximum(20.0 + x[:, self.budget_mod] + x[:, self.reserve], 0.0)
            x[:, self.budget_mod] = 0.0
            spend = np.minimum(budget[:, None] * self.weights[None, :], self.lever_max) * alive[:, None]
            total = spend.sum(axis=1)
            spend *= np.where(total > budget, budget / np.maximum(total, 1e-12), 1.0)[:, None]
            x[:, self.reserve] = 0.5 * (budget - spend.sum(axis=1))
            # this quarter's events: the checks, their conditions, the cap, their effects
            eligible = self.window[turn][None, :] & ((turn - last) >= self.cooldown) & ~(self.once & (fired > 0))
            fire = eligible & (uniform(seed[:, None], turn, EVENT, events) < self.probability) & alive[:, None]
            fire[:, self.conditional] &= x[:, self.condition_column] > self.condition_value
            fire &= np.cumsum(fire, axis=1) <= z.cap
            fired += fire
            last = np.where(fire, turn, last)
            # levers: diminishing returns, the lag ring, engineers, every effect in one product
            effective = np.where(spend >= self.lever_cost, self.saturation * (1 - np.exp(-spend / self.saturation)), 0)
            for lag, levers in self.lags:
                pipeline[(turn + lag) % z.lag_slots] += effective * levers
            due = pipeline[turn % z.lag_slots].copy()
            pipeline[turn % z.lag_slots] = 0.0
            workforce = np.clip(x[:, self.eng] / 40.0, 0.0, 1.0)
            due = np.where(self.needs_engineers, due * workforce[:, None], due)
            funded = spend @ self.lever_alliance
            keeps = funded >= self.pledge
            owed = pledged > 0
            committed = keeps | owed
            pledged = np.where(owed, np.where(keeps, pledged - 1, 0), np.where(keeps, self.term - 1, 0))
            x += np.concatenate([due, fire, committed], axis=1, dtype=np.float64) @ self.effects
            # drift
            x[:, v["tech"]] += 0.05 * x[:, v["rnd"]] * (1 - 0.5 * x[:, v["dependence"]])
            x[:, v["sixg"]] += 0.1 * x[:, v["rnd6g"]] - 0.02 * x[:, v["sixg"]]
            x[:, v["cost"]] += 0.1 * (self.x0[v["cost"]] - x[:, v["cost"]])
            x[:, v["trust"]] += 0.05 * (self.x0[v["trust"]] - x[:, v["trust"]])
            x[:, self.stance] += 0.1 * (50.0 - x[:, self.stance])
            x[:, self.standing] *= 0.97
            x[:, self.appeal] *= 0.8
            x[:, [self.tension, self.threat, self.approval]] += 0.1 * (50.0 - x[:, [self.tension, self.threat,
                                                                                      self.approval]])
            x[:, self.eng] += 1.0 - 0.02 * x[:, self.eng]
            market *= 1.005
            # the market: attractiveness, softmax over vendors, turnover
            size = market.sum(axis=1)
            world_share = np.einsum("brv,br->bv", shares, market) / size[:, None]
            domestic_before = world_share[:, self.domestic].sum(axis=1)
            vendor_term = 0.05 * x[:, v["tech"]] - x[:, v["cost"]] + 0.3 * np.log(np.maximum(world_share, 1e-4))
            attract = x[:, self.appeal].reshape(B, R, V) + self.incumbency
            attract += vendor_term[:, None, :]
            attract += self.sensitivity[None, :, None] * x[:, None, v["trust"]]
            attract[banned] = -np.inf
            attract -= attract.max(axis=2, keepdims=True)
            np.exp(attract, out=attract)
            attract /= attract.sum(axis=2, keepdims=True)
            attract -= shares
            attract *= self.turnover[None, :, None]
            shares += attract
            # deals decided this quarter, then deployment
            for d in np.flatnonzero(self.deal_decides == turn):
                b, r = self.deal_bidder[d], self.deal_rival[d]
                chance = 1 / (1 + np.exp(-(0.05 * (x[:, v["tech"]][:, b] - x[:, v["tech"]][:, r])
                                           + x[:, self.support][:, d] - 1)))
                open_ = (status[:, d] == 0) & alive
                won = open_ & (uniform(seed, turn, DEAL, d) < chance)
                status[:, d] = np.where(won, 1, np.where(open_, -1, status[:, d]))
                deploying[:, d] = np.where(open_, self.deal_deploy[d], deploying[:, d])
                x += won[:, None] * self.deal_effects[d] + (open_ & ~won)[:, None] * self.deal_effects[D + d]
            for d in np.flatnonzero((deploying > 0).any(axis=0)):
                going = deploying[:, d] > 0
                vendor = np.where(status[:, d] == 1, self.deal_bidder[d], self.deal_rival[d])
                row = shares[:, self.deal_region[d], :]
                tranche = np.where(going, 0.02, 0.0)
                row *= (1 - tranche)[:, None]
                row[np.arange(B), vendor] += tranche
                deploying[:, d] -= going
            # incidents: a Poisson count and its major ones
            rate = 0.2 * x[:, self.threat] / 50 * (1 + x[:, self.tension] / 100) * (1.5 - 0.5 * workforce)
            u = uniform(seed, turn, INCIDENT)
            term = np.exp(-rate)
            cdf, count = term.copy(), np.zeros(B, np.int64)
            for n in range(1, MAX_INCIDENTS + 1):
                count += u >= cdf
                term = term * rate / n
                cdf = cdf + term
            major = ((uniform(seed[:, None], turn, MAJOR, deals) < 0.2) & (deals < count[:, None])).sum(axis=1)
            count *= alive
            x[:, self.approval] -= 2.0 * count + 5.0 * major
            x[:, self.budget_mod] -= 1.0 * major
            # approval follows the domestic share; limits; the ending
            domestic = np.einsum("brv,br->b", shares[:, :, self.domestic], market) / size
            x[:, self.approval] += 50.0 * (domestic - domestic_before)
            np.clip(x, self.low, self.high, out=x)
            np.clip(shares, 0.0, 1.0, out=shares)
            shares /= shares.sum(axis=2, keepdims=True)
            done |= x[:, self.approval] < 20.0
        return x


def sizes_here() -> Sizes:
    """The default scenario's sizes, from the checkout this file lives in."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from game.content.loader import load_content
    from game.sim.compile import build_world

    return Sizes.of(build_world(load_content(), "default"))


def time_toy(sizes: Sizes, games: int) -> tuple[float, float]:
    """(CPU, wall) seconds to play `games` toy games, after a small warm-up."""
    toy = Toy(sizes)
    toy.play(np.arange(100))
    cpu, wall = time.process_time(), time.perf_counter()
    toy.play(np.arange(games))
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", help="the sizes as JSON (default: this checkout's default scenario)")
    parser.add_argument("--print-sizes", action="store_true", help="print the sizes as JSON and stop")
    parser.add_argument("--json", action="store_true", help="print one JSON document: sizes and CPU seconds")
    args = parser.parse_args()
    sizes = Sizes(**json.loads(args.sizes)) if args.sizes else sizes_here()
    if args.print_sizes:
        print(json.dumps(asdict(sizes)))
        return
    runs = [time_toy(sizes, args.games) for _ in range(args.repeat)]
    if args.json:
        print(json.dumps({"sizes": asdict(sizes), "games": args.games, "cpu_s": [r[0] for r in runs],
                          "wall_s": [r[1] for r in runs]}))
        return
    per = [1e6 * r[0] / (args.games * sizes.turns) for r in runs]
    print(f"toy: {sizes.describe()}")
    print(f"{args.games:,} games: {min(per):.2f} / {statistics.median(per):.2f} µs per game-turn (CPU, min/median "
          f"of {args.repeat})")


if __name__ == "__main__":
    main()
