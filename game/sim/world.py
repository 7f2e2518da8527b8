"""A World: one scenario of a content pack compiled into numpy constants and compiled expressions.

The simulation reads only the World and the State; content models are not touched in the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from game.content.expr import Expr, compile_expr
from game.content.loader import Content
from game.content.schema import Effect, Scenario, quarter_index, quarter_name

CATEGORIES = ("subsidy", "rnd", "workforce", "export", "alliance")

# Settable families -> the state array they write.
TARGET_ARRAY = {
    "engineers": "engineers", "approval": "approval", "tension": "tension", "threat": "threat",
    "budget": "budget_mod", "tech": "tech", "cost": "cost", "trust": "trust", "dependence": "dependence",
    "market_size": "market_size", "appeal": "appeal", "standing": "standing", "support": "support",
}


@dataclass(frozen=True)
class CEffect:
    """A compiled effect: which array and index it touches and by how much."""

    kind: str
    array: str = ""
    index: tuple[int, ...] = ()
    amount: float = 0.0
    region: int = -1
    vendor: int = -1
    rip: float = 0.0


@dataclass(frozen=True)
class CGoal:
    id: str
    description: str
    metric: Expr
    op: str
    target: float
    weight: float
    span: float


@dataclass(frozen=True)
class World:
    content: Content
    scenario: Scenario
    vendor_ids: tuple[str, ...]
    region_ids: tuple[str, ...]
    lever_ids: tuple[str, ...]
    deal_ids: tuple[str, ...]
    alliance_ids: tuple[str, ...]
    event_ids: tuple[str, ...]
    arrays: dict[str, np.ndarray] = field(repr=False)
    lever_effects: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    deal_won: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    deal_lost: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    alliance_effects: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    event_conditions: tuple[Expr, ...] = field(repr=False)
    event_effects: tuple[tuple[CEffect, ...], ...] = field(repr=False)
    choice_effects: tuple[tuple[tuple[CEffect, ...], ...], ...] = field(repr=False)
    initial_effects: tuple[CEffect, ...] = field(repr=False)
    goals: tuple[CGoal, ...] = field(repr=False)

    # ------------------------------------------------------------ convenience

    @property
    def model(self):
        return self.content.model

    @property
    def turns(self) -> int:
        return self.scenario.turns

    @cached_property
    def start_index(self) -> int:
        return quarter_index(self.scenario.start)

    def quarter(self, turn: int) -> str:
        return quarter_name(self.start_index + turn)

    @cached_property
    def home(self) -> int:
        return self.region_ids.index(self.model.home_region)

    @cached_property
    def max_lag(self) -> int:
        return int(self.arrays["lever_lag"].max(initial=0))

    def allocation_vector(self, allocations: dict[str, float]) -> np.ndarray:
        """[L] ¥ billions per lever from {lever id: amount}; ids this world lacks are ignored (callers
        that must refuse them, like Session, check first)."""
        alloc = np.zeros(len(self.lever_ids))
        for lever_id, amount in allocations.items():
            if lever_id in self.lever_ids:
                alloc[self.lever_ids.index(lever_id)] = float(amount)
        return alloc

    def choice_vector(self, choices: dict[str, str]) -> np.ndarray:
        """[E] the choice index per event from {event id: choice id}; -1 where none (or unknown)."""
        out = np.full(len(self.event_ids), -1, dtype=np.int64)
        for event_id, choice_id in choices.items():
            if event_id in self.event_ids:
                ids = [c.id for c in self.content.events[event_id].choices]
                if choice_id in ids:
                    out[self.event_ids.index(event_id)] = ids.index(choice_id)
        return out

    def lever(self, i: int):
        return self.content.levers[self.lever_ids[i]]

    def event(self, i: int):
        return self.content.events[self.event_ids[i]]

    def deal(self, i: int):
        return self.content.deals[self.deal_ids[i]]


def _compile_effect(effect: Effect, idx: dict[str, dict[str, int]]) -> CEffect:
    if effect.kind in ("ban", "unban", "shift"):
        amount = getattr(effect, "amount", 0.0)
        return CEffect(effect.kind, region=idx["region"][effect.region], vendor=idx["vendor"][effect.vendor],
                       amount=amount, rip=getattr(effect, "rip", 0.0))
    family, *rest = effect.target.split(".")
    dims = {"tech": ("vendor",), "cost": ("vendor",), "trust": ("vendor",), "dependence": ("vendor",),
            "market_size": ("region",), "appeal": ("region", "vendor"), "standing": ("alliance",),
            "support": ("deal",)}.get(family, ())
    index = tuple(idx[dim][name] for dim, name in zip(dims, rest))
    value = {"add": "amount", "mul": "factor", "set": "value"}[effect.kind]
    return CEffect(effect.kind, array=TARGET_ARRAY[family], index=index, amount=getattr(effect, value))


def build_world(content: Content, scenario_id: str) -> World:
    """Compile `scenario_id` of `content`. The loader has already checked every reference."""
    scenario = content.scenarios[scenario_id]
    vendors, regions = list(content.vendors.values()), list(content.regions.values())
    levers, deals = list(content.levers.values()), list(content.deals.values())
    alliances, events = list(content.alliances.values()), list(content.events.values())
    idx = {
        "vendor": {v.id: i for i, v in enumerate(vendors)},
        "region": {r.id: i for i, r in enumerate(regions)},
        "deal": {d.id: i for i, d in enumerate(deals)},
        "alliance": {a.id: i for i, a in enumerate(alliances)},
    }
    start = quarter_index(scenario.start)
    V, R = len(vendors), len(regions)

    def turn_of(quarter: str | None, default: int) -> int:
        return default if quarter is None else quarter_index(quarter) - start

    shares = np.zeros((R, V))
    bans = np.zeros((R, V), dtype=bool)
    for r, region in enumerate(regions):
        for vid, share in scenario.shares.get(region.id, region.shares).items():
            shares[r, idx["vendor"][vid]] = share
        for vid in region.bans:
            bans[r, idx["vendor"][vid]] = True
    shares /= shares.sum(axis=1, keepdims=True)

    offered = set(scenario.levers) if scenario.levers is not None else {lv.id for lv in levers}
    locked = np.array([scenario.locked.get(lv.id, np.nan) for lv in levers])
    arrays = {
        # vendors
        "tech0": np.array([v.tech for v in vendors]),
        "cost0": np.array([v.cost for v in vendors]),
        "trust0": np.array([v.trust for v in vendors]),
        "tech_growth": np.array([v.tech_growth for v in vendors]),
        "domestic": np.array([v.domestic for v in vendors]),
        "high_risk": np.array([v.high_risk for v in vendors]),
        # regions
        "shares0": shares,
        "bans0": bans,
        "rip0": np.array([r.rip for r in regions]),
        "market_size0": np.array([r.market_size for r in regions]),
        "growth_q": np.array([(1 + r.growth) ** 0.25 - 1 for r in regions]),
        "sensitivity": np.array([r.security_sensitivity for r in regions]),
        "turnover": np.array([r.turnover for r in regions]),
        "incumbency": np.zeros((R, V)),  # set below, once the start is known
        "parts0": np.zeros((6, R, V)),  # attractiveness components at the start, likewise
        # levers
        "lever_step": np.array([lv.step for lv in levers]),
        "lever_cost": np.array([lv.cost for lv in levers]),
        "lever_max": np.array([lv.max for lv in levers]),
        "lever_lag": np.array([lv.lag for lv in levers], dtype=np.int64),
        "lever_saturation": np.array([lv.saturation for lv in levers]),
        "lever_needs_engineers": np.array([lv.needs_engineers for lv in levers]),
        "lever_category": np.array([CATEGORIES.index(lv.category) for lv in levers], dtype=np.int64),
        "lever_offered": np.array([lv.id in offered or lv.id in scenario.locked for lv in levers]),
        "lever_locked": locked,
        # deals
        "deal_region": np.array([idx["region"][d.region] for d in deals], dtype=np.int64),
        "deal_bidder": np.array([idx["vendor"][d.bidder] for d in deals], dtype=np.int64),
        "deal_rival": np.array([idx["vendor"][d.rival] for d in deals], dtype=np.int64),
        "deal_opens": np.array([turn_of(d.opens, 0) for d in deals], dtype=np.int64),
        "deal_decides": np.array([turn_of(d.decides, 0) for d in deals], dtype=np.int64),
        "deal_gain": np.array([d.share_gain for d in deals]),
        "deal_rival_price": np.array([d.rival_price for d in deals]),
        "deal_security": np.array([d.security_weight for d in deals]),
        # alliances
        "standing0": np.array([a.standing for a in alliances]),
        "alliance_decay": np.array([a.decay for a in alliances]),
        # events
        "event_probability": np.array([e.trigger.probability for e in events]),
        "event_conditional": np.array([e.trigger.condition.strip().lower() != "true" for e in events]),
        "event_start": np.array([turn_of(e.trigger.start, -10**6) for e in events], dtype=np.int64),
        "event_end": np.array([turn_of(e.trigger.end, 10**6) for e in events], dtype=np.int64),
        "event_once": np.array([e.trigger.once for e in events]),
        "event_cooldown": np.array([e.trigger.cooldown for e in events], dtype=np.int64),
        "event_allowed": np.array([
            (e.scenarios is None or scenario.id in e.scenarios) and e.id not in scenario.exclude_events
            for e in events]),
        "event_default": np.array([e.default for e in events], dtype=np.int64),
        "event_choices": np.array([len(e.choices) for e in events], dtype=np.int64),
    }
    for array in arrays.values():
        array.flags.writeable = False

    def compiled(effects) -> tuple[CEffect, ...]:
        return tuple(_compile_effect(e, idx) for e in effects)

    goals = tuple(
        CGoal(g.id, g.description, compile_expr(g.metric), g.op, g.target, g.weight,
              g.span or (abs(g.target) or 1.0))
        for g in scenario.goals)
    world = World(
        content=content, scenario=scenario,
        vendor_ids=tuple(idx["vendor"]), region_ids=tuple(idx["region"]),
        lever_ids=tuple(lv.id for lv in levers), deal_ids=tuple(idx["deal"]),
        alliance_ids=tuple(idx["alliance"]), event_ids=tuple(e.id for e in events),
        arrays=arrays,
        lever_effects=tuple(compiled(lv.effects) for lv in levers),
        deal_won=tuple(compiled(d.won) for d in deals),
        deal_lost=tuple(compiled(d.lost) for d in deals),
        alliance_effects=tuple(compiled(a.per_quarter) for a in alliances),
        event_conditions=tuple(compile_expr(e.trigger.condition) for e in events),
        event_effects=tuple(compiled(e.effects) for e in events),
        choice_effects=tuple(tuple(compiled(c.effects) for c in e.choices) for e in events),
        initial_effects=compiled(scenario.initial),
        goals=goals,
    )
    return _with_incumbency(world)


def _with_incumbency(world: World) -> World:
    """Calibrate the 'incumbency' term so that the scenario's start is the market's equilibrium.

    What the model does not see (relationships, installed-base lock-in, home markets) is whatever makes
    the starting shares the market's preference; from then on, changes in technology, price, trust,
    scale and appeal move the shares. A vendor absent from a region stays nearly absent.
    """
    from game.sim.market import attractiveness_parts
    from game.sim.step import initial_state

    start = initial_state(world, [0])
    shape = start.shares[0].shape
    parts = np.stack([np.broadcast_to(p, (1, *shape))[0] for p in attractiveness_parts(start.arrays(), world)])
    incumbency = np.log(np.maximum(start.shares[0], 1e-4)) - parts[:-2].sum(axis=0)  # all but incumbency, appeal
    incumbency -= incumbency.mean(axis=1, keepdims=True)
    parts[4] = incumbency  # a constant: it never pulls the target away from the start
    for array in (incumbency, parts):
        array.flags.writeable = False
    return replace(world, arrays={**world.arrays, "incumbency": incumbency, "parts0": parts})
