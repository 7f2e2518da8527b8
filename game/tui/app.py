"""The Textual app: global keys, themes, the command palette, and moving between screens.

Thin on purpose: screens own their layout and keys (game/tui/screens/), the plan and the charts live in
plain modules, and the game itself is a `Session` over the same core as `homegrown run`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from game import storage as saves
from game.content.pack import Content
from game.play.session import Session
from game.tui.saving import OpenedSave, open_save

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
                 load: str | Path | OpenedSave | None = None, forecast_samples: int = 200,
                 theme: str | None = None, saves_folder: str | Path | None = None) -> None:
        """`load`: a save to continue, either already opened (the CLI checks it before the app starts) or
        a path, opened on mount with a dialog if it cannot be. `saves_folder`: --saves DIR (default
        $HOMEGROWN_SAVES, else the checkout's saves/, else ./saves)."""
        super().__init__()
        self.content = content
        self.start_scenario, self.start_seed, self.load_path = scenario, seed, load
        self.forecast_samples = forecast_samples
        self.session: Session | None = None
        self._initial_theme = theme
        self.saves_folder: Path = saves.saves_dir(saves_folder)
        self.save_target: Path | None = None
        """Where this game's progress goes: its own file (a loaded save, or after Save as), else None for
        the autosave file."""
        self.last_saved: Path | None = None
        """The file the last autosave or Save as wrote."""

    # ------------------------------------------------------------ start

    def on_mount(self) -> None:
        self.register_theme(COLOURBLIND)
        if self._initial_theme:
            self.theme = self._initial_theme
        from game.tui.screens.title import TitleScreen

        if self.start_scenario and not self.load_path:
            self.start_game(self.start_scenario, self.start_seed)
            return
        if isinstance(self.load_path, OpenedSave) and self.load_path.write_back:
            self.resume(self.load_path)
            return
        self.push_screen(TitleScreen())
        if isinstance(self.load_path, OpenedSave):
            self.resume(self.load_path)  # asks first: continue a save of other rules?
        elif self.load_path:
            self.call_after_refresh(self.open_save, Path(self.load_path))

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
        self.save_target = self.last_saved = None
        self._replace_all(DashboardScreen(self.session))

    def show_title(self) -> None:
        from game.tui.screens.title import TitleScreen

        self.session = None
        self.save_target = self.last_saved = None
        self._replace_all(TitleScreen())

    def show_end(self, session: Session, predictions: list | None = None) -> None:
        from game.tui.screens.end import EndScreen

        self._replace_all(EndScreen(session, predictions))

    # ------------------------------------------------------------ saves

    def on_turn_ended(self, session: Session, entry: dict[str, Any]) -> None:
        """Called after every turn, once the session holds the new quarter: the autosave. A loaded (or
        saved-as) game goes back to its own file; a new game to its autosave file. A failed write is
        reported and the game goes on."""
        try:
            if self.save_target is not None:
                result = saves.save_session(session, self.save_target, player="human")
            else:
                result = saves.autosave(session, self.saves_folder)
        except Exception as exc:  # never a crash: the player keeps playing and is told
            message = str(exc) if isinstance(exc, saves.SaveError) else f"{type(exc).__name__}: {exc}"
            self.notify(f"Autosave failed: {message}", title="Not saved", severity="error", timeout=10)
            return
        self.last_saved = result.path
        if result.moved_aside is not None:
            self.notify(f"{result.path.name} was not a readable save; it was kept as "
                        f"{result.moved_aside.name}.", severity="warning", timeout=10)

    def save_as(self, name: str) -> Path:
        """Save the current game under `name` in the saves folder; later turns go to that file too.
        Raises InvalidSaveName or SaveError (one-line messages)."""
        if self.session is None:
            raise saves.SaveError(None, "there is no game to save")
        result = saves.save_session(self.session, name, self.saves_folder, name=name.strip(), player="human")
        self.save_target = self.last_saved = result.path
        return result.path

    def saved_games(self) -> list[saves.SaveInfo]:
        """The saves folder's files, newest first (broken ones too, with their error)."""
        try:
            return saves.list_saves(self.saves_folder)
        except OSError:
            return []

    def continue_game(self, load: bool = False) -> None:
        """The title screen's Continue (the newest readable save) and Load game (a list)."""
        from game.tui.screens.saves import LoadScreen

        if load:
            self.push_screen(LoadScreen(self.content, self.saved_games(), self.saves_folder))
            return
        try:
            latest = saves.latest_save(self.saves_folder)
        except OSError:
            latest = None
        if latest is None:
            broken = len(self.saved_games())
            why = (f"{broken} file(s) in {self.saves_folder} cannot be read (see Load game)." if broken
                   else f"No saved games yet (in {self.saves_folder}).")
            self.notify(f"{why} Start a new game with New game (n).", title="Continue", timeout=6)
            return
        self.open_save(latest)

    def open_save(self, path: Path) -> None:
        """Open a save and play on, or say in a dialog why it cannot be (the file is never changed)."""
        from game.tui.screens.dialogs import MessageScreen

        try:
            opened = open_save(path, self.content)
        except saves.SaveError as exc:
            self.push_screen(MessageScreen("This save cannot be loaded", str(exc)))
            return
        except Exception as exc:  # never a traceback
            self.push_screen(MessageScreen("This save cannot be loaded",
                                           f"{path}: unexpected {type(exc).__name__}: {exc}"))
            return
        self.resume(opened)

    def resume(self, opened: OpenedSave) -> None:
        """Play on from an opened save; a save of other rules asks first and then saves to a new file."""
        from game.tui.screens.dialogs import ConfirmScreen

        if opened.write_back:
            self._play_on(opened, opened.path)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._play_on(opened, None)

        self.push_screen(ConfirmScreen(
            f"{opened.other_rules}\n\nContinue anyway under the current rules? Your progress will be saved "
            f"to a new file; {opened.path.name} stays as it is.", yes="Continue anyway", no="Back"), answer)

    def _play_on(self, opened: OpenedSave, target: Path | None) -> None:
        from game.tui.screens.dashboard import DashboardScreen

        session = opened.session
        self.session, self.save_target, self.last_saved = session, target, target
        if session.done:
            self.show_end(session)
            self.notify(f"'{opened.save.name}' is a finished game: here is how it ended.", timeout=6)
            return
        self._replace_all(DashboardScreen(session))
        where = (f"saved to {target.name} after every turn" if target is not None
                 else "saved to a new autosave file after every turn")
        self.notify(f"{session.quarter}, turn {session.state.turn + 1} of {session.world.turns}; {where}.",
                    title=f"Loaded {opened.save.name}", timeout=6)

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
            yield SystemCommand("Save as…", "Save this game under a name (Ctrl+S)", screen.action_save_as)
            yield SystemCommand("Leave game", "Back to the title screen (Esc)", screen.action_leave)
        from game.tui.screens.end import EndScreen

        if isinstance(screen, EndScreen):
            yield SystemCommand("What if…", "Replay this game with one allocation changed (w)",
                                screen.action_what_if)
        yield SystemCommand("New game", "Choose a scenario and start", self.new_game)
        yield SystemCommand("Load game", "Continue a saved game", self.load_game)
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

    def load_game(self) -> None:
        from game.tui.screens.title import TitleScreen

        self._replace_all(TitleScreen())
        self.continue_game(load=True)
