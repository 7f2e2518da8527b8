"""The names content can read and write: the vocabulary shared by expressions, effects and goals.

A name is either a scalar (`approval`) or a family indexed by content ids (`tech.nec`,
`share.japan.huawei`). The catalogue is built from a pack's ids alone, so the loader can check every
name before any simulation exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product


@dataclass(frozen=True)
class Family:
    name: str
    dims: tuple[str, ...]
    """Which id lists index it: 'vendor', 'region', 'alliance', 'stakeholder', 'deal', 'event', 'lever'."""
    settable: bool
    description: str
    array: str | None = None
    """The state array (game.sim.state.State) that holds it: effects on a settable name change that array,
    and reading the name reads it, unless game.sim.metrics derives the name (budget, shares, dates...)."""
    unit: str = ""
    """'share' for a 0-1 share of a market (shown as %), 'money' for ¥ billions, else its own numbers."""
    per: str | None = None
    """For money put into a rival-comparable activity (`research.nec`): the model coefficient
    (`research.tech_per_billion`) that turns one ¥ billion into points of `array`. Such a name can be
    written, not read: it is the same rate the world's own budgets earn, by construction."""

    @property
    def readable(self) -> bool:
        return self.per is None


FAMILIES: tuple[Family, ...] = (
    Family("engineers", (), True, "Japan's pool of radio-network engineers, thousands", "engineers"),
    Family("approval", (), True, "public approval of the ministry's policy, 0-100", "approval"),
    Family("tension", (), True, "geopolitical tension with China, 0-100", "tension"),
    Family("threat", (), True, "cyber-threat level against Japan's networks, 0-100", "threat"),
    Family("budget", (), True, "change to next quarter's budget, ¥ billions (effects add to it)", "budget_mod", unit="money"),
    Family("reserve", (), True, "unspent budget kept from earlier quarters, ¥ billions", "reserve", unit="money"),
    Family("spent", (), False, "¥ billions spent on levers so far", unit="money"),
    Family("turn", (), False, "turns played so far (0 on the first turn)"),
    Family("turns_left", (), False, "turns left, this one included"),
    Family("year", (), False, "calendar year of the current quarter"),
    Family("quarter", (), False, "quarter of the year, 1-4"),
    Family("domestic_share", (), False, "domestic vendors' global market share, 0-1", unit="share"),
    Family("untrusted_japan", (), False, "high-risk vendors' share of Japan's network, 0-1", unit="share"),
    Family("competitiveness", (), False, "competitiveness index of Japan's vendors"),
    Family("incidents", (), False, "security incidents so far", "incidents"),
    Family("major_incidents", (), False, "major security incidents so far", "major_incidents"),
    Family("incidents_last", (), False, "security incidents in the last quarter", "incidents_last"),
    Family("deals_won", (), False, "export deals won so far"),
    Family("deals_lost", (), False, "export deals lost so far"),
    Family("tech", ("vendor",), True, "technology index, 0-100", "tech"),
    Family("cost", ("vendor",), True, "price index (1 = market average)", "cost"),
    Family("trust", ("vendor",), True, "trust of security-minded buyers, 0-1", "trust"),
    Family("dependence", ("vendor",), True, "reliance on subsidies, 0-1 (slows own R&D)", "dependence"),
    Family("rnd", ("vendor",), True, "the vendor's own radio R&D, ¥ billions a quarter", "rnd", unit="money"),
    Family("rnd6g", ("vendor",), True, "the vendor's own 6G research, ¥ billions a quarter", "rnd6g", unit="money"),
    Family("research", ("vendor",), True, "radio R&D paid for the vendor, ¥ billions (write only)", "tech",
           per="research.tech_per_billion"),
    Family("research6g", ("vendor",), True, "6G research paid for the vendor, ¥ billions (write only)", "sixg",
           per="research.sixg_per_billion"),
    Family("sixg", ("vendor",), True, "6G research position, an index", "sixg"),
    Family("sixg_share", (), False, "domestic vendors' share of the world's 6G research position, 0-1", unit="share"),
    Family("global_share", ("vendor",), False, "global market share, 0-1", unit="share"),
    Family("market_size", ("region",), True, "yearly market, US$ billions", "market_size"),
    Family("share", ("region", "vendor"), False, "market share in a region, 0-1 (change it with `shift`)", "shares", unit="share"),
    Family("appeal", ("region", "vendor"), True, "temporary extra attractiveness; fades each quarter", "appeal"),
    Family("banned", ("region", "vendor"), False, "1 if barred from new contracts (change it with `ban`)", "banned"),
    Family("subsidised", ("region", "vendor"), False, "share held by subsidised installs, 0-1 (fades)", "propped", unit="share"),
    Family("standing", ("alliance",), True, "standing in an alliance initiative, 0-100", "standing"),
    Family("committed", ("alliance",), False, "quarters of a pledge still owed (0: not committed)", "pledged"),
    Family("stance", ("stakeholder",), True, "a stakeholder's stance towards Japan's policy, 0-100 (50 neutral)",
           "stance"),
    Family("support", ("deal",), True, "financing and support behind an export bid", "support"),
    Family("deal", ("deal",), False, "1 won, -1 lost, 0 not decided", "deal_status"),
    Family("fired", ("event",), False, "how many times the event has fired", "fired"),
    Family("invested", ("lever",), False, "¥ billions spent on the lever so far", "invested", unit="money"),
)
FAMILY = {f.name: f for f in FAMILIES}


def catalogue(ids: dict[str, list[str]]) -> dict[str, Family]:
    """Every valid name for a pack whose ids per kind are `ids` ({'vendor': [...], 'region': [...]...})."""
    names: dict[str, Family] = {}
    for family in FAMILIES:
        for combo in product(*(ids.get(dim, []) for dim in family.dims)):
            names[".".join((family.name, *combo))] = family
    return names
