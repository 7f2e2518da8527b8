"""The allocation panel: the offered levers grouped by category under foldable headers, each row adjusted
with the keyboard or the mouse.

The panel is one line-API widget (like Textual's own lists): it paints its lines itself rather than being
a container of a widget per row, so a theme switch restyles and repaints one widget, not thirty. Every line
is built from the Plan alone and rebuilt whenever the plan, the cursor or the width changed
(`LeverPanel.sync`, which the dashboard calls after anything that changes the budget or the offer): a row
never shows money that is not in the plan.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.events import Click, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from game.content.schema import CATEGORIES, Category, Lever
from game.render.labels import CATEGORY_NAMES
from game.render.words import plural
from game.tui.plan import Plan
from game.tui.widgets import line_strip
from game.tui.widgets.charts import meter, money

MINUS_CELLS = range(2, 6)  # "[−]" on the amount line
METER_WIDTH = 10
MONEY_LINE = 1
"""A row's line with its amount and the −/+ targets (after the name)."""


@dataclass(frozen=True)
class RowView:
    """What a lever's row shows, read from the plan."""

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


def amount_head(view: RowView, lever: Lever) -> tuple[str, str]:
    """The money line's opening and its amounts: the [+] target starts right after them and the meter."""
    return "  [−] ", f"{money(view.amount):>5} / {money(lever.max):<4} "


def plus_cells(view: RowView, lever: Lever) -> range:
    start = sum(map(len, amount_head(view, lever))) + METER_WIDTH
    return range(start, start + 4)


def row_lines(lever: Lever, view: RowView, locked: bool, width: int) -> list[Text]:
    """A lever's row: its name, its amount / max with a meter and −/+ targets (or why it takes no money),
    then its description: one line, or in full with its facts when expanded."""
    width = max(20, width)

    def cut(line: str) -> str:
        return line if len(line) <= width else line[: width - 1] + "…"

    sel = view.selected
    name = Text()
    name.append("▶ " if sel else "  ", style="bold")
    name.append(cut(lever.name + ("  [locked]" if locked else ""))[: width - 2], style="bold" if sel else "")
    if view.status:
        amount = Text(cut(f"  {view.status}"), style="italic")
    else:
        head, amounts = amount_head(view, lever)
        amount = Text()
        amount.append(head, style="bold")
        amount.append(amounts)
        amount.append(meter(view.amount / lever.max, METER_WIDTH))
        amount.append(" [+]", style="bold")
    lines = [name, amount]
    if view.expanded:
        lines += [Text(f"  {line}") for line in textwrap.wrap(lever.short, width - 2)]
        extra = f"step {money(lever.step)} · max {money(lever.max)} · "
        extra += f"pays off after {plural(lever.lag, 'quarter')}" if lever.lag else "works this quarter"
        if view.deal and not view.status:  # a closed deal's status line already is its deal line
            extra += " · " + view.deal
        lines += [Text("  " + line, style="dim italic") for line in textwrap.wrap(extra, width - 2)]
    else:
        lines.append(Text(cut("  " + lever.short), style="dim"))
    return lines


@dataclass(frozen=True)
class Line:
    """One line the panel paints: a category's header (`lever` None) or line `part` of a lever's row."""

    text: Text
    category: Category
    lever: int | None
    """The lever's index in plan.levers."""
    part: int = 0
    selected: bool = False
    view: RowView | None = None


@dataclass(frozen=True)
class Stop:
    """Where the cursor can rest: a lever (its index in plan.levers) or a folded category."""

    lever: int | None
    category: Category


class LeverPanel(ScrollView, can_focus=True):
    """Every offered lever by category. ↑/↓ select, ←/→ or −/+ change by one step, 0 clears, m fills,
    Enter or Space folds or opens the selected lever's category."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"lever-panel--group", "lever-panel--selected"}
    DEFAULT_CSS = """
    LeverPanel { overflow-x: hidden; }
    """

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
        self.lines: list[Line] = []
        self._strips: dict[int, Strip] = {}

    @property
    def categories(self) -> list[Category]:
        present = {lv.category for lv in self.plan.levers}
        return [c for c in CATEGORIES if c in present]

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

    def on_mount(self) -> None:
        self.sync()

    def on_resize(self, _event: Resize) -> None:
        self.sync()  # descriptions wrap and cut to the width

    def watch_cursor(self) -> None:
        self.sync()
        self.post_message(self.Selected(self.lever))

    def header_text(self, category: Category, selected: bool) -> Text:
        levers = [lv for lv in self.plan.levers if lv.category == category]
        spent = sum(self.plan.amounts[lv.id] for lv in levers)
        folded = category in self.folded
        line = (f"{'▶' if selected else ' '}{'▸' if folded else '▾'} {CATEGORY_NAMES[category]} · "
                f"{money(round(spent, 6))} · {plural(len(levers), 'lever')}")
        hint = " · Enter opens" if folded else ""
        return Text(line + hint if len(line) + len(hint) <= self._width() else line, style="bold")

    def _width(self) -> int:
        """The rows' width: the panel's less the scrollbar and one column of margin."""
        return (self.scrollable_content_region.width or 41) - 1

    def sync(self) -> None:
        """Rebuild every line from the plan (amounts, status, deal, selection, header totals) and bring the
        cursor's row or header into view."""
        stop = self.stop
        width = self._width()
        lines: list[Line] = []
        target: Region | None = None
        for category in self.categories:
            header_y = len(lines)
            header_selected = category in self.folded and stop is not None and stop.category == category
            if header_selected:
                target = Region(0, header_y, 1, 1)
            lines.append(Line(self.header_text(category, header_selected), category, None, selected=header_selected))
            if category in self.folded:
                continue
            for i, lever in enumerate(self.plan.levers):
                if lever.category != category:
                    continue
                selected = stop is not None and stop.lever == i
                view = row_view(self.plan, lever, selected, self.expand_selected)
                texts = row_lines(lever, view, self.plan.is_locked(lever.id), width - 1)  # a column short
                if selected:  # in view, with its group's header when it is the group's first row
                    top = header_y if len(lines) == header_y + 1 else len(lines)
                    target = Region(0, top, 1, len(lines) + len(texts) - top)
                lines += [Line(t, category, i, k, selected, view) for k, t in enumerate(texts)]
        self.lines, self._strips = lines, {}
        self.virtual_size = Size(width, len(lines))
        self.refresh()
        if target is not None:
            self.scroll_to_region(target, animate=False, immediate=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = {}  # a new theme or focus: every line's colours

    def strip(self, index: int) -> Strip:
        """Line `index` as painted, full width (cached until the lines or the styles change)."""
        if index not in self._strips:
            line = self.lines[index]
            style = self.rich_style
            if line.lever is None:
                style += self.get_component_rich_style("lever-panel--group")
            if line.selected:
                style += self.get_component_rich_style("lever-panel--selected")
            self._strips[index] = line_strip(line.text, self.app.console, style, self.scrollable_content_region.width)
        return self._strips[index]

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self.lines):
            return Strip.blank(self.scrollable_content_region.width, self.rich_style)
        return self.strip(index).apply_offsets(0, index)

    async def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not 0 <= offset.y + self.scroll_offset.y < len(self.lines):
            return
        line = self.lines[offset.y + self.scroll_offset.y]
        if line.lever is None:
            self.toggle(line.category)
            return
        self.select_lever(line.lever)
        lever = self.plan.levers[line.lever]
        if line.part == MONEY_LINE and line.view is not None and not line.view.status:
            if offset.x in MINUS_CELLS:
                self.adjust(-1)
            elif offset.x in plus_cells(line.view, lever):
                self.adjust(+1)

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
