"""The class debrief (`homegrown report`): gathering (`gather`) is separate from rendering
(`render_markdown`, `render_html`), so tests and other front ends use the same data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from game.report.gather import (
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
from game.report.html import render_html
from game.report.markdown import render_markdown

FORMATS = {"md": render_markdown, "html": render_html}


def report_path(report: ClassReport, out: Path | str, fmt: str) -> Path:
    return Path(out) / f"debrief-{report.scenario}.{fmt}"


def write_report(report: ClassReport, out: Path | str, fmt: str = "md") -> Path:
    """Render and write atomically to OUT/debrief-<scenario>.<fmt>; returns the path."""
    text = FORMATS[fmt](report)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = report_path(report, folder, fmt)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
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
