"""What a balance search says about a scenario: which doctrines can win, which levers matter, which event
answers matter.

- **Doctrines**: for each lever category, the best plan that puts at least `DOCTRINE_SHARE` of its money
  there, validated like any search result, and its gap to the unconstrained best: *viable* (within
  `VIABLE_WITHIN` of the best), *weaker*, or *dead* (wins under `DEAD_BELOW`).
- **Lever verdicts** on the best static plan, paired on the same seeds: each lever removed (its money
  spread over the others by the same `fill_budget`) and each lever forced to `FORCED_SHARE` of the budget
  every quarter (the rest scaled down to fit the plan's own spending). *mandatory*: removing it costs more than
  `MANDATORY_COST`; *dead*: neither the best plan nor a viable doctrine funds it (`FUNDED_SHARE` of what the
  plan spends while the lever is open) and forcing it costs more than `NOISE`; *useful*: removing it costs
  more than `NOISE`; else *no effect*.
- **Answer verdicts**: each event's other answers on the best plan, same seeds.
- **Category uses**: a lever category is *useful in a plan* when removing all of its levers from that plan
  (the plan's money re-spread over its other levers by the plan's own fill rule: the same parameters with
  the category forbidden) lowers the plan's win rate by more than `NOISE` on the same seeds; a category is
  *useful* when it is useful in some viable plan (a family's best plan within `VIABLE_WITHIN` of the best,
  or a viable doctrine). A category none of whose levers the scenario lets a plan fund is useful nowhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from game.analysis.search import (
    FAMILY,
    Constraint,
    Found,
    PlanTable,
    Progress,
    SearchError,
    Settings,
    Space,
    Static,
    make_space,
    open_quarters,
    play_rows,
    play_variants,
    search,
)
from game.content.pack import Content
from game.content.schema import CATEGORIES, Category

DOCTRINE_SHARE = 0.4
VIABLE_WITHIN = 0.10
DEAD_BELOW = 0.05
MANDATORY_COST = 0.40
FORCED_SHARE = 0.10
FUNDED_SHARE = 0.02
"""A lever counts as funded by a plan that gives it at least this share of the money the plan spends while
the lever is open (a searched weight is never exactly zero; a deal open for four quarters is judged on
those four, not on the whole game)."""
NOISE = 0.01
"""Win-rate changes smaller than this are read as no change."""
EPS = 1e-9
"""Slack for float differences of win rates (0.79 - 0.80 is a change of exactly NOISE, not more)."""


@dataclass(frozen=True)
class Doctrine:
    category: Category
    found: Found
    gap: float
    """Best win rate minus this doctrine's (points as a fraction)."""
    verdict: str
    """'viable', 'weaker' or 'dead'."""


def verdict_of(win_rate: float, best: float, met: bool) -> str:
    if win_rate < DEAD_BELOW or not met:
        return "dead"
    return "viable" if best - win_rate <= VIABLE_WITHIN + 1e-12 else "weaker"


def doctrines(content: Content, scenario: str, best: Found, settings: Settings, family: str = "fixed",
              workers: int = 1, progress: Progress | None = None, forbid: Sequence[str] = ()) -> list[Doctrine]:
    """The best plan of each category-led doctrine (at least DOCTRINE_SHARE of the money there)."""
    out = []
    for category in CATEGORIES:
        try:
            [found] = search(content, scenario, [family], settings, forbid=forbid,
                             constraints=[Constraint(category, DOCTRINE_SHARE, 1.0)], workers=workers,
                             progress=progress, start=best if best.family == family else None)
        except SearchError:
            continue  # no lever of this category may be funded in this scenario
        met = found.violation <= 1e-3
        out.append(Doctrine(category, found, best.win_rate - found.win_rate,
                            verdict_of(found.win_rate, best.win_rate, met)))
    return out


@dataclass(frozen=True)
class LeverVerdict:
    lever: str
    removed: float
    """Win rate change when the lever is removed (negative: it was helping)."""
    forced: float
    """Win rate change when the lever is forced to FORCED_SHARE of the budget."""
    verdict: str


@dataclass(frozen=True)
class AnswerVerdict:
    event: str
    best: str
    """The answer with the highest win rate on the best plan."""
    matters: float
    """Best minus worst answer's win rate."""
    rates: dict[str, float]


def _wins(space: Space, tables: np.ndarray, choices: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    """[P] the win rate of each static plan on the same seeds."""
    S = seeds.size
    strategy = PlanTable(np.repeat(tables, S, axis=0), np.repeat(choices, S, axis=0))
    return play_rows(space.world, strategy, tables.shape[0], seeds).wins / S


def lever_verdicts(best: Found, space: Space, viable: Sequence[Doctrine], games: int,
                   seed_start: int = 0) -> list[LeverVerdict]:
    """Each lever removed and forced, paired on seeds seed_start.. (static families only)."""
    family = FAMILY[best.family]
    if not isinstance(family, Static):
        raise SearchError(f"lever verdicts need a static plan, not the '{best.family}' family")
    world = space.world
    base = family.tables(best.theta[None], space)[0]
    budget = world.scenario.budget
    levers = np.flatnonzero(space.free)
    variants = [base]
    for i in levers:
        removed = make_space(world, [world.lever_ids[i]], space.constraints)
        variants.append(family.tables(best.theta[None], removed)[0])
    for i in levers:
        forced = base.copy()
        amount = min(FORCED_SHARE * budget, float(world.arrays["lever_max"][i]))
        others = forced.sum(axis=1) - forced[:, i]
        # the plan's own total each quarter, not the whole budget: forcing a lever must not also spend the
        # money a saving plan keeps
        room = np.maximum(np.maximum(forced.sum(axis=1), amount) - amount, 0.0)
        scale = np.where(others > room, room / np.where(others > 0, others, 1.0), 1.0)
        forced *= scale[:, None]
        forced[:, i] = amount
        variants.append(forced)
    choices = np.repeat(best.choices[None], len(variants), axis=0)
    rates = _wins(space, np.stack(variants), choices, seed_start + np.arange(games))
    base_rate, n = rates[0], len(levers)
    plans = [base] + [family.tables(d.found.theta[None], space)[0] for d in viable if d.verdict == "viable"]
    funded_by_viable = np.zeros(len(world.lever_ids), dtype=bool)
    is_open = open_quarters(world)
    for plan in plans:
        while_open = (plan.sum(axis=1)[:, None] * is_open).sum(axis=0)
        funded_by_viable |= plan.sum(axis=0) >= FUNDED_SHARE * np.maximum(while_open, 1e-12)
    out = []
    for j, i in enumerate(levers):
        removed, forced = rates[1 + j] - base_rate, rates[1 + n + j] - base_rate
        if -removed > MANDATORY_COST + EPS:
            verdict = "mandatory"
        elif not funded_by_viable[i] and forced < -NOISE - EPS:
            verdict = "dead"
        elif -removed > NOISE + EPS:
            verdict = "useful"
        else:
            verdict = "no effect"
        out.append(LeverVerdict(world.lever_ids[i], float(removed), float(forced), verdict))
    return out


def answer_verdicts(best: Found, space: Space, games: int, seed_start: int = 0) -> list[AnswerVerdict]:
    """For each event the plan answers, every answer on the best plan, paired on the same seeds."""
    family = FAMILY[best.family]
    if not isinstance(family, Static):
        raise SearchError(f"answer verdicts need a static plan, not the '{best.family}' family")
    world = space.world
    table = family.tables(best.theta[None], space)[0]
    rows, keys = [], []
    for e in space.answerable:
        for c in range(int(world.arrays["event_choices"][e])):
            choices = best.choices.copy()
            choices[e] = c
            rows.append(choices)
            keys.append((int(e), c))
    if not rows:
        return []
    rates = _wins(space, np.repeat(table[None], len(rows), axis=0), np.stack(rows), seed_start + np.arange(games))
    out = []
    for e in space.answerable:
        event = world.event(int(e))
        by = {event.choices[c].id: float(rates[k]) for k, (ee, c) in enumerate(keys) if ee == e}
        top = max(by, key=lambda cid: by[cid])
        out.append(AnswerVerdict(event.id, top, max(by.values()) - min(by.values()), by))
    out.sort(key=lambda a: -a.matters)
    return out


@dataclass(frozen=True)
class CategoryUse:
    category: Category
    removed: dict[str, float]
    """Plan label -> its win rate change when the category's levers are removed (negative: they helped)."""

    @property
    def useful_in(self) -> list[str]:
        """The plans in which the category is useful (removing it costs more than NOISE)."""
        return [plan for plan, change in self.removed.items() if -change > NOISE + EPS]

    @property
    def useful(self) -> bool:
        return bool(self.useful_in)


def viable_plans(families: Sequence[Found], found: Sequence[Doctrine]) -> list[tuple[str, Found]]:
    """(label, plan) of the viable plans: each family's best within VIABLE_WITHIN of the best, then the viable
    doctrines ('subsidy-led', ...)."""
    top = max((f.win_rate for f in families), default=0.0)
    out = [(f.family, f) for f in families if verdict_of(f.win_rate, top, True) == "viable"]
    return out + [(f"{d.category}-led", d.found) for d in found if d.verdict == "viable"]


def category_uses(plans: Sequence[tuple[str, Found]], space: Space, games: int, seed_start: int = 0
                  ) -> list[CategoryUse]:
    """Each category removed from each plan, paired on seeds seed_start.. (see the module docstring)."""
    world = space.world
    category = world.arrays["lever_category"]
    strategies, keys = [], []
    for label, plan in plans:
        family = FAMILY[plan.family]
        for c in [None, *range(len(CATEGORIES))]:
            free = space.free if c is None else space.free & (category != c)
            variant = replace(space, free=free, constraints=())
            strategies.append(family.strategy(plan.theta[None], plan.choices[None], variant, games))
            keys.append((label, c))
    if not strategies:
        return [CategoryUse(name, {}) for name in CATEGORIES]
    rates = play_variants(world, strategies, seed_start + np.arange(games)).wins / games
    base = {label: rates[k] for k, (label, c) in enumerate(keys) if c is None}
    out = []
    for c, name in enumerate(CATEGORIES):
        removed = {label: float(rates[k] - base[label]) for k, (label, cc) in enumerate(keys) if cc == c}
        out.append(CategoryUse(name, removed))
    return out
