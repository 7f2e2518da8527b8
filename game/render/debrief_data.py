"""The debrief as data: `--format json` (one document with every figure of the debrief) and `--format csv`
(games.csv: one row per game; decisions.csv: one row per decision of every quarter of every game)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from typing import Any

from game.analysis.debrief.counterfactual import METHOD
from game.analysis.debrief.data import ClassReport
from game.content.untrusted import printable


def _plain(x: Any) -> Any:
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, str):
        return printable(x)
    return x


def report_json(r: ClassReport) -> dict[str, Any]:
    doc = _plain(r)
    for g, row in zip(r.games, doc["games"], strict=True):
        for key in ("decisions", "all_decisions"):
            for d, out in zip(getattr(g, key), row[key], strict=True):
                out["command"] = g.command(d)
        row["flagged"] = g.flagged
        row["prediction_points"] = g.prediction_points
    doc["method"] = METHOD
    doc["counted"] = [g.path for g in r.counted]
    doc["ok"] = r.ok
    return doc


def render_json(r: ClassReport) -> str:
    return json.dumps(report_json(r), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: printable, and never read as a formula."""
    text = printable("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv(header: list[str], rows: list[list[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([[cell(c) for c in row] for row in rows])
    return buf.getvalue()


def games_csv(r: ClassReport) -> str:
    header = ["name", "path", "player", "seed", "turns", "done", "outcome", "score", "goals_met",
              *[f"goal:{gid}" for gid, _ in r.goals], *[f"spend:{s.id}" for s in r.spend_groups],
              "predictions", "prediction_points", "flags", "top_decision", "top_decision_difference",
              "top_decision_command"]
    rows: list[list[object]] = []
    for g in r.games:
        top = g.decisions[0] if g.decisions else None
        rows.append([g.name, g.path, g.player, g.seed, g.turns, g.done, g.outcome, round(g.score, 6),
                     sum(x.met for x in g.goals), *["met" if x.met else "missed" for x in g.goals],
                     *[round(g.spend[s.id], 6) for s in r.spend_groups], len(g.predictions),
                     "" if g.prediction_points is None else round(g.prediction_points, 2),
                     "; ".join(f"{f.kind}: {f.message}" for f in g.flags),
                     top.label if top else "", round(top.difference, 6) if top else "",
                     g.command(top) if top else ""])
    return _csv(header, rows)


def decisions_csv(r: ClassReport) -> str:
    """Who chose what, quarter by quarter: spending per lever, answers (kind 'event' for an event without
    choices), predictions."""
    header = ["name", "path", "turn", "quarter", "kind", "key", "spend_group", "amount", "choice", "label",
              "answered", "guess", "actual", "points"]
    rows: list[list[object]] = []
    for g in r.games:
        for t in g.timeline:
            for lid, amount in t.spend_by_lever.items():
                rows.append([g.name, g.path, t.turn, t.quarter, "spend", lid, g.lever_groups.get(lid, ""), amount,
                             "", "", "", "", "", ""])
            for e in t.answers:
                rows.append([g.name, g.path, t.turn, t.quarter, "answer" if e.choice else "event", e.event, "", "",
                             e.choice or "",
                             e.choice_label or "", e.answered, "", "", ""])
            if t.prediction is not None:
                p = t.prediction
                rows.append([g.name, g.path, t.turn, t.quarter, "prediction", p.goal, "", "", "", p.description,
                             "", p.guess, round(p.actual, 6), round(p.points, 2)])
    return _csv(header, rows)
