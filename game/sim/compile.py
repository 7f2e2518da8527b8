"""Compiling one scenario of a content pack into a World: numpy constants, compiled effects and
expressions, and the market's starting equilibrium."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from game.content.expr import compile_expr
from game.content.pack import Content
from game.content.schema import CATEGORIES, AddEffect, Effect, Model, MulEffect, SetEffect, quarter_index
from game.content.vocabulary import FAMILY
from game.sim.effects import compile_table
from game.sim.market import attractiveness_parts
from game.sim.scoring import goal_scale, goal_values
from game.sim.step import initial_state
from game.sim.world import CEffect, CGoal, World


def _compile_effect(effect: Effect, idx: dict[str, dict[str, int]], model: Model,
                    withdrawn: frozenset[str]) -> CEffect:
    if effect.kind in ("ban", "unban", "shift", "prop"):
        amount = getattr(effect, "amount", 0.0)
        if effect.vendor in withdrawn:  # signs no new contracts: nothing moves share to it
            amount = min(amount, 0.0)
        return CEffect(effect.kind, region=idx["region"][effect.region], vendor=idx["vendor"][effect.vendor],
                       amount=amount, rip=getattr(effect, "rip", 0.0))
    assert isinstance(effect, AddEffect | MulEffect | SetEffect)
    name, *rest = effect.target.split(".")
    family = FAMILY[name]  # the loader has checked it is settable
    assert family.array is not None
    index = tuple(idx[dim][key] for dim, key in zip(family.dims, rest, strict=True))
    value = {"add": "amount", "mul": "factor", "set": "value"}[effect.kind]
    amount = getattr(effect, value)
    if family.per is not None:  # money into a rival-comparable activity: the world's own rate (loader: add only)
        section, coefficient = family.per.split(".")
        amount *= getattr(getattr(model, section), coefficient)
    return CEffect(effect.kind, array=family.array, index=index, amount=amount)


NEVER_BEFORE = -10**6
NEVER_AFTER = 10**6
"""The turn index of a date that does not limit anything (no `since`, no window start)."""


def build_world(content: Content, scenario_id: str) -> World:
    """Compile `scenario_id` of `content`. The loader has already checked every reference."""
    scenario = content.scenarios[scenario_id]
    vendors, regions = list(content.vendors.values()), list(content.regions.values())
    levers, deals = list(content.levers.values()), list(content.deals.values())
    alliances, events = list(content.alliances.values()), list(content.events.values())
    stakeholders = list(content.stakeholders.values())
    idx = {
        "vendor": {v.id: i for i, v in enumerate(vendors)},
        "region": {r.id: i for i, r in enumerate(regions)},
        "deal": {d.id: i for i, d in enumerate(deals)},
        "alliance": {a.id: i for i, a in enumerate(alliances)},
        "stakeholder": {k.id: i for i, k in enumerate(stakeholders)},
    }
    start = quarter_index(scenario.start)
    V, R = len(vendors), len(regions)
    withdrawn = frozenset(v.id for v in vendors if v.withdrawn is not None and quarter_index(v.withdrawn) <= start)

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

    # a scenario that names no levers offers every one whose programme has not ended before it starts
    offered = set(scenario.levers) if scenario.levers is not None else {
        lv.id for lv in levers if lv.until is None or quarter_index(lv.until) >= start}
    lever_since = np.array([turn_of(lv.since, NEVER_BEFORE) for lv in levers], dtype=np.int64)
    lever_until = np.array([turn_of(lv.until, NEVER_AFTER) for lv in levers], dtype=np.int64)
    alliance_since = np.array([turn_of(a.since, NEVER_BEFORE) for a in alliances], dtype=np.int64)
    locked = np.array([scenario.locked.get(lv.id, np.nan) for lv in levers])
    arrays = {
        # vendors
        "tech0": np.array([v.tech for v in vendors]),
        "cost0": np.array([v.cost for v in vendors]),
        "trust0": np.array([v.trust for v in vendors]),
        "rnd0": np.array([v.rnd for v in vendors]),
        "rnd6g0": np.array([v.rnd6g for v in vendors]),
        "sixg0": np.array([v.sixg for v in vendors]),
        "withdrawn": np.array([v.id in withdrawn for v in vendors]),
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
        "lever_deal": np.array([-1 if lv.deal is None else idx["deal"][lv.deal] for lv in levers], dtype=np.int64),
        "lever_alliance": np.array([-1 if lv.alliance is None else idx["alliance"][lv.alliance] for lv in levers],
                                   dtype=np.int64),
        "lever_since": lever_since,  # first turn it is offered (its `since`); very negative if always
        "lever_until": lever_until,  # last turn it is offered (its `until`); very large if always
        # deals
        "deal_region": np.array([idx["region"][d.region] for d in deals], dtype=np.int64),
        "deal_bidder": np.array([idx["vendor"][d.bidder] for d in deals], dtype=np.int64),
        "deal_rival": np.array([idx["vendor"][d.rival] for d in deals], dtype=np.int64),
        "deal_opens": np.array([turn_of(d.opens, 0) for d in deals], dtype=np.int64),
        "deal_decides": np.array([turn_of(d.decides, 0) for d in deals], dtype=np.int64),
        "deal_gain": np.array([d.share_gain for d in deals]),
        "deal_rival_price": np.array([d.rival_price for d in deals]),
        "deal_security": np.array([d.security_weight for d in deals]),
        "deal_deploy": np.array([d.deploy for d in deals], dtype=np.int64),
        "deal_upkeep": np.array([d.upkeep for d in deals]),
        "deal_stakes": np.array([[d.stakes.get(k.id, 0.0) for k in stakeholders] for d in deals]).reshape(
            len(deals), len(stakeholders)),
        # alliances
        # an alliance founded after the start has no standing until then (World.founded)
        "standing0": np.where(alliance_since > 0, 0.0, np.array([a.standing for a in alliances], dtype=np.float64)),
        "alliance_since": alliance_since,
        "alliance_decay": np.array([a.decay for a in alliances]),
        "alliance_pledge": np.array([a.pledge for a in alliances]),
        "alliance_term": np.array([a.term for a in alliances], dtype=np.int64),
        # stakeholders
        "stance0": np.array([k.stance for k in stakeholders]),
        "stance_baseline": np.array([k.stance if k.baseline is None else k.baseline for k in stakeholders]),
        "stance_reversion": np.array([k.reversion for k in stakeholders]),
        # events
        "event_probability": np.array([e.trigger.probability for e in events]),
        "event_conditional": np.array([e.trigger.condition.strip().lower() != "true" for e in events]),
        "event_start": np.array([turn_of(e.trigger.start, NEVER_BEFORE) for e in events], dtype=np.int64),
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

    def compiled(effects: Sequence[Effect]) -> tuple[CEffect, ...]:
        return tuple(_compile_effect(e, idx, content.model, withdrawn) for e in effects)

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
        alliance_obligations=tuple(compiled(a.obligations) for a in alliances),
        alliance_broken=tuple(compiled(a.broken) for a in alliances),
        stakeholder_ids=tuple(idx["stakeholder"]),
        stakeholder_effects=tuple(compiled(k.per_quarter) for k in stakeholders),
        event_conditions=tuple(compile_expr(e.trigger.condition) for e in events),
        event_effects=tuple(compiled(e.effects) for e in events),
        choice_effects=tuple(tuple(compiled(c.effects) for c in e.choices) for e in events),
        initial_effects=compiled(scenario.initial),
        goals=goals,
    )
    return _with_event_table(_with_goal_starts(_with_incumbency(world)))


def _with_event_table(world: World) -> World:
    """Compile the events' and choices' effects into one table: rows 0..E-1 the events' own effects, then
    one row per choice (`event_choice_row[e, c]`, -1 past an event's choices)."""
    E = len(world.event_ids)
    widest = max((len(c) for c in world.choice_effects), default=0)
    choice_row = np.full((E, widest), -1, dtype=np.int64)
    rows = list(world.event_effects)
    for e, choices in enumerate(world.choice_effects):
        for c, effects in enumerate(choices):
            choice_row[e, c] = len(rows)
            rows.append(effects)
    choice_row.flags.writeable = False
    shapes = {name: array.shape[1:] for name, array in initial_state(world, [0]).arrays().items()}
    return replace(world, event_table=compile_table(rows, shapes),
                   arrays={**world.arrays, "event_choice_row": choice_row})


def _with_incumbency(world: World) -> World:
    """Calibrate the 'incumbency' term so that the scenario's start is the market's equilibrium.

    What the model does not see (relationships, installed-base lock-in, home markets) is whatever makes
    the starting shares the market's preference; from then on, changes in technology, price, trust,
    scale and appeal move the shares. A vendor absent from a region stays nearly absent.
    """
    start = initial_state(world, [0])
    shape = start.shares[0].shape
    parts = np.stack([np.broadcast_to(p, (1, *shape))[0] for p in attractiveness_parts(start.arrays(), world)])
    incumbency = np.log(np.maximum(start.shares[0], 1e-4)) - parts[:-2].sum(axis=0)  # all but incumbency, appeal
    incumbency -= incumbency.mean(axis=1, keepdims=True)
    parts[4] = incumbency  # a constant: it never pulls the target away from the start
    for array in (incumbency, parts):
        array.flags.writeable = False
    return replace(world, arrays={**world.arrays, "incumbency": incumbency, "parts0": parts})


def _with_goal_starts(world: World) -> World:
    """Record each goal's metric at the start, where its progress is measured from. The initial state
    differs between seeds only in the seed and the events drawn for the first turn, which no goal
    metric reads (the vocabulary has no name for either), so one game's start serves every game."""
    starts = goal_values(initial_state(world, [0]), world)[0]
    goals = tuple(replace(g, start=float(x), scale=goal_scale(g.op, g.target, float(x), content_goal.span))
                  for g, x, content_goal in zip(world.goals, starts, world.scenario.goals, strict=True))
    return replace(world, goals=goals)
