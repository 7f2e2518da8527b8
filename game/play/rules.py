"""The rules every front end shares: which seed a game plays, which allocations are legal, which events a
player may answer, and when two action logs are the same game. One home each; the core keeps its own
clamp (game.sim.levers.legal_allocations) as the last guard.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from game.content.suggest import did_you_mean
from game.sim.world import World

if TYPE_CHECKING:
    from game.content.schema import Scenario

EPS = 1e-9


class ActionError(ValueError):
    """An action the rules refuse: an unknown lever, event or choice, or spending beyond a limit.

    `key` is what it is about (a lever or event id, or '' for the plan as a whole); `reason` says why
    without repeating the key, so each front end can put it in its own frame."""

    def __init__(self, key: str, reason: str):
        self.key, self.reason = key, reason
        super().__init__(f"'{key}': {reason}" if key else reason)


@dataclass(frozen=True)
class TurnActions:
    """What the player decided in one quarter, by id (the unit of the action log)."""

    allocations: Mapping[str, float] = field(default_factory=dict)
    choices: Mapping[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- seeds


@dataclass(frozen=True)
class SeedChoice:
    seed: int
    notice: str | None = None
    """One line to show when an explicit seed overrides the scenario's fixed one."""


def effective_seed(scenario: Scenario, explicit: int | None, default: int | None = None) -> SeedChoice:
    """The seed a new game plays: an explicit `--seed` wins over the scenario's fixed seed (with a notice);
    without one, the scenario's seed; without that, `default` (None: the caller draws one)."""
    fixed = scenario.seed
    if explicit is not None:
        notice = None
        if fixed is not None and fixed != explicit:
            notice = (f"scenario '{scenario.id}' fixes seed {fixed}; playing seed {explicit} as asked "
                      "(drop --seed to play the class's game)")
        return SeedChoice(explicit, notice)
    if fixed is not None:
        return SeedChoice(fixed)
    if default is None:
        raise ValueError("no seed: pass one, or a default")
    return SeedChoice(default)


# ---------------------------------------------------------------- allocations


def check_allocations(world: World, allocations: Mapping[str, Any], budget: float | None,
                      budget_name: str = "this quarter's budget", turn: int | None = None) -> np.ndarray:
    """[L] the plan as the core's vector, or ActionError for the first thing the rules refuse: an unknown
    lever, an amount that is not a number of 0 or more, a lever the scenario does not offer (on `turn`,
    when given: World.available), more than a lever's max, or (when `budget` is given) more than the
    budget. A locked lever's amount is whatever the
    scenario fixes; the core sets it, so the plan's figure for it is not checked."""
    index = world.index("lever")
    alloc = np.zeros(len(world.lever_ids))
    for lever_id, amount in allocations.items():
        if lever_id not in index:
            raise ActionError(lever_id, f"unknown lever{did_you_mean(lever_id, world.lever_ids)}")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount) \
                or amount < 0:
            raise ActionError(lever_id, f"must be a number, 0 or more, not {amount!r}")
        i = index[lever_id]
        if not world.offered[i]:
            if amount > EPS:
                raise ActionError(lever_id, "is not offered in this scenario")
            continue
        if turn is not None and not world.available(turn)[i]:
            if amount > EPS:
                raise ActionError(lever_id, f"is not offered in {world.quarter(turn)} ({world.unavailable(i, turn)})")
            continue
        cap = float(world.arrays["lever_max"][i])
        if amount > cap + EPS:
            raise ActionError(lever_id, f"takes at most ¥{cap:g}B a quarter (its max), not ¥{amount:g}B")
        alloc[i] = float(amount)
    total = float(alloc.sum())
    if budget is not None and total > budget + EPS:
        raise ActionError("", f"¥{total:g}B in total is more than {budget_name} of ¥{budget:g}B")
    return alloc


def check_choices(world: World, pending: Sequence[str], choices: Mapping[str, str]) -> np.ndarray:
    """[E] the answers as the core's vector (-1: the default), or ActionError for an event that is not
    pending (or unknown) or a choice the event does not have."""
    for event_id, choice_id in choices.items():
        if event_id not in world.index("event"):
            raise ActionError(event_id, f"unknown event{did_you_mean(event_id, world.event_ids)}")
        if event_id not in pending:
            raise ActionError(event_id, "is not pending this quarter")
        ids = [c.id for c in world.content.events[event_id].choices]
        if choice_id not in ids:
            valid = ", ".join(ids) if ids else "the event has no choices"
            raise ActionError(event_id, f"has no choice '{choice_id}'{did_you_mean(choice_id, ids)} "
                                        f"(valid: {valid})")
    return world.choice_vector(dict(choices))


# ---------------------------------------------------------------- games


def same_game(scenario_a: str, seed_a: int, log_a: Sequence[TurnActions],
              scenario_b: str, seed_b: int, log_b: Sequence[TurnActions]) -> bool:
    """Game A is game B or an earlier point of it: same scenario and seed, and A's log begins B's."""
    return (scenario_a == scenario_b and seed_a == seed_b and len(log_a) <= len(log_b)
            and all(a == b for a, b in zip(log_a, log_b, strict=False)))
