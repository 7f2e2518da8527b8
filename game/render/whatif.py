"""The side-by-side comparison of a what-if replay, as `homegrown replay --what-if` and the end screen
print it."""

from __future__ import annotations

import math

from game.play.whatif import WhatIf
from game.render.labels import (
    METRIC_LABELS,
    PERCENT_METRICS,
    band_label,
    event_title,
    format_metric,
    weight_label,
)
from game.sim.metrics import KEY_METRICS
from game.sim.scoring import OUTCOMES


def _fmt_diff(name: str, diff: float) -> str:
    """A change at the shown precision, with a true minus; '·' when it rounds to none (never '-0.00')."""
    scaled, unit = (diff * 100, " pp") if name in PERCENT_METRICS else (diff, "")
    shown = f"{abs(scaled):.2f}"
    if float(shown) == 0:
        return "·"
    return ("+" if scaled > 0 else "−") + shown + unit


def _percent(share: float) -> str:
    return f"{math.floor(100 * share + 1e-9):.0f} %"  # floored: 49.9 % of the weight is not half


def format_what_if(w: WhatIf) -> str:
    """The side-by-side comparison `homegrown replay --what-if` prints: levers and answers by name (the
    JSON document, WhatIf.to_json, keeps the ids)."""
    doc = w.to_json()
    content = w.original.content
    lines = ["What if:"]
    for c in doc["changes"]:
        lever = content.levers[c["lever"]].name if c["lever"] in content.levers else c["lever"]
        lines.append(f"  {c['quarter']} (turn {c['turn']}): {lever} "
                     f"¥{c['original']:.2f}B → ¥{c['what_if']:.2f}B")
    for a in doc["answers"]:
        event = content.events.get(a["event"])
        if event is None:
            lines.append(f"  {a['quarter']} (turn {a['turn']}): {a['event']} {a['original']} → {a['what_if']}")
            continue
        answers = {ch.id: ch.label for ch in event.choices}
        lines.append(f"  {a['quarter']} (turn {a['turn']}): {event_title(event)}: "
                     f"{answers.get(a['original'], a['original'])} → {answers.get(a['what_if'], a['what_if'])}")
    if doc["diverged_from"] is None:
        lines += ["", "No difference: the game plays out exactly the same."]
    else:
        d = doc["diverged_from"]
        lines += ["", f"The games differ from {d['quarter']} (turn {d['turn']}) on."]
    o, a = doc["original"], doc["what_if"]
    rows = [("", "as played", "what if", "difference"),
            ("Outcome", o["outcome"], a["outcome"], "" if o["outcome"] == a["outcome"] else "changed"),
            ("Score", f"{o['score']:.1f}", f"{a['score']:.1f}", _fmt_diff("score", a["score"] - o["score"])),
            ("Goals met", f"{o['goals_met']}/{o['goals']}", f"{a['goals_met']}/{a['goals']}",
             f"{a['goals_met'] - o['goals_met']:+d}" if a["goals_met"] != o["goals_met"] else "·"),
            ("Weight met", _percent(o["weight_met"]), _percent(a["weight_met"]),
             f"{100 * (a['weight_met'] - o['weight_met']):+.0f} pp" if a["weight_met"] != o["weight_met"] else "·")]
    for m in KEY_METRICS:
        if m in o["metrics"]:
            rows.append((METRIC_LABELS.get(m, m), format_metric(m, o["metrics"][m]), format_metric(m, a["metrics"][m]),
                         _fmt_diff(m, a["metrics"][m] - o["metrics"][m])))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines.append("")
    for r in rows:
        lines.append(f"  {r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}")
    total = sum(g["weight"] for g in o["goals_detail"].values())
    flipped = [(g["description"], g["met"], g["weight"]) for gid, g in o["goals_detail"].items()
               if gid in a["goals_detail"] and a["goals_detail"][gid]["met"] != g["met"]]
    if flipped:
        lines += ["", "Goals that change:"]
        lines += [f"  {desc} ({weight_label(weight, total)}): {'met → missed' if met else 'missed → met'}"
                  for desc, met, weight in flipped]
    lines += ["", "Scores: " + ", ".join(f"{o_} {band_label(o_)}" for o_ in OUTCOMES) + "."]
    timeline = doc["timeline"]
    if timeline and doc["diverged_from"] is not None:
        lines += ["", "  quarter   score as played → what if   domestic share as played → what if"]
        for row in timeline:
            if row["original"] is None or row["what_if"] is None:
                continue
            ro, ra = row["original"], row["what_if"]
            lines.append(f"  {row['quarter']:8}  {ro['score']:6.1f} → {ra['score']:6.1f}"
                         f"              {ro['domestic_share'] * 100:5.1f} % → "
                         f"{ra['domestic_share'] * 100:5.1f} %")
    if w.notes:
        lines += ["", "Notes:"] + [f"  {n}" for n in w.notes]
    return "\n".join(lines)
