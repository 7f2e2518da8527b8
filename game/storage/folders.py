"""Save folders and save names: where saves live, and turning what a player types into a safe file name."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import platformdirs

SUFFIX = ".json"
ENV_VAR = "HOMEGROWN_SAVES"
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$",
                    *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)),
                    "COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
MAX_NAME_LENGTH = 64


class InvalidSaveName(ValueError):
    """A save name that cannot be made safe (empty, or reserved on some systems)."""


def repo_saves_dir() -> Path | None:
    """The checkout's saves/ folder when the game runs from a checkout, else None."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "saves").is_dir():
        return root / "saves"
    return None


APP = "homegrown"


def user_saves_dir() -> Path:
    """The user's own saves folder (platformdirs: ~/.local/share/homegrown/saves on Linux,
    ~/Library/Application Support/homegrown/saves on macOS, %LOCALAPPDATA%\\homegrown\\saves on Windows)."""
    return platformdirs.user_data_path(APP, appauthor=False) / "saves"


def saves_dir(cli_value: str | Path | None = None) -> Path:
    """--saves DIR, else $HOMEGROWN_SAVES, else the checkout's saves/, else the user's saves folder
    (`user_saves_dir`; not created here)."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return repo_saves_dir() or user_saves_dir()


def legacy_saves(folder: Path) -> list[Path]:
    """Saves in ./saves, where versions before the user folders kept them, when `folder` is elsewhere."""
    old = Path.cwd() / "saves"
    try:
        if not old.is_dir() or old.resolve() == folder.resolve():
            return []
        return sorted(p for p in old.glob(f"*{SUFFIX}") if p.is_file())
    except OSError:
        return []


def sanitise_name(name: str) -> str:
    """A file stem that is safe everywhere: letters (any script), digits, space, '-', '_' and '.', no path
    separators, no leading dots, at most MAX_NAME_LENGTH characters. Raises InvalidSaveName for a name that
    is empty after cleaning or reserved on Windows (CON, NUL, COM1, ...)."""
    text = unicodedata.normalize("NFC", str(name)).strip()
    if text.lower().endswith(SUFFIX):
        text = text[: -len(SUFFIX)]
    text = "".join(ch if ch.isalnum() or ch in " -_." else "-" for ch in text)
    text = re.sub(r"-{2,}", "-", re.sub(r"\s+", " ", text))
    text = text.strip(" .-_")[:MAX_NAME_LENGTH].rstrip(" .-_")
    if not text:
        raise InvalidSaveName(f"'{name}' cannot be used as a save name: use letters or digits")
    if text.split(".")[0].strip().upper() in WINDOWS_RESERVED:
        raise InvalidSaveName(f"'{text}' is a reserved file name on Windows; choose another save name")
    return text


def is_reserved(name: str) -> bool:
    """A name whose file would be a device on Windows (CON, NUL, COM1, ...), whatever follows a dot."""
    return unicodedata.normalize("NFC", str(name)).strip().split(".")[0].strip().upper() in WINDOWS_RESERVED


def save_path(name: str, folder: Path | str) -> Path:
    return Path(folder) / (sanitise_name(name) + SUFFIX)


def resolve_save(arg: str, folder: Path | str, *, for_writing: bool = False) -> Path:
    """A SAVE argument of the CLI. With a folder in it (or absolute) it is a path, used as given. A bare name
    is a save in `folder` ("mygame" -> folder/mygame.json); when reading, an existing file of that name in
    the current folder wins."""
    if not arg or not arg.strip():
        raise InvalidSaveName("a save needs a name")
    path = Path(arg).expanduser()
    # "./x.json" names a path even though pathlib folds the "./" away
    if path.is_absolute() or len(path.parts) > 1 or any(sep in arg for sep in ("/", os.sep)):
        if path.name in ("", ".", ".."):
            raise InvalidSaveName(f"'{arg}' names a folder, not a save file")
        return path
    if not for_writing and path.exists():
        return path
    return save_path(arg, folder)
