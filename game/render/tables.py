"""The one Markdown table writer: GitHub-flavoured, columns padded so the source lines up in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from game.content.untrusted import printable


def escape_cell(text: object) -> str:
    """A cell's text: printable, tags and pipes escaped, one line."""
    cell = printable(str(text)).replace("<", "&lt;").replace(">", "&gt;")
    return cell.replace("|", "\\|").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: Sequence[str] | None = None) -> str:
    """`align` per column: 'l' (default) or 'r'."""
    cells = [[escape_cell(c) for c in header]] + [[escape_cell(c) for c in r] for r in rows]
    align = list(align or ["l"] * len(header))
    widths = [max(3, *(len(r[i]) for r in cells)) for i in range(len(header))]

    def line(r: Sequence[str]) -> str:
        parts = [c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(r, widths, align, strict=True)]
        return "| " + " | ".join(parts) + " |"

    sep = "| " + " | ".join(("-" * (w - 1) + ":") if a == "r" else "-" * w
                            for w, a in zip(widths, align, strict=True)) + " |"
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])
