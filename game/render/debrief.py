"""The class debrief (`homegrown report`): gathering (`gather`) is separate from rendering
(`render_markdown`, `render_html`), so tests and other front ends use the same data."""

from __future__ import annotations

from pathlib import Path

from game.analysis.debrief import (
    DEFAULT_SWEEP_GAMES,
    ClassReport,
    GameRow,
    Impact,
    Problem,
    ReportError,
    StrategyRow,
    cause_contributions,
    decision_impacts,
    find_saves,
    gather,
    points_per_unit,
)
from game.render.debrief_html import render_html
from game.render.debrief_markdown import render_markdown
from game.storage import atomic_write

FORMATS = {"md": render_markdown, "html": render_html}


def report_path(report: ClassReport, out: Path | str, fmt: str) -> Path:
    return Path(out) / f"debrief-{report.scenario}.{fmt}"


def write_report(report: ClassReport, out: Path | str, fmt: str = "md") -> Path:
    """Render and write atomically to OUT/debrief-<scenario>.<fmt>; returns the path."""
    text = FORMATS[fmt](report)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = report_path(report, folder, fmt)
    atomic_write(path, text.encode("utf-8"), keep_backup=False)
    return path


__all__ = [
    "DEFAULT_SWEEP_GAMES",
    "FORMATS",
    "ClassReport",
    "GameRow",
    "Impact",
    "Problem",
    "ReportError",
    "StrategyRow",
    "cause_contributions",
    "decision_impacts",
    "find_saves",
    "gather",
    "points_per_unit",
    "render_html",
    "render_markdown",
    "report_path",
    "write_report",
]
