"""Why the goals moved over a whole game: each cause's part in every goal metric (worth score points
through game.sim.scoring.points_per_unit). The game-long companion of `market.explain` (which splits one quarter's share moves by
attractiveness component) and `why.contributions` (one quarter's key metrics by cause).

The input is a recorded game: its turns as `step(..., record=True)` played them, one game per batch (as a
Session plays). Ban owners come from the turn reports' events and choices and the World's compiled
effects; every cause id comes from game.sim.causes; the pipeline order is `causes.AFTER_MARKET`. Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Final, Protocol

import numpy as np

from game.sim import causes
from game.sim.market import COMPONENTS, attractiveness_parts, preference, pull
from game.sim.scoring import goal_values
from game.sim.state import State
from game.sim.step import TurnReport
from game.sim.world import World

Entries = dict[str, dict[str, np.ndarray]]
"""A turn's ledger: cause -> state array name -> [1, ...] change."""


class PlayedTurn(Protocol):
    """One recorded quarter (game.play.records.Turn is one)."""

    @property
    def before(self) -> State: ...
    @property
    def after(self) -> State: ...
    @property
    def report(self) -> TurnReport: ...


MARKET_INPUTS: Final = {"technology": "tech", "price": "cost", "trust": "trust", "appeal": "appeal"}
"""The market components whose share moves are credited back to the causes of their inputs:
component -> the state array it reads (linearly: see `_component_changes`)."""
assert set(COMPONENTS) >= set(MARKET_INPUTS)


def reversions(world: World) -> dict[str, tuple[str, float]]:
    """Input array -> (the drift that pulls it back to its start, the fraction it pulls per quarter), as
    game.sim.drift applies them: every cause's part of the array fades at that rate."""
    m = world.model
    return {
        "cost": (causes.PRICES_SETTLE, m.vendors.cost_reversion),
        "trust": (causes.TRUST_REVERTS, m.vendors.trust_reversion),
        "appeal": (causes.CAMPAIGNS_FADE, m.market.appeal_decay),
    }


def _component_changes(component: str, parts: dict[str, np.ndarray], after: State, world: World
                       ) -> dict[str, np.ndarray]:
    """cause -> [R, V]: the attractiveness change the market computes from each cause's part of the
    component's input (the market's own formula, from zero input; the component is linear in it)."""
    x = MARKET_INPUTS[component]
    k = COMPONENTS.index(component)
    names = list(parts)
    R, V = after.shares.shape[1:]
    base = {"shares": after.shares, "market_size": after.market_size, "tech": np.zeros((1, V)),
            "cost": np.zeros((1, V)), "trust": np.zeros((1, V)), "appeal": np.zeros((1, R, V))}
    zero = attractiveness_parts(base, world)[k]
    if not names:
        return {}
    stacked = np.stack([np.broadcast_to(np.asarray(parts[c], dtype=np.float64), base[x].shape[1:])
                        for c in names])
    changed = attractiveness_parts({**base, x: stacked}, world)[k] - zero
    return {c: np.broadcast_to(changed[i], (R, V)) for i, c in enumerate(names)}


def through_market(turns: Sequence[PlayedTurn], world: World) -> list[Entries]:
    """Each turn's ledger with the market's share moves credited back to their causes.

    The market books a share move to the component that made it (`market:technology`, `market:appeal`,
    ...), pulling shares towards a target that differs from the start through each component's change
    since the start. That change is a sum over causes (the ledger's changes to tech, cost, trust and
    appeal), each faded by the same reversion the game applies to the whole, and the pull is linear in
    it, so each cause gets its own pull and its own part of the move (with the same memory of what has
    already moved as the market keeps). What is left (second-order terms) stays with the component.
    Share freed by bans goes to the events that imposed them (see `_credit_bans`)."""
    rates = reversions(world)
    turnover = world.arrays["turnover"][:, None]
    cum: dict[str, dict[str, np.ndarray]] = {x: {} for x in MARKET_INPUTS.values()}
    memory: dict[str, dict[str, np.ndarray]] = {k: {} for k in MARKET_INPUTS}
    owners: dict[tuple[int, int], str] = {}
    out = []
    for turn in turns:
        ledger = turn.report.ledger
        entries = {c: dict(d) for c, d in ledger.items()}
        _ban_owners(owners, turn.report, world)
        # Causes applied after the market: not in what it saw this quarter, only in what it sees next.
        late = [c for c in ledger if causes.kind(c) in causes.AFTER_MARKET]
        for x, by_cause in cum.items():
            reversion = rates[x][0] if x in rates else None
            for c, d in ledger.items():
                if x in d and c not in late and c != reversion:
                    by_cause[c] = by_cause.get(c, 0.0) + d[x][0]
            if x in rates:
                for c in by_cause:
                    by_cause[c] = by_cause[c] * (1.0 - rates[x][1])
        after = turn.after
        pre = {
            name: getattr(after, name).astype(np.float64)
            for name in ("shares", "market_size", "tech", "cost", "trust", "appeal")
        }
        for c in late:
            for name, delta in ledger[c].items():
                if name in pre:
                    pre[name] = pre[name] - delta
        pre["banned"] = after.banned
        target3 = preference(pre, world)
        target, banned = target3[0], after.banned[0]
        for k, x in MARKET_INPUTS.items():
            market_cause = causes.market(k)
            if market_cause not in entries or "shares" not in entries[market_cause]:
                continue
            residual = entries[market_cause]["shares"].copy()
            changes = _component_changes(k, cum[x], after, world)
            for c in cum[x]:
                change = np.where(banned, 0.0, changes[c])
                move = turnover * (pull(target, change) - memory[k].get(c, 0.0))
                memory[k][c] = memory[k].get(c, 0.0) + move
                if not np.any(move != 0):
                    continue
                entries.setdefault(c, {})
                entries[c]["shares"] = entries[c].get("shares", np.zeros_like(residual)) + move[None]
                residual = residual - move[None]
            entries[market_cause]["shares"] = residual
        _credit_bans(entries, owners, pre["shares"][0], target, banned, world)
        for x, by_cause in cum.items():
            for c in late:
                if x in ledger[c]:
                    by_cause[c] = by_cause.get(c, 0.0) + ledger[c][x][0]
        out.append(entries)
    return out


def _ban_owners(owners: dict[tuple[int, int], str], report: TurnReport, world: World) -> None:
    """Remember which event (with the answer taken) banned each (region, vendor): the compiled effects
    of the events that fired this quarter, in the order game.sim.events applies them."""
    for e in np.flatnonzero(report.events[0]):
        choice = int(report.choices[0, e])
        effects = world.event_effects[e] + (world.choice_effects[e][choice] if choice >= 0 else ())
        for eff in effects:
            if eff.kind == "ban":
                owners[(eff.region, eff.vendor)] = causes.event(world.event_ids[e])
            elif eff.kind == "unban":
                owners.pop((eff.region, eff.vendor), None)


def _credit_bans(
    entries: Entries,
    owners: dict[tuple[int, int], str],
    s0: np.ndarray,
    target: np.ndarray,
    banned: np.ndarray,
    world: World,
) -> None:
    """Credit the share a ban frees to the event that imposed it: each quarter a banned vendor loses the
    re-contracted part of its base (turnover × share), which goes to the others by preference (booked by
    the market as contract turnover), and rip-and-replace of a region's banned kit (booked as
    `causes.RIP_AND_REPLACE`) belongs to the ban too when one event banned every vendor ripped there."""
    turnover = world.arrays["turnover"]
    by_region: dict[int, set[str]] = defaultdict(set)
    for (r, v), owner in owners.items():
        if not banned[r, v]:
            continue
        by_region[r].add(owner)
        freed = turnover[r] * s0[r, v]
        move = target[r] * freed
        move[v] -= freed
        turnover_cause = entries.setdefault(causes.CONTRACT_TURNOVER, {})
        base = turnover_cause.get("shares")
        if base is None:
            base = np.zeros((1, *s0.shape))
        base = base.copy()
        base[0, r] -= move
        turnover_cause["shares"] = base
        mine = entries.setdefault(owner, {})
        shares = mine.get("shares", np.zeros((1, *s0.shape))).copy()
        shares[0, r] += move
        mine["shares"] = shares
    rip = entries.get(causes.RIP_AND_REPLACE, {}).get("shares")
    if rip is None:
        return
    rip = rip.copy()
    for r, who in by_region.items():
        unowned = banned[r] & ~np.array([(r, v) in owners for v in range(banned.shape[1])])
        if len(who) != 1 or unowned.any() or not np.any(rip[0, r] != 0):
            continue
        owner = next(iter(who))
        shares = entries[owner]["shares"].copy()
        shares[0, r] += rip[0, r]
        entries[owner]["shares"] = shares
        rip[0, r] = 0.0
    entries[causes.RIP_AND_REPLACE]["shares"] = rip


def cause_contributions(turns: Sequence[PlayedTurn], world: World, market: bool = True) -> dict[str, np.ndarray]:
    """cause -> [G]: the cause's changes to each goal metric, summed over the game.

    Per turn, each cause's part is metric(after) − metric(after without that cause's changes), evaluated
    for all causes of the turn at once as one batch (exact for metrics linear in the state, such as
    shares, tension or approval; a leave-one-out estimate otherwise). With `market`, share moves the
    market makes because of a cause's changes to technology, price, trust or appeal count as that
    cause's (see `through_market`); without, only its direct changes count."""
    totals: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(world.goals)))
    ledgers = through_market(turns, world) if market else [t.report.ledger for t in turns]
    for turn, ledger in zip(turns, ledgers, strict=True):
        names = list(ledger)
        if not names:
            continue
        after = turn.after
        base = goal_values(after, world)[0]
        n = len(names)
        arrays = {k: np.repeat(v, n, axis=0) for k, v in after.arrays().items()}
        touched = {name for c in names for name in ledger[c]}
        for name in touched:
            arrays[name] = arrays[name].astype(np.float64)
        for i, c in enumerate(names):
            for name, delta in ledger[c].items():
                arrays[name][i] -= delta[0]
        without = goal_values(State(turn=after.turn, **arrays), world)
        for i, c in enumerate(names):
            part = base - without[i]
            if np.any(part != 0):
                totals[c] += part
    return dict(totals)

