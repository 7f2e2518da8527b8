"""An OptionList whose highlighted option also carries a ▶ mark: the cursor never rests on colour alone."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class MarkedOptionList(OptionList):
    def __init__(self, *options: Option, **kwargs: Any) -> None:
        self._prompts = [o.prompt if isinstance(o.prompt, Text) else Text(str(o.prompt)) for o in options]
        super().__init__(*[Option(Text("  ") + p, id=o.id) for o, p in zip(options, self._prompts, strict=False)], **kwargs)
        self._marked: int | None = None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is not self:
            return
        new = event.option_index
        for index, mark in ((self._marked, "  "), (new, "▶ ")):
            if index is not None and 0 <= index < len(self._prompts):
                self.replace_option_prompt_at_index(index, Text(mark, style="bold") + self._prompts[index])
        self._marked = new
