"""Text that came from outside (save names, student names, content strings) made safe to show: no control
characters, so nothing can move the cursor, retitle a terminal or clear a screen."""

from __future__ import annotations

import html
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline (ESC is one of them), DEL and the C1 controls."""


def printable(text: str) -> str:
    return _CONTROL.sub("", text)


def html_text(text: str) -> str:
    """`printable`, escaped for HTML text and attribute values."""
    return html.escape(printable(text))


def markdown_text(text: str) -> str:
    """`printable`, with HTML and the Markdown characters that start markup escaped (for headings and
    paragraphs of a Markdown document)."""
    text = printable(text).replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", text)
