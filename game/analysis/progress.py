"""Progress for long runs (sweeps, searches, reports) with rich: a bar, done/total, the rate, the time
spent and the time left, on stderr and only when it is a terminal (or when asked)."""

from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    """'1,234 games/s' (rich's own speed column counts bytes)."""

    def __init__(self, unit: str):
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} {self.unit}/s" if speed else f"- {self.unit}/s", style="progress.data.speed")


class ProgressBar:
    """`bar(n)` adds n done; `bar.set(done, label)` sets both; `close()` leaves the last line shown."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None,
                 unit: str = "games", label: str = ""):
        self.total, self.done = total, 0
        stream = stream or sys.stderr
        self.enabled = stream.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        if self.enabled:
            console = Console(file=stream, force_terminal=True, highlight=False)
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn(unit), RateColumn(unit), TimeElapsedColumn(),
                                      TextColumn("left"), TimeRemainingColumn(), console=console,
                                      auto_refresh=False)
            self._progress.start()
            self._task = self._progress.add_task(label, total=total)

    def __call__(self, done: int) -> None:
        self.set(self.done + done)

    def set(self, done: int, label: str | None = None) -> None:
        self.done = done
        if self._progress is not None:
            self._progress.update(self._task, completed=done, description=label)
            self._progress.refresh()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
