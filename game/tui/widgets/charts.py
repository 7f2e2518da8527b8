"""Text charts (sparklines, bars, bands) and number formats shared by the screens.

Plain strings built from block characters: cheap to render, deterministic in snapshots, and readable
without colour (every change also carries a sign and an arrow).
"""

from __future__ import annotations

from collections.abc import Sequence

from game.render.labels import LOWER_IS_BETTER, METRIC_LABELS, PERCENT_METRICS, unit_scale

TICKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"

SHORT_LABELS = {
    "domestic_share": "Domestic share",
    "untrusted_japan": "Untrusted in Japan",
    "incidents": "Incidents",
    "engineers": "Engineers (k)",
    "approval": "Approval",
    "tension": "Tension",
    "threat": "Threat",
    "competitiveness": "Competitiveness",
}

DASHBOARD_METRICS = ("domestic_share", "untrusted_japan", "incidents", "engineers", "approval", "tension",
                     "competitiveness")


def label(metric: str) -> str:
    return SHORT_LABELS.get(metric, METRIC_LABELS.get(metric, metric))


def fmt(metric: str, value: float) -> str:
    if metric in PERCENT_METRICS:
        return f"{value * 100:.2f} %"
    if metric in ("incidents", "major_incidents"):
        return f"{value:.0f}"
    return f"{value:.1f}"


def noise(metric: str) -> float:
    """Changes smaller than this are shown as no change (±0, '=')."""
    if metric in PERCENT_METRICS:
        return 5e-6  # 0.0005 pp
    if metric in ("incidents", "major_incidents"):
        return 0.5
    return 0.05


def fmt_change(metric: str, change: float) -> str:
    """'+0.8 pp', '−1.2', '±0' with a real minus sign, precise enough to show small moves."""
    if abs(change) < noise(metric):
        return "±0 pp" if metric in PERCENT_METRICS else "±0"
    if metric in PERCENT_METRICS:
        pp = abs(change) * 100
        text = f"{pp:.2f} pp" if pp >= 0.1 else f"{pp:.3f} pp"
    elif metric in ("incidents", "major_incidents"):
        text = f"{abs(change):.0f}"
    else:
        text = f"{abs(change):.1f}"
    return f"{'+' if change > 0 else '−'}{text}"


def arrow(change: float, metric: str | None = None) -> str:
    eps = noise(metric) if metric else 1e-9
    return "▲" if change >= eps else "▼" if change <= -eps else "="


def verdict(metric: str, change: float) -> str:
    """'good' / 'bad' / 'flat' for styling (never the only carrier of meaning)."""
    if abs(change) < noise(metric):
        return "flat"
    better = change < 0 if metric in LOWER_IS_BETTER else change > 0
    return "good" if better else "bad"


def sparkline(values: Sequence[float], width: int | None = None) -> str:
    """Block-character sparkline of the last `width` values (scaled to their own range)."""
    vals = list(values)[-width:] if width else list(values)
    if not vals:
        return ""
    lo, hi = min(vals), max(vals)
    if hi - lo < 1e-12:
        return TICKS[0] * len(vals) if hi == 0 else TICKS[3] * len(vals)
    return "".join(TICKS[min(7, int((v - lo) / (hi - lo) * 7.999))] for v in vals)


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of `width` cells filled to `fraction` (eighth-cell resolution)."""
    fraction = min(max(fraction, 0.0), 1.0)
    cells = fraction * width
    full = int(cells)
    rest = int((cells - full) * 8)
    out = "█" * full + (EIGHTHS[rest] if full < width and rest else "")
    return out.ljust(width)


def meter(fraction: float, width: int) -> str:
    """A bar with an explicit empty part: ▰▰▰▱▱▱."""
    fraction = min(max(fraction, 0.0), 1.0)
    full = round(fraction * width)
    return "▰" * full + "▱" * (width - full)


def money(value: float) -> str:
    return f"¥{value:g}B" if abs(value - round(value)) > 1e-9 else f"¥{round(value)}B"


FAN_BAND, FAN_MEDIAN, FAN_TARGET = "░", "━", "┄"


def fan_chart(now: float, median: Sequence[float], low: Sequence[float], high: Sequence[float],
              target: float | None, width: int, height: int) -> tuple[list[str], float, float]:
    """A fan chart in `height` rows of at most `width` columns: column 0 is `now`, then one column per
    quarter ahead (thinned evenly, the last quarter always kept, when there are more quarters than
    columns). The 10-90 % band is ░, the median ━ (over the band), the target ┄ where nothing else is.
    Returns the rows (top first) and the value range (bottom, top) they span; the target is inside it."""
    quarters = len(median)
    cols = max(1, min(width - 1, quarters))
    picks = [round(i * (quarters - 1) / (cols - 1)) if cols > 1 else quarters - 1 for i in range(cols)]
    columns = [(now, now, now)] + [(median[q], low[q], high[q]) for q in picks] if quarters else [(now, now, now)]
    values = [v for c in columns for v in c] + ([target] if target is not None else [])
    bottom, top = min(values), max(values)
    if top - bottom < 1e-12:
        bottom, top = bottom - 0.5 * (abs(bottom) or 1.0), top + 0.5 * (abs(top) or 1.0)
    cell = (top - bottom) / height

    def row(value: float) -> int:
        return min(height - 1, max(0, int((top - value) / cell)))

    grid = [[" "] * len(columns) for _ in range(height)]
    if target is not None:
        grid[row(target)] = [FAN_TARGET] * len(columns)
    for x, (med, lo, hi) in enumerate(columns):
        for r in range(row(hi), row(lo) + 1):
            grid[r][x] = FAN_BAND
        grid[row(med)][x] = FAN_MEDIAN
    return ["".join(r) for r in grid], bottom, top


def goal_digits(metric: str, target: float) -> int:
    """Decimals for forecast values of a goal: one more than its target is written with in the goal's unit
    (2.45 % for a target of 3.0 %, 45.6 for 45)."""
    text = f"{target * unit_scale(metric):.10f}".rstrip("0")
    return len(text.partition(".")[2]) + 1
