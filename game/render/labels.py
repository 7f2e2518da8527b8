"""What players and readers see for the game's ids: metrics, lever categories and causes. One home, used
by the terminal, the command line and the reports."""

from __future__ import annotations

from collections.abc import Mapping

from game.content.schema import CATEGORIES, Alliance, Category, Deal, Event, Lever, Source, Stakeholder
from game.sim import causes
from game.sim.world import World

METRIC_LABELS = {
    "domestic_share": "Domestic vendors' global share",
    "untrusted_japan": "Untrusted kit in Japan",
    "incidents": "Security incidents",
    "major_incidents": "Major incidents",
    "engineers": "Engineers (thousands)",
    "approval": "Approval",
    "tension": "Tension",
    "threat": "Threat level",
    "competitiveness": "Competitiveness",
    "budget": "Budget (¥B)",
}
PERCENT_METRICS = frozenset({"domestic_share", "untrusted_japan"})
"""Fractions shown as percentages."""
LOWER_IS_BETTER = frozenset({"untrusted_japan", "incidents", "tension", "threat", "major_incidents"})
"""Metrics where a rise is bad news."""


def format_metric(name: str, value: float) -> str:
    """`3.9 %` for a share, `54.1` otherwise."""
    return f"{value * 100:.1f} %" if name in PERCENT_METRICS else f"{value:.1f}"


CATEGORY_NAMES: dict[Category, str] = {
    "subsidy": "Subsidies", "rnd": "R&D", "workforce": "Workforce", "export": "Export", "alliance": "Alliances",
}
CATEGORY_COLOURS: dict[Category, str] = {
    # ColorBrewer Dark2: distinct in print and on a projector
    "subsidy": "#d95f02", "rnd": "#1b9e77", "workforce": "#7570b3", "export": "#e7298a", "alliance": "#66a61e",
}
assert set(CATEGORY_NAMES) == set(CATEGORY_COLOURS) == set(CATEGORIES)

MARKET_WORDS = {
    "technology": "buyers weigh technology",
    "price": "buyers weigh price",
    "trust": "buyers weigh trust (security)",
    "scale": "economies of scale",
    "appeal": "subsidies and campaigns",
    "incumbency": "installed base",
    "contract turnover": "contracts re-let",
    "rip and replace": "rip and replace",
    "subsidised kit re-contracted": "subsidised kit re-contracted",
}
"""The market's causes in words a player knows."""


FICTION_TAG = "(fiction)"
"""After the title of an invented event (`fiction = true`), wherever events are shown."""


def titled(title: str, fiction: bool) -> str:
    """An event's title as readers see it: invented events say so."""
    return f"{title} {FICTION_TAG}" if fiction else title


def event_title(event: Event) -> str:
    return titled(event.title, event.fiction)


def source_origin(source: Source) -> str:
    """'Publisher, year' for a source, saying when the address is only a mirror of the original."""
    text = f"{source.publisher}, {source.year}"
    if source.mirror:
        text += f" · mirror copy; original: {source.original}" if source.original else " · mirror copy"
    return text


def cause_label(cause: str, world: World) -> str:
    """What a cause id means to a reader: a lever's, event's, deal's or alliance's name, the market's
    reasons in plain words, a drift by what it is."""
    kind, key = causes.kind(cause), causes.key(cause)
    c = world.content
    if kind == causes.EVENT and key in c.events:
        return event_title(c.events[key])
    named: dict[str, Mapping[str, Lever | Deal | Alliance | Stakeholder]] = {
        causes.LEVER: c.levers, causes.DEAL: c.deals, causes.ALLIANCE: c.alliances,
        causes.STAKEHOLDER: c.stakeholders}
    if kind in named and key in named[kind]:
        return named[kind][key].name
    if cause == causes.INCIDENTS:
        return "security incidents"
    if kind == "market":
        return f"market: {MARKET_WORDS.get(key, key)}"
    return key or kind
