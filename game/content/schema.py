"""Pydantic models of the content files.

Each model is one kind of item in a content pack. Field docstrings are the content authors' reference
(`content/README.md` documents the same fields with examples). Every model forbids unknown keys, so a
typo in a content file is an error that names the key, never a silently ignored value.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

# re-exported for the modules that validate or show content: their home is game.content.terms
from game.content.terms import CATEGORIES as CATEGORIES
from game.content.terms import Category as Category
from game.content.terms import quarter_index as quarter_index
from game.content.terms import quarter_name as quarter_name
from game.content.untrusted import printable

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
QUARTER_PATTERN = r"^\d{4}Q[1-4]$"

Id = Annotated[str, Field(pattern=ID_PATTERN)]


def _quarter(value: str) -> str:
    if not re.fullmatch(QUARTER_PATTERN, value):
        raise ValueError(f"'{value}' is not a quarter: write the year and the quarter, like '2026Q1'")
    return value


Quarter = Annotated[str, AfterValidator(_quarter)]
"""A quarter, '2026Q1'; anything else is an error that names the key and shows the expected form."""


MAGNITUDE = 1e6
"""Every number in content lies in [-MAGNITUDE, MAGNITUDE] and is 0 or at least 1 / MAGNITUDE in size (fields
may declare narrower ranges): far beyond any real value, and narrow enough that 80 quarters of sums,
products and quotients stay finite in float64."""


def _printable_strings(value: object) -> object:
    """Content strings (in lists and tables too) without control characters: shown in terminals and files."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: _printable_strings(v) for k, v in value.items()}
    return value


def _out_of_range(value: object, where: str = "") -> str | None:
    """Why `value` (a number, or a list or table of them) breaks the content range, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if abs(value) > MAGNITUDE or 0 < abs(value) < 1 / MAGNITUDE:
            shown = f"{value:.3g}" if isinstance(value, float) or abs(value) > 1e15 else str(value)
            return (f"{where}{shown} is out of range (content numbers lie between -1e6 and 1e6, and are 0 "
                    "or at least 1e-6 in size)")
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _out_of_range(item, f"{key}: " if isinstance(value, dict) else f"[{key}]: ")
        if found:
            return found
    return None


class Strict(BaseModel):
    # Field docstrings are for readers of this file; pydantic's `use_attribute_docstrings` would re-read and
    # parse this file's source on every start (~0.1 s of each `homegrown run`). Validators are built on first
    # use (defer_build): a pack read back from the cache is never validated, so one game never builds them.
    # For the same reason a default sub-model below is made with `model_construct()`, which validates nothing.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,  # every number finite
                              defer_build=True)

    @field_validator("*", mode="after")
    @classmethod
    def _in_range_and_printable(cls, value: object) -> object:
        problem = _out_of_range(value)
        if problem:
            raise ValueError(problem)
        return _printable_strings(value)


# ---------------------------------------------------------------- effects


class AddEffect(Strict):
    kind: Literal["add"]
    target: str
    """A settable variable, e.g. `approval`, `tech.nec`, `appeal.japan.nec` (see content/README.md)."""
    amount: float
    """Added to the target. In a lever, per effective ¥ billion spent."""


class MulEffect(Strict):
    kind: Literal["mul"]
    target: str
    factor: float = Field(ge=0, le=10)
    """The target is multiplied by this factor (0.9 = minus 10 %); at most 10, so repeats stay finite."""


class SetEffect(Strict):
    kind: Literal["set"]
    target: str
    value: float


class BanEffect(Strict):
    kind: Literal["ban"]
    region: Id
    vendor: Id
    rip: float = Field(default=0.0, ge=0, le=1)
    """Share of the banned vendor's installed base ripped out and replaced each quarter."""


class UnbanEffect(Strict):
    kind: Literal["unban"]
    region: Id
    vendor: Id


class ShiftEffect(Strict):
    kind: Literal["shift"]
    region: Id
    vendor: Id
    amount: float = Field(ge=-1, le=1)
    """Fraction of the region's market moved to the vendor from all others in proportion (negative moves
    it away). In a lever, per effective ¥ billion spent."""


class PropEffect(Strict):
    kind: Literal["prop"]
    region: Id
    vendor: Id
    amount: float = Field(ge=0, le=1)
    """Subsidised installs: like `shift`, but the share it buys is re-contracted at the market's
    preference as the subsidy fades (model `market.subsidy_fade` of it each quarter)."""


Effect = Annotated[
    AddEffect | MulEffect | SetEffect | BanEffect | UnbanEffect | ShiftEffect | PropEffect,
    Field(discriminator="kind"),
]


# ---------------------------------------------------------------- world


class Source(Strict):
    id: Id
    title: str
    publisher: str
    year: str
    """Year or date of publication, as text (`2024`, `2024-11`)."""
    url: str
    mirror: bool = False
    """The url is a copy of someone else's report (a reprint, an aggregator, a raw file host), not the
    original publisher's page: shown as such wherever sources are listed."""
    original: str | None = None
    """For a mirror: who first published it (publisher and, if known, the original title)."""


class Vendor(Strict):
    id: Id
    name: str
    country: str
    domestic: bool = False
    """A Japanese vendor the player supports; counts towards `domestic_share`."""
    high_risk: bool = False
    """A 'high-risk supplier' in the sense of the EU 5G Toolbox; counts towards `untrusted_japan`."""
    tech: float = Field(ge=0, le=100)
    """Technology index, 0-100, at the start."""
    cost: float = Field(gt=0, le=3)
    """Price index of its kit (1.0 = market average)."""
    trust: float = Field(ge=0, le=1)
    """How far security-minded buyers trust it, 0-1."""
    rnd: float = Field(default=0.0, ge=0, le=1000)
    """Its own radio R&D, ¥ billions a quarter: technology grows by model `research.tech_per_billion` per
    ¥ billion, the same rate as the ministry's research money (so effects are proportionate to budgets)."""
    rnd6g: float = Field(default=0.0, ge=0, le=1000)
    """Its own 6G research, ¥ billions a quarter (model `research.sixg_per_billion` per ¥ billion)."""
    sixg: float = Field(default=0.0, ge=0, le=1000)
    """Its 6G research position at the start (an index; Japan's share of the world's is `sixg_share`)."""
    withdrawn: Quarter | None = None
    """The quarter from which it signs no new base-station contracts (its installed base stays until
    replaced): withdrawn in every scenario that starts then or later."""
    description: str = ""
    source: str | None = None


class Region(Strict):
    id: Id
    name: str
    market_size: float = Field(gt=0)
    """Yearly radio-access-network spending, US$ billions."""
    growth: float = Field(default=0.0, ge=-0.5, le=0.5)
    """Yearly growth of market_size (0.02 = +2 % a year)."""
    security_sensitivity: float = Field(ge=0, le=1)
    """How much buyers weigh trust against price and technology, 0-1."""
    turnover: float = Field(default=0.05, gt=0, le=1)
    """Fraction of the installed base re-contracted each quarter."""
    bans: list[Id] = []
    """Vendors barred from new contracts at the start."""
    rip: float = Field(default=0.0, ge=0, le=1)
    """Share of banned vendors' installed base removed each quarter (rip and replace)."""
    shares: dict[Id, Annotated[float, Field(ge=0)]]
    """Market share of each vendor at the start (0-1; normalised to sum to 1)."""
    description: str = ""
    source: str
    """Source ids for the shares, market size and bans, comma separated."""


class Lever(Strict):
    id: Id
    name: str
    category: Category
    purpose: Id | None = None
    """What the money is for in a debrief's spend profile, when it differs from the category the bots and
    the search weigh it in (e.g. `security` for paying carriers to remove kit: not a subsidy to a vendor)."""
    short: str
    """One line, shown beside the lever in the allocation panel."""
    description: str
    """A paragraph a student can understand: what it is, what it does, what it costs."""
    step: float = Field(default=1.0, gt=0)
    """¥ billions added or removed by one key press."""
    cost: float = Field(default=0.0, ge=0)
    """Minimum ¥ billions per quarter for the lever to do anything (a fixed set-up cost)."""
    max: float = Field(gt=0)
    """Most ¥ billions it can absorb in one quarter."""
    lag: int = Field(default=0, ge=0, le=12)
    """Quarters between spending and effect."""
    saturation: float = Field(gt=0)
    """Diminishing returns: effective spend = saturation × (1 − exp(−spend / saturation))."""
    needs_engineers: bool = False
    """Its effect scales with Japan's engineer pool (R&D and deployments stall without engineers)."""
    deal: Id | None = None
    """For export financing: the deal it supports (it takes no money once the deal is decided)."""
    alliance: Id | None = None
    """The alliance whose pledge its money counts towards."""
    effects: list[Effect]
    """`add`, `shift` and `prop` effects; amounts are per effective ¥ billion."""
    since: Quarter | None = None
    """The quarter the real programme or agreement behind it came into being: not offered before then."""
    until: Quarter | None = None
    """The last quarter it can be funded (the programme, or the vendor's business it pays for, ends then):
    not offered after then, and not shown at all in a scenario that starts later."""
    source: str | None = None

    @field_validator("effects")
    @classmethod
    def _only_scalable(cls, effects: list) -> list:
        for effect in effects:
            if effect.kind not in ("add", "shift", "prop"):
                raise ValueError(f"a lever's effects must be 'add', 'shift' or 'prop', not '{effect.kind}'")
        return effects


class Deal(Strict):
    id: Id
    name: str
    country: str
    region: Id
    bidder: Id
    """The domestic vendor bidding."""
    rival: Id
    """The main rival bidder."""
    opens: Quarter
    decides: Quarter
    share_gain: float = Field(gt=0, le=0.5)
    """Fraction of the region's market that goes to the winner."""
    rival_price: float = Field(default=0.9, gt=0, le=3)
    """The rival bid's price relative to ours before financing (0.85 = 15 % cheaper)."""
    security_weight: float = Field(default=0.5, ge=0, le=1)
    """How much the buyer weighs trust in this deal."""
    deploy: int = Field(default=1, ge=1, le=12)
    """Quarters over which a won (or lost) contract's share arrives, from the deciding quarter on."""
    upkeep: float = Field(default=0.0, ge=0, le=100)
    """¥ billions a quarter the ministry owes while a won contract deploys (taken from the next budget)."""
    stakes: dict[Id, float] = {}
    """Stakeholder -> weight on the win chance's logit per unit of its stance ((stance − 50) / 50)."""
    description: str = ""
    won: list[Effect] = []
    lost: list[Effect] = []
    source: str


class Alliance(Strict):
    id: Id
    name: str
    partners: str
    description: str
    gives: str
    """In words: what standing in it brings."""
    costs: str
    """In words: what it costs or risks."""
    standing: float = Field(default=20, ge=0, le=100)
    """Standing at the start, 0-100."""
    decay: float = Field(default=0.02, ge=0, le=1)
    """Fraction of standing lost each quarter without investment."""
    per_quarter: list[Effect] = []
    """`add` effects applied each quarter, scaled by standing / 100."""
    since: Quarter | None = None
    """The quarter it came into being. In a scenario that starts earlier it has no standing, and nothing
    can give it any, until then."""
    pledge: float = Field(default=0.0, ge=0, le=100)
    """¥ billions a quarter on its levers that commit Japan for `term` quarters (0: no commitments)."""
    term: int = Field(default=4, ge=1, le=40)
    obligations: list[Effect] = []
    """`add` and `shift` effects applied each quarter while Japan is committed."""
    broken: list[Effect] = []
    """Applied once when a commitment is broken (less than the pledge in a committed quarter)."""
    source: str | None = None


class Stakeholder(Strict):
    """A party whose stance (0-100, 50 neutral) moves with the player's choices and acts on the world."""

    id: Id
    name: str
    description: str
    stance: float = Field(default=50, ge=0, le=100)
    """At the start."""
    baseline: float | None = Field(default=None, ge=0, le=100)
    """Where the stance returns without new causes (default: its start)."""
    reversion: float = Field(default=0.05, ge=0, le=1)
    per_quarter: list[Effect] = []
    """`add` effects applied each quarter, scaled by (stance − 50) / 50: friendly gives, hostile takes."""
    source: str | None = None


# ---------------------------------------------------------------- events


class Trigger(Strict):
    condition: str = "true"
    """An expression over state variables (content/README.md), e.g. `tension > 60 and approval < 40`."""
    probability: float = Field(default=1.0, ge=0, le=1)
    """Chance per quarter that it fires while the condition holds."""
    start: Quarter | None = None
    end: Quarter | None = None
    once: bool = True
    """Fires at most once per game; otherwise repeatable."""
    cooldown: int = Field(default=4, ge=0)
    """For repeatable events: quarters before it may fire again."""


class Choice(Strict):
    id: Id
    label: str
    """What the player picks, in a few words."""
    text: str = ""
    """The trade-off, in a sentence."""
    effects: list[Effect] = []


class Event(Strict):
    id: Id
    title: str
    category: Literal[
        "security", "geopolitics", "supply-chain", "technology", "politics", "workforce", "disaster",
        "rivals", "market", "history",
    ]
    text: str
    trigger: Trigger = Trigger.model_construct()
    effects: list[Effect] = []
    """Applied whatever the choice."""
    choices: list[Choice] = []
    default: int = 0
    """Index of the choice taken when nobody answers."""
    scenarios: list[Id] | None = None
    """Only in these scenarios (none = every scenario that does not exclude it)."""
    fiction: bool = False
    """Invented for the game (it may be inspired by the real episode in `source`): shown as '(fiction)'."""
    date: Quarter | None = None
    """For a real episode: the quarter it happened. Needs a `source`; content/README.md gives the rule its
    trigger window and scenarios must keep."""
    source: str | None = None


# ---------------------------------------------------------------- scenarios


class Goal(Strict):
    id: Id
    description: str
    metric: str
    """An expression over state variables, e.g. `domestic_share` or `global_share.nec + global_share.fujitsu`."""
    op: Literal[">=", "<="]
    target: float
    weight: float = Field(default=1.0, gt=0)
    span: float | None = Field(default=None, gt=0)
    """For a goal the start already meets: how far past the target the wrong way counts as no progress
    at all (default: the margin the start has, else the target's size, or 1). Progress on a goal the
    start misses runs from the start to the target. Also the unit of the reactive policies' goal gaps."""


class Endings(Strict):
    victory: str = "Every goal met. Japan's networks are safer and its vendors stronger."
    partial: str = "Goals carrying at least half the weight met. Progress, but the job is not done."
    defeat: str = "Goals carrying less than half the weight met. The homegrown push has stalled."
    dismissed: str = "Public approval collapsed and the minister was replaced."


Share = Annotated[float, Field(ge=0, le=1)]


class BalanceTargets(Strict):
    """What a balanced scenario promises, checked by `homegrown sweep --balance` (every key optional)."""

    min_win_rate: Share | None = None
    """The best plan a search finds wins at least this share of validation games (the scenario is winnable)."""
    max_win_rate: Share | None = None
    """The best plan a search finds wins at most this share of validation games."""
    best_loses_at_least: Share | None = None
    """...and still loses at least this share (luck counts)."""
    min_viable_doctrines: int | None = Field(default=None, ge=0, le=5)
    """At least this many category-led doctrines within 10 points of the best."""
    max_mandatory_levers: int | None = Field(default=None, ge=0)
    """At most this many levers whose removal from the best plan costs more than 40 points."""
    max_dead_levers: int | None = Field(default=None, ge=0)
    do_nothing_max: Share | None = None
    """`do_nothing` wins at most this share."""
    random_max: Share | None = None
    """`random` wins at most this share."""
    reactive_beats_fixed_by: float | None = Field(default=None, ge=-1, le=1)
    """The best `reactive` plan's validated win rate minus the best `fixed` plan's is at least this (adapting
    pays); both are validated on the same seeds, and declaring it makes the checks search both families."""
    every_category_useful: bool | None = None
    """`true`: every lever category is useful in some viable plan (the best plan of a family within 10 points
    of the best, or a viable doctrine): removing all of that category's levers from that plan, its money
    re-spread over the plan's other levers by the same fill rule, costs more than 1 point of win rate on
    paired seeds (game.analysis.doctrines). `false` or absent: not checked."""
    max_answer_gain: Share | None = None
    """No answer policy (always each event's default, always answer K, always the last, always the cheapest,
    always the costliest, or the search's own per-event answers: game.strategies.answers) wins more than
    this share of games above the default answers, with the best plan's spending on paired seeds."""
    min_answer_spread: Share | None = None
    """With the built-in `balanced` strategy's spending, the best and the worst of those answer policies
    differ by at least this share of games won (answers are a real choice)."""
    lookahead_min: Share | None = None
    """The `lookahead` bot, which plans each quarter to the game's end on imagined futures, wins at least
    this share (skill counts)."""


class Scenario(Strict):
    id: Id
    name: str
    description: str
    start: Quarter
    turns: int = Field(ge=1, le=80)
    budget: float = Field(gt=0)
    """¥ billions to allocate each quarter."""
    seed: int | None = Field(default=None, ge=0, lt=2**63)
    """A fixed seed (classroom exercises); otherwise the player's or command line's."""
    goals: list[Goal] = Field(min_length=1)
    initial: list[Effect] = []
    """Effects applied to the world before the first turn (overrides of the content's start values)."""
    shares: dict[Id, dict[Id, Annotated[float, Field(ge=0)]]] = {}
    """Starting shares that replace a region's (region -> vendor -> share), e.g. for a historical start."""
    shares_source: str | None = None
    """Source ids for `shares`."""
    levers: list[Id] | None = None
    """Levers offered (none = all)."""
    locked: dict[Id, float] = {}
    """Levers fixed at an amount the player cannot change (classroom exercises)."""
    exclude_events: list[Id] = []
    carryover: float = Field(default=0.0, ge=0, le=1)
    """Fraction of a quarter's unspent budget kept in the reserve for later quarters (the rest lapses)."""
    learning_objectives: list[str] = Field(min_length=1)
    briefing: str = ""
    """For the teacher: how to run it."""
    debrief_questions: list[str] = []
    hints: list[str] = []
    """Shown to the player, one per turn (tutorials)."""
    endings: Endings = Endings.model_construct()
    dismissal_approval: float = Field(default=15, ge=0, le=100)
    """If approval falls below this the game ends early, 'dismissed'."""
    difficulty: Literal["tutorial", "easy", "normal", "hard"] = "normal"
    max_events_per_turn: int | None = Field(default=None, ge=1, le=20)
    """Overrides model.toml's cap on events per quarter (a historical timeline needs several at once)."""
    balance: BalanceTargets = BalanceTargets.model_construct()
    """The scenario's balance targets (`[balance]`), checked by `homegrown sweep --balance`."""


# ---------------------------------------------------------------- model coefficients


class MarketModel(Strict):
    w_tech: float = 0.06
    """Attractiveness per technology point."""
    w_cost: float = 2.0
    """Attractiveness lost per unit of price index."""
    w_trust: float = 3.0
    """Attractiveness per unit of trust, times the region's security sensitivity."""
    w_scale: float = 0.4
    """Attractiveness per unit of log global share (economies of scale)."""
    appeal_decay: float = Field(default=0.15, ge=0, le=1)
    """Fraction of temporary appeal (subsidies, campaigns) that fades each quarter."""
    subsidy_fade: float = Field(default=0.2, ge=0, le=1)
    """Fraction of subsidised installs (`prop` effects) re-contracted at the market's preference each
    quarter."""


class RivalModel(Strict):
    """Rivals push back where Japan's vendors gain."""

    response: float = Field(default=0.0, ge=0, le=100)
    """Appeal each non-domestic vendor gains in a region per quarter, per unit of domestic share above the
    region's start (price cuts and counter-offers); it fades like other appeal."""
    counter_bid: float = Field(default=0.0, ge=0, le=0.5)
    """Rival bids get this much cheaper for every export deal Japan has won."""


class ResearchModel(Strict):
    tech_per_billion: float = Field(default=0.004, ge=0, le=1)
    """Technology points per ¥ billion of radio R&D, anyone's (rivals' own budgets and the ministry's)."""
    sixg_per_billion: float = Field(default=0.01, ge=0, le=1)
    """6G position points per ¥ billion of 6G research, anyone's."""
    sixg_decay: float = Field(default=0.02, ge=0, le=1)
    """Fraction of a 6G position that ages each quarter (others' results overtake it)."""



class VendorModel(Strict):
    cost_reversion: float = Field(default=0.15, ge=0, le=1)
    """Fraction of the gap to its starting price a vendor's price closes each quarter."""
    trust_reversion: float = Field(default=0.05, ge=0, le=1)
    dependence_decay: float = Field(default=0.1, ge=0, le=1)
    dependence_drag: float = Field(default=0.8, ge=0)
    """Own R&D growth is multiplied by (1 − drag × dependence): subsidised vendors coast."""


class WorkforceModel(Strict):
    drain: float = Field(default=0.012, ge=0, le=1)
    """Fraction of the engineer pool lost each quarter to retirement and ageing."""
    inflow: float = Field(default=0.35, ge=0)
    """Thousand engineers entering the pool each quarter without any programme."""
    needed: float = Field(default=30, gt=0)
    """Thousand engineers needed for R&D and deployments to run at full speed."""


class SecurityModel(Strict):
    base_rate: float = Field(default=0.06, ge=0)
    """Expected incidents per quarter with no untrusted kit, threat 50 and tension 0."""
    untrusted_weight: float = Field(default=6.0, ge=0)
    """Extra rate per unit of untrusted share in Japan's network."""
    tension_weight: float = Field(default=0.01, ge=0)
    major_chance: float = Field(default=0.25, ge=0, le=1)
    """Chance that an incident is major."""
    approval_hit: float = 3.0
    major_approval_hit: float = 8.0
    budget_hit: float = 2.0
    """¥ billions taken from next quarter's budget by a major incident (clean-up)."""


class PoliticsModel(Strict):
    tension_baseline: float = 40
    tension_reversion: float = Field(default=0.08, ge=0, le=1)
    threat_baseline: float = 50
    threat_reversion: float = Field(default=0.1, ge=0, le=1)
    approval_baseline: float = 50
    approval_reversion: float = Field(default=0.05, ge=0, le=1)
    approval_per_share_point: float = 1.5
    """Approval points per percentage point of domestic global share gained in a quarter."""
    standing_tension: float = 0.02
    """Tension added per quarter per point of total alliance standing above 100."""


class DealModel(Strict):
    """Win chance of an export bid = logistic(bias + w_tech × tech gap + w_price × price gap + w_trust ×
    security weight × trust gap + w_standing × mean alliance standing / 100). Support (financing) lowers
    our price: price gap = rival_price × rival cost / (our cost / (1 + support_price × support)) − 1."""

    bias: float = -0.3
    w_tech: float = 0.06
    w_price: float = 3.0
    w_trust: float = 2.5
    w_standing: float = 1.0
    support_price: float = 0.04


class CompetitivenessModel(Strict):
    """competitiveness = w_tech × mean domestic tech − w_cost × mean domestic price + w_share × domestic
    share (percent) + w_engineers × engineers (thousands). A linear index, so its 'why' is exact."""

    w_tech: float = 0.6
    w_cost: float = 20
    w_share: float = 2.0
    w_engineers: float = 0.3
    offset: float = 10


class Model(Strict):
    home_region: Id = "japan"
    max_events_per_turn: int = Field(default=2, ge=1, le=10)
    market: MarketModel = MarketModel.model_construct()
    vendors: VendorModel = VendorModel.model_construct()
    workforce: WorkforceModel = WorkforceModel.model_construct()
    security: SecurityModel = SecurityModel.model_construct()
    politics: PoliticsModel = PoliticsModel.model_construct()
    deals: DealModel = DealModel.model_construct()
    competitiveness: CompetitivenessModel = CompetitivenessModel.model_construct()
    rivals: RivalModel = RivalModel.model_construct()
    research: ResearchModel = ResearchModel.model_construct()
    start: dict[str, float] = {}
    """Start values of scalar variables: engineers, approval, tension, threat."""
    start_source: str | None = None


# ---------------------------------------------------------------- files

# Each content file maps one top-level key to a list of items (or, for model and scenarios, one table).
FILE_KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "sources.toml": ("source", Source),
    "vendors.toml": ("vendor", Vendor),
    "regions.toml": ("region", Region),
    "levers.toml": ("lever", Lever),
    "deals.toml": ("deal", Deal),
    "alliances.toml": ("alliance", Alliance),
    "stakeholders.toml": ("stakeholder", Stakeholder),
}
