"""How much the way a player answers events matters: each answer policy (game.strategies.answers, plus the
search's own per-event answers, `search`) played with one plan's spending, paired on the same seeds.

- On the best plan: the gain of the best policy over the scenario's default answers (`max_answer_gain`).
- On the built-in `balanced` strategy: the spread between the best and the worst policy
  (`min_answer_spread`: answers are a real choice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.analysis.search import FAMILY, Found, Space, play_rows
from game.sim.world import World
from game.strategies.answers import Answering, AnswerPolicy, dedupe, policies
from game.strategies.base import Strategy

SEARCH = "search"
"""The name of the search's own answers among the policies."""


@dataclass(frozen=True)
class PolicyRates:
    plan: str
    """What spends the money: 'the best plan (fixed)', 'balanced'..."""
    rates: dict[str, float]
    """Policy name -> win rate, in the policies' order ('default' first)."""
    games: int
    seed_start: int = 0
    labels: dict[str, str] | None = None
    """Policy name -> its name with the twins it stands for ('answer-2 (= last)')."""

    @property
    def best(self) -> str:
        return max(self.rates, key=lambda name: self.rates[name])

    @property
    def worst(self) -> str:
        return min(self.rates, key=lambda name: self.rates[name])

    @property
    def gain(self) -> float:
        """The best policy's win rate minus the default answers'."""
        return self.rates[self.best] - self.rates["default"]

    @property
    def spread(self) -> float:
        """The best policy's win rate minus the worst's."""
        return self.rates[self.best] - self.rates[self.worst]


def with_search(world: World, found: Found | None) -> list[AnswerPolicy]:
    """The scenario's answer policies and, when a plan was found, the search's answers (unless a twin)."""
    made = policies(world)
    if found is not None:
        made.append(AnswerPolicy(SEARCH, "the search's best answer per event", found.choices.copy()))
    return dedupe(world, made)


def _rates(world: World, strategy: Strategy, made: Sequence[AnswerPolicy], games: int, seed_start: int,
           plan: str) -> PolicyRates:
    played = play_rows(world, strategy, len(made), seed_start + np.arange(games))
    return PolicyRates(plan, {p.name: float(w / games) for p, w in zip(made, played.wins, strict=True)}, games,
                       seed_start, {p.name: p.label for p in made})


def on_found(found: Found, space: Space, made: Sequence[AnswerPolicy], games: int, seed_start: int = 0
             ) -> PolicyRates:
    """Every policy with a found plan's spending (its parameters, other answers), paired."""
    P = len(made)
    theta = np.repeat(found.theta[None], P, axis=0)
    choices = np.stack([p.choices for p in made])
    strategy = FAMILY[found.family].strategy(theta, choices, space, games)
    return _rates(space.world, strategy, made, games, seed_start, f"the best plan ({found.family})")


def on_strategy(world: World, strategy: Strategy, made: Sequence[AnswerPolicy], games: int, seed_start: int = 0
                ) -> PolicyRates:
    """Every policy with a strategy's spending (its own answers replaced), paired."""
    choices = np.repeat(np.stack([p.choices for p in made]), games, axis=0)
    return _rates(world, Answering(strategy, choices), made, games, seed_start, strategy.name)
