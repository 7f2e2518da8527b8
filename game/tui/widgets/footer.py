"""The footer, cut to the screen's width by whole keys.

Textual's footer lays every shown binding out in a row and the terminal cuts the row at its edge (`esc Men`
at 80 columns). This one keeps `?` Help and the palette's key (the doors to every other key), then the
screen's bindings in order while they fit; a binding left out is still in `?` help and the palette.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEPT_ACTIONS = frozenset({"help", "app.help"})
"""Bindings the footer keeps whatever the width (after the palette's key)."""


def key_width(key: FooterKey) -> int:
    """The cells a footer key takes (Textual's FooterKey: ' key ' then 'description ')."""
    width = cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)
    return width + (2 if key.has_class("-command-palette") else 0)  # its border and right padding


def fitting(widgets: list[Widget], width: int) -> list[Widget]:
    """`widgets` (the footer's, in order) without the keys that would not fit in `width`: the palette's key
    and Help first, then the others in order, each one that fits (a key never shows in part)."""

    def kept(w: Widget) -> bool:
        return not isinstance(w, FooterKey) or w.has_class("-command-palette") or w.action in KEPT_ACTIONS

    room = width - sum(key_width(w) for w in widgets if isinstance(w, FooterKey) and kept(w))
    shown = []
    for w in widgets:
        if not kept(w):
            assert isinstance(w, FooterKey)
            if key_width(w) > room:
                continue
            room -= key_width(w)
        shown.append(w)
    return shown


class FitFooter(Footer):
    """A Footer showing only whole keys (see the module's note); laid out again when the width changes."""

    _laid_out_for = 0

    def compose(self) -> ComposeResult:
        width = self.app.size.width
        self._laid_out_for = width
        yield from fitting(list(super().compose()), width)

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and self.app.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
