"""What players and readers see for the game's ids: metrics, lever categories and causes. One home, used
by the terminal, the command line and the reports."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from game.content.expr import compile_expr
from game.content.terms import CATEGORIES, Category
from game.content.vocabulary import FAMILIES
from game.sim import causes
from game.sim.scoring import BANDS, OUTCOMES, PRECISION
from game.sim.world import World

if TYPE_CHECKING:
    from game.content.schema import Alliance, Deal, Event, Lever, Source, Stakeholder

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


SHARE_FAMILIES = frozenset(f.name for f in FAMILIES if f.unit == "share")
"""Vocabulary families (game.content.vocabulary) that are shares, 0-1."""
MONEY_FAMILIES = frozenset(f.name for f in FAMILIES if f.unit == "money")
OPS = {">=": "≥", "<=": "≤"}
MAX_DECIMALS = 12
"""A miss is more than the scoring's tolerance (1e-12), so this many decimals always show it."""


def goal_unit(metric: str) -> str:
    """A goal's unit: '%' when its metric reads only shares (a weighted sum of shares is a share; shown
    ×100), '¥B' when it reads only money, else none (approval, incidents, indices count in their own
    numbers)."""
    families = {n.split(".")[0] for n in compile_expr(metric).names}
    if families and families <= SHARE_FAMILIES:
        return "%"
    return "¥B" if families and families <= MONEY_FAMILIES else ""


def unit_scale(metric: str) -> float:
    """What a goal's metric is multiplied by to read it in its unit: 100 for '%' (a share of 0.016 reads
    1.6 %), else 1."""
    return 100.0 if goal_unit(metric) == "%" else 1.0


def goal_value(metric: str, value: float, decimals: int = 2, difference: bool = False) -> str:
    """A value of a goal's metric in the goal's unit: '1.62 %', '¥3.50B', '45.30'; a `difference` of two
    shares in points: '0.06 pp'."""
    unit = goal_unit(metric)
    shown = f"{value * unit_scale(metric):.{decimals}f}"
    if unit == "¥B":
        return f"¥{shown}B"
    if unit == "%" and difference:
        unit = "pp"
    return f"{shown} {unit}" if unit else shown


def goal_decimals(metric: str, step: float) -> int:
    """Decimals that show a difference of `step` (a metric's own number) in the goal's unit, at least 2."""
    scaled = abs(step) * unit_scale(metric)
    return max(2, min(MAX_DECIMALS, 1 - math.floor(math.log10(scaled)))) if scaled > 0 else 2


def _decimals(x: float) -> int:
    """Decimals `x` is written with (3.9 -> 1, 45 -> 0), ignoring float noise such as 3.9000000000000004."""
    text = f"{x:.10f}".rstrip("0")
    return len(text.partition(".")[2])


def _precise_enough(shown: str, value: float) -> bool:
    """Two significant digits ('1.0', '20', not '1' for 0.996), or the whole number that the value is
    (3 incidents print '3')."""
    digits = shown.lstrip("-").replace(".", "").lstrip("0")
    return len(digits) >= 2 or abs(value - round(value)) < 1e-9


def goal_numbers(metric: str, op: str, target: float, value: float, met: bool) -> tuple[str, str]:
    """(value, target) of a goal as a reader sees them, in the goal's unit: the target at its own precision,
    the value at the same or finer, with two significant digits unless it is whole: 0.2 of a 0.23 target
    reads ('20 %', '≥ 23 %'), 0.00996 of 0.06 ('1.0 %', '≥ 6 %'), 3 incidents of 2 ('3', '≤ 2'). A missed
    goal whose value would round onto (or past) its target gets more digits until the miss shows:
    rounding never makes a missed goal look met."""
    unit = goal_unit(metric)
    scale = unit_scale(metric)
    digits = _decimals(target * scale)
    shown_target = f"{target * scale:.{digits}f}"
    at_least = op == ">="
    for d in range(digits, MAX_DECIMALS + 1):
        shown = f"{value * scale:.{d}f}"
        looks_met = float(shown) >= float(shown_target) if at_least else float(shown) <= float(shown_target)
        if (met or not looks_met) and _precise_enough(shown, value * scale):
            break
    if unit == "¥B":
        return f"¥{shown}B", f"{OPS[op]} ¥{shown_target}B"
    suffix = f" {unit}" if unit else ""
    return f"{shown}{suffix}", f"{OPS[op]} {shown_target}{suffix}"


ACRONYMS = {"sea": "SEA", "5g": "5G", "6g": "6G", "b5g": "B5G", "rnd": "R&D", "ran": "RAN", "nec": "NEC",
            "ntt": "NTT", "kddi": "KDDI", "mic": "MIC"}
"""Words of ids that readers know in capitals."""

GOAL_NAME_WIDTH = 16
"""The forecast's goal column: a goal's short label fits it."""
METRIC_SHORT = {
    "domestic_share": "Domestic share", "untrusted_japan": "Untrusted kit", "major_incidents": "Major incidents",
    "incidents": "Incidents", "approval": "Approval", "tension": "Tension", "threat": "Threat level",
    "reserve": "Reserve", "engineers": "Engineers", "deals_won": "Deals won", "sixg_share": "6G research",
    "competitiveness": "Competitiveness",
}
"""A goal on one of these metrics is labelled by what it measures (whatever its id says)."""
GOAL_SHORT = {
    "japanese-stake": "Japan's stake", "home-vendors": "Home vendors", "contracts": "Contracts won",
    "sea-share": "SEA share",
}
"""Labels of the shipped goals whose metric is a sum of several (no one metric names them)."""


def goal_short(goal_id: str, metric: str) -> str:
    """A goal's short label (at most GOAL_NAME_WIDTH): what its metric measures, 'Untrusted kit',
    'Washington' (a stakeholder's stance); for a sum of metrics the label above, else the id in words:
    'sea-share' -> 'SEA share'."""
    if metric.strip() in compile_expr(metric).names:  # one metric, not a sum
        family, _, key = metric.strip().partition(".")
        if family in METRIC_SHORT:
            return METRIC_SHORT[family]
        if family == "stance":
            return " ".join(ACRONYMS.get(w, w.capitalize()) for w in key.split("-"))
    if goal_id in GOAL_SHORT:
        return GOAL_SHORT[goal_id]
    words = [ACRONYMS.get(word, word) for word in goal_id.split("-")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


def weight_label(weight: float, total: float) -> str:
    """A goal's weight in the score: 'weight 2 of 5'."""
    return f"weight {weight:g} of {total:g}"


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


def _floor_percent(x: float) -> str:
    """A 0-1 share as a whole percentage, floored: 99.6 % of the way is not '100 %'."""
    return f"{math.floor(x * 100 + 1e-9):.0f} %"


def goal_detail(weight: float, total: float, met: bool, progress: float, bonus: float, started_met: bool) -> str:
    """'weight 2 of 5 · 64 % of the way from the start' (missed), 'weight 2 of 5 · bonus 40 %' (met), or
    'weight 1 of 5 · lost (met at the start): 10 % credit left'."""
    if met:
        how = f"bonus {_floor_percent(bonus)}"
    elif started_met:
        how = f"lost (met at the start): {_floor_percent(progress)} credit left"
    else:
        how = f"{_floor_percent(progress)} of the way from the start"
    return f"{weight_label(weight, total)} · {how}"


def band_label(outcome: str) -> str:
    """'70–100' for victory, '40–69.9' for partial...: the scores each ending gets."""
    low, high = BANDS[outcome]
    return f"{low:g}–{high:g}" if outcome == OUTCOMES[0] else f"{low:g}–{high - PRECISION:g}"


def score_line(score: float, outcome: str) -> str:
    """'score 32.3 / 100 (a defeat scores 10–39.9)'."""
    article = "an" if outcome[0] in "aeiou" else "a"
    return f"score {score:.1f} / 100 ({article} {outcome} scores {band_label(outcome)})"


def verdict(goals_met: int, goals: int, weight_met: float) -> str:
    """What was met, in the numbers the ending follows: '2 of 4 goals met, 40 % of the weight (a partial
    success needs half of it, victory all)'."""
    return (f"{goals_met} of {goals} goal{'s' if goals != 1 else ''} met, {_floor_percent(weight_met)} of the "
            f"weight (a partial success needs half of it, victory all)")


def score_legend(world: World) -> str:
    """'Goal weights: domestic-share 2, clean-network 1 (of 3). Scores: victory 70–100, ...'."""
    total = sum(g.weight for g in world.goals)
    weights = ", ".join(f"{g.id} {g.weight:g}" for g in world.goals)
    bands = ", ".join(f"{o} {band_label(o)}" for o in OUTCOMES)
    return f"Goal weights: {weights} (of {total:g}). Scores: {bands}."


def unspent_fate(carryover: float) -> str:
    """What happens to money left unspent in a quarter, by the scenario's `carryover`."""
    if carryover >= 1.0:
        return "it goes to the reserve for later quarters"
    if carryover <= 0.0:
        return "it will be lost"
    return f"{carryover * 100:.0f} % of it goes to the reserve, the rest is lost"
