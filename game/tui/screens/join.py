"""Joining a class (`homegrown play --class DIR`, what each browser of `homegrown serve --class DIR` runs):
the class code when the lab's server asks for one, then the student picks their name from the class's saves
and plays that save, which saves itself back into the class folder after every turn."""

from __future__ import annotations

import hmac
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.storage import SaveInfo
from game.tui.messages import OpenSaveRequested
from game.tui.screens.base import HomegrownScreen
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.options import MarkedOptionList


class JoinScreen(HomegrownScreen):
    """Type the class code (if there is one), then pick your name with ↑↓ and Enter."""

    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="join-quit", show=False)]

    def __init__(self, folder: Path, infos: list[SaveInfo], code: str | None) -> None:
        super().__init__()
        self.folder, self.infos, self.code = folder, infos, code
        self.joined = code is None

    def compose(self) -> ComposeResult:
        yield Static(Text("Join the class", style="bold"), id="join-title")
        if not self.joined:
            yield Static("Type the class code your teacher shows, then press Enter:", id="join-ask")
            yield Input(placeholder="class code", password=False, id="join-code", max_length=32)
        yield Static("Pick your name (↑↓, Enter):", id="join-pick")
        options = [Option(Text(info.name, style="bold"), id=str(i)) for i, info in enumerate(self.infos)]
        yield MarkedOptionList(*options, id="join-names", disabled=not self.joined)
        if not self.infos:
            yield Static(f"No saves in {self.folder.name}: ask your teacher.", id="join-empty")
        yield FitFooter()

    def on_mount(self) -> None:
        if self.joined:
            names = self.query_one("#join-names", OptionList)
            names.highlighted = 0 if self.infos else None
            names.focus()
        else:
            self.query_one("#join-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.code is not None and hmac.compare_digest(event.value.strip(), self.code):
            self.joined = True
            event.input.disabled = True
            names = self.query_one("#join-names", OptionList)
            names.disabled = False
            names.highlighted = 0 if self.infos else None
            names.focus()
        else:
            event.input.value = ""
            self.notify("That is not the class code.", severity="error")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.joined:
            return
        self.post_message(OpenSaveRequested(self.infos[int(event.option.id or 0)].path))
