"""Answer policies: simple rules a player could follow to answer every event, as choice vectors.

A policy gives one answer per event of the scenario (int[E], -1: the event's default), whatever the state:

- `default`: each event's default answer (what happens when nobody answers);
- `answer-K` (K = 1 .. the most answers any event has): always the K-th answer listed (the last one when an
  event has fewer);
- `last`: always the last answer listed;
- `thrifty`: always the answer that takes the least money, counting the answer's own `add` effects on
  `budget` (MONEY_TARGETS); ties go to the event's default, then to the first listed;
- `spender`: always the answer that takes the most money; ties likewise (so where no answer costs money it
  answers as `default`).

Only the events a plan can answer count (offered in the scenario, with two answers or more). `policies`
drops a policy that answers every such event as an earlier one does, keeping the earlier name (its
description lists the others). The balance checks add the search's own answers (`search`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.sim.state import State
from game.sim.step import Actions
from game.sim.world import World
from game.strategies.base import Strategy

MONEY_TARGETS = ("budget",)
"""The variables whose `add` effects are money an answer takes (negative) or brings (positive)."""
NAMES = ("default", "last", "thrifty", "spender")
"""The named policies besides `answer-K`."""


@dataclass(frozen=True)
class AnswerPolicy:
    name: str
    description: str
    choices: np.ndarray
    """int[E] the answer per event (-1: the event's default)."""
    aliases: tuple[str, ...] = ()
    """Later policies that answer every event the same way (dropped in its favour)."""

    @property
    def label(self) -> str:
        return self.name + (f" (= {', '.join(self.aliases)})" if self.aliases else "")


def answerable(world: World) -> np.ndarray:
    """int[E'] the events a plan can answer: offered in the scenario, with two answers or more."""
    arr = world.arrays
    return np.flatnonzero(arr["event_allowed"] & (arr["event_choices"] > 1))


def money(world: World, event: int, choice: int) -> float:
    """¥ billions the answer adds to the budget (negative: it costs money)."""
    effects = world.event(event).choices[choice].effects
    return float(sum(getattr(e, "amount", 0.0) for e in effects
                     if e.kind == "add" and getattr(e, "target", None) in MONEY_TARGETS))


def _by_money(world: World, event: int, sign: float) -> int:
    """The answer with the most `sign` × money (ties: the default, then the first listed)."""
    info = world.event(event)
    values = [sign * money(world, event, c) for c in range(len(info.choices))]
    top = max(values)
    return info.default if values[info.default] == top else values.index(top)


def policies(world: World) -> list[AnswerPolicy]:
    """The answer policies of a scenario (see the module docstring), without duplicates."""
    events = answerable(world)
    counts = world.arrays["event_choices"]
    E = len(world.event_ids)
    most = int(counts[events].max(initial=0))

    def vector(pick: Callable[[int], int]) -> np.ndarray:
        out = np.full(E, -1, dtype=np.int64)
        for e in events:
            out[e] = pick(int(e))
        return out

    made = [AnswerPolicy("default", "each event's default answer", np.full(E, -1, dtype=np.int64))]
    for k in range(most):
        kth = vector(lambda e: min(k, int(counts[e]) - 1))  # noqa: B023 (called here, within the loop)
        made.append(AnswerPolicy(f"answer-{k + 1}", f"always answer {k + 1} (the last when there are fewer)", kth))
    made += [
        AnswerPolicy("last", "always the last answer", vector(lambda e: int(counts[e]) - 1)),
        AnswerPolicy("thrifty", "always the answer that takes the least money", vector(lambda e: _by_money(world, e, 1.0))),
        AnswerPolicy("spender", "always the answer that takes the most money", vector(lambda e: _by_money(world, e, -1.0))),
    ]
    return dedupe(world, made)


def resolved(world: World, choices: np.ndarray) -> np.ndarray:
    """int[E] the answer each event really gets (-1 and out-of-range answers replaced by the default)."""
    counts = world.arrays["event_choices"]
    defaults = world.arrays["event_default"]
    ok = (choices >= 0) & (choices < counts)
    return np.where(ok, choices, defaults)


def dedupe(world: World, made: list[AnswerPolicy]) -> list[AnswerPolicy]:
    """The policies in order, each answering the answerable events differently from every earlier one (an
    earlier twin keeps its name and lists the dropped one's as aliases)."""
    events = answerable(world)
    kept: list[AnswerPolicy] = []
    for p in made:
        key = resolved(world, p.choices)[events]
        twin = next((j for j, k in enumerate(kept) if np.array_equal(resolved(world, k.choices)[events], key)), None)
        if twin is None:
            kept.append(p)
        else:
            k = kept[twin]
            kept[twin] = AnswerPolicy(k.name, k.description, k.choices, (*k.aliases, p.name, *p.aliases))
    return kept


def by_name(world: World, names: tuple[str, ...] | list[str]) -> list[AnswerPolicy]:
    """The policies named (a name merged into an earlier twin finds the twin), in the order asked, once each."""
    every = policies(world)
    out: list[AnswerPolicy] = []
    for name in names:
        found = next((p for p in every if name == p.name or name in p.aliases), None)
        if found is None:
            valid = [n for p in every for n in (p.name, *p.aliases)]
            raise ValueError(f"unknown answer policy '{name}' (valid here: {', '.join(valid)})")
        if found not in out:
            out.append(found)
    return out


class Answering:
    """Another strategy's allocations with fixed answers: choices int[B, E] per game, or [1, E] for every
    game (e.g. one policy's `choices[None]`)."""

    def __init__(self, inner: Strategy, choices: np.ndarray, name: str | None = None):
        self.inner = inner
        self.choices = np.atleast_2d(np.asarray(choices, dtype=np.int64))
        self.name = name or inner.name

    def act(self, state: State, world: World) -> Actions:
        actions = self.inner.act(state, world)
        choices = np.broadcast_to(self.choices, (state.batch, self.choices.shape[1])).copy()
        return Actions(actions.allocations, choices)
