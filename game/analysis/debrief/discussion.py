"""What the class did, to discuss: the events it met with the answers it gave, and discussion prompts
drawn from its own games."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from game.analysis.debrief.data import ChoiceCount, EventSummary, GameRow, StrategyRow
from game.analysis.debrief.games import spend_groups
from game.analysis.debrief.strategies import matchups
from game.content.pack import Content
from game.render.words import plural
from game.sim.world import World


def summarise_events(games: Iterable[GameRow], content: Content) -> list[EventSummary]:
    met: dict[str, set[int]] = defaultdict(set)
    picks: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    unanswered: Counter = Counter()
    titles: dict[str, str] = {}
    for i, g in enumerate(games):
        for e in g.events:
            met[e.event].add(i)
            titles[e.event] = e.title
            if e.choice is not None:
                picks[e.event][e.choice] += 1
                names[e.event][e.choice].append(g.name + ("" if e.answered else " (default)"))
                if not e.answered:
                    unanswered[e.event] += 1
    out = []
    for eid in sorted(met, key=lambda k: (-len(met[k]), k)):
        event = content.events[eid]
        choices = [ChoiceCount(c.id, c.label, picks[eid][c.id]) for c in event.choices]
        who = {c: sorted(v, key=str.casefold) for c, v in names[eid].items()}
        out.append(EventSummary(eid, titles[eid], len(met[eid]), choices, unanswered[eid], event.fiction, who))
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

        group_names = {gr.id: gr.name for gr in spend_groups(world)}

        def mix(g: GameRow) -> str:
            total = sum(g.spend.values()) or 1.0
            top = max(g.spend, key=lambda c: g.spend[c])
            return f"{g.spend[top] / total * 100:.0f} % on {group_names[top].lower()}"

        prompts.append(
            f"The highest score was {best.name}'s ({best.score:.1f}, {mix(best)}); the lowest "
            f"{worst.name}'s ({worst.score:.1f}, {mix(worst)}). What did they do differently, and "
            "when?"
        )
    tally: Counter = Counter()
    for g in games:
        for d in g.decisions[:1]:
            tally[d.kind, d.key] += 1
    if tally:
        (kind, key), n = tally.most_common(1)[0]
        what = (f"the money on {world.content.levers[key].name}" if kind == "spend"
                else f"the answer to '{world.content.events[key].title}'")
        prompts.append(
            f"For {n} of {len(games)} games the decision that mattered most was {what}. Why was it so "
            "powerful in this scenario?"
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
    fair = [m for m in matchups(games, strategies) if m.games]
    if fair:
        beaten = [m for m in fair if m.class_mean > m.strategy_mean]
        prompts.append(
            f"On the class's own seeds, the class's average beat {len(beaten)} of {len(fair)} strategies "
            "played in the same worlds. How much of a game's result was skill and how much luck (compare the "
            "spread of the strategies' scores over many seeds)?"
        )
    deals = [(g, d) for g in games for d in g.decisions
             if d.kind == "spend" and world.content.levers[d.key].deal is not None]
    if deals:
        g, d = max(deals, key=lambda gd: (abs(gd[1].difference), gd[0].name))
        prompts.append(
            f"Contracts decided games: without {g.name}'s {d.label}, the game scores {d.difference:+.1f} "
            "points. A contract is a draw against a win chance that financing, technology, trust and "
            "alliances raise: was it earned or lucky? Compare the games that financed the same contract."
        )
    hurt = [g for g in games if g.decisions and g.decisions[0].difference > 0]
    if hurt:
        prompts.append(
            f"In {plural(len(hurt), 'game')} the decision that mattered most hurt the score "
            f"(e.g. {hurt[0].name}: {hurt[0].decisions[0].label}). Was it a mistake, or a price worth "
            "paying for something the goals do not measure?"
        )
    return prompts
