"""What pushes each metric up or down, and how hard, now: the drivers view's model (pure, no Textual).

Every metric is an expression of the content vocabulary (`approval`, `tech.fujitsu`, a goal's
`domestic_share + 0.1 * sixg_share`). Its drivers come in four kinds, each measured by the core itself:

- **levers**: the next step of money's direct effect (the lever's compiled effects through
  `apply_effects`, at the marginal return diminishing returns leave at the plan's spend, times the
  engineer factor), per ¥B; a lever whose effects never touch the metric is absent;
- **last quarter**: each cause's part in the metric's change in the quarter just played, from the turn
  report's ledger (the metric with and without that cause's changes: the ledger entry itself for a metric
  that reads one array);
- **parts**: for a compound expression, each name it reads (a metric in its own right), per unit; goals
  that count draws (incidents, deals won) have the expected incident rate and each deal's win chance as
  parts, metrics the vocabulary has no name for (`Reading`);
- **state**: how a quarter played with the current plan turns a unit of another metric into this one
  (technology pulling shares, a stance paying tension, the engineer pool...): one batched `step` of the
  state with each input nudged up and down (the smaller slope of the two, so that a random draw crossing
  its threshold in one of them does not count), on one of the forecast's sampled futures, never the
  game's own draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np

from game.content.expr import Expr, compile_expr
from game.content.vocabulary import FAMILY
from game.play.forecast import forecast_seeds
from game.play.records import Turn
from game.render.labels import METRIC_LABELS, cause_label
from game.sim import causes
from game.sim.deals import win_chance
from game.sim.effects import apply_effects
from game.sim.ledger import Ledger
from game.sim.levers import effective, fundable, workforce_factor
from game.sim.metrics import Env
from game.sim.security import incident_rate
from game.sim.state import State
from game.sim.step import Actions, step
from game.sim.world import World

Kind = Literal["lever", "last quarter", "part", "state"]
KINDS: Final[tuple[Kind, ...]] = ("lever", "last quarter", "part", "state")

UNITS: Final = {"trust": 0.01, "cost": 0.01, "dependence": 0.01, "share": 0.01}
"""The unit a state driver is measured per, by family (default 1: a point, a thousand engineers, ¥1B)."""
PER: Final = {"trust": "per 0.01 of trust", "cost": "per 0.01 of price index", "engineers": "per thousand",
              "deal": "if won"}
"""What a state driver or part is measured per, by family (default by unit: per pp, per ¥B, per point)."""
NUDGE: Final = 1e-4
"""The state drivers' nudge, in units (small enough to stay linear, large enough for float64)."""
STATE_SHOWN: Final = 6
"""State drivers kept per direction (the largest), and only those over RELATIVE of the largest."""
RELATIVE: Final = 0.01
TINY: Final = 1e-12
GROUPS: Final = ("Goals", "Japan", "Export deals", "Stakeholders", "Alliances", "Vendors")


@dataclass(frozen=True)
class Metric:
    id: str
    """Its expression: a vocabulary name or a goal's metric."""
    label: str
    """In full (a goal's description)."""
    short: str
    """For a list: a goal's metric by name, or its description without the details in brackets."""
    value: float
    group: str
    """One of GROUPS."""


@dataclass(frozen=True)
class Driver:
    kind: Kind
    name: str
    """What the player knows it by (never an id)."""
    size: float
    """The metric's change in its own number (shares 0-1): per ¥B for a lever, in the quarter for the last
    quarter, per `per` for parts and state drivers."""
    per: str = ""
    link: str | None = None
    """The metric this driver is (follow it), if it is one."""
    lag: int = 0
    """Quarters before a lever's money takes effect."""
    spend: float = 0.0
    """The plan's ¥B on a lever (its marginal size is the next step's at this spend)."""


@dataclass(frozen=True)
class Drivers:
    quarter: str
    """The quarter being planned (levers and state drivers are for it)."""
    last: str | None
    """The quarter just played (the last-quarter drivers), if any."""
    metrics: tuple[Metric, ...]
    by_metric: dict[str, tuple[Driver, ...]]

    def of(self, metric: str) -> tuple[Driver, ...]:
        return self.by_metric.get(metric, ())

    def metric(self, metric: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric), None)


# ------------------------------------------------------------------ the metrics


@dataclass(frozen=True)
class Reading:
    """A metric the vocabulary has no name for, read like an expression: the expected incidents a quarter
    (game.sim.security's rate) and a deal's win chance (game.sim.deals'), the smooth drivers of goals that
    count draws (incidents, deals won)."""

    source: str
    deal: int = -1
    """The deal whose win chance it is (-1: the incident rate)."""

    @property
    def names(self) -> frozenset[str]:
        return frozenset({self.source})

    def evaluate(self, env: Env) -> np.ndarray:
        a = env.s.arrays()
        return incident_rate(a, env.w) if self.deal < 0 else win_chance(a, env.w)[:, self.deal]


RATE = Reading("incident_rate")
CHANCE = "win_chance"


def chance_id(deal_id: str) -> str:
    return f"{CHANCE}.{deal_id}"


def unit_of(metric: str) -> str:
    """The expression whose unit a metric is shown in (game.render.labels.goal_value): a win chance is a
    share of 1, shown in %."""
    return "domestic_share" if metric.startswith(f"{CHANCE}.") else metric


def name_label(name: str, world: World) -> str:
    family, *ids = name.split(".")
    c = world.content
    if not ids:
        return METRIC_LABELS.get(name) or {
            "sixg_share": "Japan's share of 6G research", "reserve": "Reserve (¥B)",
            "budget": "Next quarter's budget change (¥B)"}.get(name) or FAMILY[family].description.capitalize()
    key = ids[-1]
    words = {"tech": "technology", "cost": "price index", "trust": "trust", "sixg": "6G position",
             "stance": "stance", "standing": "standing", "rnd": "own R&D (¥B)", "global_share": "global share"}
    owners: dict[str, Mapping[str, Any]] = {"vendor": c.vendors, "stakeholder": c.stakeholders,
                                            "alliance": c.alliances, "region": c.regions, "deal": c.deals}
    parts = [owners[dim][i].name for dim, i in zip(FAMILY[family].dims, ids, strict=True) if dim in owners]
    if family == "share":
        return f"{parts[1]}'s share in {parts[0]}"
    return f"{' · '.join(parts) or key} {words.get(family, family)}"


def metric_list(world: World) -> list[tuple[str, str, str, str]]:
    """(expression, label, short label, group) of every metric the view offers: the scenario's goals
    first, then Japan's headline metrics, stakeholders, alliances and every vendor still selling."""
    goals: dict[str, tuple[str, str]] = {}
    for goal in world.scenario.goals:
        one = compile_expr(goal.metric).names == {goal.metric}  # the goal is one metric: call it by its name
        short = name_label(goal.metric, world) if one else goal.description.split(" (")[0]
        goals.setdefault(goal.metric, (f"Goal: {goal.description}", short))
    out: dict[str, tuple[str, str]] = {x: (label, "Goals") for x, (label, _) in goals.items()}
    for name in ("domestic_share", "untrusted_japan", "approval", "tension", "threat", "engineers",
                 "competitiveness", "sixg_share", "reserve"):
        out.setdefault(name, (name_label(name, world), "Japan"))
    out[RATE.source] = ("Expected incidents a quarter", "Japan")
    for d in world.deal_ids:
        if world.arrays["deal_decides"][world.index("deal")[d]] >= 0:  # decided after the start: in play
            out[chance_id(d)] = (f"{world.content.deals[d].name}: win chance", "Export deals")
    for k in world.stakeholder_ids:
        out.setdefault(f"stance.{k}", (name_label(f"stance.{k}", world), "Stakeholders"))
    for a in world.alliance_ids:
        out.setdefault(f"standing.{a}", (name_label(f"standing.{a}", world), "Alliances"))
    selling = [v for i, v in enumerate(world.vendor_ids) if not world.arrays["withdrawn"][i]]
    domestic = [v for v in selling if world.content.vendors[v].domestic]
    for v in domestic + [v for v in selling if v not in domestic]:
        for family in ("tech", "cost", "trust"):
            out.setdefault(f"{family}.{v}", (name_label(f"{family}.{v}", world), "Vendors"))
    # the names a goal reads are metrics too (the goal's parts link to them)
    for expr in goals:
        for name in sorted(compile_expr(expr).names):
            if FAMILY[name.split(".")[0]].readable:
                out.setdefault(name, (name_label(name, world), "Japan"))
    listed = [(x, label, goals[x][1] if x in goals else label, group) for x, (label, group) in out.items()]
    return sorted(listed, key=lambda m: GROUPS.index(m[3]))  # stable: each group in the order above


def _compiled(expr: str, world: World) -> Expr | Reading:
    if expr == RATE.source:
        return RATE
    if expr.startswith(f"{CHANCE}."):
        return Reading(expr, world.index("deal")[expr.partition(".")[2]])
    return compile_expr(expr)


def _inputs(world: World, exprs: Sequence[str]) -> list[str]:
    """The metrics the state drivers nudge: those held in one settable state array (derived ones such as
    shares move only through them)."""
    out = []
    for name in exprs:
        family = FAMILY.get(name.split(".")[0])
        # money is left out: it is not a force on the others within a quarter
        if family is not None and family.settable and family.readable and family.unit != "money":
            out.append(name)
    return out


def _unit(name: str) -> float:
    family = FAMILY[name.split(".")[0]]
    return UNITS.get(family.name, UNITS["share"] if family.unit == "share" else 1.0)


def _per(name: str) -> str:
    family = FAMILY[name.split(".")[0]]
    return PER.get(family.name) or {"share": "per pp", "money": "per ¥B"}.get(family.unit, "per point")


# ------------------------------------------------------------------ batches


def _evaluate(exprs: Sequence[Expr | Reading], state: State, world: World) -> np.ndarray:
    """[B, M] every metric on every game of a batch."""
    env = Env(state, world)
    return np.stack([np.broadcast_to(np.asarray(e.evaluate(env), dtype=np.float64), (state.batch,))
                     for e in exprs], axis=1)


def _mutable(state: State, n: int) -> dict[str, np.ndarray]:
    arrays = state.repeat(n).arrays()
    return {k: v.astype(np.float64) if v.dtype.kind == "f" else v for k, v in arrays.items()}


def lever_sizes(state: State, world: World, allocations: dict[str, float], exprs: Sequence[Expr | Reading]
                ) -> tuple[list[int], np.ndarray, np.ndarray]:
    """(levers, spend[L'], size[L', M]): each lever the player can fund now, the plan's spend on it, and
    the direct change of each metric per ¥B of its next step (the last one at its max)."""
    arr = world.arrays
    alloc = world.allocation_vector(allocations)
    levers = [int(i) for i in np.flatnonzero(world.controllable & fundable(state, world)[0])]
    step_, top = arr["lever_step"], arr["lever_max"]
    hi = np.minimum(np.maximum(alloc + step_, arr["lever_cost"]), top)
    lo = np.where(hi > alloc + TINY, alloc, np.maximum(alloc - step_, 0.0))
    hi = np.where(hi > alloc + TINY, hi, alloc)
    gain = effective(hi, world) - effective(lo, world)
    marginal = np.divide(gain, hi - lo, out=np.zeros_like(gain), where=hi - lo > TINY)
    wf = workforce_factor(state.engineers, world)[0]
    marginal = np.where(arr["lever_needs_engineers"], marginal * wf, marginal)
    n = len(levers) + 1
    a = _mutable(state, n)
    ledger = Ledger(a, record=False)
    for row, i in enumerate(levers, start=1):
        scale = np.zeros(n)
        scale[row] = marginal[i]
        apply_effects(ledger, world.lever_effects[i], scale, causes.lever(world.lever_ids[i]))
    values = _evaluate(exprs, State(turn=state.turn, **a), world)
    return levers, alloc[levers], values[1:] - values[0]


def last_quarter_sizes(turn: Turn, world: World, exprs: Sequence[Expr | Reading]) -> tuple[list[str], np.ndarray]:
    """(causes, size[C, M]): each cause's part in each metric's change over the quarter `turn` played:
    the metric after it minus the metric after it without that cause's changes."""
    ledger = turn.report.ledger
    names = list(ledger)
    after = turn.after
    if not names:
        return [], np.zeros((0, len(exprs)))
    a = _mutable(after, len(names) + 1)
    for row, cause in enumerate(names, start=1):
        for name, delta in ledger[cause].items():
            a[name][row] = a[name][row] - delta[0]
    values = _evaluate(exprs, State(turn=after.turn, **a), world)
    return names, values[0] - values[1:]


def state_sizes(state: State, world: World, allocations: dict[str, float], choices: dict[str, str],
                inputs: Sequence[str], exprs: Sequence[Expr | Reading]) -> np.ndarray:
    """size[I, M]: each metric's change after this quarter, played with the plan, per unit of each input
    now (its own value's persistence included: the caller skips a metric's own row)."""
    n = 2 * len(inputs) + 1
    a = _mutable(state, n)
    h = np.array([NUDGE * _unit(x) for x in inputs])
    for j, name in enumerate(inputs):
        family, *ids = name.split(".")
        array = FAMILY[family].array
        assert array is not None
        index = tuple(world.index(dim)[key] for dim, key in zip(FAMILY[family].dims, ids, strict=True))
        a[array][(2 * j + 1, *index)] += h[j]
        a[array][(2 * j + 2, *index)] -= h[j]
    # one sampled future's draws for every row (the forecast's, never the game's own: no peeking)
    a["seed"] = np.full(n, forecast_seeds(int(state.seed[0]), state.turn, 1)[0], dtype=np.uint64)
    batch = State(turn=state.turn, **a)
    actions = Actions(np.repeat(world.allocation_vector(allocations)[None, :], n, axis=0),
                      np.repeat(world.choice_vector(choices)[None, :], n, axis=0))
    after, _ = step(batch, actions, world)
    values = _evaluate(exprs, after, world)
    up = (values[1::2] - values[0]) / h[:, None]
    down = (values[0] - values[2::2]) / h[:, None]
    slope = np.where(np.abs(up) <= np.abs(down), up, down)
    return slope * np.array([_unit(x) for x in inputs])[:, None]


def _parts(expr: Expr, state: State, world: World, known: set[str]) -> list[tuple[str, float]]:
    """(name, change of `expr` for one unit more of the name) for the metrics a compound expression reads:
    a whole unit, so that a step such as `deal.x > 0` counts as the win it is."""
    env = Env(state, world)
    out = []
    for name in sorted(expr.names):
        if name not in known or name == expr.source:
            continue
        h = _unit(name)

        def nudged(x: str, name: str = name, h: float = h) -> np.ndarray:
            return env(x) + h if x == name else env(x)

        slope = float((np.asarray(expr.evaluate(nudged)) - np.asarray(expr.evaluate(env)))[0])
        out.append((name, slope))
    return out


# ------------------------------------------------------------------ all of it


def cause_name(cause: str, world: World) -> str:
    """A cause by name; markets growing move shares only as regions grow unevenly (the turn report's
    name for that part, game.sim.why)."""
    return cause_label(causes.UNEVEN_GROWTH if cause == causes.MARKET_GROWTH else cause, world)


def _biggest_first(driver: Driver) -> tuple[int, float]:
    return KINDS.index(driver.kind), -abs(driver.size)


def drivers(world: World, state: State, allocations: dict[str, float], choices: dict[str, str],
            last: Turn | None = None) -> Drivers:
    """Every metric's drivers for one game (a batch of one) about to play `state`'s quarter with
    `allocations` and `choices`; `last`, the quarter just played (recorded), gives the last-quarter ones."""
    listed = metric_list(world)
    ids = [m[0] for m in listed]
    exprs = [_compiled(x, world) for x in ids]
    now = _evaluate(exprs, state, world)[0]
    metrics = tuple(Metric(x, label, short, float(v), group)
                    for (x, label, short, group), v in zip(listed, now, strict=True))
    label = {m.id: m.short for m in metrics}
    found: dict[str, list[Driver]] = {x: [] for x in ids}

    levers, spend, per_billion = lever_sizes(state, world, allocations, exprs)
    for row, i in enumerate(levers):
        for m, x in enumerate(ids):
            if abs(per_billion[row, m]) > TINY:
                found[x].append(Driver("lever", world.lever(i).name, float(per_billion[row, m]), "per ¥B",
                                       lag=int(world.arrays["lever_lag"][i]), spend=float(spend[row])))
    if last is not None:
        names, parts = last_quarter_sizes(last, world, exprs)
        for c, cause in enumerate(names):
            for m, x in enumerate(ids):
                if abs(parts[c, m]) > TINY:
                    found[x].append(Driver("last quarter", cause_name(cause, world), float(parts[c, m])))
    known = set(ids)
    for x, share in (("incidents", 1.0), ("major_incidents", world.model.security.major_chance)):
        if x in found:  # counts of draws from the rate: each expected incident is a `share` of one
            found[x].append(Driver("part", label[RATE.source], share, "per expected incident", link=RATE.source))
    for d in world.deal_ids:  # a deal is won by a draw against its chance: 1 won, -1 lost
        if chance_id(d) in found:
            for x, per_chance in ((f"deal.{d}", 2.0), ("deals_won", 1.0)):
                if x in found:
                    found[x].append(Driver("part", label[chance_id(d)], per_chance * UNITS["share"], "per pp",
                                           link=chance_id(d)))
    for x, expr in zip(ids, exprs, strict=True):
        if isinstance(expr, Expr) and expr.names != {x}:  # a compound expression: its names are its parts
            for name, slope in _parts(expr, state, world, known):
                if abs(slope) > TINY:
                    found[x].append(Driver("part", label[name], slope, _per(name), link=name))
    inputs = _inputs(world, ids)
    if not state.done[0] and state.turn < world.turns:
        pulls = state_sizes(state, world, allocations, choices, inputs, exprs)
        for m, x in enumerate(ids):
            if len(exprs[m].names) > 1:
                continue  # a compound metric moves through its parts
            candidates = [(j, float(pulls[j, m])) for j, name in enumerate(inputs) if name != x]
            top = max((abs(v) for _, v in candidates), default=0.0)
            keep = [(j, v) for j, v in candidates if abs(v) > max(TINY, RELATIVE * top)]
            for sign in (1, -1):
                side = sorted((jv for jv in keep if jv[1] * sign > 0), key=lambda jv: -abs(jv[1]))
                for j, v in side[:STATE_SHOWN]:
                    found[x].append(Driver("state", label[inputs[j]], v, _per(inputs[j]), link=inputs[j]))
    return Drivers(
        quarter=world.quarter(min(state.turn, world.turns - 1)),
        last=last.report.quarter if last is not None else None,
        metrics=metrics,
        by_metric={x: tuple(sorted(ds, key=_biggest_first)) for x, ds in found.items()},
    )
