"""What the screens tell the app: Textual messages, posted by a screen and handled by HomegrownApp's
`on_<name>` methods (a screen's messages bubble up to the app).

Screens never call the app's methods: they say what happened (TurnEnded, GameOver) or what the player
asks for (…Requested, LeaveGame), and the app decides what follows (saving, which screen comes next).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from game.play.records import TurnSummary
from game.play.session import Session

# eq=False: a message is an event, compared and hashed by identity, not by its fields


@dataclass(eq=False)
class TurnEnded(Message):
    """A quarter was played: the session already holds the new quarter (the app autosaves it)."""

    session: Session
    summary: TurnSummary


@dataclass(eq=False)
class GameOver(Message):
    """The last turn report was closed: show how the game ended."""

    session: Session


@dataclass(eq=False)
class LeaveGame(Message):
    """Back to the title screen (the dashboard's Leave, the end screen's Enter)."""


@dataclass(eq=False)
class SaveAsRequested(Message):
    """Save the current game under `name` in the saves folder; later turns go there too."""

    name: str


@dataclass(eq=False)
class NewGameRequested(Message):
    """Start a new game of `scenario` (the seed follows game.play.rules.effective_seed)."""

    scenario: str


@dataclass(eq=False)
class ContinueRequested(Message):
    """The title screen's Continue: play on from the newest readable save."""


@dataclass(eq=False)
class LoadGameRequested(Message):
    """The title screen's Load game: the list of saves."""


@dataclass(eq=False)
class OpenSaveRequested(Message):
    """Open this save and play on (or say why it cannot be)."""

    path: Path


@dataclass(eq=False)
class HelpRequested(Message):
    """Open help on a tab ('keys', 'rules', 'glossary', 'sources')."""

    tab: str = "keys"
