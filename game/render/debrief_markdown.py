"""The debrief as Markdown: plain tables (GitHub-flavoured, padded so they line up in a terminal too)."""

from __future__ import annotations

from game.analysis.debrief.counterfactual import METHOD
from game.analysis.debrief.data import ClassReport
from game.content.untrusted import markdown_text, printable
from game.render.debrief_view import (
    FLAG_NOTE,
    SCORE_NOTE,
    Table,
    decision_number,
    distribution_table,
    events_table,
    flag_lines,
    games_table,
    many_seeds_line,
    matchup_line,
    matchup_table,
    meta,
    spend_table,
    status,
    timeline_table,
)
from game.render.tables import markdown_table


def table(t: Table) -> str:
    header, rows, align = t
    return markdown_table(header, rows, align)


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
    add(f"# Class debrief: {markdown_text(r.scenario_name)}")
    add("")
    add(meta(r))
    add("")
    add(markdown_text(r.description))
    add("")
    if r.problems:
        add("## Saves not counted")
        add("")
        add("These files were not counted in any table or statistic below:")
        add("")
        for p in r.problems:
            add(f"- `{code(p.path)}`: {markdown_text(p.message)}")
        add("")
    if r.flags:
        add("## Flagged saves")
        add("")
        add(FLAG_NOTE)
        add("")
        for line in flag_lines(r):
            add(f"- {markdown_text(line)}")
        add("")
    add("## Games")
    add("")
    add("Goals: " + "; ".join(f"**{gid}** ({r.weight(gid)}): {markdown_text(desc)}" for gid, desc in r.goals) + ".")
    add("")
    add(SCORE_NOTE)
    add("")
    add(table(games_table(r)))
    add("")
    add("## Spend profile")
    add("")
    add("¥ billions actually spent over the game on what the content says each lever's money is for "
        "(share of the game's total).")
    add("")
    add(table(spend_table(r)))
    add("")
    add("## The class against the strategies")
    add("")
    if r.strategies:
        add("### On the class's own seeds")
        add("")
        add(matchup_line(r) + " Each finished, unflagged game is compared with each strategy on that "
            f"game's seed. The best plan is {markdown_text(r.search_note)}.")
        add("")
        add(table(matchup_table(r)))
        add("")
        add("### Over many seeds")
        add("")
        add(many_seeds_line(r))
        add("")
        add(table(distribution_table(r)))
        add("")
        add("```text")
        add(histogram(r))
        add("```")
    else:
        add("No strategies were played (`--sweep-games 0`, or no unflagged game).")
    add("")
    add("## The decisions that most changed each game")
    add("")
    add("Each number is the score of the game replayed without the decision (or with the other answer), "
        "minus the score as played: − means the decision helped. The command under it reproduces it "
        "(run it in the folder the report was made from); its 'difference' is the number.")
    add("")
    for g in r.games:
        add(f"### {markdown_text(g.name)}: {status(g, r.turns)}, score {g.score:.1f}")
        add("")
        if g.decisions:
            for i, d in enumerate(g.decisions, 1):
                add(f"{i}. **{markdown_text(d.label)}** — {markdown_text(d.counterfactual)}: "
                    f"**{decision_number(d)}** ({d.outcome})  ")
                add(f"   `{code(g.command(d))}`")
        else:
            add("No decision: nothing was spent and no event with choices happened.")
        add("")
    add("**How the decisions are measured.** " + METHOD)
    add("")
    add("## Each student, quarter by quarter")
    add("")
    for g in r.games:
        add(f"### {markdown_text(g.name)}")
        add("")
        add(table(timeline_table(r, g)) if g.timeline else "Not started.")
        add("")
    add("## Events the class met")
    add("")
    add(table(events_table(r)) if r.events else "No events fired in the class's games.")
    add("")
    add("## Discussion")
    add("")
    add("Learning objectives of this scenario, to come back to:")
    add("")
    for o in r.learning_objectives:
        add(f"- {markdown_text(o)}")
    add("")
    add("Prompts from the class's games:")
    add("")
    for i, prompt in enumerate(r.prompts + r.debrief_questions, 1):
        add(f"{i}. {markdown_text(prompt)}")
    add("")
    return "\n".join(out)


def code(text: str) -> str:
    """Text inside an inline code span: printable, no backticks (they would end it)."""
    return printable(text).replace("`", "'")
