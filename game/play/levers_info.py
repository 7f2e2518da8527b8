"""What one lever does, for the player deciding how much to give it: each effect's size per ¥ billion at
the current spend, the marginal-return curve where saturation bites, its lag, its obligations and, for
export financing, its deal (deciding quarter, odds and why, prize).

Pure: computed from the compiled World and the game's State with the core's own functions
(game.sim.levers.effective and pledge_terms, game.sim.effects.shift_shares, game.sim.deals.win_logit_parts),
so what the player reads is what the simulation does: an alliance's pledge as this quarter's whole plan
leaves it, a deal's status in the words of `DealInfo.status` wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from game.content.schema import AddEffect, Effect, ShiftEffect
from game.content.vocabulary import FAMILY
from game.render.labels import CATEGORY_NAMES
from game.render.words import plural
from game.sim.deals import ODDS_PARTS, win_chance, win_logit_parts
from game.sim.effects import shift_shares
from game.sim.levers import effective, fundable, pledge_terms, workforce_factor
from game.sim.state import State
from game.sim.world import CEffect, World

Status = Literal["open", "locked", "absent", "waiting", "closed"]
"""open: takes money; locked: fixed by the scenario; absent: not offered in the scenario; waiting: its
programme does not exist yet or has ended; closed: its deal is decided or not open."""


@dataclass(frozen=True)
class EffectSize:
    label: str
    """What it moves, in words: 'Fujitsu share in Japan'."""
    per_billion: float
    """The change one more ¥ billion makes at the current spend, in `unit`."""
    unit: str
    """'pp' (points of a market share), '% of it' (of the share a vendor holds), '%' (of a price index),
    'pts', '¥B', 'k' (thousand engineers) or ''."""

    @property
    def text(self) -> str:
        return f"{self.label} {signed(self.per_billion, self.unit)}"


@dataclass(frozen=True)
class OddsReason:
    label: str
    logit: float
    """This reason's term in the bid's log-odds (positive helps)."""


@dataclass(frozen=True)
class DealInfo:
    name: str
    opens: str
    decides: str
    state: Literal["not open", "open", "won", "lost", "closed"]
    chance: float | None
    """The chance of winning were it decided now, before this quarter's money (None once decided)."""
    chance_with_plan: float | None
    """The same with this quarter's planned spend on the lever added to the bid's support."""
    reasons: tuple[OddsReason, ...]
    prize: str
    """In words: the share of the region's market that goes to the winner, and over how long (a won
    contract's upkeep is among the lever's obligations)."""
    deploying: int
    """Quarters of a won contract's deployment still to come (a lost one deploys the rival's, not ours)."""
    ahead: int
    """Quarters until it is decided: 0 in the quarter that decides it."""

    @property
    def status(self) -> str:
        """The deal's status in words, the one home for them: lost, won (and deploying), or when it is
        decided."""
        when = "this quarter" if self.ahead <= 0 else f"in {plural(self.ahead, 'quarter')}"
        if self.state == "won":
            rest = f"deploying {plural(self.deploying, 'more quarter')}" if self.deploying else "fully deployed"
            return f"won in {self.decides}, {rest}"
        if self.state == "lost":
            return f"lost in {self.decides}"
        if self.state == "not open":
            return f"opens {self.opens}, decided {self.decides} ({when})"
        if self.state == "closed":
            return "closed"
        return f"decided {self.decides} ({when})"

    @property
    def line(self) -> str:
        """The deal in one line: its status, and while it is open, the odds and the prize."""
        if self.state != "open":
            return self.status
        assert self.chance is not None
        return f"{self.name} {self.status} · win chance now {self.chance * 100:.0f} % · prize {self.prize}"


@dataclass(frozen=True)
class PledgeInfo:
    """An alliance's pledge against this quarter's plan, by the core's own rule (game.sim.levers.pledge_terms)."""

    pledge: float
    term: int
    funded: float
    """¥ billions the plan puts into the alliance's levers this quarter."""
    owed: int
    """Quarters still owed now, this one included (0: not committed)."""
    owed_after: int
    """Quarters owed after this quarter is played with the plan."""
    breaks: bool
    """The plan funds a committed pledge below it: the commitment breaks this quarter."""

    @property
    def text(self) -> str:
        plan = f"this quarter's ¥{self.funded:g}B"
        if self.breaks:
            return (f"Committed for {plural(self.owed, 'more quarter')}, this one included: {plan} is below the "
                    f"¥{self.pledge:g}B pledge and breaks it")
        if self.owed:
            after = f"{plural(self.owed_after, 'more quarter')} owed after it" if self.owed_after else "the last one owed"
            return f"Committed for {plural(self.owed, 'more quarter')}, this one included: {plan} keeps it ({after})"
        if self.owed_after:
            return f"This quarter's ¥{self.funded:g}B meets it: committed for {plural(self.term, 'quarter')}, this one included"
        return ""


@dataclass(frozen=True)
class LeverInfo:
    lever_id: str
    name: str
    category: str
    """The category's display name (game.render.labels.CATEGORY_NAMES)."""
    short: str
    status: Status
    note: str
    """Why it takes no money, or '' when it does."""
    spend: float
    step: float
    max: float
    cost: float
    lag: int
    engineers: float | None
    """For a lever that needs engineers, the pool's strength now (0-1): its effects are scaled by it."""
    curve: tuple[float, ...]
    """Effective ¥ billions per ¥ billion of each step from 0 to max (1 = no saturation yet)."""
    at: int
    """The step the current spend has reached on `curve` (len(curve) when at max)."""
    effects: tuple[EffectSize, ...]
    obligations: tuple[str, ...]
    deal: DealInfo | None
    pledge: PledgeInfo | None = None

    @property
    def marginal(self) -> float:
        """Effective ¥ billions the next step buys per ¥ billion (0 at max)."""
        return self.curve[self.at] if self.at < len(self.curve) else 0.0


def signed(x: float, unit: str) -> str:
    number = f"{x:+.2g}" if abs(x) < 0.01 else f"{x:+.2f}" if abs(x) < 10 else f"{x:+.1f}"
    if unit == "¥B":
        return f"{number[0]}¥{number[1:]}B"
    return f"{number} {unit}" if unit else number


# name family -> (words, unit, scale from the model's number to the unit)
_WORDS: dict[str, tuple[str, str, float]] = {
    "tech": ("{0} technology", "pts", 1.0), "research": ("{0} technology", "pts", 1.0),
    "research6g": ("{0} 6G position", "pts", 1.0), "sixg": ("{0} 6G position", "pts", 1.0),
    "cost": ("{0} price", "%", 100.0), "trust": ("{0} trust", "pts", 100.0),
    "dependence": ("{0} reliance on subsidies", "pts", 100.0), "rnd": ("{0} own R&D", "¥B", 1.0),
    "rnd6g": ("{0} own 6G research", "¥B", 1.0), "appeal": ("{1} appeal in {0}", "", 1.0),
    "stance": ("{0} stance", "pts", 1.0), "standing": ("standing in {0}", "pts", 1.0),
    "support": ("support for {0}", "", 1.0), "market_size": ("{0} market", "US$B", 1.0),
    "engineers": ("engineers", "k", 1.0), "approval": ("approval", "pts", 1.0),
    "tension": ("tension with China", "pts", 1.0), "threat": ("cyber threat", "pts", 1.0),
    "budget": ("next budget", "¥B", 1.0), "reserve": ("reserve", "¥B", 1.0),
}


def _name(world: World, dim: str, key: str) -> str:
    c = world.content
    tables: dict[str, Mapping[str, Any]] = {"vendor": c.vendors, "region": c.regions,
                                            "stakeholder": c.stakeholders, "alliance": c.alliances,
                                            "deal": c.deals}
    return str(tables[dim][key].name)


def _words(world: World, effect: Effect) -> tuple[str, str, float]:
    """(label, unit, scale) of an effect's target."""
    if isinstance(effect, AddEffect):
        family, *keys = effect.target.split(".")
        dims = FAMILY[family].dims
        words, unit, scale = _WORDS.get(family, (effect.target, "", 1.0))
        names = [_name(world, d, k) for d, k in zip(dims, keys, strict=True)]
        return words.format(*names), unit, scale
    assert isinstance(effect, ShiftEffect) or effect.kind == "prop"
    vendor, region = _name(world, "vendor", effect.vendor), _name(world, "region", effect.region)
    return f"{vendor} share in {region}", "pp", 100.0


def _sizes(world: World, state: State, effects: list[Effect], compiled: tuple[CEffect, ...],
           scale_by: float) -> tuple[EffectSize, ...]:
    """Each of `effects` (content and compiled, in step) applied with scale `scale_by` to game 0 of `state`."""
    out = []
    for effect, c in zip(effects, compiled, strict=True):
        label, unit, scale = _words(world, effect)
        amount = c.amount * scale_by
        if c.kind in ("shift", "prop") and amount < 0:  # a vendor loses a part of whatever share it holds then
            out.append(EffectSize(label, amount * 100, "% of it"))
            continue
        if c.kind in ("shift", "prop"):  # the others' share moved to the vendor: points of the market
            if state.banned[0, c.region, c.vendor]:
                amount = 0.0
            amount = float(shift_shares(state.shares[:, c.region, :], c.vendor, np.array([amount]))[0, c.vendor])
        out.append(EffectSize(label, amount * scale, unit))
    return tuple(out)


def _curve(world: World, lever: int) -> tuple[float, ...]:
    lv = world.lever(lever)
    steps = max(1, round(lv.max / lv.step))
    spend = np.zeros((steps + 1, len(world.lever_ids)))
    spend[:, lever] = np.minimum(np.arange(steps + 1) * lv.step, lv.max)
    eff = effective(spend, world)[:, lever]
    return tuple(float(x) for x in np.diff(eff) / np.diff(spend[:, lever]))


def _text(sizes: tuple[EffectSize, ...]) -> str:
    return ", ".join(e.text for e in sizes)


def pledge_info(world: World, state: State, alliance_id: str, allocations: Mapping[str, float]) -> PledgeInfo:
    """Alliance `alliance_id`'s pledge in game 0 of `state` if this quarter is played with `allocations`."""
    a = world.index("alliance")[alliance_id]
    alliance = world.content.alliances[alliance_id]
    spent = world.allocation_vector(dict(allocations))[None, :]
    after, _, broken = pledge_terms(state.pledged[:1], spent, world)
    funded = float(sum(v for k, v in allocations.items() if world.content.levers[k].alliance == alliance_id))
    return PledgeInfo(alliance.pledge, alliance.term, round(funded, 6), int(state.pledged[0, a]),
                      int(after[0, a]), bool(broken[0, a]))


def _obligations(world: World, state: State, lever: int) -> tuple[str, ...]:
    lv = world.lever(lever)
    out: list[str] = []
    if lv.alliance is not None:
        a = world.index("alliance")[lv.alliance]
        alliance = world.content.alliances[lv.alliance]
        if alliance.pledge > 0:
            out.append(f"≥ ¥{alliance.pledge:g}B a quarter on {alliance.name} commits Japan for "
                       f"{plural(alliance.term, 'quarter')}")
            if alliance.obligations:
                sizes = _sizes(world, state, alliance.obligations, world.alliance_obligations[a], 1.0)
                out.append("While committed, each quarter: " + _text(sizes))
            if alliance.broken:
                sizes = _sizes(world, state, alliance.broken, world.alliance_broken[a], 1.0)
                out.append("Below the pledge while committed breaks it: " + _text(sizes))
        out.append(f"Standing brings: {alliance.gives} Costs: {alliance.costs}")
    if lv.deal is not None:
        deal = world.content.deals[lv.deal]
        if deal.upkeep:
            out.append(f"A won contract costs ¥{deal.upkeep:g}B a quarter while it deploys")
    if lv.cost:
        out.append(f"Does nothing below ¥{lv.cost:g}B in a quarter (set-up cost)")
    return tuple(out)


REASON_WORDS = {"bias": "buyers' lean", "technology": "technology gap", "price": "price after financing",
                "trust": "trust gap", "alliances": "alliance standing", "stakeholders": "stakeholders"}
assert set(REASON_WORDS) == set(ODDS_PARTS)


def deal_info(world: World, state: State, deal_id: str, support_added: float = 0.0) -> DealInfo:
    """Export deal `deal_id` for the player; `support_added` is the support this quarter's plan would add."""
    d = world.index("deal")[deal_id]
    deal, arr = world.deal(d), world.arrays
    region = world.content.regions[deal.region]
    prize = f"{deal.share_gain * 100:.2g} % of {region.name} over {plural(deal.deploy, 'quarter')}"
    status = int(state.deal_status[0, d])
    deploying = int(state.deploying[0, d]) if status > 0 else 0
    ahead = int(arr["deal_decides"][d]) - state.turn
    decided = DealInfo(deal.name, deal.opens, deal.decides, "closed", None, None, (), prize, deploying, ahead)
    if status:
        return replace(decided, state="won" if status > 0 else "lost")
    if state.turn > arr["deal_decides"][d]:
        return decided
    a = state.arrays()
    parts = win_logit_parts(a, world)
    reasons = tuple(OddsReason(REASON_WORDS[k], float(np.broadcast_to(parts[k], (1, len(world.deal_ids)))[0, d]))
                    for k in ODDS_PARTS)
    chance = float(win_chance(a, world)[0, d])
    support = a["support"].copy()
    support[:, d] += support_added
    with_plan = float(win_chance({**a, "support": support}, world)[0, d])
    opened = state.turn >= arr["deal_opens"][d]
    return replace(decided, state="open" if opened else "not open", chance=chance, chance_with_plan=with_plan,
                   reasons=reasons)


_CLOSED_DEAL = {"not open": "its deal is not open yet", "won": "its deal is decided", "lost": "its deal is decided"}
"""Why a deal's lever takes no money (the pane's deal line below says how and when: DealInfo.status)."""


def lever_info(world: World, state: State, lever_id: str, spend: float,
               allocations: Mapping[str, float] | None = None) -> LeverInfo:
    """What lever `lever_id` does in game 0 of `state` with `spend` ¥ billions planned this quarter;
    `allocations`, the whole plan (an alliance's pledge counts all its levers), by default this lever's."""
    i = world.index("lever")[lever_id]
    lv = world.lever(i)
    plan = {**(allocations or {}), lever_id: spend}
    pledge = (pledge_info(world, state, lv.alliance, plan)
              if lv.alliance is not None and world.content.alliances[lv.alliance].pledge > 0 else None)
    curve = _curve(world, i)
    at = min(len(curve), round(spend / lv.step))
    wf = float(workforce_factor(state.engineers, world)[0]) if lv.needs_engineers else None
    per_effective = (curve[at] if at < len(curve) else curve[-1]) * (1.0 if wf is None else wf)
    effects = _sizes(world, state, lv.effects, world.lever_effects[i], per_effective)
    deal = None
    if lv.deal is not None:
        spent = np.zeros((1, len(world.lever_ids)))
        spent[0, i] = spend
        delivered = float(effective(spent, world)[0, i]) * (1.0 if wf is None else wf)
        support = sum(c.amount for c in world.lever_effects[i] if c.array == "support")
        deal = deal_info(world, state, lv.deal, support * delivered)
        more = deal_info(world, state, lv.deal, support * (delivered + per_effective))
        if deal.chance_with_plan is not None and more.chance_with_plan is not None:
            gain = (more.chance_with_plan - deal.chance_with_plan) * 100
            effects = (*effects, EffectSize(f"chance of winning {deal.name}", gain, "pts"))
    status: Status = "open"
    note = ""
    if lever_id in world.scenario.locked:
        status, note = "locked", f"fixed at ¥{world.scenario.locked[lever_id]:g}B by the scenario"
    elif not world.offered[i]:
        status, note = "absent", "not offered in this scenario"
    elif not world.available(state.turn)[i]:
        status, note = "waiting", world.unavailable(i, state.turn)
    elif not fundable(state, world)[0, i]:
        status = "closed"
        note = "closed" if deal is None else _CLOSED_DEAL.get(deal.state, "its deal is closed")
    return LeverInfo(lever_id=lever_id, name=lv.name, category=CATEGORY_NAMES[lv.category], short=lv.short,
                     status=status, note=note, spend=spend, step=lv.step, max=lv.max, cost=lv.cost,
                     lag=lv.lag, engineers=wf, curve=curve, at=at, effects=effects,
                     obligations=_obligations(world, state, i), deal=deal, pledge=pledge)
