"""The Textual app: global keys, themes, the command palette, and moving between screens.

Thin on purpose: screens own their layout and keys (game/tui/screens/), the plan and the charts live in
plain modules, and the game itself is a `Session` over the same core as `homegrown run`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from game.loader import Content
from game.session import Session

COLOURBLIND = Theme(
    # Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
    name="homegrown-colourblind",
    primary="#56B4E9",
    secondary="#0072B2",
    accent="#E69F00",
    warning="#F0E442",
    error="#D55E00",
    success="#56B4E9",
    foreground="#F2F2F2",
    background="#0F1417",
    surface="#182026",
    panel="#22303A",
    dark=True,
)
THEMES = ("textual-dark", "textual-light", COLOURBLIND.name)


class HomegrownApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Homegrown"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+t", "cycle_theme", "Theme", id="theme", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
    ]

    def __init__(self, content: Content, scenario: str | None = None, seed: int | None = None,
                 load: str | None = None, forecast_samples: int = 200, theme: str | None = None) -> None:
        super().__init__()
        self.content = content
        self.start_scenario, self.start_seed, self.load_path = scenario, seed, load
        self.forecast_samples = forecast_samples
        self.session: Session | None = None
        self._initial_theme = theme

    # ------------------------------------------------------------ start

    def on_mount(self) -> None:
        self.register_theme(COLOURBLIND)
        if self._initial_theme:
            self.theme = self._initial_theme
        from game.tui.screens.title import TitleScreen

        if self.start_scenario and not self.load_path:
            self.start_game(self.start_scenario, self.start_seed)
            return
        self.push_screen(TitleScreen())
        if self.load_path:
            self.notify(f"Saved games are not available yet, so '{self.load_path}' cannot be loaded. "
                        "Start a new game instead.", severity="warning", timeout=8)

    def _replace_all(self, screen: Screen) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def new_seed(self, scenario: str) -> int:
        fixed = self.content.scenarios[scenario].seed
        if fixed is not None:
            return fixed
        if self.start_seed is not None:
            return self.start_seed
        return random.SystemRandom().randrange(2**31)

    def start_game(self, scenario: str, seed: int | None = None) -> None:
        """A new game of `scenario` on the dashboard."""
        from game.tui.screens.dashboard import DashboardScreen

        self.session = Session(self.content, scenario, self.new_seed(scenario) if seed is None else seed)
        self._replace_all(DashboardScreen(self.session))

    def show_title(self) -> None:
        from game.tui.screens.title import TitleScreen

        self.session = None
        self._replace_all(TitleScreen())

    def show_end(self, session: Session, predictions: list | None = None) -> None:
        from game.tui.screens.end import EndScreen

        self._replace_all(EndScreen(session, predictions))

    # ------------------------------------------------------------ hooks for saves (issue: saves/replay)

    def on_turn_ended(self, session: Session, entry: dict[str, Any]) -> None:
        """Called after every turn, once the session holds the new quarter: the place for autosave.

        `session.log` (TurnActions per turn), `session.scenario`, `session.seed` and
        `session.content.fingerprint` define the game; `Session.replay` rebuilds it.
        """

    def saved_games(self) -> list[Any]:
        """Saved games the title screen can offer (none until game.saves exists)."""
        return []

    def continue_game(self, load: bool = False) -> None:
        if not self.saved_games():
            self.notify("No saved games yet. Start a new game with New game (n).",
                        title="Load game" if load else "Continue", timeout=5)

    # ------------------------------------------------------------ global actions

    def action_help(self, tab: str = "keys") -> None:
        from game.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.content, tab))

    def action_cycle_theme(self) -> None:
        current = self.theme if self.theme in THEMES else THEMES[-1]
        self.theme = THEMES[(THEMES.index(current) + 1) % len(THEMES)]
        self.notify(f"Theme: {self.theme}", timeout=2)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from game.tui.screens.dashboard import DashboardScreen

        if isinstance(screen, DashboardScreen):
            yield SystemCommand("End turn", "Play this quarter with the current plan (e)",
                                screen.action_end_turn)
            yield SystemCommand("Answer events", "This quarter's events with choices (v)",
                                screen.action_events)
            yield SystemCommand("Predict", "Guess next quarter's domestic share (p)", screen.action_predict)
            yield SystemCommand("Next region", "Market shares of the next region (])",
                                lambda: screen.action_region(1))
            yield SystemCommand("Leave game", "Back to the title screen (Esc)", screen.action_leave)
        yield SystemCommand("New game", "Choose a scenario and start", self.new_game)
        yield SystemCommand("How to play", "Rules in short (?)", lambda: self.action_help("rules"))
        yield SystemCommand("Keys", "Every key (?)", lambda: self.action_help("keys"))
        yield SystemCommand("Glossary", "RAN, Open RAN, MVNO, rip and replace…",
                            lambda: self.action_help("glossary"))
        yield SystemCommand("Sources", "Where the facts come from", lambda: self.action_help("sources"))
        yield SystemCommand("Colour-blind theme", "Okabe-Ito colours (Ctrl+T cycles themes)",
                            lambda: setattr(self, "theme", COLOURBLIND.name))
        yield from super().get_system_commands(screen)

    def new_game(self) -> None:
        from game.tui.screens.title import ScenarioScreen, TitleScreen

        self._replace_all(TitleScreen())
        self.push_screen(ScenarioScreen(self.content))
