"""Shared helper for CLI tests."""

from __future__ import annotations


def one_error_line(capsys) -> str:
    """The single `error: ...` line a failed command printed on stderr (and nothing on stdout)."""
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]
