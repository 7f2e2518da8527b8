"""The app's game service: the game being played and where its progress goes.

Plain Python (no Textual), so the tests drive it directly; HomegrownApp owns one and turns what it
returns or raises into screens and notifications. The save policy lives here:

- a new game autosaves after every turn to its autosave file in the saves folder;
- a loaded save is written back to its own file, except a save of other rules (continued to a new file);
- after Save as, later turns go to the saved-as file;
- Continue opens the newest readable save, Load game lists them all; opening never writes.
"""

from __future__ import annotations

import random
from pathlib import Path

from game import storage
from game.content.pack import Content
from game.play.rules import effective_seed, same_game
from game.play.session import Session
from game.render.words import plural
from game.tui.saving import OpenedSave, open_save


class GameService:
    def __init__(self, content: Content, saves_folder: str | Path | None = None) -> None:
        """`saves_folder`: --saves DIR (default $HOMEGROWN_SAVES, else the checkout's saves/, else ./saves)."""
        self.content = content
        self.saves_folder: Path = storage.saves_dir(saves_folder)
        self.session: Session | None = None
        self.save_target: Path | None = None
        """Where this game's progress goes: its own file (a loaded save, or after Save as), else None for
        the autosave file."""
        self.last_saved: Path | None = None
        """The file the last autosave or Save as wrote."""

    # ------------------------------------------------------------ games

    def new_game(self, scenario: str, seed: int | None = None) -> tuple[Session, str | None]:
        """Start a new game of `scenario`, seeded by the one seed policy (game.play.rules.effective_seed):
        an explicit seed wins, else the scenario's fixed seed, else a random one. Returns the session and
        the policy's notice (None unless an explicit seed overrides the scenario's)."""
        choice = effective_seed(self.content.scenarios[scenario], seed,
                                default=random.SystemRandom().randrange(2**31))
        session = Session(self.content, scenario, choice.seed)
        self.play(session)
        return session, choice.notice

    def play(self, session: Session, target: Path | None = None) -> None:
        """`session` is the game now; its progress goes to `target` (None: its autosave file)."""
        self.session, self.save_target, self.last_saved = session, target, target

    def resume(self, opened: OpenedSave) -> None:
        """Play on from an opened save: back to its own file, or (a save of other rules) to a new one."""
        self.play(opened.session, opened.path if opened.write_back else None)

    def leave(self) -> None:
        """No game any more (back on the title screen)."""
        self.session = self.save_target = self.last_saved = None

    def leaving_note(self) -> str:
        """What leaving the game keeps and loses, for the question before it: a game with a save file is
        saved into it as it is left, this quarter's plan so far included (keep_on_leaving); a game never
        saved is lost."""
        if self.last_saved is None:
            return ("This game is not saved yet (it saves itself after each turn; Ctrl+S saves it now): "
                    "leaving loses it.")
        return (f"It is saved in {self.last_saved.name} as you leave, this quarter's plan so far included: "
                "Continue on the title screen picks it up there.")

    def keep_on_leaving(self, session: Session) -> str | None:
        """Save a game that has a save file as it is left (its plan so far is `session.draft`): None if
        done, else what was not saved, in one line."""
        if self.last_saved is None or session.done:
            return None
        try:
            self.autosave(session)
        except storage.SaveError as exc:
            return f"This quarter's plan was not saved ({exc}); {self.last_saved.name} holds the game as it was."
        return None

    # ------------------------------------------------------------ saving

    def autosave(self, session: Session) -> storage.SaveResult:
        """Save `session` after a turn: to the save target if there is one, else to its autosave file.
        Raises SaveError (one line) whatever goes wrong, so the caller can say so and play on."""
        try:
            if self.save_target is not None:
                result = storage.save_session(session, self.save_target, player="human")
            else:
                result = storage.autosave(session, self.saves_folder)
        except storage.SaveError:
            raise
        except Exception as exc:  # an OS or library surprise: still one line, and the game goes on
            raise storage.SaveError(None, f"{type(exc).__name__}: {exc}") from exc
        self.last_saved = result.path
        return result

    def save_as(self, name: str) -> Path:
        """Save the current game under `name` in the saves folder; later turns go to that file too.
        Raises InvalidSaveName or SaveError (one-line messages)."""
        if self.session is None:
            raise storage.SaveError(None, "there is no game to save")
        try:
            result = storage.save_session(self.session, name, self.saves_folder, name=name.strip(),
                                        player="human")
        except (storage.InvalidSaveName, storage.SaveError):
            raise
        except Exception as exc:  # as for the autosave: one line, the game goes on
            raise storage.SaveError(None, f"{type(exc).__name__}: {exc}") from exc
        self.save_target = self.last_saved = result.path
        return result.path

    def check_save_name(self, name: str) -> str | None:
        """For the Save as dialog: None if `name` can be saved to, else the reason; "replace:<why>" when
        it holds another game (or an unreadable file) and the player should confirm first."""
        folder = self.saves_folder
        try:
            path = storage.save_path(name, folder)
        except storage.InvalidSaveName as exc:
            return str(exc)
        if path.is_dir():
            return f"'{path.name}' is a folder in {folder}; choose another name"
        if not path.exists() or path == self.save_target:
            return None
        try:
            old = storage.read_save(path)
        except storage.SaveError:
            if not storage.looks_like_a_save(path):
                return f"{path.name} in {folder} is not a save of this game; choose another name"
            return (f"replace:{path.name} exists but is not a readable save. Enter again saves anyway "
                    "(that file is kept, renamed .broken-…).")
        s = self.session
        if s is not None and same_game(old.scenario, old.seed, old.log(), s.scenario, s.seed, s.log):
            return None
        return (f"replace:{path.name} holds another game ('{old.name}', {old.scenario}). Enter again "
                f"replaces it (the old one is kept as {path.name}.bak).")

    # ------------------------------------------------------------ continue and load

    def saved_games(self) -> list[storage.SaveInfo]:
        """The saves folder's files, newest first (broken ones too, with their error)."""
        try:
            return storage.list_saves(self.saves_folder)
        except OSError:
            return []

    def latest_save(self) -> Path | None:
        """What Continue opens: the newest readable save, if any."""
        try:
            return storage.latest_save(self.saves_folder)
        except OSError:
            return None

    def nothing_to_continue(self) -> str:
        """Why Continue has nothing to open, and what to do instead."""
        broken = len(self.saved_games())
        why = (f"{plural(broken, 'file')} in {self.saves_folder} cannot be read (see Load game)." if broken
               else f"No saved games yet (in {self.saves_folder}).")
        return f"{why} Start a new game with New game (n)."

    def open_save(self, path: Path) -> OpenedSave:
        """Read and verify a save to play on (the file is never changed). SaveError (one line) if it
        cannot be; a save of other rules comes back with `other_rules` set, for the player to decide."""
        try:
            return open_save(path, self.content)
        except storage.SaveError:
            raise
        except Exception as exc:  # never a traceback: the player gets one line in a dialog
            raise storage.SaveError(path, f"unexpected {type(exc).__name__}: {exc}") from exc
