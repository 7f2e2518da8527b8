"""The base of the app's screens.

`HomegrownScreen`: full screens, with `self.app` typed as HomegrownApp, so a screen reads the app's state
(the game service: saves folder, save target, last save; the forecast's sample count) with the type
checker's help. Screens only read it: anything that changes the game is a message (game.tui.messages).

`ClosesOnce`: every screen that closes itself. Textual's `dismiss()` pops whatever screen is on top, so a
key that reaches a screen already closing (`y y` typed fast on a question) would close the screen under it
too, or empty the stack: a second dismiss, or one from a screen no longer on top, does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

if TYPE_CHECKING:  # the app imports its screens: at run time `app` is Textual's own property
    from textual import getters

    from game.tui.app import HomegrownApp


if TYPE_CHECKING:
    _Mixin = Screen
else:  # a plain mixin: a Screen base here would reorder Textual's CSS (dialogs no longer centred)
    _Mixin = object


class ClosesOnce(_Mixin):
    _dismissed = False

    async def _on_message(self, message: Message) -> None:
        if not isinstance(message, events.Mount):
            await super()._on_message(message)
            return
        try:  # never skipped: Textual's own waiters (push_screen, the Pilot) need every Mount to arrive
            await super()._on_message(message)
        except NoMatches:
            if self.is_current and self.is_running and not self._dismissed:
                raise
            # closed, covered or replaced while its widgets were still mounting: nothing left to set up

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._dismissed or not (self.is_mounted and self.is_running) or self not in self.app.screen_stack:
            return False  # a key that reached a screen closing, replaced or not yet mounted
        return super().check_action(action, parameters)

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed or not self.is_current or not self.is_mounted:
            return AwaitComplete.nothing()  # (closing a screen still mounting its widgets breaks them)
        self._dismissed = True
        return super().dismiss(result)

    def focus_if_there(self, selector: str) -> Widget | None:
        """Focus a widget of this screen's on mount, unless the screen closed before it was composed (a
        key typed while it opened): then there is nothing to focus, and that is fine."""
        try:
            widget = self.query_one(selector)
        except NoMatches:
            return None
        widget.focus()
        return widget


HELP = Binding("question_mark", "app.help", "Help", id="dialog-help")
"""`?` opens help over every dialog (the app's own key): listed in the footers of those without a text field,
which show only their own keys."""


class HomegrownScreen(ClosesOnce, Screen):
    if TYPE_CHECKING:
        app = getters.app(HomegrownApp)
