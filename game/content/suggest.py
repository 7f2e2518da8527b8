"""The one "did you mean" for every message that names an unknown id, key or name."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, options: Iterable[str], cutoff: float = 0.6) -> str:
    """` (did you mean 'rnd-b5g'?)` for the closest option, or '' when none is close."""
    import difflib  # lazy: only an error message needs it, and every command imports this module

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""
