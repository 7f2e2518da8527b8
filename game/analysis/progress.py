"""Progress for long runs (sweeps, searches, reports) on stderr: on a terminal (or when asked) a rich bar
with done/total, the rate, the time spent and the time left; elsewhere (a log, CI, a pipe) a plain line
every EVERY seconds, so a long run is never silent and a short one adds nothing."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
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


EVERY = 30.0
"""Seconds between two progress lines when stderr is not a terminal."""


class ProgressBar:
    """`bar(n)` adds n done; `bar.set(done, label)` sets both; `close()` leaves the last line shown.
    `enabled`: True a bar, False nothing, None a bar on a terminal and periodic lines elsewhere."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None,
                 unit: str = "games", label: str = "", clock: Callable[[], float] = time.monotonic):
        self.total, self.done, self.unit, self.label = total, 0, unit, label
        self.stream = stream or sys.stderr
        tty = self.stream.isatty()
        self.enabled = tty if enabled is None else enabled
        self._lines = enabled is None and not tty
        self._clock = clock
        self._start = self._last = clock()
        self._shown: int | None = None  # the done count of the last line printed
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
        self.label = self.label if label is None else label
        if self._progress is not None:
            self._progress.update(self._task, completed=done, description=label)
            self._progress.refresh()
        elif self._lines and self._clock() - self._last >= EVERY:
            self._print()

    def _print(self) -> None:
        self._last, self._shown = self._clock(), self.done
        print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        """'120,000 of 1,000,000 games (12 %), 2,345 games/s, about 6 min left'."""
        spent = max(self._last - self._start, 1e-9)
        rate = self.done / spent
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        share = self.done / self.total if self.total else 1.0
        speed = f"{rate:,.0f}" if rate >= 10 else f"{rate:.2g}"  # a search's generations come slowly
        text = f"{self.done:,} of {self.total:,} {self.unit} ({share:.0%}), {speed} {self.unit}/s"
        text += f", about {duration(left)} left" if left != float("inf") else ""
        return f"{self.label}: {text}" if self.label else text

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if self._shown is not None and self._shown != self.done:  # a long run's lines end with its last count
            self._print()


def duration(seconds: float) -> str:
    """A time in the unit a reader wants: '40 s', '12 min', '2.5 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
