"""The debrief's tables and lines as text, once, for every format (Markdown, HTML, slides, CSV): each
function returns plain strings (headers and rows), and the formats only lay them out and escape them."""

from __future__ import annotations

import math

from game.analysis.debrief.counterfactual import METHOD, Decision
from game.analysis.debrief.data import ClassReport, GameRow, TurnRow
from game.analysis.debrief.strategies import score_stats
from game.render.labels import band_label, goal_decimals, goal_value, titled
from game.render.words import plural
from game.sim.scoring import OUTCOMES

__all__ = ["METHOD", "SCORE_NOTE"]

SCORE_NOTE = (
    "Each goal's progress runs from where the scenario starts to its target; past the target it earns a "
    "bonus. The score's bands follow the ending: " + ", ".join(f"{o} {band_label(o)}" for o in OUTCOMES)
    + ", so every victory scores above every partial success, and every partial success above every defeat."
)
FLAG_NOTE = (
    "Flagged games are shown in the tables with their flags but left out of every class statistic "
    "(the class's scores, the comparisons and the discussion prompts) until you have looked at them."
)
Table = tuple[list[str], list[list[str]], list[str]]
"""(header, rows, alignment per column 'l' or 'r')."""


def num(x: float | None, digits: int = 1) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def status(g: GameRow, turns: int) -> str:
    return g.outcome if g.done else f"in progress ({g.turns}/{turns})"


def meta(r: ClassReport) -> str:
    return (
        f"Scenario {r.scenario} · {r.turns} quarters · content {r.fingerprint} · {plural(len(r.counted), 'game')} counted"
        + (f", {len(r.games) - len(r.counted)} flagged" if len(r.games) > len(r.counted) else "")
        + (f", {len(r.problems)} not counted" if r.problems else "")
        + (f" · everyone played seed {r.class_seed}" if r.class_seed is not None else "")
    )


def games_table(r: ClassReport) -> Table:
    header = ["Game", "Played by", "Outcome", "Score", *[gid for gid, _ in r.goals], "Predictions", "Flags"]
    rows = [
        [g.name, g.player or "?", status(g, r.turns), f"{g.score:.1f}",
         *["met" if x.met else "missed" for x in g.goals],
         f"{len(g.predictions)}, {num(g.prediction_points, 0)} pts" if g.predictions else "–",
         ", ".join(f.kind for f in g.flags) or "–"]
        for g in r.games
    ]
    return header, rows, ["l", "l", "l", "r", *["l"] * len(r.goals), "r", "l"]


def spend_table(r: ClassReport) -> Table:
    header = ["Game", *[s.name for s in r.spend_groups], "Total"]
    rows = []
    for g in r.games:
        total = sum(g.spend.values())
        cells = [f"¥{g.spend[s.id]:.0f}B ({g.spend[s.id] / total * 100:.0f} %)" if total else "¥0B"
                 for s in r.spend_groups]
        rows.append([g.name, *cells, f"¥{total:.0f}B"])
    return header, rows, ["l", *["r"] * (len(r.spend_groups) + 1)]


def matchup_table(r: ClassReport) -> Table:
    header = ["Strategy", "Class games", "Class beat it", "Tied", "Class mean", "Strategy mean (same seeds)"]
    rows = [[m.strategy, str(m.games), f"{m.beaten} of {m.games}", str(m.tied), num(m.class_mean),
             num(m.strategy_mean)] for m in r.matchups]
    return header, rows, ["l", "r", "r", "r", "r", "r"]


def matchup_line(r: ClassReport) -> str:
    if not r.matchups:
        return "No finished, unflagged game to compare."
    ahead = [m for m in r.matchups if m.class_mean > m.strategy_mean]
    seeds = ", ".join(map(str, r.class_seeds))
    return (f"On the class's own seed{'s' if len(r.class_seeds) > 1 else ''} ({seeds}), the class's average "
            f"beat {len(ahead)} of {len(r.matchups)} strategies played in the same world"
            f"{'s' if len(r.class_seeds) > 1 else ''}.")


def distribution_table(r: ClassReport) -> Table:
    header = ["Who", "Games", "Mean", "Min", "25 %", "Median", "75 %", "Max", "Wins"]
    cls = score_stats([g.score for g in r.finished])
    wins = sum(1 for g in r.finished if g.outcome == "victory")
    rows = [["the class (its own seeds)", str(cls["n"]),
             *[num(cls[k]) for k in ("mean", "min", "p25", "median", "p75", "max")], f"{wins}"]]
    for s in r.strategies:
        st = score_stats(s.scores)
        rows.append([s.name, str(st["n"]), *[num(st[k]) for k in ("mean", "min", "p25", "median", "p75", "max")],
                     f"{s.wins} ({s.wins / max(s.games, 1) * 100:.0f} %)"])
    return header, rows, ["l", *["r"] * (len(header) - 1)]


def many_seeds_line(r: ClassReport) -> str:
    return (f"Over many seeds (not the class's): each strategy played {r.sweep_games} games, seeds "
            f"{r.sweep_seed_start}–{r.sweep_seed_start + r.sweep_games - 1}, the same every time the report is "
            "made. The spread of a strategy's scores is luck; the gap between rows is strategy.")


def decision_number(d: Decision) -> str:
    return f"{d.difference:+.2f} points"


def decision_line(d: Decision) -> str:
    """'Rip and replace: ¥12B in 2019Q1–2019Q4 — without it: −52.10 points (partial)'."""
    return f"{d.label} — {d.counterfactual}: {decision_number(d)} ({d.outcome})"


def timeline_table(r: ClassReport, g: GameRow) -> Table:
    used = [s for s in r.spend_groups if any(t.spend[s.id] for t in g.timeline)]
    header = ["Quarter", *[s.name for s in used], "Answers", "Prediction", "Score"]
    rows = [[t.quarter, *[f"¥{t.spend[s.id]:.1f}B" if t.spend[s.id] else "·" for s in used],
             answers_text(t) or "·", prediction_text(t) or "·", f"{t.score:.1f}"] for t in g.timeline]
    return header, rows, ["l", *["r"] * len(used), "l", "l", "r"]


def answers_text(t: TurnRow) -> str:
    return "; ".join(f"{titled(e.title, e.fiction)}: {e.choice_label}" + ("" if e.answered else " (default)")
                     for e in t.answers if e.choice_label)


def prediction_text(t: TurnRow) -> str:
    p = t.prediction
    if p is None:
        return ""
    digits = goal_decimals(p.metric, p.tolerance)  # in the goal's unit, as the student typed it
    return (f"{p.goal}: guessed {goal_value(p.metric, p.guess, digits)}, was "
            f"{goal_value(p.metric, p.actual, digits)} ({p.points:.0f} pts)")


def events_table(r: ClassReport) -> Table:
    rows = []
    for e in r.events:
        named = "; ".join(f"{c.label}: {', '.join(e.names.get(c.choice, [])) or '–'}" for c in e.choices)
        rows.append([titled(e.title, e.fiction), f"{e.games}/{len(r.games)}", e.picks(), named or "(no choice)"])
    return ["Event", "Games", "What they chose", "Who chose what"], rows, ["l", "r", "l", "l"]


def flag_lines(r: ClassReport) -> list[str]:
    return [f"{f.path or '(roster)'}: {f.name}: {f.message} [{f.kind}]" for f in r.flags]
