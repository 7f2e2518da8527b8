"""Help on `?` from every screen: keys, rules in short, a glossary and the sources of the facts used."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static, TabbedContent, TabPane

from game.content.pack import Content
from game.render.labels import source_origin
from game.tui.helptext import GLOSSARY, KEYS, RULES
from game.tui.screens.base import ClosesOnce
from game.tui.widgets.footer import FitFooter


def keys_text() -> Text:
    text = Text()
    for i, (section, keys) in enumerate(KEYS):
        if i:
            text.append("\n\n")
        text.append(section, style="bold underline")
        for key, meaning in keys:
            text.append(f"\n{key:<18}", style="bold")
            text.append(meaning)
    return text


def glossary_text() -> Text:
    text = Text()
    for i, (term, meaning) in enumerate(GLOSSARY):
        if i:
            text.append("\n\n")
        text.append(term, style="bold")
        text.append(f": {meaning}")
    return text


def sources_text(content: Content) -> Text:
    text = Text("The real-world figures in this game (market shares, market sizes, events) come from these "
                "sources; the wording and the model are the game's own.\n", style="italic")
    for source in content.sources.values():
        text.append(f"\n• {source.title}", style="bold")
        text.append(f"\n  {source_origin(source)}\n  {source.url}", style="dim")
    return text


class HelpScreen(ClosesOnce, ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark", "close", "Close", id="close-help"),
        Binding("right", "tab(1)", "Next tab", id="help-next", show=False),
        Binding("left", "tab(-1)", "Previous tab", id="help-prev", show=False),
    ]
    TABS = ("keys", "rules", "glossary", "sources")

    def __init__(self, content: Content, tab: str = "keys") -> None:
        super().__init__()
        self.content, self.tab = content, tab

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            with TabbedContent(initial=self.tab, id="help-tabs"):
                with TabPane("Keys", id="keys"), VerticalScroll():
                    yield Static(keys_text())
                with TabPane("Rules", id="rules"), VerticalScroll():
                    yield Static(re.sub(r"\n   (?=\S)", " ", RULES))  # the source's wrapped lines flow
                with TabPane("Glossary", id="glossary"), VerticalScroll():
                    yield Static(glossary_text())
                with TabPane("Sources", id="sources"), VerticalScroll():
                    yield Static(sources_text(self.content))
            hint = Text("←→ tabs · ↑↓ PgUp PgDn scroll · Esc or ? close", style="dim")
            yield Static(hint, id="help-hint")
        yield FitFooter()

    def on_mount(self) -> None:
        self._focus_pane()

    def _focus_pane(self) -> None:
        if not self.is_current:
            return  # closed before the refresh that called this
        tabs = self.query_one(TabbedContent)
        if not tabs.active:
            return  # its tabs are not mounted yet
        pane = tabs.get_pane(tabs.active)
        pane.query_one(VerticalScroll).focus()

    def action_tab(self, delta: int) -> None:
        tabs = self.query_one(TabbedContent)
        i = self.TABS.index(tabs.active) if tabs.active in self.TABS else 0
        tabs.active = self.TABS[(i + delta) % len(self.TABS)]
        self.call_after_refresh(self._focus_pane)

    def action_close(self) -> None:
        self.dismiss(None)
