"""The allocation panel: one row per offered lever, adjusted with the keyboard or the mouse."""

from __future__ import annotations

import textwrap
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from game.content.schema import Lever
from game.tui.plan import Plan
from game.tui.widgets.charts import meter, money

MINUS_CELLS = range(2, 6)  # "[−]" on the amount line
METER_WIDTH = 10


class LeverRow(Widget):
    """One lever: name, amount / max with a meter and −/+ targets, and its one-line description."""

    selected = reactive(False)

    def __init__(self, lever: Lever, plan: Plan, index: int) -> None:
        super().__init__(id=f"lever-{lever.id}", classes="lever-row")
        self.lever, self.plan, self.index = lever, plan, index

    def watch_selected(self, value: bool) -> None:
        self.set_class(value, "-selected")
        self.refresh(layout=True)

    def render(self) -> Text:
        lv, plan = self.lever, self.plan
        width = max(20, (self.size.width or 40) - 1)
        amount = plan.amounts[lv.id]
        locked = plan.is_locked(lv.id)
        waiting = plan.waiting.get(lv.id)
        sel = self.selected

        def cut(line: str) -> str:
            return line if len(line) <= width else line[: width - 1] + "…"

        text = Text()
        text.append("▶ " if sel else "  ", style="bold")
        text.append(cut(lv.name + ("  [locked]" if locked else ""))[: width - 2], style="bold" if sel else "")
        text.append("\n")
        if locked:
            text.append(cut(f"  fixed at {money(amount)} by the scenario"), style="italic")
        elif waiting is not None:
            text.append(cut(f"  offered from {waiting}: it did not exist yet"), style="italic")
        elif lv.id in plan.closed:
            text.append(cut(f"  no money now: {plan.deals.get(lv.id, 'closed')}"), style="italic")
        else:
            head = "  [−] "
            text.append(head, style="bold")
            amounts = f"{money(amount):>5} / {money(lv.max):<4} "
            text.append(amounts)
            text.append(meter(amount / lv.max, METER_WIDTH))
            self._plus_x = len(head) + len(amounts) + METER_WIDTH
            text.append(" [+]", style="bold")
        text.append("\n")
        if sel:
            for line in textwrap.wrap(lv.short, width - 2):
                text.append(f"  {line}\n")
            extra = f"{lv.category} · step {money(lv.step)} · max {money(lv.max)} · "
            extra += f"pays off after {lv.lag} quarter(s)" if lv.lag else "works this quarter"
            if lv.id in plan.deals:
                extra += " · " + plan.deals[lv.id]
            wrapped = "\n".join("  " + line for line in textwrap.wrap(extra, width - 2))
            text.append(wrapped, style="dim italic")
        else:
            text.append(cut("  " + lv.short), style="dim")
        return text

    def plus_cells(self) -> range:
        start = getattr(self, "_plus_x", 30)
        return range(start, start + 4)

    async def on_click(self, event: Click) -> None:
        panel = self.query_ancestor(LeverPanel)
        panel.select(self.index)
        if event.y == 1 and not self.plan.is_locked(self.lever.id):
            if event.x in MINUS_CELLS:
                panel.adjust(-1)
            elif event.x in self.plus_cells():
                panel.adjust(+1)


class LeverPanel(VerticalScroll, can_focus=True):
    """Every offered lever. ↑/↓ select, ←/→ or −/+ change by one step, 0 clears, m fills."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Lever", id="lever-up", show=False),
        Binding("down,j", "move(1)", "Lever", id="lever-down", show=False),
        Binding("right,plus,equals_sign,l", "adjust(1)", "Adjust", id="lever-more", key_display="←→"),
        Binding("left,minus,h", "adjust(-1)", "−step", id="lever-less", show=False),
        Binding("0,delete,backspace", "clear", "Zero", id="lever-zero", show=False),
        Binding("m", "fill", "Max", id="lever-max", show=False),
    ]

    cursor = reactive(0)

    class Changed(Message):
        """The plan changed; `note` says why a change was refused or trimmed (None when it went through)."""

        def __init__(self, note: str | None) -> None:
            super().__init__()
            self.note = note

    def __init__(self, plan: Plan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan

    def compose(self):
        for i, lever in enumerate(self.plan.levers):
            yield LeverRow(lever, self.plan, i)

    def on_mount(self) -> None:
        self._sync()

    @property
    def rows(self) -> list[LeverRow]:
        rows = getattr(self, "_rows", None)  # composed once: a query on every key slowed bursts of keys
        if not rows:
            rows = self._rows = list(self.query(LeverRow))
        return rows

    @property
    def lever(self) -> Lever | None:
        return self.plan.levers[self.cursor] if self.plan.levers else None

    def watch_cursor(self) -> None:
        self._sync()

    def _sync(self) -> None:
        for row in self.rows:
            row.selected = row.index == self.cursor
        rows = self.rows
        if rows and 0 <= self.cursor < len(rows):
            rows[self.cursor].scroll_visible(animate=False)

    def select(self, index: int) -> None:
        if self.plan.levers:
            self.cursor = max(0, min(index, len(self.plan.levers) - 1))

    def action_move(self, delta: int) -> None:
        self.select(self.cursor + delta)

    def adjust(self, steps: int) -> None:
        if self.lever is None:
            return
        note = self.plan.change(self.lever, steps)
        self.refresh_rows()
        self.post_message(self.Changed(note))

    def action_adjust(self, steps: int) -> None:
        self.adjust(steps)

    def action_clear(self) -> None:
        if self.lever is not None:
            note = self.plan.clear(self.lever)
            self.refresh_rows()
            self.post_message(self.Changed(note))

    def action_fill(self) -> None:
        if self.lever is not None:
            note = self.plan.fill(self.lever)
            self.refresh_rows()
            self.post_message(self.Changed(note))

    def refresh_rows(self) -> None:
        for row in self.rows:
            row.refresh()
