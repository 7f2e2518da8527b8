"""The title screen and the scenario picker."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.content.pack import Content
from game.content.schema import Scenario
from game.tui.messages import ContinueRequested, HelpRequested, LoadGameRequested, NewGameRequested
from game.tui.saving import replayed
from game.tui.screens.base import HomegrownScreen
from game.tui.widgets.footer import FitFooter
from game.tui.widgets.options import MarkedOptionList
from game.tui.widgets.panels import Panel

LOGO = """\
 _  _  ___  __  __ ___ ___ ___  _____      ___  _
| || |/ _ \\|  \\/  | __/ __| _ \\/ _ \\ \\    / / \\| |
| __ | (_) | |\\/| | _| (_ |   / (_) \\ \\/\\/ /| .` |
|_||_|\\___/|_|  |_|___\\___|_|_\\\\___/ \\_/\\_/ |_|\\_|"""

TAGLINE = "Japan's push for homegrown wireless base-station technology — you are MIC."

MENU = [
    ("new", "New game", "choose a scenario and start"),
    ("continue", "Continue", "the last game you played"),
    ("load", "Load game", "a saved game"),
    ("help", "How to play", "rules, keys and glossary"),
    ("quit", "Quit", ""),
]


class TitleScreen(HomegrownScreen):
    BINDINGS = [
        Binding("n", "pick('new')", "New game", id="title-new"),
        Binding("c", "pick('continue')", "Continue", id="title-continue"),
        Binding("l", "pick('load')", "Load", id="title-load"),
        Binding("q", "pick('quit')", "Quit", id="title-quit"),
    ]

    def menu_notes(self) -> dict[str, str]:
        """Continue and Load say what they would open, or that there is nothing yet."""
        saved = self.app.service.saved_games()
        readable = [info for info in saved if info.save is not None]
        notes = {}
        if readable:
            latest = readable[0].save
            assert latest is not None
            scenario = self.app.content.scenarios.get(latest.scenario)
            label = scenario.name if scenario is not None else latest.scenario
            game = replayed(readable[0], self.app.content)  # never the file's own claim
            quarter = f" · {game.quarter}" if game.quarter else ""
            room = 34 - len(quarter)
            if not latest.name.startswith("autosave-"):  # the save's own name, with the scenario's if it fits
                named = f"{latest.name} ({label})"
                label = named if len(named) <= room else latest.name
            label = label if len(label) <= room else label[: room - 1].rstrip(" :") + "…"
            notes["continue"] = label + quarter
        else:
            notes["continue"] = "no saved game yet"
        broken = len(saved) - len(readable)
        notes["load"] = (f"{len(readable)} saved game{'s' if len(readable) != 1 else ''}" if readable
                         else "no saved games yet")
        if broken:
            notes["load"] += f", {broken} broken"
        return notes

    def compose(self) -> ComposeResult:
        notes = self.menu_notes()
        with Vertical(id="title-box"):
            yield Static(LOGO, id="logo")
            yield Static(TAGLINE, id="tagline")
            options = []
            for key, name, note in MENU:
                note = notes.get(key, note)
                prompt = Text()
                prompt.append(f"{name:<13}", style="bold")
                prompt.append(note, style="dim")
                options.append(Option(prompt, id=key))
            yield MarkedOptionList(*options, id="menu")
        yield FitFooter()

    def on_mount(self) -> None:
        self.focus_if_there("#menu")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option.id or "")

    def action_pick(self, key: str) -> None:
        app = self.app
        if app.screen is not self:
            return
        if key == "new":
            app.push_screen(ScenarioScreen(app.content))
        elif key == "continue":
            self.post_message(ContinueRequested())
        elif key == "load":
            self.post_message(LoadGameRequested())
        elif key == "help":
            self.post_message(HelpRequested("rules"))
        elif key == "quit":
            app.exit()


def scenario_text(s: Scenario) -> Text:
    text = Text()
    text.append(s.name, style="bold")
    text.append(f"\n{s.difficulty} · {s.turns} quarters from {s.start} · "
                f"budget ¥{s.budget:g}B a quarter\n\n", style="dim")
    text.append(s.description.strip())
    text.append("\n\nGoals", style="bold underline")
    for g in s.goals:
        text.append(f"\n• {g.description}")
    text.append("\n\nYou will learn to", style="bold underline")
    for obj in s.learning_objectives:
        text.append(f"\n• {obj}")
    return text


class ScenarioScreen(HomegrownScreen):
    """Pick a scenario: its description, goals and learning objectives beside the list."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content
        order = {"tutorial": 0, "easy": 1, "normal": 2, "hard": 3}
        self.scenarios = sorted(content.scenarios.values(), key=lambda s: order.get(s.difficulty, 9))

    def compose(self) -> ComposeResult:
        yield Static(Text("New game · choose a scenario (↑↓, Enter to start, Esc back)", style="bold"),
                     id="picker-title")
        with Horizontal(id="picker"):
            options = [Option(Text.assemble((s.name, "bold"), f"\n  {s.difficulty}, {s.turns} turns"),
                              id=s.id) for s in self.scenarios]
            yield MarkedOptionList(*options, id="scenarios")
            with VerticalScroll(id="scenario-details", can_focus=False):
                yield Panel(id="scenario-text")
        yield FitFooter()

    def on_mount(self) -> None:
        options = self.focus_if_there("#scenarios")
        if isinstance(options, OptionList):
            options.highlighted = 0
            self._show(self.scenarios[0].id)

    def _show(self, scenario_id: str) -> None:
        try:
            self.query_one("#scenario-text", Panel).set(scenario_text(self.content.scenarios[scenario_id]))
            self.query_one("#scenario-details").scroll_home(animate=False)
        except NoMatches:  # the screen is closing or not composed yet
            pass

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._show(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.app.screen is self and event.option.id:
            self.post_message(NewGameRequested(event.option.id))

    def action_back(self) -> None:
        self.dismiss()
