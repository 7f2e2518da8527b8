"""Load game: the saves folder's files, newest first, broken ones shown with what is wrong."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.content.pack import Content
from game.content.untrusted import printable
from game.storage import SaveInfo
from game.tui.messages import OpenSaveRequested
from game.tui.saving import summary, when
from game.tui.screens.base import HomegrownScreen
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.options import MarkedOptionList


def save_prompt(info: SaveInfo, content: Content) -> Text:
    text = Text()
    if info.save is None:
        text.append("✘ ", style="bold")
        text.append(printable(info.path.name), style="bold")
        text.append("  broken, cannot be loaded", style="bold")
        text.append(f"\n   {info.error}", style="dim")
        return text
    text.append(info.name, style="bold")
    text.append(f"  {when(info)}", style="dim")
    text.append(f"\n   {summary(info, content)}")
    if info.path.stem != info.name:
        text.append(f" · {printable(info.path.name)}", style="dim")
    return text


class LoadScreen(HomegrownScreen):
    """Pick a save with ↑↓ and Enter (or a click); Esc goes back."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="load-back"),
    ]

    def __init__(self, content: Content, infos: list[SaveInfo], folder: Path) -> None:
        super().__init__()
        self.content, self.infos, self.folder = content, infos, folder

    def compose(self) -> ComposeResult:
        broken = sum(info.save is None for info in self.infos)
        head = Text("Load game", style="bold")
        readable = len(self.infos) - broken
        head.append(f" · {readable} save{'' if readable == 1 else 's'} in {self.folder}", style="dim")
        if broken:
            head.append(f", {broken} broken", style="dim")
        yield Static(head, id="load-title")
        if self.infos:
            options = [Option(save_prompt(info, self.content), id=str(i)) for i, info in enumerate(self.infos)]
            yield MarkedOptionList(*options, id="saves-list")
        else:
            yield Static(Text(f"No saved games in {self.folder} yet.\n\nThe game saves itself at the end "
                              "of every turn, and Ctrl+S on the dashboard saves it under a name. Start a "
                              "new game from the title screen (n).\n\nOther folder: homegrown play --saves "
                              "DIR, or set HOMEGROWN_SAVES."), id="saves-empty")
        yield Static(Text("↑↓ choose · Enter load · Esc back", style="dim"), id="load-hint")
        yield FitFooter()

    def on_mount(self) -> None:
        options = self.focus_if_there("#saves-list")  # none when empty, or when closed while it opened
        if isinstance(options, OptionList):
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.app.screen is not self:
            return
        info = self.infos[int(event.option.id or 0)]
        if info.save is None:
            self.app.bell()
            self.notify(f"{printable(info.path.name)} cannot be loaded: {info.error}", title="Broken save",
                        severity="error", timeout=8)
            return
        self.post_message(OpenSaveRequested(info.path))

    def action_back(self) -> None:
        self.dismiss()
