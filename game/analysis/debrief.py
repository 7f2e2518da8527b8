"""Gathering a class debrief: which saves count, what each game did, and how it compares.

Nothing here writes files or prints: `gather()` returns a `ClassReport` (plain data) that
`game.render.debrief_markdown` and `game.render.debrief_html` render. Every save is read and replay-verified before it
counts; a save that cannot be read, belongs to another scenario or content pack, or does not replay to its
saved state is listed in `ClassReport.problems` and left out of every table and statistic.

"Top decisions" (see `decision_impacts`): each save is replayed with the causal ledger recorded (a
`Session` records it every turn); share moves the market books to technology, price, trust or appeal are
credited back to the causes of those changes (`through_market`). For every turn and every cause, the goal
metrics are
evaluated on the state after the turn with that cause's changes taken away; the difference is the
cause's direct part in the metric that quarter. Summed over the game and converted to score points with
the goals' weights and spans (the slope of the score in each goal metric), it gives each cause's impact on
the final score; the player's decisions (levers they funded, answers they gave to events) are ranked by
absolute impact.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.content.pack import Content
from game.content.schema import CATEGORIES
from game.play.records import GoalResult, rounded
from game.play.session import Session
from game.render.labels import CATEGORY_NAMES, cause_label
from game.sim.compile import build_world
from game.sim.metrics import Env
from game.sim.scoring import OUTCOMES
from game.sim.state import State
from game.sim.world import World
from game.storage import SUFFIX, SaveError, SaveFile, read_save, verify

DEFAULT_SWEEP_GAMES = 200
TOP_DECISIONS = 3


class ReportError(ValueError):
    """No report can be made (no readable save, saves of several scenarios with no majority...)."""


# ====================================================================== data


@dataclass(frozen=True)
class Problem:
    """A path that was not counted, and why (one line)."""

    path: str
    message: str


@dataclass(frozen=True)
class Impact:
    """One cause's direct part in a game's final score."""

    cause: str
    """The ledger's cause: `lever:<id>`, `event:<id>`, `deal:<id>`, `market:technology`, ..."""
    label: str
    """What a student reads: 'R&D: Beyond 5G/6G (¥24B over 4 quarters)', 'Answer to ...: ...'."""
    points: float
    """Score points (0-100 scale) this cause moved, before the goals' caps: + helped, − hurt."""
    goals: dict[str, float]
    """Goal id -> change of the goal's metric from this cause."""
    decision: bool
    """True for the player's own decisions: levers they funded, events they answered."""


@dataclass(frozen=True)
class EventMet:
    quarter: str
    event: str
    title: str
    choice: str | None
    choice_label: str | None
    answered: bool
    """False when the player left the event unanswered and its default choice was taken."""


@dataclass
class GameRow:
    path: str
    name: str
    player: str | None
    seed: int
    turns: int
    done: bool
    outcome: str
    score: float
    goals: list[GoalResult]
    spend: dict[str, float]
    """Lever category -> ¥ billions actually spent over the game (every category, zero included)."""
    spend_by_lever: dict[str, float]
    decisions: list[Impact]
    """The top decisions, biggest absolute impact first."""
    other_causes: list[Impact]
    """The biggest causes that were not the player's decisions (events, deals, the market...)."""
    events: list[EventMet]
    state_hash: str


@dataclass
class StrategyRow:
    name: str
    scores: list[float]
    wins: int
    on_class_seed: float | None = None
    """The strategy's score on the seed the whole class played (None when seeds differ)."""

    @property
    def games(self) -> int:
        return len(self.scores)


@dataclass
class ChoiceCount:
    choice: str
    label: str
    count: int


@dataclass
class EventSummary:
    event: str
    title: str
    games: int
    """How many of the class's games met it."""
    choices: list[ChoiceCount]
    unanswered: int

    def picks(self) -> str:
        """What the class chose, in words (the same in every format)."""
        text = ", ".join(f"{c.label}: {c.count}" for c in self.choices) if self.choices else "(no choice)"
        return text + (f" ({self.unanswered} left to the default)" if self.unanswered else "")


@dataclass
class ClassReport:
    scenario: str
    scenario_name: str
    description: str
    fingerprint: str
    turns: int
    goals: list[tuple[str, str]]
    """(goal id, description)."""
    games: list[GameRow]
    problems: list[Problem]
    strategies: list[StrategyRow]
    sweep_games: int
    sweep_seed_start: int
    class_seed: int | None
    events: list[EventSummary]
    learning_objectives: list[str]
    debrief_questions: list[str]
    prompts: list[str]
    briefing: str = ""
    inputs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def finished(self) -> list[GameRow]:
        return [g for g in self.games if g.done]


# ====================================================================== finding saves


def _is_candidate(path: Path) -> bool:
    name = path.name
    return not name.startswith(".") and ".broken-" not in name and not name.endswith(".tmp")


def find_saves(inputs: Sequence[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders (folders recursively: `*.json`, not backups, temp or moved-aside files).

    A missing path or a folder without saves is a problem; a file is kept whatever its name (reading it
    decides whether it is a save)."""
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = Path(p).absolute()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            matches = sorted(
                p
                for p in path.rglob("*" + SUFFIX)
                if _is_candidate(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts[:-1])
            )
            # a folder that happens to be named *.json is listed so it is reported, not descended into twice
            if not matches:
                problems.append(Problem(str(path), f"no saves (*{SUFFIX} files) in this folder"))
            for p in matches:
                add(p)
        elif path.exists() or path.is_symlink():
            add(path)
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return found, problems


# ====================================================================== per game


def goal_values(state: State, world: World) -> np.ndarray:
    """[B, G]: every goal's metric for every game of a batch."""
    env = Env(state, world)
    return np.stack(
        [
            np.broadcast_to(np.asarray(g.metric.evaluate(env), dtype=np.float64), (state.batch,))
            for g in world.goals
        ],
        axis=1,
    )


def points_per_unit(world: World) -> np.ndarray:
    """[G]: score points per unit of each goal's metric (sign included: lower is better for `<=`).

    The score is 100 × Σ weight × progress / Σ weight, and progress moves by 1 / span per unit of the
    metric (until the goal is met or progress is 0), so this is the score's slope in each metric."""
    total = sum(g.weight for g in world.goals)
    return np.array(
        [(1.0 if g.op == ">=" else -1.0) * 100.0 * g.weight / (total * g.span) for g in world.goals]
    )


# The market components whose share moves are credited back to the causes of their inputs:
# component -> (input array, the reversion drift that shrinks every cause's part of it, per quarter).
MARKET_INPUTS = {"technology": "tech", "price": "cost", "trust": "trust", "appeal": "appeal"}
REVERSIONS = {
    "cost": "drift:prices settle",
    "trust": "drift:trust returns to normal",
    "appeal": "drift:campaigns fade",
}
AFTER_MARKET = ("market", "deal", "security", "politics", "limits")
"""Kinds of causes the step applies after the market has moved shares (game.sim.step.step)."""


def _reversion_rates(world: World) -> dict[str, float]:
    m = world.model
    return {
        "cost": m.vendors.cost_reversion,
        "trust": m.vendors.trust_reversion,
        "appeal": m.market.appeal_decay,
    }


def _component_change(name: str, x: np.ndarray, world: World) -> np.ndarray:
    """[R, V]: the attractiveness change an input change x makes (as game.sim.market computes it)."""
    m = world.model.market
    R = len(world.region_ids)
    if name == "technology":
        return np.broadcast_to(m.w_tech * x[None, :], (R, x.shape[-1]))
    if name == "price":
        return np.broadcast_to(-m.w_cost * x[None, :], (R, x.shape[-1]))
    if name == "trust":
        return m.w_trust * world.arrays["sensitivity"][:, None] * x[None, :]
    return x


def through_market(session: Session) -> list[dict[str, dict[str, np.ndarray]]]:
    """Each turn's ledger with the market's share moves credited back to their causes.

    The market books a share move to the component that made it (`market:technology`, `market:appeal`,
    ...), pulling shares towards a target that differs from the start through each component's change
    since the start. That change is a sum over causes (the ledger's changes to tech, cost, trust and
    appeal), each faded by the same reversion the game applies to the whole, and the pull is linear in
    it, so each cause gets its own pull and its own part of the move (with the same memory of what has
    already moved as the market keeps). What is left (second-order terms) stays with the component."""
    from game.sim.market import COMPONENTS, preference

    world = session.world
    rates = _reversion_rates(world)
    turnover = world.arrays["turnover"][:, None]
    cum: dict[str, dict[str, np.ndarray]] = {x: {} for x in MARKET_INPUTS.values()}
    memory: dict[str, dict[str, np.ndarray]] = {k: {} for k in MARKET_INPUTS}
    owners: dict[tuple[int, int], str] = {}
    out = []
    for turn, entry in zip(session.turns, session.history, strict=True):
        ledger = turn.report.ledger
        entries = {c: dict(d) for c, d in ledger.items()}
        _ban_owners(owners, entry, world)
        late = [c for c in ledger if c.partition(":")[0] in AFTER_MARKET]
        for x, by_cause in cum.items():
            for c, d in ledger.items():
                if x in d and c not in late and c != REVERSIONS.get(x):
                    by_cause[c] = by_cause.get(c, 0.0) + d[x][0]
            if x in rates:
                for c in by_cause:
                    by_cause[c] = by_cause[c] * (1.0 - rates[x])
        after = turn.after
        pre = {
            name: getattr(after, name).astype(np.float64)
            for name in ("shares", "market_size", "tech", "cost", "trust", "appeal")
        }
        for c in late:
            for name, d in ledger[c].items():
                if name in pre:
                    pre[name] = pre[name] - d
        pre["banned"] = after.banned
        _, target = preference(pre, world)
        target, banned = target[0], after.banned[0]
        for k, x in MARKET_INPUTS.items():
            market_cause = f"market:{k}"
            if market_cause not in entries or "shares" not in entries[market_cause]:
                continue
            residual = entries[market_cause]["shares"].copy()
            for c, part in cum[x].items():
                change = np.where(banned, 0.0, _component_change(k, np.asarray(part), world))
                pull = target * (change - (target * change).sum(axis=1, keepdims=True))
                move = turnover * (pull - memory[k].get(c, 0.0))
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
        assert set(COMPONENTS) >= set(MARKET_INPUTS)
        out.append(entries)
    return out


def _ban_owners(owners: dict[tuple[int, int], str], entry: dict, world: World) -> None:
    """Remember which event (and answer) banned each (region, vendor) in this game."""
    content = world.content
    ri = {r: i for i, r in enumerate(world.region_ids)}
    vi = {v: i for i, v in enumerate(world.vendor_ids)}
    for e in entry.events:
        event = content.events[e.id]
        effects = list(event.effects)
        effects += [eff for c in event.choices if c.id == e.choice for eff in c.effects]
        for eff in effects:
            if eff.kind == "ban":
                owners[(ri[eff.region], vi[eff.vendor])] = f"event:{event.id}"
            elif eff.kind == "unban":
                owners.pop((ri[eff.region], vi[eff.vendor]), None)


def _credit_bans(
    entries: dict[str, dict[str, np.ndarray]],
    owners: dict[tuple[int, int], str],
    s0: np.ndarray,
    target: np.ndarray,
    banned: np.ndarray,
    world: World,
) -> None:
    """Credit the share a ban frees to the event that imposed it: each quarter a banned vendor loses the
    re-contracted part of its base (turnover × share), which goes to the others by preference (booked by
    the market as contract turnover), and rip-and-replace of a region's banned kit (booked as
    `market:rip and replace`) belongs to the ban too when one event banned every vendor ripped there."""
    turnover = world.arrays["turnover"]
    by_region: dict[int, set[str]] = defaultdict(set)
    for (r, v), owner in owners.items():
        if not banned[r, v]:
            continue
        by_region[r].add(owner)
        freed = turnover[r] * s0[r, v]
        move = target[r] * freed
        move[v] -= freed
        turnover_cause = entries.setdefault("market:contract turnover", {})
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
    rip = entries.get("market:rip and replace", {}).get("shares")
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
    entries["market:rip and replace"]["shares"] = rip


def cause_contributions(session: Session, market: bool = True) -> dict[str, np.ndarray]:
    """cause -> [G]: the cause's changes to each goal metric, summed over the game.

    Per turn, each cause's part is metric(after) − metric(after without that cause's changes), evaluated
    for all causes of the turn at once as one batch (exact for metrics linear in the state, such as
    shares, tension or approval; a leave-one-out estimate otherwise). With `market`, share moves the
    market makes because of a cause's changes to technology, price, trust or appeal count as that
    cause's (see `through_market`); without, only its direct changes count."""
    world = session.world
    totals: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(len(world.goals)))
    ledgers = through_market(session) if market else [t.report.ledger for t in session.turns]
    for turn, ledger in zip(session.turns, ledgers, strict=True):
        causes = list(ledger)
        if not causes:
            continue
        after = turn.after
        base = goal_values(after, world)[0]
        n = len(causes)
        arrays = {k: np.repeat(v, n, axis=0) for k, v in after.arrays().items()}
        touched = {name for c in causes for name in ledger[c]}
        for name in touched:
            arrays[name] = arrays[name].astype(np.float64)
        for i, c in enumerate(causes):
            for name, delta in ledger[c].items():
                arrays[name][i] -= delta[0]
        without = goal_values(State(turn=after.turn, **arrays), world)
        for i, c in enumerate(causes):
            part = base - without[i]
            if np.any(part != 0):
                totals[c] += part
    return dict(totals)


def _money(x: float) -> str:
    return f"¥{x:.1f}B" if abs(x - round(x)) > 0.05 else f"¥{x:.0f}B"


def decision_impacts(session: Session) -> tuple[list[Impact], list[Impact]]:
    """(the player's decisions, every other cause), each sorted by absolute score impact, biggest first.

    Decisions are `lever:<id>` for levers the player funded (a lever the scenario locks is not theirs)
    and `event:<id>` for events with choices that fired in their game (an event's part includes the
    effects it has whatever the answer). Deals won or lost, the market, drift and incidents are not
    decisions: they are listed separately as what happened."""
    world = session.world
    content = world.content
    slope = points_per_unit(world)
    locked = set(world.scenario.locked)
    spent: dict[str, list[float]] = defaultdict(list)
    for entry in session.history:
        for lid, amount in entry.allocations.items():
            spent[lid].append(amount)
    answers: dict[str, list[tuple[str, str | None, bool]]] = defaultdict(list)
    for entry, actions in zip(session.history, session.log, strict=True):
        for e in entry.events:
            if e.choice is not None:
                answers[e.id].append((entry.quarter, e.choice, e.id in actions.choices))
    goal_ids = [g.id for g in world.goals]
    decisions, others = [], []
    for cause, parts in cause_contributions(session).items():
        points = float(parts @ slope)
        kind, _, key = cause.partition(":")
        label = cause_label(cause, world)
        is_decision = False
        if kind == "lever" and key in spent and key not in locked:
            is_decision = True
            label = (
                f"{label} ({_money(sum(spent[key]))} over {len(spent[key])} quarter"
                f"{'s' if len(spent[key]) != 1 else ''})"
            )
        elif kind == "lever" and key in locked:
            label = f"{label} (locked by the scenario)"
        elif kind == "deal" and key in content.deals:
            won = any(d.id == key and d.won for e in session.history for d in e.deals)
            financed = sum(sum(v) for lid, v in spent.items() if content.levers[lid].deal == key)
            label = (
                f"{label} ({'won' if won else 'lost'}"
                + (f"; you financed {_money(financed)}" if financed else "")
                + ")"
            )
        elif kind == "event" and key in answers:
            is_decision = True
            event = content.events[key]
            picked = []
            for quarter, choice, answered in answers[key]:
                clabel = next((c.label for c in event.choices if c.id == choice), choice)
                picked.append(f"{quarter}: {clabel}" + ("" if answered else " (default, not answered)"))
            label = f"Answer to '{event.title}' ({'; '.join(picked)})"
        impact = Impact(
            cause, label, points, {g: float(v) for g, v in zip(goal_ids, parts, strict=False)}, is_decision
        )
        (decisions if is_decision else others).append(impact)
    decisions.sort(key=lambda i: (-abs(i.points), i.cause))
    others.sort(key=lambda i: (-abs(i.points), i.cause))
    return decisions, others


def events_met(session: Session) -> list[EventMet]:
    content = session.world.content
    out = []
    for entry, actions in zip(session.history, session.log, strict=True):
        for e in entry.events:
            event = content.events[e.id]
            label = next((c.label for c in event.choices if c.id == e.choice), None)
            out.append(EventMet(entry.quarter, e.id, e.title, e.choice, label, e.id in actions.choices))
    return out


def game_row(path: Path, save: SaveFile, session: Session, top: int = TOP_DECISIONS) -> GameRow:
    world = session.world
    res = session.result()
    by_lever: dict[str, float] = defaultdict(float)
    for entry in session.history:
        for lid, amount in entry.allocations.items():
            by_lever[lid] += rounded(amount)
    spend = dict.fromkeys(CATEGORIES, 0.0)
    for lid, amount in by_lever.items():
        spend[world.content.levers[lid].category] += amount
    decisions, others = decision_impacts(session)
    goals = list(res.goals)
    return GameRow(
        str(path),
        save.name,
        save.player,
        save.seed,
        len(session.log),
        session.done,
        res.outcome,
        res.score,
        goals,
        spend,
        dict(by_lever),
        decisions[:top],
        others[:2],
        events_met(session),
        session.state_hash,
    )


# ====================================================================== the class


def _choose_group(
    saves: list[tuple[Path, SaveFile]], scenario: str | None
) -> tuple[tuple[str, str], list[Problem]]:
    """The (scenario, fingerprint) the report is about, and a problem for each save of another one."""
    groups = Counter((s.scenario, s.content_fingerprint) for _, s in saves)
    if scenario is not None:
        mine = {k: n for k, n in groups.items() if k[0] == scenario}
        if not mine:
            found = ", ".join(sorted({k[0] for k in groups}))
            raise ReportError(f"none of the saves is of scenario '{scenario}' (they are of: {found})")
        best = max(mine.items(), key=lambda kv: (kv[1], kv[0]))[0]
    else:
        ranked = groups.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            listing = "; ".join(
                f"scenario '{sc}' content {fp}: "
                + ", ".join(str(p) for p, s in saves if (s.scenario, s.content_fingerprint) == (sc, fp))
                for (sc, fp), _ in ranked
            )
            raise ReportError(
                "the saves are not all of one scenario and content pack, and no group is the "
                f"largest: {listing}. Report one class at a time, or pick one with --scenario ID"
            )
        best = ranked[0][0]
    problems = []
    for path, s in saves:
        if (s.scenario, s.content_fingerprint) == best:
            continue
        if s.scenario != best[0]:
            why = f"is of scenario '{s.scenario}', not the class's '{best[0]}'"
        else:
            why = (
                f"was made with another content pack (fingerprint {s.content_fingerprint}, the class's "
                f"is {best[1]})"
            )
        problems.append(Problem(str(path), f"{why}: odd one out, not counted"))
    return best, problems


def strategy_distribution(
    content: Content, scenario: str, games: int, strategies: Sequence[str], class_seed: int | None = None
) -> list[StrategyRow]:
    """Each built-in strategy's scores over seeds 0..games-1 (a quick, deterministic sweep), and its score
    on the class's own seed when the whole class played one."""
    from game.analysis.sweep import sweep

    if games <= 0 or not strategies:
        return []
    result = sweep(content, scenario, games, list(strategies), seed_start=0, progress=False)
    rows = []
    for s, name in enumerate(strategies):
        cols = result.group(0, s).cols
        rows.append(StrategyRow(name, [float(x) for x in cols.score], int((cols.outcome == 0).sum())))
    if class_seed is not None:
        own = sweep(content, scenario, 1, list(strategies), seed_start=class_seed, progress=False)
        for s, row in enumerate(rows):
            row.on_class_seed = float(own.group(0, s).cols.score[0])
    return rows


def summarise_events(games: Iterable[GameRow], content: Content) -> list[EventSummary]:
    met: dict[str, set[int]] = defaultdict(set)
    picks: dict[str, Counter] = defaultdict(Counter)
    unanswered: Counter = Counter()
    titles: dict[str, str] = {}
    for i, g in enumerate(games):
        for e in g.events:
            met[e.event].add(i)
            titles[e.event] = e.title
            if e.choice is not None:
                picks[e.event][e.choice] += 1
                if not e.answered:
                    unanswered[e.event] += 1
    out = []
    for eid in sorted(met, key=lambda k: (-len(met[k]), k)):
        event = content.events[eid]
        choices = [ChoiceCount(c.id, c.label, picks[eid][c.id]) for c in event.choices]
        out.append(EventSummary(eid, titles[eid], len(met[eid]), choices, unanswered[eid]))
    return out


def discussion_prompts(
    games: list[GameRow], strategies: list[StrategyRow], events: list[EventSummary], world: World
) -> list[str]:
    """Prompts drawn from the class's own games (the scenario's objectives and questions are listed beside
    them in the report)."""
    prompts = []
    if not games:
        return prompts
    best = max(games, key=lambda g: (g.score, g.name))
    worst = min(games, key=lambda g: (g.score, g.name))
    if best is not worst:

        def mix(g: GameRow) -> str:
            total = sum(g.spend.values()) or 1.0
            top = max(g.spend, key=lambda c: g.spend[c])
            return f"{g.spend[top] / total * 100:.0f} % on {CATEGORY_NAMES[top].lower()}"

        prompts.append(
            f"The highest score was {best.name}'s ({best.score:.1f}, {mix(best)}); the lowest "
            f"{worst.name}'s ({worst.score:.1f}, {mix(worst)}). What did they do differently, and "
            "when?"
        )
    tally: Counter = Counter()
    for g in games:
        for d in g.decisions[:1]:
            tally[d.cause] += 1
    if tally:
        cause, n = tally.most_common(1)[0]
        prompts.append(
            f"For {n} of {len(games)} games the decision that mattered most was "
            f"'{cause_label(cause, world)}'. Why was it so powerful in this scenario?"
        )
    for e in events:
        counted = [c for c in e.choices if c.count]
        if len(counted) >= 2:
            split = " vs ".join(f"{c.count} × '{c.label}'" for c in counted)
            prompts.append(
                f"'{e.title}' split the class ({split}). Ask one student from each side to argue "
                "their answer, then look at what it cost them."
            )
            break
    if strategies:
        beaten = [
            s
            for s in strategies
            if s.scores and sum(g.score for g in games) / len(games) > sum(s.scores) / len(s.scores)
        ]
        prompts.append(
            f"The class's average beat {len(beaten)} of {len(strategies)} built-in strategies. "
            "How much of a game's result was skill and how much luck (compare the spread of the "
            "strategies' scores)?"
        )
    contracts = [
        (g, o) for g in games for o in g.other_causes if o.cause.startswith("deal:") and "(won" in o.label
    ]
    if contracts:
        g, o = max(contracts, key=lambda go: (abs(go[1].points), go[0].name))
        prompts.append(
            f"Contracts decided games: {g.name}'s {o.label} was worth {o.points:+.1f} points. A contract is "
            "a draw against a win chance that financing, technology, trust and alliances raise: was it "
            "earned or lucky? Compare the games that financed the same contract."
        )
    hurt = [g for g in games if g.decisions and g.decisions[0].points < 0]
    if hurt:
        prompts.append(
            f"In {len(hurt)} game(s) the biggest decision hurt the score "
            f"(e.g. {hurt[0].name}: {hurt[0].decisions[0].label}). Was it a mistake, or a price worth "
            "paying for something the goals do not measure?"
        )
    return prompts


def gather(
    inputs: Sequence[str | Path],
    content: Content,
    *,
    scenario: str | None = None,
    sweep_games: int = DEFAULT_SWEEP_GAMES,
    strategies: Sequence[str] | None = None,
) -> ClassReport:
    """Read, check and replay a class's saves and compute the debrief. Raises ReportError only when no
    report at all can be made; every save that is not counted is in `.problems`."""
    paths, problems = find_saves(inputs)
    saves: list[tuple[Path, SaveFile]] = []
    for path in paths:
        try:
            saves.append((path, read_save(path)))
        except SaveError as exc:
            problems.append(Problem(str(path), exc.message))
        except OSError as exc:  # e.g. a folder that cannot be listed
            problems.append(Problem(str(path), f"cannot read: {exc.strerror or exc}"))
    if not saves:
        listing = "; ".join(f"{p.path}: {p.message}" for p in problems) or "no inputs"
        raise ReportError(f"no readable save among the inputs ({listing})")
    (scenario_id, fingerprint), odd = _choose_group(saves, scenario)
    problems += odd
    if scenario_id not in content.scenarios:
        raise ReportError(
            f"scenario '{scenario_id}' is not in this content pack: if the class played a "
            "scenario of an overlay folder, pass it with --content DIR"
        )
    world = build_world(content, scenario_id)
    games: list[GameRow] = []
    for path, save in saves:
        if (save.scenario, save.content_fingerprint) != (scenario_id, fingerprint):
            continue
        v = verify(save, content, path)
        if not v.ok or v.session is None:
            hint = ""
            if save.content_fingerprint != content.fingerprint:
                hint = " (load the content pack the class used, with --content DIR)"
            problems.append(
                Problem(str(path), "failed replay verification, not counted: " + "; ".join(v.problems) + hint)
            )
            continue
        games.append(game_row(path, save, v.session))
    games.sort(key=lambda g: (g.name.casefold(), g.path))
    seeds = {g.seed for g in games}
    class_seed = seeds.pop() if len(seeds) == 1 else None
    names = list(strategies) if strategies is not None else default_strategies()
    rows = strategy_distribution(content, scenario_id, sweep_games, names, class_seed) if games else []
    events = summarise_events(games, content)
    sc = world.scenario
    return ClassReport(
        scenario=scenario_id,
        scenario_name=sc.name,
        description=sc.description,
        fingerprint=fingerprint,
        turns=world.turns,
        goals=[(g.id, g.description) for g in world.goals],
        games=games,
        problems=problems,
        strategies=rows,
        sweep_games=sweep_games if rows else 0,
        sweep_seed_start=0,
        class_seed=class_seed,
        events=events,
        learning_objectives=list(sc.learning_objectives),
        debrief_questions=list(sc.debrief_questions),
        prompts=discussion_prompts(games, rows, events, world),
        briefing=sc.briefing,
        inputs=[str(i) for i in inputs],
    )


def default_strategies() -> list[str]:
    from game.strategies.registry import BUILTIN

    return list(BUILTIN)


def score_stats(scores: Sequence[float]) -> dict[str, float]:
    """n, mean, min, quartiles and max of a list of scores (NaN when empty)."""
    if not scores:
        return dict.fromkeys(("mean", "min", "p25", "median", "p75", "max"), math.nan) | {"n": 0}
    a = np.asarray(scores, dtype=np.float64)
    q = np.quantile(a, [0.0, 0.25, 0.5, 0.75, 1.0])
    return {
        "n": int(a.size),
        "mean": float(a.mean()),
        "min": float(q[0]),
        "p25": float(q[1]),
        "median": float(q[2]),
        "p75": float(q[3]),
        "max": float(q[4]),
    }


__all__ = [
    "OUTCOMES",
    "ClassReport",
    "GameRow",
    "Impact",
    "Problem",
    "ReportError",
    "StrategyRow",
    "cause_contributions",
    "decision_impacts",
    "find_saves",
    "gather",
    "points_per_unit",
    "score_stats",
]
