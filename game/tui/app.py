"""The Textual app: global keys, themes, the command palette, and moving between screens.

Thin on purpose: screens own their layout and keys (game/tui/screens/) and post messages
(game/tui/messages.py) that the app handles here; the save policy is the GameService's
(game/tui/service.py); the plan and the charts live in plain modules, and the game itself is a `Session`
over the same core as `homegrown run`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.model import RuleSet
from textual.css.query import NoMatches
from textual.css.stylesheet import Stylesheet
from textual.message import Message
from textual.notifications import Notification
from textual.screen import Screen
from textual.theme import Theme, ThemeProvider
from textual.widgets import Input
from textual.worker import WorkerFailed

from game import storage
from game.content.pack import Content
from game.play.forecast import DEFAULT_SAMPLES
from game.play.session import Session
from game.storage.settings import load_settings, save_settings
from game.tui.messages import (
    ContinueRequested,
    GameOver,
    HelpRequested,
    LeaveGame,
    LoadGameRequested,
    NewGameRequested,
    OpenSaveRequested,
    SaveAsRequested,
    TurnEnded,
)
from game.tui.palette import SafeCommandPalette
from game.tui.saving import OpenedSave
from game.tui.screens.dashboard import DashboardScreen
from game.tui.screens.dialogs import ConfirmScreen, MessageScreen
from game.tui.screens.end import EndScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.join import JoinScreen
from game.tui.screens.saves import LoadScreen
from game.tui.screens.title import ScenarioScreen, TitleScreen
from game.tui.service import GameService

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
THEME_NAMES = {"textual-dark": "dark", "textual-light": "light", COLOURBLIND.name: "colour-blind safe"}
NAVIGATION = (GameOver, LeaveGame, SaveAsRequested, NewGameRequested, ContinueRequested, LoadGameRequested,
              OpenSaveRequested, HelpRequested)
"""Messages that open or replace screens (an autosave, TurnEnded, is still written while the app closes)."""


class ThemeStylesheet(Stylesheet):
    """Textual parses every CSS source again on each theme change (a reparse starts from a new, empty parse
    cache): a third of Ctrl+T. The rules parsed for each theme and set of sources are kept here, so
    switching back to a theme is a look-up."""

    _parsed: ClassVar[dict[tuple, list[RuleSet]]] = {}

    def reparse(self) -> None:
        key = (tuple(sorted(self._variables.items())), tuple(self.source.items()))
        rules = self._parsed.get(key)
        if rules is None:
            super().reparse()
            self._parsed[key] = self._rules
            return
        self._rules, self._rules_map, self._require_parse = rules, None, False


class HomegrownApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "Homegrown"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (140, "-wide")]
    BINDINGS = [
        # priority: a modal screen (the turn report, a dialog) hides the app's other bindings
        Binding("question_mark", "help", "Help", id="help", priority=True),
        Binding("ctrl+t", "cycle_theme", "Theme", id="theme", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True, show=False),
    ]

    def __init__(self, content: Content, scenario: str | None = None, seed: int | None = None,
                 load: str | Path | OpenedSave | None = None, forecast_samples: int = DEFAULT_SAMPLES,
                 theme: str | None = None, saves_folder: str | Path | None = None,
                 class_folder: str | Path | None = None, class_code: str | None = None) -> None:
        """`seed`: --seed, for every new game (it wins over a scenario's fixed seed, with a notice).
        `load`: a save to continue, either already opened (the CLI checks it before the app starts) or
        a path, opened on mount with a dialog if it cannot be. `saves_folder`: --saves DIR (default
        $HOMEGROWN_SAVES, else the checkout's saves/, else the user's saves folder). `theme`: this one, else
        the one chosen last time (game.storage.settings). `class_folder`: join a class (pick a name among its
        saves), after typing `class_code` if one is given."""
        super().__init__()
        self.stylesheet = ThemeStylesheet(variables=self.get_css_variables())  # nothing read into it yet
        self.content = content
        self.start_scenario, self.start_seed, self.load_path = scenario, seed, load
        self.forecast_samples = forecast_samples
        self._initial_theme = theme
        self.service = GameService(content, saves_folder)
        self.class_folder = Path(class_folder) if class_folder is not None else None
        self.class_code = class_code

    @property
    def session(self) -> Session | None:
        """The game being played (the service's)."""
        return self.service.session

    @session.setter
    def session(self, session: Session | None) -> None:
        self.service.session = session

    @property
    def save_target(self) -> Path | None:
        return self.service.save_target

    # ------------------------------------------------------------ start

    def on_mount(self) -> None:
        # What exists once the first screen is drawn (content, world, screens) lives for the whole run: a full
        # collection walking it took ~100 ms, a dropped frame whenever it came. Unfrozen in on_unmount.
        self.call_after_refresh(gc.freeze)
        self.register_theme(COLOURBLIND)
        chosen = self._initial_theme or load_settings().theme
        if chosen in self.available_themes:
            self.theme = chosen
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.start_scenario and not self.load_path:
            self.start_game(self.start_scenario)
            return
        if isinstance(self.load_path, OpenedSave) and self.load_path.write_back:
            self.resume(self.load_path)
            return
        if self.class_folder is not None:
            self.push_screen(JoinScreen(self.class_folder, storage.class_saves(self.class_folder), self.class_code))
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

    def start_game(self, scenario: str, seed: int | None = None) -> None:
        """A new game of `scenario` on the dashboard, with `seed` (default: --seed) if given, by the
        seed policy (game.play.rules.effective_seed)."""
        session, notice = self.service.new_game(scenario, self.start_seed if seed is None else seed)
        self._replace_all(DashboardScreen(session))
        if notice:
            self.notify(notice, title="Seed", timeout=8)

    def show_title(self) -> None:
        self._keep_on_leaving()
        self.service.leave()
        self._replace_all(TitleScreen())

    def show_end(self, session: Session) -> None:
        self._replace_all(EndScreen(session))

    # ------------------------------------------------------------ what the screens say

    def on_new_game_requested(self, message: NewGameRequested) -> None:
        if isinstance(self.screen, ScenarioScreen):  # not twice (a second Enter before the first is handled)
            self.start_game(message.scenario)

    def on_turn_ended(self, message: TurnEnded) -> None:
        """The autosave, once the session holds the new quarter. A failed write is reported and the game
        goes on."""
        self._keep_draft()
        try:
            result = self.service.autosave(message.session)
        except storage.SaveError as exc:
            self.notify(f"Autosave failed: {exc}", title="Not saved", severity="error", timeout=10)
            return
        if result.moved_aside is not None:
            self.notify(f"{result.path.name} was not a readable save; it was kept as "
                        f"{result.moved_aside.name}.", severity="warning", timeout=10)

    def on_game_over(self, message: GameOver) -> None:
        self.show_end(message.session)

    def on_leave_game(self, _message: LeaveGame) -> None:
        self.show_title()

    def _dashboard(self) -> DashboardScreen | None:
        """The game's dashboard, if one is on the stack (under a dialog or the palette, perhaps)."""
        return next((s for s in self.screen_stack if isinstance(s, DashboardScreen)), None)

    def _keep_on_leaving(self) -> None:
        """A game with a save file goes into it as it is left, its plan so far included (the leave question
        says so: GameService.leaving_note)."""
        if self.session is None:
            return
        self._keep_draft()
        problem = self.service.keep_on_leaving(self.session)
        if problem:
            self.notify(problem, title="Not saved", severity="error", timeout=10)

    def _keep_draft(self) -> None:
        """The dashboard's plan of the quarter goes into the save with the game (Session.draft)."""
        dash = self._dashboard()
        if dash is not None and dash.session is self.session:
            dash.session.draft = dash.draft()

    def on_save_as_requested(self, message: SaveAsRequested) -> None:
        self._keep_draft()
        try:
            path = self.service.save_as(message.name)
        except (storage.InvalidSaveName, storage.SaveError) as exc:  # one line, the game goes on
            self.notify(f"Not saved: {exc}", severity="error", timeout=10)
            return
        self.notify(f"Saved as {path.name} in {path.parent}; later turns are saved there too.",
                    title="Saved", timeout=6)

    def on_continue_requested(self, _message: ContinueRequested) -> None:
        if not isinstance(self.screen, TitleScreen):  # a second press, already handled
            return
        latest = self.service.latest_save()
        if latest is None:
            self.notify(self.service.nothing_to_continue(), title="Continue", timeout=6)
            return
        self.open_save(latest)

    def on_load_game_requested(self, _message: LoadGameRequested) -> None:
        if not isinstance(self.screen, LoadScreen):
            self._show_saves()

    def on_open_save_requested(self, message: OpenSaveRequested) -> None:
        if isinstance(self.screen, LoadScreen | JoinScreen):  # not twice
            self.open_save(message.path)

    def on_help_requested(self, message: HelpRequested) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.content, message.tab))

    # ------------------------------------------------------------ saves

    def _show_saves(self) -> None:
        self.push_screen(LoadScreen(self.content, self.service.saved_games(), self.service.saves_folder))

    def open_save(self, path: Path) -> None:
        """Open a save and play on, or say in a dialog why it cannot be (the file is never changed)."""
        try:
            opened = self.service.open_save(path)
        except storage.SaveError as exc:
            self.push_screen(MessageScreen("This save cannot be loaded", str(exc)))
            return
        self.resume(opened)

    def resume(self, opened: OpenedSave) -> None:
        """Play on from an opened save; a save of other rules asks first and then saves to a new file."""
        if opened.write_back:
            self._play_on(opened)
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._play_on(opened)

        self.push_screen(ConfirmScreen(
            f"{opened.other_rules}\n\nContinue anyway under the current rules? Your progress will be saved "
            f"to a new file; {opened.path.name} stays as it is.", yes="Continue anyway", no="Back"), answer)

    def _play_on(self, opened: OpenedSave) -> None:
        self.service.resume(opened)
        session, target = opened.session, self.service.save_target
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

    def _handle_exception(self, error: Exception) -> None:
        if not self._running and isinstance(error, (NoMatches, ValueError, WorkerFailed)):
            return  # the app is closing (Ctrl+Q) while a dialog still mounts its widgets: nothing to show
        super()._handle_exception(error)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not self._screen_stack:
            return  # typed while the app closes its screens (Textual would look for the top screen)
        await super().on_event(event)

    async def _on_message(self, message: Message) -> None:
        if not self._screen_stack and isinstance(message, (events.Key, *NAVIGATION)):
            return  # typed or asked for while the app closes its screens: there is no screen to act on
        await super()._on_message(message)

    def _unnotify(self, notification: Notification, refresh: bool = True) -> None:
        """Textual's, then the whole screen painted again once the toast is gone. A toast rack that
        overflowed (toasts coming in while others are up) scrolls on a fast path that loses track of what
        its toasts covered: when they went, their text stayed on screen (at the right edge at 80x24)."""
        super()._unnotify(notification, refresh)
        if self._screen_stack:
            self.screen.call_after_refresh(self._repaint_screen)

    def _repaint_screen(self) -> None:
        if self._screen_stack:
            self.screen.refresh()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not SafeCommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette())  # no id: the last one may still be unmounting

    def search_themes(self) -> None:  # the palette's "Theme" command: the same safe palette
        self.push_screen(SafeCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help" and isinstance(self.focused, Input):
            return False  # a ? typed into a field is the field's
        return super().check_action(action, parameters)

    def action_help(self, tab: str = "keys") -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()  # closes once, and never before it is mounted (ClosesOnce)
            return
        self.push_screen(HelpScreen(self.content, tab))

    def _remember_theme(self, theme: Theme) -> None:
        """The chosen theme is the next game's too (game.storage.settings): written once the new theme is
        on the screen (the write's flush to disk took longer than drawing it)."""
        self.call_after_refresh(self._save_theme, theme.name)

    @staticmethod
    def _save_theme(name: str) -> None:
        if load_settings().theme != name:
            save_settings(replace(load_settings(), theme=name))

    def on_unmount(self) -> None:
        gc.unfreeze()  # what was frozen at start can be collected again (another app in the process, tests)

    def _end_batch(self) -> None:
        """Textual wakes only the app when a batch (a recompose, a theme) ends. A screen that went idle during
        it kept its pending layout until its next message: under an event dialog, while the footer
        recomposed, the dashboard's goal forecast stayed two lines tall with ten to show. The screens seen
        under the top one are woken too (waking the top one as well made a theme switch repaint twice)."""
        super()._end_batch()
        if not self._batch_count:
            for screen in self._background_screens:
                screen.check_idle()

    def watch_theme(self) -> None:
        """No frame until the new theme is drawn whole: Textual's own watcher queues the restyling and
        the signal our widgets redraw on, and the screen's timer would otherwise paint the screen in
        between (a whole frame drawn twice, the first time for nothing). After `_watch_theme`."""
        if not self.is_running or not self._screen_stack:
            return
        self._begin_batch()
        self.call_next(self._theme_drawn)

    def refresh_css(self, animate: bool = True) -> None:
        """After a restyle Textual lays the screen out again, and the repaint marks the restyle left drew the
        whole screen a second time a frame later (about 30 ms at 160x48). The marks are dropped once the new
        layout is in: the screen is drawn whole once (widgets that redraw for a new theme mark themselves
        again after this; a test compares every cell with a game started in that theme)."""
        super().refresh_css(animate)
        if self._screen_stack and self.screen.is_mounted:
            self.screen._repaint_required = False
            self.screen._dirty_widgets.clear()

    def _theme_drawn(self) -> None:
        self._end_batch()
        if self._batch_count or not self._screen_stack:
            return
        if self.screen.styles.background.a == 1:
            # The screens below an opaque one were restyled too, and each would have the top screen drawn
            # again for its own (hidden) repaint. Only their paint bookkeeping is dropped (their layout
            # is kept), and a screen coming back on top is repainted whole anyway (Textual's resume).
            for screen in self._background_screens:
                screen._repaint_required = False
                screen._dirty_widgets.clear()
                screen._compositor._dirty_regions.clear()

    def action_cycle_theme(self) -> None:
        current = self.theme if self.theme in THEMES else THEMES[-1]
        self.theme = THEMES[(THEMES.index(current) + 1) % len(THEMES)]
        self.notify(f"Theme: {THEME_NAMES[self.theme]}", timeout=2)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, DashboardScreen):
            yield SystemCommand("End turn", "Play this quarter with the current plan (e)",
                                screen.action_end_turn)
            yield SystemCommand("Answer events", "This quarter's events with choices (v)",
                                screen.action_events)
            yield SystemCommand("Predict", "Guess where one of your goals stands after this quarter (p)",
                                screen.action_predict)
            yield SystemCommand("Drivers", "What pushes each metric up or down, and how hard, now (d)",
                                screen.action_drivers)
            yield SystemCommand("Next region", "Market shares of the next region (])",
                                lambda: screen.action_region(1))
            yield SystemCommand("Save as…", "Save this game under a name (Ctrl+S)", screen.action_save_as)
            yield SystemCommand("Leave game", "Back to the title screen (Esc)", screen.action_leave)
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
        # Textual's own "Keys" (its key panel) would be a second "Keys": ours is the help's tab
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")

    def _leave_game_then(self, go: Callable[[], None], where: str, quits: bool = False) -> None:
        """`go`, after the dashboard's leave question if a game is being played (nothing is asked on the
        title or the end screen: there is no game to lose)."""
        dash = self._dashboard()
        if dash is None or dash.session.done:
            go()
        else:
            self.confirm_leave(go, where, quits)

    def confirm_leave(self, then: Callable[[], None], where: str, quits: bool = False) -> None:
        """The question before leaving a game (Esc, the palette's New game and Load game, Quit), saying what
        is kept and what is lost: `then` if the player confirms."""
        def answer(yes: bool | None) -> None:
            if yes:
                then()

        self.push_screen(ConfirmScreen(f"Leave this game and {where}?\n{self.service.leaving_note()}",
                                       yes="Leave", no="Stay", quits=quits), answer)

    async def action_quit(self) -> None:
        """Ctrl+Q, and the palette's Quit: in a game, after the leave question (Ctrl+Q on it quits at once)."""
        if isinstance(self.screen, ConfirmScreen) and self.screen.quits:
            self.exit()
            return

        def go() -> None:
            self._keep_on_leaving()
            self.exit()

        self._leave_game_then(go, "quit Homegrown", quits=True)

    def new_game(self) -> None:
        def go() -> None:
            self.show_title()
            self.push_screen(ScenarioScreen(self.content))

        self._leave_game_then(go, "start a new one")

    def load_game(self) -> None:
        def go() -> None:
            self.show_title()
            self._show_saves()

        self._leave_game_then(go, "load a saved one")
