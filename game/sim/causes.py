"""The cause ids the core writes into the ledger: one home, imported by whoever names a cause.

A cause is `kind:key`. Fixed causes are constants here; the four content kinds carry the content id
(`lever:rnd-b5g`, `event:typhoon`, `deal:vietnam-5g`, `alliance:quad`, `stakeholder:beijing`). Display labels live in
game.render.labels; nothing outside the core should spell a cause id itself.
"""

from __future__ import annotations

from typing import Final

# Kinds of parametrised causes.
LEVER: Final = "lever"
EVENT: Final = "event"
DEAL: Final = "deal"
ALLIANCE: Final = "alliance"
STAKEHOLDER: Final = "stakeholder"
CONTENT_KINDS: Final = (LEVER, EVENT, DEAL, ALLIANCE, STAKEHOLDER)


def lever(lever_id: str) -> str:
    return f"{LEVER}:{lever_id}"


def event(event_id: str) -> str:
    return f"{EVENT}:{event_id}"


def deal(deal_id: str) -> str:
    return f"{DEAL}:{deal_id}"


def alliance(alliance_id: str) -> str:
    return f"{ALLIANCE}:{alliance_id}"


def stakeholder(stakeholder_id: str) -> str:
    return f"{STAKEHOLDER}:{stakeholder_id}"


def kind(cause: str) -> str:
    return cause.partition(":")[0]


def key(cause: str) -> str:
    return cause.partition(":")[2]


# Fixed causes, in the order the step applies them.
SCENARIO: Final = "scenario"
BUDGET_RESET: Final = "budget:quarter starts"
RESERVE: Final = "budget:unspent money carried over"
OWN_RND: Final = "drift:own R&D"
OWN_6G: Final = "drift:own 6G research"
SIXG_AGES: Final = "drift:6G results age"
RIVALS_RESPOND: Final = "drift:rivals respond"
STANCES_SETTLE: Final = "drift:stances settle"
PRICES_SETTLE: Final = "drift:prices settle"
TRUST_REVERTS: Final = "drift:trust returns to normal"
DEPENDENCE_FADES: Final = "drift:dependence fades"
CAMPAIGNS_FADE: Final = "drift:campaigns fade"
STANDING_FADES: Final = "drift:standing fades"
NOT_FOUNDED: Final = "drift:alliance not founded yet"
"""Standing an alliance cannot have before its `since` quarter (held at zero)."""
MARKET_GROWTH: Final = "drift:market growth"
AGEING: Final = "drift:ageing workforce"
GRADUATES: Final = "drift:graduates"
TENSION_EASES: Final = "drift:tension eases"
BLOC_POLITICS: Final = "drift:bloc politics"
THREAT_REVERTS: Final = "drift:threat returns to normal"
APPROVAL_REVERTS: Final = "drift:approval returns to normal"
UNEVEN_GROWTH: Final = "drift:regional markets grow unevenly"
"""Not in the ledger: the change of the market-size weights, which `why.contributions` adds."""
RIP_AND_REPLACE: Final = "market:rip and replace"
SUBSIDIES_FADE: Final = "market:subsidised kit re-contracted"
CONTRACT_TURNOVER: Final = "market:contract turnover"
INCIDENTS: Final = "security:incidents"
SHARE_APPROVAL: Final = "politics:domestic vendors' share"
LIMITS: Final = "limits"

MARKET_COMPONENTS: Final = ("technology", "price", "trust", "scale", "incumbency", "appeal")
"""The attractiveness components of game.sim.market, in its order."""


def market(component: str) -> str:
    """The share moves the market books to one attractiveness component."""
    return f"market:{component}"


FIXED: Final = frozenset({
    SCENARIO, BUDGET_RESET, RESERVE, OWN_RND, OWN_6G, SIXG_AGES, RIVALS_RESPOND, STANCES_SETTLE,
    PRICES_SETTLE, TRUST_REVERTS, DEPENDENCE_FADES, CAMPAIGNS_FADE, STANDING_FADES, NOT_FOUNDED, MARKET_GROWTH,
    AGEING, GRADUATES, TENSION_EASES, BLOC_POLITICS, THREAT_REVERTS, APPROVAL_REVERTS, UNEVEN_GROWTH,
    RIP_AND_REPLACE, SUBSIDIES_FADE, CONTRACT_TURNOVER, INCIDENTS, SHARE_APPROVAL, LIMITS,
    *(market(c) for c in MARKET_COMPONENTS),
})
"""Every fixed cause the core can emit (a test checks the core emits no other)."""

AFTER_MARKET: Final = (kind(RIP_AND_REPLACE), DEAL, kind(INCIDENTS), kind(SHARE_APPROVAL), kind(LIMITS))
"""Kinds of causes game.sim.step applies after the market has moved shares: the market itself, export
deals, security incidents, approval and limits. Every other cause (budget, events, levers, drift,
alliances) changed the state the market saw that quarter; game.sim.attribution relies on this split, and
a test checks it against the step."""
