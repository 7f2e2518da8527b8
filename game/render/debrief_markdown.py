"""The debrief as Markdown: plain tables (GitHub-flavoured, padded so they line up in a terminal too)."""

from __future__ import annotations

import math

from game.analysis.debrief.data import ClassReport, GameRow
from game.analysis.debrief.strategies import score_stats
from game.content.schema import CATEGORIES
from game.content.untrusted import markdown_text as md
from game.render.labels import CATEGORY_NAMES, band_label, titled
from game.render.tables import markdown_table
from game.sim.scoring import OUTCOMES

METHOD = (
    "Each save was replayed with the game's causal ledger recorded: every change to the world is booked "
    "to a cause (a lever, an event, a deal, the market, drift...). Share moves that the market makes "
    "because technology, price, trust or appeal changed are credited back to the causes of those changes "
    "(an R&D lever's technology, a subsidy's appeal), in proportion to each cause's part in the change and "
    "fading as the game fades it; the share a ban frees each quarter (and the kit it rips out) is credited "
    "to the event answer that imposed the ban. For every quarter and every cause, the goal metrics were "
    "computed on the "
    "world after the quarter with that cause's changes taken away; the difference is the cause's part in "
    "each metric. These parts were summed over the game and turned into score points with the score's "
    "slope inside the game's outcome band: a defeat's 30 points (a partial success's 30 points for the "
    "second half of the weight; a victory's 30 points of bonus) share out by the goals' weights, over each "
    "goal's distance from its start to its target (down for 'at most' goals). Decisions are the levers the player funded and the answers they "
    "gave to events (an event's part includes the effects it has whatever the answer); they are ranked by "
    "the size of their impact. Points are before the goals' caps (a goal already met gains nothing more), "
    "and a contract won or lost is booked to the contract, not to the financing that made it likelier: it "
    "is listed under 'what else moved the score'."
)


SCORE_NOTE = (
    "Each goal's progress runs from where the scenario starts to its target; past the target it earns a "
    "bonus. The score's bands follow the ending: " + ", ".join(f"{o} {band_label(o)}" for o in OUTCOMES)
    + ", so every victory scores above every partial success, and every partial success above every defeat."
)


def _num(x: float | None, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _status(g: GameRow, turns: int) -> str:
    return g.outcome if g.done else f"in progress ({g.turns}/{turns})"


def games_table(r: ClassReport) -> str:
    header = ["Game", "Outcome", "Score", *[gid for gid, _ in r.goals]]
    rows = [
        [g.name, _status(g, r.turns), f"{g.score:.1f}", *["met" if x.met else "missed" for x in g.goals]]
        for g in r.games
    ]
    return markdown_table(header, rows, ["l", "l", "r", *["l"] * len(r.goals)])


def spend_table(r: ClassReport) -> str:
    header = ["Game", *[CATEGORY_NAMES[c] for c in CATEGORIES], "Total"]
    rows = []
    for g in r.games:
        total = sum(g.spend.values())
        cells = [
            f"¥{g.spend[c]:.0f}B ({g.spend[c] / total * 100:.0f} %)" if total else "¥0B" for c in CATEGORIES
        ]
        rows.append([g.name, *cells, f"¥{total:.0f}B"])
    return markdown_table(header, rows, ["l", *["r"] * (len(CATEGORIES) + 1)])


def distribution_table(r: ClassReport) -> str:
    header = ["Who", "Games", "Mean", "Min", "25 %", "Median", "75 %", "Max", "Wins"]
    if r.class_seed is not None:
        header.append(f"On seed {r.class_seed}")
    rows = []
    cls = score_stats([g.score for g in r.finished])
    wins = sum(1 for g in r.finished if g.outcome == "victory")
    row = [
        "**the class**",
        str(cls["n"]),
        *[_num(cls[k]) for k in ("mean", "min", "p25", "median", "p75", "max")],
        f"{wins}",
    ]
    if r.class_seed is not None:
        row.append(_num(cls["mean"]) + " (mean)")
    rows.append(row)
    for s in r.strategies:
        st = score_stats(s.scores)
        row = [
            s.name,
            str(st["n"]),
            *[_num(st[k]) for k in ("mean", "min", "p25", "median", "p75", "max")],
            f"{s.wins} ({s.wins / max(s.games, 1) * 100:.0f} %)",
        ]
        if r.class_seed is not None:
            row.append(_num(s.on_class_seed))
        rows.append(row)
    return markdown_table(header, rows, ["l", *["r"] * (len(header) - 1)])


def histogram(r: ClassReport, bins: int = 10, width: int = 30) -> str:
    """Text histogram: the class's scores and all strategies' scores pooled, bins of 10 points."""
    lines = ["score    class  strategies (all, scaled)"]
    pooled = [x for s in r.strategies for x in s.scores]
    cls = [g.score for g in r.finished]
    counts_c = [0] * bins
    counts_s = [0] * bins
    for x in cls:
        counts_c[min(int(x // (100 / bins)), bins - 1)] += 1
    for x in pooled:
        counts_s[min(int(x // (100 / bins)), bins - 1)] += 1
    top = max(counts_s) or 1
    for b in range(bins):
        lo = b * 100 // bins
        lines.append(
            f"{lo:3d}-{lo + 100 // bins - (1 if b < bins - 1 else 0):<3d}  {'●' * counts_c[b]:<6} "
            f"{'█' * round(counts_s[b] / top * width)}"
        )
    return "\n".join(lines)


def render_markdown(r: ClassReport) -> str:
    out: list[str] = []
    add = out.append
    add(f"# Class debrief: {md(r.scenario_name)}")
    add("")
    add(
        f"Scenario `{r.scenario}` · {r.turns} quarters · content {r.fingerprint} · "
        f"{len(r.games)} game(s) counted"
        + (f", {len(r.problems)} not counted" if r.problems else "")
        + (f" · everyone played seed {r.class_seed}" if r.class_seed is not None else "")
    )
    add("")
    add(md(r.description))
    add("")
    if r.problems:
        add("## Saves not counted")
        add("")
        add("These files were not counted in any table or statistic below:")
        add("")
        for p in r.problems:
            add(f"- {md(str(p.path))}: {md(p.message)}")
        add("")
    add("## Games")
    add("")
    add("Goals: " + "; ".join(f"**{md(gid)}** ({r.weight(gid)}): {md(desc)}" for gid, desc in r.goals) + ".")
    add("")
    add(SCORE_NOTE)
    add("")
    add(games_table(r))
    add("")
    add("## Spend profile")
    add("")
    add("¥ billions actually spent over the game in each category of levers (share of the game's total).")
    add("")
    add(spend_table(r))
    add("")
    add("## The class against the built-in strategies")
    add("")
    if r.strategies:
        add(
            f"Each built-in strategy played {r.sweep_games} games (seeds {r.sweep_seed_start}–"
            f"{r.sweep_seed_start + r.sweep_games - 1}, the same every time the report is made). "
            "The spread of a strategy's scores is luck; the gap between rows is strategy."
            + (
                f" The last column is each strategy's score on the class's own seed, {r.class_seed}."
                if r.class_seed is not None
                else ""
            )
            + (
                " Games still in progress are left out of the class's row."
                if len(r.finished) < len(r.games)
                else ""
            )
        )
        add("")
        add(distribution_table(r))
        add("")
        add("```text")
        add(histogram(r))
        add("```")
    else:
        add("No strategies were played (`--sweep-games 0`).")
    add("")
    add("## The decisions that most changed each game")
    add("")
    add("Score points each decision moved, + helped and − hurt (method below).")
    add("")
    for g in r.games:
        add(f"### {md(g.name)}: {_status(g, r.turns)}, score {g.score:.1f}")
        add("")
        if g.decisions:
            for i, d in enumerate(g.decisions, 1):
                add(f"{i}. **{md(d.label)}**: {d.points:+.1f} points")
        else:
            add("No decision of this game changed a goal metric directly.")
        if g.other_causes:
            add("")
            add(
                "What else moved the score: "
                + "; ".join(f"{md(o.label)} {o.points:+.1f}" for o in g.other_causes)
                + "."
            )
        add("")
    add("**How the top decisions are found.** " + METHOD)
    add("")
    add("## Events the class met")
    add("")
    if r.events:
        rows = []
        for e in r.events:
            rows.append([titled(e.title, e.fiction), f"{e.games}/{len(r.games)}", e.picks()])
        add(markdown_table(["Event", "Games", "What they chose"], rows, ["l", "r", "l"]))
    else:
        add("No events fired in the class's games.")
    add("")
    add("## Discussion")
    add("")
    add("Learning objectives of this scenario, to come back to:")
    add("")
    for o in r.learning_objectives:
        add(f"- {md(o)}")
    add("")
    add("Prompts from the class's games:")
    add("")
    for i, prompt in enumerate(r.prompts + r.debrief_questions, 1):
        add(f"{i}. {md(prompt)}")
    add("")
    return "\n".join(out)
