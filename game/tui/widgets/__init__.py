"""Widgets of the terminal game."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def line_strip(text: Text, console: Console, style: Style, width: int) -> Strip:
    """`text` painted as one line `width` cells wide over `style` (a line-API widget's own): the text's
    spans, then its own style, then the widget's beneath. Rich leaves a Text's own style out of the segments
    of a text without spans: it is its caller's to apply, so it is applied here."""
    return Strip(text.render(console)).apply_style(style + console.get_style(text.style)).crop_extend(0, width, style)
