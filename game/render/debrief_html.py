"""The debrief as one self-contained HTML file: inline CSS, charts as inline SVG, no scripts, no network."""

from __future__ import annotations

from game.analysis.debrief.counterfactual import METHOD
from game.analysis.debrief.data import ClassReport
from game.analysis.debrief.strategies import score_stats
from game.content.untrusted import html_text
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

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 70em;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: #1a7f37; } .missed { color: #b42318; }
.problems { background: #fff4e5; border: 1px solid #f0b35b; padding: 0.5em 1em; }
.meta, .note { color: #555; } svg { max-width: 100%; height: auto; }
code.command { font-size: 0.85em; word-break: break-all; }
.legend span { display: inline-block; margin-right: 1em; } .swatch { display: inline-block; width: 0.9em;
  height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
@media print { h2 { page-break-after: avoid; } }
"""


def _table(t: Table) -> str:
    header, rows, align = t
    head = "".join(f"<th>{html_text(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f'<td class="n">{html_text(c)}</td>' if a == "r" else f"<td>{html_text(c)}</td>"
                                    for c, a in zip(row, align, strict=True)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


FONT = 16
"""Chart type in px: readable on a projector at the back of a room."""


def label_width(labels: list[str], font: int = FONT) -> int:
    """Room for the longest label at `font` px (a generous 0.62 em per character: never clipped)."""
    return int(max((len(t) for t in labels), default=4) * font * 0.62) + 16


def distribution_svg(r: ClassReport) -> str:
    """Box plots of each strategy's scores on a 0-100 axis, and the class's games as dots."""
    rows = [("the class", [g.score for g in r.finished], True)] + [
        (s.name, s.scores, False) for s in r.strategies
    ]
    left, width, row_h, top = label_width([n for n, _, _ in rows]), 640, 34, 20
    height = top + row_h * len(rows) + 30

    def x(v: float) -> float:
        return left + width * max(0.0, min(100.0, v)) / 100.0

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 20}" height="{height}" '
            f'viewBox="0 0 {left + width + 20} {height}" role="img" '
            f'aria-label="Scores of the class and of each built-in strategy">'
        )
    ]
    for t in range(0, 101, 10):
        parts.append(
            f'<line x1="{x(t):.1f}" y1="{top - 6}" x2="{x(t):.1f}" y2="{height - 24}" stroke="#e5e5e5"/>'
        )
        parts.append(f'<text x="{x(t):.1f}" y="{height - 8}" font-size="{FONT}" text-anchor="middle">{t}</text>')
    for i, (name, scores, is_class) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        colour = "#1f4e9c" if is_class else "#888888"
        weight = "bold" if is_class else "normal"
        parts.append(
            f'<text x="{left - 8}" y="{y + 5:.1f}" font-size="{FONT}" text-anchor="end" '
            f'font-weight="{weight}">{html_text(name)}</text>'
        )
        if not scores:
            continue
        st = score_stats(scores)
        parts.append(
            f'<line x1="{x(st["min"]):.1f}" y1="{y:.1f}" x2="{x(st["max"]):.1f}" y2="{y:.1f}" '
            f'stroke="{colour}"/>'
        )
        parts.append(
            f'<rect x="{x(st["p25"]):.1f}" y="{y - 7:.1f}" width="{max(x(st["p75"]) - x(st["p25"]), 1):.1f}" '
            f'height="14" fill="{colour}" fill-opacity="0.25" stroke="{colour}"/>'
        )
        parts.append(
            f'<line x1="{x(st["median"]):.1f}" y1="{y - 7:.1f}" x2="{x(st["median"]):.1f}" '
            f'y2="{y + 7:.1f}" stroke="{colour}" stroke-width="2"/>'
        )
        if is_class:
            for g in r.finished:
                parts.append(
                    f'<circle cx="{x(g.score):.1f}" cy="{y:.1f}" r="4" fill="#1f4e9c">'
                    f"<title>{html_text(g.name)}: {g.score:.1f}</title></circle>"
                )
        elif (s := next(s for s in r.strategies if s.name == name)).on_class_seed is not None:
            parts.append(
                f'<path d="M {x(s.on_class_seed):.1f} {y - 9:.1f} l 5 -6 l -10 0 z" fill="#b42318">'
                f"<title>{html_text(name)} on seed {r.class_seed}: {s.on_class_seed:.1f}</title></path>"
            )
    parts.append("</svg>")
    return "".join(parts)


def spend_svg(r: ClassReport) -> str:
    """One stacked bar per game: its spend by what the money was for, in ¥ billions."""
    left, width, row_h, top = label_width([g.name for g in r.games]), 640, 30, 10
    most = max((sum(g.spend.values()) for g in r.games), default=0) or 1
    height = top + row_h * len(r.games) + 10
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" '
            f'viewBox="0 0 {left + width + 90} {height}" role="img" aria-label="Spend by what it was for">'
        )
    ]
    for i, g in enumerate(r.games):
        y = top + i * row_h
        parts.append(
            f'<text x="{left - 8}" y="{y + 20}" font-size="{FONT}" text-anchor="end">{html_text(g.name)}</text>'
        )
        at = float(left)
        for grp in r.spend_groups:
            w = width * g.spend[grp.id] / most
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{at:.1f}" y="{y + 4}" width="{w:.1f}" height="22" fill="{grp.colour}">'
                f"<title>{html_text(grp.name)}: ¥{g.spend[grp.id]:.1f}B</title></rect>"
            )
            at += w
        parts.append(
            f'<text x="{at + 5:.1f}" y="{y + 20}" font-size="{FONT}">¥{sum(g.spend.values()):.0f}B</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(r: ClassReport) -> str:
    return '<p class="legend">' + "".join(
        f'<span><span class="swatch" style="background:{g.colour}"></span>{html_text(g.name)}</span>'
        for g in r.spend_groups) + "</p>"


def render_html(r: ClassReport) -> str:
    out: list[str] = []
    add = out.append
    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>Class debrief: {html_text(r.scenario_name)}</title><style>{CSS}</style></head><body>")
    add(f"<h1>Class debrief: {html_text(r.scenario_name)}</h1>")
    add(f'<p class="meta">{html_text(meta(r))}</p><p>{html_text(r.description)}</p>')
    if r.problems:
        add('<section class="problems"><h2>Saves not counted</h2><p>These files were not counted in any '
            "table or statistic below:</p><ul>")
        add("".join(f"<li><code>{html_text(p.path)}</code>: {html_text(p.message)}</li>" for p in r.problems))
        add("</ul></section>")
    if r.flags:
        add(f'<section class="problems"><h2>Flagged saves</h2><p>{html_text(FLAG_NOTE)}</p><ul>')
        add("".join(f"<li>{html_text(line)}</li>" for line in flag_lines(r)))
        add("</ul></section>")
    add("<h2>Games</h2><ul>")
    for gid, desc in r.goals:
        add(f"<li><strong>{html_text(gid)}</strong> ({html_text(r.weight(gid))}): {html_text(desc)}</li>")
    add(f'</ul><p class="note">{html_text(SCORE_NOTE)}</p>')
    add(_table(games_table(r)))
    add("<h2>Spend profile</h2><p>¥ billions actually spent over the game on what each lever's money is for.</p>")
    add(legend(r) + spend_svg(r) + _table(spend_table(r)))
    add("<h2>The class against the strategies</h2>")
    if r.strategies:
        add(f"<h3>On the class's own seeds</h3><p>{html_text(matchup_line(r))} The best plan is "
            f"{html_text(r.search_note)}.</p>" + _table(matchup_table(r)))
        add(f"<h3>Over many seeds</h3><p>{html_text(many_seeds_line(r))} Boxes span the middle half of the "
            "scores, whiskers the lowest and highest, the thick line is the median; blue dots are the class's "
            "games, red marks a strategy's score on the class's seed.</p>")
        add(distribution_svg(r) + _table(distribution_table(r)))
    else:
        add("<p>No strategies were played.</p>")
    add("<h2>The decisions that most changed each game</h2><p>Each number is the score of the game replayed "
        "without the decision (or with the other answer), minus the score as played: − means the decision "
        "helped. The command beside it reproduces it; its 'difference' is the number.</p>")
    for g in r.games:
        add(f"<h3>{html_text(g.name)}: {html_text(status(g, r.turns))}, score {g.score:.1f}</h3>")
        if g.decisions:
            add("<ol>" + "".join(
                f"<li><strong>{html_text(d.label)}</strong> — {html_text(d.counterfactual)}: "
                f'<strong class="number">{html_text(decision_number(d))}</strong> ({html_text(d.outcome)})<br>'
                f'<code class="command">{html_text(g.command(d))}</code></li>' for d in g.decisions) + "</ol>")
        else:
            add("<p>No decision: nothing was spent and no event with choices happened.</p>")
    add(f"<p><strong>How the decisions are measured.</strong> {html_text(METHOD)}</p>")
    add("<h2>Each student, quarter by quarter</h2>")
    for g in r.games:
        add(f"<h3>{html_text(g.name)}</h3>" + (_table(timeline_table(r, g)) if g.timeline else "<p>Not started.</p>"))
    add("<h2>Events the class met</h2>")
    add(_table(events_table(r)) if r.events else "<p>No events fired in the class's games.</p>")
    add("<h2>Discussion</h2><p>Learning objectives of this scenario:</p><ul>")
    add("".join(f"<li>{html_text(o)}</li>" for o in r.learning_objectives) + "</ul>")
    add("<p>Prompts from the class's games:</p><ol>")
    add("".join(f"<li>{html_text(p)}</li>" for p in r.prompts + r.debrief_questions) + "</ol>")
    add("</body></html>")
    return "\n".join(out) + "\n"
