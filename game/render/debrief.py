"""Writing a class debrief (`homegrown report`): game.analysis.debrief gathers it, the renderers here turn it
into Markdown or HTML."""

from __future__ import annotations

import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

from game.analysis.debrief import ClassReport
from game.render.debrief_html import render_html
from game.render.debrief_markdown import render_markdown
from game.storage import atomic_write

FORMATS = {"md": render_markdown, "html": render_html}


def report_json(report: ClassReport) -> dict[str, Any]:
    """The debrief's data as one JSON document (`homegrown report --json`): every field of the report,
    NaN as null."""

    def clean(x: Any) -> Any:
        if isinstance(x, float) and math.isnan(x):
            return None
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [clean(v) for v in x]
        return x

    return {"schema_version": 1, "ok": report.ok, **clean(asdict(report))}


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
