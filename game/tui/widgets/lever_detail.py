"""The detail pane: everything about the selected lever before money goes into it (game.play.levers_info)."""

from __future__ import annotations

import textwrap
from typing import Any

from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from game.play.levers_info import LeverInfo, signed
from game.render.words import plural
from game.tui.widgets import line_strip
from game.tui.widgets.charts import TICKS, money


def curve_bars(curve: tuple[float, ...]) -> str:
    """One block per step: the effective ¥ billions it buys per ¥ billion (full block = 1, no saturation)."""
    return "".join(TICKS[min(len(TICKS) - 1, max(0, round(v * (len(TICKS) - 1))))] if v > 1e-9 else " "
                   for v in curve)


def detail_text(info: LeverInfo | None, width: int, folded: str = "") -> Text:
    """The pane's text for `info` (or the folded category's name when the cursor is on one)."""
    text = Text()
    if info is None:
        text.append(f"{folded} is folded: Enter opens it." if folded else "No lever selected.", style="italic")
        return text
    width = max(20, width)

    def para(line: str, style: str = "", indent: str = "") -> None:
        for part in textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=indent + "  ") or [""]:
            text.append(part + "\n", style=style)

    para(info.name, "bold")
    facts = [info.category, f"pays off after {plural(info.lag, 'quarter')}" if info.lag else "works this quarter"]
    if info.engineers is not None:
        facts.append(f"needs engineers (pool at {info.engineers * 100:.0f} %)")
    para(" · ".join(facts), "dim")
    if info.note:
        para(f"Takes no money: {info.note}." if info.status != "locked" else f"Locked: {info.note}.", "italic")
    if info.pledge is not None and info.pledge.text:  # what this quarter's plan does to a commitment: up top
        para(("⚠ " if info.pledge.breaks else "") + info.pledge.text + ".", "bold" if info.pledge.breaks else "")
    # a decided deal takes no money again: its returns and effects would only mislead
    decided = info.status == "closed" and (info.deal is None or info.deal.chance is None)
    if not decided:
        bars = curve_bars(info.curve)
        text.append("Return per ¥B: ", style="bold")
        text.append(f"¥0 {bars} {money(info.max)}\n")
        mark = " " * (len("Return per ¥B: ¥0 ") + min(info.at, len(bars)))
        if info.at < len(info.curve):
            m = info.marginal
            how = "little saturation yet" if m >= 0.8 else "saturation bites" if m >= 0.4 else "mostly saturated"
            para(f"{mark}▲ at {money(info.spend)}: the next {money(info.step)} works at {m * 100:.0f} %, {how}")
        else:
            para(f"{mark}▲ at max: it cannot absorb more this quarter")
    deal = info.deal
    if deal is not None:
        para(f"Deal: {deal.name}, {deal.status}", "bold")
        if deal.chance is not None and deal.chance_with_plan is not None:
            para(f"Win chance {deal.chance * 100:.0f} % now, {deal.chance_with_plan * 100:.0f} % with this "
                 f"quarter's {money(info.spend)}" + ("" if deal.state == "open" else f" (opens {deal.opens})"),
                 indent="  ")
            para("Why (log-odds): " + ", ".join(f"{r.label} {signed(r.logit, '')}" for r in deal.reasons),
                 indent="  ")
        para(f"Prize: {deal.prize}", indent="  ")
    if not decided:
        para("Per ¥B more, now" + (f" (felt after {plural(info.lag, 'quarter')})" if info.lag else "") + ":", "bold")
        for effect in info.effects:
            para(effect.text, indent="  ")
    if info.obligations:
        para("Terms:", "bold")
        for line in info.obligations:
            para(line, indent="  ")
    text.rstrip()
    return text


class LeverDetail(ScrollView, can_focus=False):
    """The selected lever in detail (beside the levers on a wide screen, in place of the information column on
    a narrow one when toggled with d). It draws its own lines: a new lever repaints the pane alone, never the
    screen's layout (a key held down stays cheap)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = Text()
        self._lines: list[Strip] = []
        self._blank = Strip.blank(0)
        self._shown: tuple[LeverInfo | None, str] = (None, "")

    def show(self, info: LeverInfo | None, folded: str = "") -> None:
        self._shown = (info, folded)
        width = max(20, (self.size.width or 40) - 2)
        text = detail_text(info, width, folded)
        if text == self._text and self._lines:
            return
        self._text = text
        style = self.rich_style
        self._lines = [line_strip(line, self.app.console, style, self.size.width)
                       for line in text.split("\n", allow_blank=True)]
        self._blank = Strip.blank(self.size.width, style)
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self) -> None:
        self._text = Text()  # wrapped and cut for the old width (or none, while hidden)
        self.show(*self._shown)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._text = Text()  # its lines carry the old theme's colours
            self.show(*self._shown)

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        if index >= len(self._lines):
            return self._blank
        return self._lines[index]

    @property
    def plain(self) -> str:
        return self._text.plain
