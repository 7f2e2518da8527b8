"""Built-in strategies. Each is vectorised over the batch; randomness comes from the game's own seed
through the counter-based generator, so a strategy's moves are reproducible too.

- `do_nothing`: spends nothing, takes every event's default answer (the baseline to beat).
- `random`: spends the whole budget at random across levers, answers events at random.
- `balanced`: the budget split evenly across the five lever categories (a tenth kept in reserve where
  unspent money carries over, as in every category split).
- `subsidy_heavy`, `rnd_heavy`, `workforce_heavy`, `export_heavy`, `alliance_heavy`: half the budget
  on one category, the other half evenly across the other four.
- `greedy`: looks one quarter ahead with the core itself (see `Greedy`).
- `lookahead`: plans to the game's end on imagined futures (see `Lookahead`; played only when named,
  not in a default sweep: it costs hundreds of imagined games per quarter).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from game.content.terms import CATEGORIES
from game.sim.metrics import budget
from game.sim.rng import Purpose, hash64, uniform
from game.sim.rowwise import take_rows
from game.sim.scoring import evaluate
from game.sim.state import State
from game.sim.step import Actions, close_quarter, open_quarter, spend, step
from game.sim.world import World
from game.strategies.answers import by_name
from game.strategies.base import fill_budget

KEEP = 0.1
"""Where unspent money carries over (the scenario's `carryover`), the category splits keep this share of
each quarter's own money (the reserve itself is never spent), as a careful ministry would."""
HEAVY_WEIGHT = 4.0
"""A heavy strategy weighs its category 4 : 1 against each of the other four (half the budget)."""


class DoNothing:
    """Spends nothing and takes every event's default answer: the baseline to beat."""

    name = "do_nothing"

    def act(self, state: State, world: World) -> Actions:
        return Actions.nothing(world, state.batch)


class RandomPlay:
    """A player pressing keys at random: each quarter it funds a handful of levers picked at random (about
    four) with random amounts, spends the whole budget, and answers events at random."""

    name = "random"
    picks = 4.0

    def act(self, state: State, world: World) -> Actions:
        L, E = len(world.lever_ids), len(world.event_ids)
        draw = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, np.arange(2 * L)[None, :])
        picked = draw[:, :L] < self.picks / L
        weights = np.where(picked, draw[:, L:], 0.0)
        rolls = uniform(state.seed[:, None], state.turn, Purpose.STRATEGY, (1000 + np.arange(E))[None, :])
        n = np.maximum(world.arrays["event_choices"], 1)
        return Actions(fill_budget(weights, state, world), (rolls * n).astype(np.int64))


def category_lever_weights(weights: Mapping[str, float], world: World) -> np.ndarray:
    """[L] per-lever weights: each category's weight split evenly across its levers."""
    by_category = np.array([weights.get(c, 0.0) for c in CATEGORIES])
    category = world.arrays["lever_category"]
    return by_category[category] / np.bincount(category, minlength=len(CATEGORIES))[category]


class CategoryWeighted:
    """Splits the budget across the five lever categories by fixed weights, evenly within a category."""

    def __init__(self, name: str, weights: dict[str, float]):
        self.name = name
        self.weights = dict(weights)

    def act(self, state: State, world: World) -> Actions:
        per_lever = category_lever_weights(self.weights, world)
        share: float | np.ndarray = 1.0
        if world.scenario.carryover > 0:  # spend (1 - KEEP) of the quarter's own money, never the reserve
            total = budget(state, world)
            share = (1.0 - KEEP) * np.maximum(total - state.reserve, 0.0) / np.maximum(total, 1e-12)
        return Actions(fill_budget(np.broadcast_to(per_lever, (state.batch, per_lever.size)), state, world, share))


def balanced() -> CategoryWeighted:
    """Spends the budget evenly across the five categories."""
    return CategoryWeighted("balanced", dict.fromkeys(CATEGORIES, 1.0))


def heavy(category: str) -> CategoryWeighted:
    """Half the budget on `category`, the rest evenly across the other four."""
    return CategoryWeighted(f"{category}_heavy",
                            {c: HEAVY_WEIGHT if c == category else 1.0 for c in CATEGORIES})


class Greedy:
    """One quarter of look-ahead with the core itself.

    Each turn, every game tries K candidate plans (balanced, the five category-heavy splits and the ten
    two-category mixes). The quarter's opening, which no plan changes (budget, events: game.sim.step's
    `open_quarter`), is played once; then it forks, its rows repeated once per candidate in a group of
    candidates, and each group closes the quarter in one look-ahead (no next-quarter event draw; where an
    event touches the reserve, each group plays its whole quarter, plan first, as `step`); a group holds
    as many candidates as fit in `max_rows` rows (all K for one game, one per step from 1,024 games on: big
    arrays leave the CPU cache, and copying the state costs more than the calls it saves). A plan equal to
    one of the game's earlier candidates (caps and closed levers make many coincide) and a finished game
    are not imagined: they could not change the pick. Each game keeps the plan whose resulting state has
    the best value (the scenario's score before its flooring, 0-100; ties go to the earlier candidate).
    The look-ahead runs on *forecast* seeds derived from the game's seed, so it never peeks at the real
    draws of the quarter (incidents, deals, events) it is about to play. Events take their default answers.
    Every forked row depends only on its own game, so a game plays the same alone or in any batch.
    """

    name = "greedy"

    def __init__(self, candidates: list[Mapping[str, float]] | None = None, max_rows: int = 1024):
        default: list[Mapping[str, float]] = [dict.fromkeys(CATEGORIES, 1.0)]
        default += [{c: HEAVY_WEIGHT if c == h else 1.0 for c in CATEGORIES} for h in CATEGORIES]
        # two-category mixes too: the strongest plans lean on two or three categories, rarely one
        default += [{c: HEAVY_WEIGHT if c in pair else 1.0 for c in CATEGORIES} for pair in combinations(CATEGORIES, 2)]
        self.candidates = candidates or default
        self.max_rows = max_rows

    def cost(self, world: World) -> float:
        """A game-turn's cost in fixed strategies' game-turns (measured at 1,000 games in every scenario:
        greedy's 16 candidates cost 9 to 13 balanced games (benchmarks/bench_sweep.py --greedy): an imagined
        quarter costs about 0.7 played ones, its opening shared, less where equal plans are skipped)."""
        return 1.0 + 0.7 * len(self.candidates)

    def plans(self, state: State, world: World) -> np.ndarray:
        """[K,B,L] the candidate allocations."""
        B = state.batch
        return np.stack([fill_budget(np.broadcast_to(w, (B, w.size)), state, world)
                         for w in (category_lever_weights(c, world) for c in self.candidates)])

    def value(self, state: State, world: World) -> np.ndarray:
        return evaluate(state, world).exact  # unfloored: a tenth's rounding would tie close plans

    def act(self, state: State, world: World) -> Actions:
        plans = self.plans(state, world)
        return Actions(plans[self.pick(state, plans, world), np.arange(state.batch)])

    def pick(self, state: State, plans: np.ndarray, world: World) -> np.ndarray:
        """int[B] the candidate of `plans` [K,B,L] whose imagined quarter each game values best.

        Only the quarters that can change the pick are imagined: a plan equal to one of the game's earlier
        candidates ends the quarter in the same state (it would tie, and ties go to the earlier), and a
        finished game's quarter changes nothing (its candidates all tie: it keeps the first)."""
        K, B, L = plans.shape
        fresh = np.ones((K, B), dtype=bool)
        # Equal plans have equal weighted sums (elementwise products, summed in one order): only the pairs of
        # candidates whose sums match (or are not finite) are compared lever by lever.
        key = (plans * np.linspace(1.0, 2.0, L)).sum(axis=2)
        odd = ~np.isfinite(key)
        for k in range(1, K):
            earlier, game = np.nonzero((key[:k] == key[k]) | odd[:k] | odd[k])
            if game.size:
                fresh[k, game[(plans[earlier, game] == plans[k, game]).all(axis=1)]] = False
        fresh &= ~state.done
        imagined = state.replace(seed=hash64(state.seed, state.turn, Purpose.FORECAST, 0))
        # The quarter's opening (budget, events) is the same for every plan: opened once, forked per group.
        opened = None if world.events_touch_reserve or not fresh.any() else open_quarter(imagined, world)
        values = np.full((K, B), -np.inf)
        counts = fresh.sum(axis=1)
        k = 0
        while k < K:  # candidates k..j-1 fork into one step, at most max_rows rows (or one candidate)
            j = k + 1
            while j < K and counts[k:j + 1].sum() <= self.max_rows:
                j += 1
            ks, games = np.nonzero(fresh[k:j])
            ks += k
            if games.size:
                plan = plans[ks, games]
                quarter = (spend(opened.rows(games), plan, world) if opened is not None else
                           open_quarter(_rows(imagined, games), world, allocations=plan))
                after, _ = close_quarter(quarter, world, lookahead=True)
                values[ks, games] = self.value(after, world)
            k = j
        return np.argmax(values, axis=0)


def _rows(state: State, rows: np.ndarray) -> State:
    """The games `rows` of a batch, every array of the state."""
    return State(turn=state.turn, **{k: take_rows(v, rows) for k, v in state.arrays().items()})


LOOKAHEAD_STREAM = 1000
"""Imagined future m of a game at turn t plays seed hash64(seed, t, FORECAST, LOOKAHEAD_STREAM + m): a
stream of its own (greedy's one-quarter forecast uses index 0)."""


def _tiled(state: State, n: int) -> State:
    """Each game of the batch repeated n times in a row (game-major), every array of the state."""
    return State(turn=state.turn, **{k: np.repeat(v, n, axis=0) for k, v in state.arrays().items()})


def spent_share(state: State, world: World, shares: np.ndarray) -> np.ndarray:
    """[B] the share of each game's budget a candidate of share s spends: all of it when s = 1, else s × the
    scenario's nominal budget (never more than there is), so that the rest builds up a reserve wherever
    the scenario carries unspent money over."""
    now = budget(state, world)
    planned = shares * world.scenario.budget
    return np.where(shares >= 1.0, 1.0, np.minimum(planned / np.where(now > 0, now, 1.0), 1.0))


@dataclass(frozen=True)
class Candidates:
    """What a look-ahead weighs for every game of a batch: candidate k spends shares[k] of the budget in
    proportion to weights[:, k] (late[:, k] from quarter `switch` on) and answers events by choices[k]."""

    weights: np.ndarray
    """[B,K,L] lever weights (per game: the `so_far` split is the game's own)."""
    late: np.ndarray
    """[B,K,L] the lever weights of the final stretch, from quarter `switch` on."""
    switch: int
    """The first quarter of the final stretch."""
    shares: np.ndarray
    """[K] 1 spends the whole budget; s < 1 spends s × the scenario's nominal budget each quarter."""
    choices: np.ndarray
    """int[K,E] the answer per event (-1: the default)."""

    @property
    def count(self) -> int:
        return int(self.shares.size)


class Lookahead:
    """Plans to the game's end on imagined futures.

    Each quarter, every game weighs K candidates: each candidate SPLIT (balanced, the five category-heavy
    mixes, the ten two-category mixes, and, with `so_far`, the game's own split of its money so far:
    `invested` per lever, balanced on the first quarter) × each FINAL STRETCH (from `final` of the game on,
    quarter `switch`: the same split, or each mix of `late`, by default subsidy-heavy, since subsidies fade
    once the money stops and so count most when spent last) × each spending SHARE of `shares` (1: spend
    the whole budget; s < 1 spends s × the scenario's nominal budget each quarter, so a reserve builds up
    where a scenario carries unspent money over, to be spent by a later candidate of share 1) × each answer
    POLICY of `answer_policies` (game.strategies.answers: e.g. every event's default, or always the answer
    that costs most). For each candidate it plays the game from its current state to the end on `futures`
    imagined futures, keeping that candidate as a two-part plan (filled through `fill_budget` on each
    imagined quarter's budget), share and answer policy, and it picks the candidate that wins most of them,
    the mean score breaking ties (then the earlier candidate: candidate 0 is balanced throughout, whole
    budget, `answer_policies[0]`). Once the final stretch has begun it plays the chosen candidate's late
    split.

    An imagined future is a copy of the game's current state (the events already pending included: the
    player sees them) with a seed derived from the game's own seed and turn (LOOKAHEAD_STREAM), so it never
    plays the game's real future draws; the same futures serve every candidate (a paired comparison).
    All games × candidates × futures of a batch step together, one call of the core's `step` per imagined
    quarter (in chunks of at most `max_rows` rows: the same result, less memory), and every row depends
    only on its own game, so a game plays the same alone or in any batch. One quarter costs K × futures ×
    (quarters left) game-steps per game: about K × futures × T / 2 times a fixed strategy over a game
    (defaults: K = 17 splits × 2 final stretches × 2 shares × 2 policies = 136, futures = 4).
    """

    name = "lookahead"

    def __init__(self, futures: int = 4, splits: Sequence[Mapping[str, float]] | None = None,
                 shares: Sequence[float] = (1.0, 0.85),
                 answer_policies: Sequence[str] = ("default", "spender"), so_far: bool = True,
                 late: Sequence[Mapping[str, float]] | None = None, final: float = 0.7, max_rows: int = 16384):
        if futures < 1:
            raise ValueError("lookahead needs at least one imagined future")
        # subsidies fade once the money stops, so money for them counts most in the last quarters
        subsidy_heavy: Mapping[str, float] = {c: HEAVY_WEIGHT if c == "subsidy" else 1.0 for c in CATEGORIES}
        self.late = list(late) if late is not None else [subsidy_heavy]
        self.final = final
        default: list[Mapping[str, float]] = [dict.fromkeys(CATEGORIES, 1.0)]
        default += [{c: HEAVY_WEIGHT if c == h else 1.0 for c in CATEGORIES} for h in CATEGORIES]
        # two-category mixes too: the strongest plans lean on two or three categories, rarely one
        default += [{c: HEAVY_WEIGHT if c in pair else 1.0 for c in CATEGORIES} for pair in combinations(CATEGORIES, 2)]
        self.futures, self.so_far, self.max_rows = futures, so_far, max_rows
        self.splits = list(splits) if splits is not None else default
        self.shares = tuple(float(x) for x in shares)
        self.answer_policies = tuple(answer_policies)

    def cost(self, world: World) -> float:
        """A game-turn's cost in fixed strategies' game-turns: K x futures imagined games to the end, about
        T / 2 quarters on average (measured: an imagined quarter costs about 1.5 played ones)."""
        K = (len(self.splits) + self.so_far) * len(self.shares) * len(self.answer_policies) * (1 + len(self.late))
        return 1.0 + 1.5 * K * self.futures * world.turns / 2

    def switch(self, world: World) -> int:
        """The first quarter of the final stretch."""
        return round(self.final * world.turns)

    def candidates(self, state: State, world: World) -> Candidates:
        """Every game's candidates: final-stretch option, then split, then share, then answer policy."""
        B = state.batch
        splits = [np.broadcast_to(category_lever_weights(c, world), (B, len(world.lever_ids)))
                  for c in self.splits]
        if self.so_far:
            spent = np.where(world.controllable, state.invested, 0.0)
            first = spent.sum(axis=1, keepdims=True) <= 0
            splits.append(np.where(first, category_lever_weights(self.splits[0], world), spent))
        policies = np.stack([p.choices for p in by_name(world, self.answer_policies)])
        A, H, S = len(policies), len(self.shares), len(splits)
        now = np.repeat(np.stack(splits, axis=1), H * A, axis=1)
        lates = [np.broadcast_to(category_lever_weights(m, world), now.shape) for m in self.late]
        return Candidates(weights=np.tile(now, (1, 1 + len(lates), 1)), late=np.concatenate([now, *lates], axis=1),
                          switch=self.switch(world),
                          shares=np.tile(np.repeat(np.array(self.shares), A), S * (1 + len(lates))),
                          choices=np.tile(policies, (S * H * (1 + len(lates)), 1)))

    def outlook(self, state: State, world: World, c: Candidates) -> tuple[np.ndarray, np.ndarray]:
        """(wins [B,K] out of `futures`, mean score [B,K]) of each candidate played to the end."""
        B, K, L = c.weights.shape
        M = self.futures
        imagined = _tiled(state, K * M)
        futures = hash64(state.seed[:, None], state.turn, Purpose.FORECAST, LOOKAHEAD_STREAM + np.arange(M)[None, :])
        imagined = imagined.replace(seed=np.repeat(futures[:, None, :], K, axis=1).reshape(-1))
        weights = np.repeat(c.weights.reshape(B * K, L), M, axis=0)
        late = np.repeat(c.late.reshape(B * K, L), M, axis=0)
        shares = np.tile(np.repeat(c.shares, M), B)
        choices = np.tile(np.repeat(c.choices, M, axis=0), (B, 1))
        while imagined.turn < world.turns and not imagined.done.all():
            w = late if imagined.turn >= c.switch else weights
            spend = fill_budget(w, imagined, world, spent_share(imagined, world, shares))
            imagined, _ = step(imagined, Actions(spend, choices), world)
        scores = evaluate(imagined, world)
        wins = (scores.outcome == 0).reshape(B, K, M).sum(axis=2)
        return wins, scores.score.reshape(B, K, M).mean(axis=2)

    def pick(self, state: State, world: World, c: Candidates) -> np.ndarray:
        """int[B] the candidate each game plays (most imagined wins, then the best mean score, then the first)."""
        best = np.zeros(state.batch, dtype=np.int64)
        live = np.flatnonzero(~state.done)  # a finished game's move changes nothing
        chunk = max(1, self.max_rows // (c.count * self.futures))
        for start in range(0, live.size, chunk):
            rows = live[start:start + chunk]
            wins, score = self.outlook(_rows(state, rows), world, replace(c, weights=c.weights[rows], late=c.late[rows]))
            top = wins == wins.max(axis=1, keepdims=True)
            best[rows] = np.argmax(np.where(top, score, -np.inf), axis=1)
        return best

    def act(self, state: State, world: World) -> Actions:
        c = self.candidates(state, world)
        best = self.pick(state, world, c)
        chosen = (c.late if state.turn >= c.switch else c.weights)[np.arange(state.batch), best]
        return Actions(fill_budget(chosen, state, world, spent_share(state, world, c.shares[best])), c.choices[best])
