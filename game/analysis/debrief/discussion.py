"""What the class did, to discuss: the events it met with the answers it gave, and discussion prompts
drawn from its own games."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from game.analysis.debrief.data import ChoiceCount, EventSummary, GameRow, StrategyRow
from game.content.pack import Content
from game.render.labels import CATEGORY_NAMES, cause_label
from game.sim import causes
from game.sim.world import World


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
        out.append(EventSummary(eid, titles[eid], len(met[eid]), choices, unanswered[eid], event.fiction))
    return out


def discussion_prompts(
    games: list[GameRow], strategies: list[StrategyRow], events: list[EventSummary], world: World
) -> list[str]:
    """Prompts drawn from the class's own games (the scenario's objectives and questions are listed beside
    them in the report)."""
    prompts: list[str] = []
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
        (g, o)
        for g in games
        for o in g.other_causes
        if causes.kind(o.cause) == causes.DEAL and "(won" in o.label
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
