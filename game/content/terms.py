"""The content's plain terms that the core and the renderers read without pydantic (a game read back
from the compiled-world cache never imports it): quarters and lever categories. game.content.schema
validates content against these."""

from __future__ import annotations

import re
import typing
from typing import Literal

Category = Literal["subsidy", "rnd", "workforce", "export", "alliance"]
"""A lever's kind of spending (display names and colours: game.render.labels)."""
CATEGORIES: tuple[Category, ...] = typing.get_args(Category)


def quarter_index(quarter: str) -> int:
    """'2026Q1' -> an integer that counts quarters, so windows compare as numbers."""
    year, q = re.fullmatch(r"(\d{4})Q([1-4])", quarter).groups()  # type: ignore[union-attr]
    return int(year) * 4 + int(q) - 1


def quarter_name(index: int) -> str:
    return f"{index // 4}Q{index % 4 + 1}"
