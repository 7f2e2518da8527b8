"""The base of the app's full screens: `self.app` typed as HomegrownApp, so a screen reads the app's state
(the game service: saves folder, save target, last save; the forecast's sample count) with the type
checker's help. Screens only read it: anything that changes the game is a message (game.tui.messages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:  # the app imports its screens: at run time `app` is Textual's own property
    from textual import getters

    from game.tui.app import HomegrownApp


class HomegrownScreen(Screen):
    if TYPE_CHECKING:
        app = getters.app(HomegrownApp)
