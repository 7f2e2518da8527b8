"""The allocation panel: the offered levers grouped by category under foldable headers, each row adjusted
with the keyboard or the mouse.

Every row is drawn from the Plan alone and redrawn whenever what it shows changed (`LeverPanel.sync`, which
the dashboard calls after anything that changes the budget or the offer): a row never shows money that is
not in the plan.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from game.content.schema import CATEGORIES, Category, Lever
from game.render.labels import CATEGORY_NAMES
from game.render.words import plural
from game.tui.plan import Plan
from game.tui.widgets.charts import meter, money

MINUS_CELLS = range(2, 6)  # "[−]" on the amount line
METER_WIDTH = 10


@dataclass(frozen=True)
class RowView:
    """What a lever's row shows, read from the plan: a row is redrawn exactly when this changes."""

    amount: float
    status: str
    """'' when it takes money, else why not (locked, waiting, closed)."""
    deal: str
    selected: bool
    expanded: bool
    """Selected with no detail pane beside: the row itself shows the description in full and its facts."""


def row_view(plan: Plan, lever: Lever, selected: bool, expand: bool = True) -> RowView:
    if plan.is_locked(lever.id):
        status = f"fixed at {money(plan.amounts[lever.id])} by the scenario"
    elif lever.id in plan.waiting:
        status = plan.waiting[lever.id]
    elif lever.id in plan.closed:
        status = f"no money now: {plan.deals.get(lever.id, 'closed')}"
    else:
        status = ""
    return RowView(plan.amounts[lever.id], status, plan.deals.get(lever.id, ""), selected, selected and expand)


class LeverRow(Widget):
    """One lever: name, amount / max with a meter and −/+ targets, and its one-line description."""

    view: reactive[RowView | None] = reactive(None)

    def __init__(self, lever: Lever, plan: Plan, index: int) -> None:
        super().__init__(id=f"lever-{lever.id}", classes="lever-row")
        self.lever, self.plan, self.index = lever, plan, index

    @property
    def selected(self) -> bool:
        return self.view is not None and self.view.selected

    def watch_view(self, old: RowView | None, view: RowView | None) -> None:
        self.set_class(view is not None and view.selected, "-selected")
        if old is None or view is None or old.expanded != view.expanded:
            self.refresh(layout=True)  # its height changes: anything else repaints the row alone

    def render(self) -> Text:
        lv, view = self.lever, self.view or row_view(self.plan, self.lever, False)
        width = max(20, (self.size.width or 40) - 1)
        sel = view.selected

        def cut(line: str) -> str:
            return line if len(line) <= width else line[: width - 1] + "…"

        text = Text()
        text.append("▶ " if sel else "  ", style="bold")
        locked = self.plan.is_locked(lv.id)
        text.append(cut(lv.name + ("  [locked]" if locked else ""))[: width - 2], style="bold" if sel else "")
        text.append("\n")
        if view.status:
            text.append(cut(f"  {view.status}"), style="italic")
        else:
            head = "  [−] "
            text.append(head, style="bold")
            amounts = f"{money(view.amount):>5} / {money(lv.max):<4} "
            text.append(amounts)
            text.append(meter(view.amount / lv.max, METER_WIDTH))
            self._plus_x = len(head) + len(amounts) + METER_WIDTH
            text.append(" [+]", style="bold")
        text.append("\n")
        if view.expanded:
            for line in textwrap.wrap(lv.short, width - 2):
                text.append(f"  {line}\n")
            extra = f"step {money(lv.step)} · max {money(lv.max)} · "
            extra += f"pays off after {plural(lv.lag, 'quarter')}" if lv.lag else "works this quarter"
            if view.deal and not view.status:  # a closed deal's status line already is its deal line
                extra += " · " + view.deal
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
        panel.select_lever(self.index)
        if event.y == 1 and not self.plan.is_locked(self.lever.id):
            if event.x in MINUS_CELLS:
                panel.adjust(-1)
            elif event.x in self.plus_cells():
                panel.adjust(+1)


class GroupHeader(Widget):
    """A category's header: its name, what the plan puts into it, and whether it is folded (▸) or open (▾);
    ▶ marks the cursor on a folded one."""

    text: reactive[str] = reactive("")
    hint: reactive[str] = reactive("")
    """Said after the text where the line has room."""
    selected: reactive[bool] = reactive(False)

    def __init__(self, category: Category) -> None:
        super().__init__(id=f"group-{category}", classes="lever-group")
        self.category = category

    def watch_selected(self, value: bool) -> None:
        self.set_class(value, "-selected")

    def render(self) -> Text:
        line = ("▶" if self.selected else " ") + self.text
        if len(line) + len(self.hint) <= (self.size.width or 80):
            line += self.hint
        return Text(line, style="bold")

    async def on_click(self) -> None:
        self.query_ancestor(LeverPanel).toggle(self.category)


@dataclass(frozen=True)
class Stop:
    """Where the cursor can rest: a lever (its index in plan.levers) or a folded category."""

    lever: int | None
    category: Category


class LeverPanel(VerticalScroll, can_focus=True):
    """Every offered lever by category. ↑/↓ select, ←/→ or −/+ change by one step, 0 clears, m fills,
    Enter or Space folds or opens the selected lever's category."""

    BINDINGS = [
        Binding("up,k", "move(-1)", "Lever", id="lever-up", show=False),
        Binding("down,j", "move(1)", "Lever", id="lever-down", show=False),
        Binding("right,plus,equals_sign,l", "adjust(1)", "Adjust", id="lever-more", key_display="←→"),
        Binding("left,minus,h", "adjust(-1)", "−step", id="lever-less", show=False),
        Binding("0,delete,backspace", "clear", "Zero", id="lever-zero", show=False),
        Binding("m", "fill", "Max", id="lever-max", show=False),
        Binding("enter,space", "fold", "Fold", id="lever-fold", show=False),
    ]

    cursor = reactive(0)
    """The cursor's place in `stops`: with every category open, the selected lever's index in plan.levers."""

    class Changed(Message):
        """The plan changed; `note` says why a change was refused or trimmed (None when it went through)."""

        def __init__(self, note: str | None) -> None:
            super().__init__()
            self.note = note

    class Selected(Message):
        """The cursor moved (to a lever, or to a folded category: `lever` None)."""

        def __init__(self, lever: Lever | None) -> None:
            super().__init__()
            self.lever = lever

    def __init__(self, plan: Plan, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.folded: set[Category] = set()
        self.expand_selected = True
        """The selected row shows its description and facts in full (off while a detail pane shows them)."""

    @property
    def categories(self) -> list[Category]:
        present = {lv.category for lv in self.plan.levers}
        return [c for c in CATEGORIES if c in present]

    def compose(self):
        for category in self.categories:
            yield GroupHeader(category)
            for i, lever in enumerate(self.plan.levers):
                if lever.category == category:
                    yield LeverRow(lever, self.plan, i)

    def on_mount(self) -> None:
        self.sync()

    @property
    def rows(self) -> list[LeverRow]:
        rows = getattr(self, "_rows", None)  # composed once: a query on every key slowed bursts of keys
        if not rows:
            rows = self._rows = list(self.query(LeverRow))
        return rows

    @property
    def stops(self) -> list[Stop]:
        out: list[Stop] = []
        for category in self.categories:
            if category in self.folded:
                out.append(Stop(None, category))
            else:
                out.extend(Stop(i, category) for i, lv in enumerate(self.plan.levers) if lv.category == category)
        return out

    @property
    def stop(self) -> Stop | None:
        stops = self.stops
        return stops[self.cursor] if 0 <= self.cursor < len(stops) else None

    @property
    def lever(self) -> Lever | None:
        stop = self.stop
        return None if stop is None or stop.lever is None else self.plan.levers[stop.lever]

    def watch_cursor(self) -> None:
        self.sync()
        self.post_message(self.Selected(self.lever))

    def sync(self) -> None:
        """Redraw what differs from the plan: rows (amount, status, deal, selection) and headers (totals)."""
        stop = self.stop
        target: Widget | None = None
        for row in self.rows:
            shown = row.lever.category not in self.folded
            if row.display != shown:
                row.display = shown
            selected = stop is not None and stop.lever == row.index
            row.view = row_view(self.plan, row.lever, selected, self.expand_selected)
            target = row if selected else target
        for header in self.query(GroupHeader):
            levers = [lv for lv in self.plan.levers if lv.category == header.category]
            spent = sum(self.plan.amounts[lv.id] for lv in levers)
            folded = header.category in self.folded
            header.text = (f"{'▸' if folded else '▾'} {CATEGORY_NAMES[header.category]} · "
                           f"{money(round(spent, 6))} · {len(levers)} lever{'s' if len(levers) != 1 else ''}")
            header.hint = " · Enter opens" if folded else ""
            header.selected = folded and stop is not None and stop.category == header.category
            target = header if header.selected else target
        if target is not None:
            target.scroll_visible(animate=False)

    def select(self, index: int) -> None:
        """Move the cursor to stop `index` (clamped)."""
        n = len(self.stops)
        if n:
            self.cursor = max(0, min(index, n - 1))

    def select_lever(self, lever_index: int) -> None:
        for k, stop in enumerate(self.stops):
            if stop.lever == lever_index:
                self.select(k)
                return

    def toggle(self, category: Category | None = None) -> None:
        """Fold the category (or open it), keeping the cursor on it."""
        stop = self.stop
        category = category or (stop.category if stop is not None else None)
        if category is None:
            return
        self.folded ^= {category}
        stops = self.stops
        first = next(k for k, s in enumerate(stops) if s.category == category)
        if self.cursor == first:
            self.watch_cursor()  # the stop under the cursor changed even if its place did not
        else:
            self.cursor = first

    def action_fold(self) -> None:
        self.toggle()

    def action_move(self, delta: int) -> None:
        self.select(self.cursor + delta)

    def _changed(self, note: str | None) -> None:
        self.sync()
        self.post_message(self.Changed(note))

    def adjust(self, steps: int) -> None:
        stop = self.stop
        if stop is None:
            return
        if self.lever is None:
            self._changed(f"{CATEGORY_NAMES[stop.category]} is folded: Enter opens it to fund its levers.")
            return
        self._changed(self.plan.change(self.lever, steps))

    def action_adjust(self, steps: int) -> None:
        self.adjust(steps)

    def action_clear(self) -> None:
        if self.lever is not None:
            self._changed(self.plan.clear(self.lever))

    def action_fill(self) -> None:
        if self.lever is not None:
            self._changed(self.plan.fill(self.lever))
