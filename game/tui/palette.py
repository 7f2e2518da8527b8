"""Textual's command palette, made safe against keys that arrive while it opens or closes.

Fast typing (`Ctrl+P Esc` over and over, `Ctrl+P PgUp PgUp Esc`) used to crash the app inside Textual: a
search started after Esc found no command list (NoMatches), paging a list not yet laid out (KeyError), a
second Esc dismissed the screen under the palette. Once closing, the palette ignores what is still queued.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Input, LoadingIndicator, OptionList
from textual.worker import NoActiveWorker, get_current_worker


class _CommandList(CommandList):
    def _move_page(self, direction: Any) -> None:
        if self._options and not self._lines:
            return  # PgUp before the list is laid out: Textual would look up a line that is not there
        super()._move_page(direction)


class SafeCommandPalette(CommandPalette):
    _dismissed = False

    def compose(self) -> ComposeResult:  # Textual's own, with the list above
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=self._placeholder, select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield _CommandList()
                yield LoadingIndicator()

    def dismiss(self, result: Any = None) -> AwaitComplete:
        if self._dismissed or not self.is_current or not self.is_mounted:
            return AwaitComplete.nothing()  # not before it has mounted (its search would start after)
        self._dismissed = True
        return super().dismiss(result)

    async def _on_message(self, message: Message) -> None:
        if self._dismissed and isinstance(message, (Input.Changed, Input.Submitted, OptionList.OptionSelected,
                                                 OptionList.OptionHighlighted)):
            return  # typed before Esc took effect: no new search on a closing palette
        await super()._on_message(message)

    def query_one(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().query_one(*args, **kwargs)
        except NoMatches:
            try:
                get_current_worker()
                in_worker = True
            except NoActiveWorker:
                in_worker = False
            if in_worker and (self._dismissed or not self.is_current):
                raise asyncio.CancelledError() from None  # a search still running as Esc closed it: ends
            raise

    def _action_escape(self) -> None:
        if not self._dismissed:
            super()._action_escape()

    def _action_command_list(self, action: str) -> None:
        if self._dismissed:
            return
        with contextlib.suppress(KeyError, IndexError, NoMatches):  # a list not laid out yet has no pages
            super()._action_command_list(action)

    def _action_cursor_down(self) -> None:
        if self._dismissed:
            return
        with contextlib.suppress(NoMatches):
            super()._action_cursor_down()
