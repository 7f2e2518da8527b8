"""Writing a class debrief (`homegrown report`): game.analysis.debrief gathers it, the renderers here turn it
into Markdown, HTML, slides (one HTML deck), JSON or CSV (two files)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.analysis.debrief import ClassReport
from game.render.debrief_data import decisions_csv, games_csv, render_json
from game.render.debrief_html import render_html
from game.render.debrief_markdown import render_markdown
from game.render.debrief_slides import render_slides
from game.storage import atomic_write

Files = Callable[[ClassReport], dict[str, str]]
FORMATS: dict[str, Files] = {
    "md": lambda r: {f"debrief-{r.scenario}.md": render_markdown(r)},
    "html": lambda r: {f"debrief-{r.scenario}.html": render_html(r)},
    "slides": lambda r: {f"slides-{r.scenario}.html": render_slides(r)},
    "json": lambda r: {f"debrief-{r.scenario}.json": render_json(r)},
    "csv": lambda r: {"games.csv": games_csv(r), "decisions.csv": decisions_csv(r)},
}


def write_report(report: ClassReport, out: Path | str, fmt: str = "md") -> list[Path]:
    """Render and write atomically into OUT; returns the paths written."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in FORMATS[fmt](report).items():
        path = folder / name
        atomic_write(path, text.encode("utf-8"), keep_backup=False)
        paths.append(path)
    return paths
