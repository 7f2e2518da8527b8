"""The player's settings (the chosen theme, whether old saves were offered), kept as JSON in the user's
config folder (platformdirs: ~/.config/homegrown/settings.json on Linux), or in $HOMEGROWN_CONFIG (a
folder). A missing or unreadable file is the defaults, never an error; writing is best effort."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from game.content.files import read_regular_file
from game.storage.atomic import atomic_write
from game.storage.folders import APP

ENV_VAR = "HOMEGROWN_CONFIG"


@dataclass(frozen=True)
class Settings:
    theme: str | None = None
    legacy_saves_offered: bool = False
    """The saves of an old ./saves folder were offered once (accepted or not)."""


def settings_path() -> Path:
    folder = os.environ.get(ENV_VAR)
    base = Path(folder).expanduser() if folder else platformdirs.user_config_path(APP, appauthor=False)
    return base / "settings.json"


def load_settings() -> Settings:
    try:
        data = json.loads(read_regular_file(settings_path(), 64 * 1024))
    except (OSError, ValueError, RecursionError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    theme = data.get("theme")
    return Settings(theme=theme if isinstance(theme, str) else None,
                    legacy_saves_offered=data.get("legacy_saves_offered") is True)


def save_settings(settings: Settings) -> None:
    path = settings_path()
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, (json.dumps(asdict(settings), indent=1) + "\n").encode("utf-8"), keep_backup=False)
