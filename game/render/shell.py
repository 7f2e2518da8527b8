"""Command lines people copy: one spelling that works in every shell (POSIX sh, cmd.exe, PowerShell).

A word made only of letters, digits and `_ - . / : = , + @` needs no quoting anywhere. Any other word is put
in double quotes, which every one of those shells strips the same way as long as the word holds none of
the characters that some shell still expands or ends inside double quotes (`" $ ` % ! \\`); such a word
(never a name the game made itself: save and folder names are sanitised) is refused rather than quoted
wrongly for one of the shells."""

from __future__ import annotations

import re

_BARE = re.compile(r"^[A-Za-z0-9_\-./:=,+@]+$")
_UNSAFE = re.compile(r'["$`%!\\\x00-\x1f\x7f]')


class UnquotableWord(ValueError):
    """A word no single spelling quotes the same way in every shell."""


def shell_word(word: str) -> str:
    if _BARE.match(word):
        return word
    if _UNSAFE.search(word):
        raise UnquotableWord(f"{word!r} cannot be written for every shell (it holds one of \" $ ` % ! \\)")
    return f'"{word}"'


def shell_command(*words: str) -> str:
    """The words as one command line that every shell reads as these words."""
    return " ".join(shell_word(w) for w in words)


def path_word(path: str) -> str:
    """A relative path with forward slashes (Windows accepts them too)."""
    return path.replace("\\", "/")
