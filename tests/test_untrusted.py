"""Untrusted text (save and student names, content strings) never carries control characters or raw markup
into what the game prints or writes."""

from __future__ import annotations

from game.content.untrusted import markdown_text, printable
from game.render.tables import markdown_table

NASTY = "Eve\x1b]2;PWNED\x07\x1b[2J<script>alert(1)</script>|*x*\x9b\x00"


def test_printable_drops_every_control_character_but_tab_and_newline():
    assert printable(NASTY) == "Eve]2;PWNED[2J<script>alert(1)</script>|*x*"
    assert printable("a\tb\nc") == "a\tb\nc"
    kept = printable("".join(map(chr, range(0xA1))))
    assert all(0x20 <= ord(ch) < 0x7F or ord(ch) >= 0xA0 or ch in "\t\n" for ch in kept) and "\xa0" in kept


def test_markdown_text_neutralises_markup():
    text = markdown_text(NASTY)
    assert "\x1b" not in text and "<script>" not in text and "&lt;script&gt;" in text
    assert r"\|" in text and r"\*x\*" in text


def test_table_cells_are_printable_one_line_and_cannot_break_the_table():
    table = markdown_table(["name", "score"], [[NASTY + "\nsecond line", "1.0"]])
    body = table.splitlines()[2]
    assert "\x1b" not in table and "<script>" not in table
    assert body.count(" | ") == 1 and body.startswith("| Eve")  # still two cells, one row
