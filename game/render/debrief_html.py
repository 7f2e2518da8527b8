"""The debrief as one self-contained HTML file: inline CSS, charts as inline SVG, no scripts, no network."""

from __future__ import annotations

from game.analysis.debrief.data import ClassReport
from game.analysis.debrief.strategies import score_stats
from game.content.schema import CATEGORIES
from game.content.untrusted import html_text
from game.render.debrief_markdown import METHOD, SCORE_NOTE, _num, _status
from game.render.labels import CATEGORY_COLOURS, CATEGORY_NAMES, titled

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
.legend span { display: inline-block; margin-right: 1em; } .swatch { display: inline-block; width: 0.9em;
  height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
@media print { h2 { page-break-after: avoid; } }
"""


def _td(text: str, cls: str = "") -> str:
    return f'<td class="{cls}">{html_text(text)}</td>' if cls else f"<td>{html_text(text)}</td>"


def _table(header: list[str], rows: list[list[tuple[str, str]]]) -> str:
    head = "".join(f"<th>{html_text(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(_td(t, c) for t, c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def distribution_svg(r: ClassReport) -> str:
    """Box plots of each strategy's scores on a 0-100 axis, and the class's games as dots."""
    rows = [("the class", [g.score for g in r.finished], True)] + [
        (s.name, s.scores, False) for s in r.strategies
    ]
    left, width, row_h, top = 130, 560, 26, 20
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
        parts.append(f'<text x="{x(t):.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{t}</text>')
    for i, (name, scores, is_class) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        colour = "#1f4e9c" if is_class else "#888888"
        weight = "bold" if is_class else "normal"
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end" '
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
        elif (
            r.class_seed is not None
            and (s := next(s for s in r.strategies if s.name == name)).on_class_seed is not None
        ):
            parts.append(
                f'<path d="M {x(s.on_class_seed):.1f} {y - 9:.1f} l 5 -6 l -10 0 z" fill="#b42318">'
                f"<title>{html_text(name)} on seed {r.class_seed}: {s.on_class_seed:.1f}</title></path>"
            )
    parts.append("</svg>")
    return "".join(parts)


def spend_svg(r: ClassReport) -> str:
    """One stacked bar per game: its spend by lever category, in ¥ billions."""
    left, width, row_h, top = 130, 560, 24, 10
    most = max((sum(g.spend.values()) for g in r.games), default=0) or 1
    height = top + row_h * len(r.games) + 10
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 70}" height="{height}" '
            f'viewBox="0 0 {left + width + 70} {height}" role="img" aria-label="Spend by lever category">'
        )
    ]
    for i, g in enumerate(r.games):
        y = top + i * row_h
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" font-size="12" text-anchor="end">{html_text(g.name)}</text>'
        )
        at = float(left)
        for c in CATEGORIES:
            w = width * g.spend[c] / most
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{at:.1f}" y="{y + 3}" width="{w:.1f}" height="16" fill="{CATEGORY_COLOURS[c]}">'
                f"<title>{html_text(CATEGORY_NAMES[c])}: ¥{g.spend[c]:.1f}B</title></rect>"
            )
            at += w
        parts.append(
            f'<text x="{at + 5:.1f}" y="{y + 15}" font-size="11">¥{sum(g.spend.values()):.0f}B</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(r: ClassReport) -> str:
    out: list[str] = []
    add = out.append
    add("<!DOCTYPE html>")
    add('<html lang="en"><head><meta charset="utf-8">')
    add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    add(f"<title>Class debrief: {html_text(r.scenario_name)}</title><style>{CSS}</style></head><body>")
    add(f"<h1>Class debrief: {html_text(r.scenario_name)}</h1>")
    meta = (
        f"Scenario {r.scenario} · {r.turns} quarters · content {r.fingerprint} · "
        f"{len(r.games)} game(s) counted"
        + (f", {len(r.problems)} not counted" if r.problems else "")
        + (f" · everyone played seed {r.class_seed}" if r.class_seed is not None else "")
    )
    add(f'<p class="meta">{html_text(meta)}</p><p>{html_text(r.description)}</p>')
    if r.problems:
        add(
            '<section class="problems"><h2>Saves not counted</h2><p>These files were not counted in any '
            "table or statistic below:</p><ul>"
        )
        for p in r.problems:
            add(f"<li><code>{html_text(p.path)}</code>: {html_text(p.message)}</li>")
        add("</ul></section>")
    add("<h2>Games</h2><ul>")
    for gid, desc in r.goals:
        add(f"<li><strong>{html_text(gid)}</strong> ({html_text(r.weight(gid))}): {html_text(desc)}</li>")
    add("</ul>")
    add(f'<p class="note">{html_text(SCORE_NOTE)}</p>')
    rows = []
    for g in r.games:
        rows.append(
            [
                (g.name, ""),
                (_status(g, r.turns), ""),
                (f"{g.score:.1f}", "n"),
                *[("met" if x.met else "missed", "met" if x.met else "missed") for x in g.goals],
            ]
        )
    add(_table(["Game", "Outcome", "Score", *[gid for gid, _ in r.goals]], rows))
    add("<h2>Spend profile</h2><p>¥ billions actually spent over the game in each category of levers.</p>")
    add(
        '<p class="legend">'
        + "".join(
            f'<span><span class="swatch" style="background:{CATEGORY_COLOURS[c]}"></span>'
            f"{html_text(CATEGORY_NAMES[c])}</span>"
            for c in CATEGORIES
        )
        + "</p>"
    )
    add(spend_svg(r))
    rows = []
    for g in r.games:
        total = sum(g.spend.values()) or 1.0
        rows.append(
            [
                (g.name, ""),
                *[(f"¥{g.spend[c]:.0f}B ({g.spend[c] / total * 100:.0f} %)", "n") for c in CATEGORIES],
                (f"¥{sum(g.spend.values()):.0f}B", "n"),
            ]
        )
    add(_table(["Game", *[CATEGORY_NAMES[c] for c in CATEGORIES], "Total"], rows))
    add("<h2>The class against the built-in strategies</h2>")
    if r.strategies:
        add(
            f"<p>Each built-in strategy played {r.sweep_games} games (seeds {r.sweep_seed_start}–"
            f"{r.sweep_seed_start + r.sweep_games - 1}). Boxes span the middle half of the scores, "
            "whiskers the "
            "lowest and highest, the thick line is the median; blue dots are the class's games"
            + (
                f", red marks each strategy's score on the class's seed ({r.class_seed})"
                if r.class_seed is not None
                else ""
            )
            + ". The spread of a row is luck; the gap between rows is strategy.</p>"
        )
        add(distribution_svg(r))
        rows = []
        cls = score_stats([g.score for g in r.finished])
        rows.append(
            [
                ("the class", ""),
                (str(cls["n"]), "n"),
                *[(_num(cls[k]), "n") for k in ("mean", "min", "median", "max")],
                (str(sum(1 for g in r.finished if g.outcome == "victory")), "n"),
                ("", ""),
            ]
        )
        for s in r.strategies:
            st = score_stats(s.scores)
            rows.append(
                [
                    (s.name, ""),
                    (str(st["n"]), "n"),
                    *[(_num(st[k]), "n") for k in ("mean", "min", "median", "max")],
                    (f"{s.wins}", "n"),
                    (_num(s.on_class_seed) if s.on_class_seed is not None else "", "n"),
                ]
            )
        add(_table(["Who", "Games", "Mean", "Min", "Median", "Max", "Wins", "On the class's seed"], rows))
    else:
        add("<p>No strategies were played.</p>")
    add(
        "<h2>The decisions that most changed each game</h2><p>Score points each decision moved, "
        "+ helped and − "
        "hurt (method below).</p>"
    )
    for g in r.games:
        add(f"<h3>{html_text(g.name)}: {html_text(_status(g, r.turns))}, score {g.score:.1f}</h3>")
        if g.decisions:
            add(
                "<ol>"
                + "".join(
                    f"<li><strong>{html_text(d.label)}</strong>: {d.points:+.1f} points</li>"
                    for d in g.decisions
                )
                + "</ol>"
            )
        else:
            add("<p>No decision of this game changed a goal metric directly.</p>")
        if g.other_causes:
            add(
                '<p class="note">What else moved the score: '
                + html_text("; ".join(f"{o.label} {o.points:+.1f}" for o in g.other_causes))
                + ".</p>"
            )
    add(f"<p><strong>How the top decisions are found.</strong> {html_text(METHOD)}</p>")
    add("<h2>Events the class met</h2>")
    if r.events:
        rows = []
        for e in r.events:
            rows.append([(titled(e.title, e.fiction), ""), (f"{e.games}/{len(r.games)}", "n"), (e.picks(), "")])
        add(_table(["Event", "Games", "What they chose"], rows))
    else:
        add("<p>No events fired in the class's games.</p>")
    add("<h2>Discussion</h2><p>Learning objectives of this scenario:</p><ul>")
    add("".join(f"<li>{html_text(o)}</li>" for o in r.learning_objectives) + "</ul>")
    add("<p>Prompts from the class's games:</p><ol>")
    add("".join(f"<li>{html_text(p)}</li>" for p in r.prompts + r.debrief_questions) + "</ol>")
    add("</body></html>")
    return "\n".join(out) + "\n"
