"""Saved games on disk: the format (format.py), folders and names (folders.py), crash-safe writes
(atomic.py), and writing, verifying, loading and listing games (saves.py). Front ends use this package's
names: `storage.save_session(...)`, `storage.resolve_save(...)`."""

from game.storage.atomic import atomic_write, backup_path
from game.storage.folders import (
    ENV_VAR,
    SUFFIX,
    InvalidSaveName,
    legacy_saves,
    repo_saves_dir,
    resolve_save,
    sanitise_name,
    save_path,
    saves_dir,
    user_saves_dir,
)
from game.storage.format import (
    CHECKSUM_MISMATCH,
    FORMAT_VERSION,
    MAX_SAVE_BYTES,
    MIGRATIONS,
    SaveError,
    SaveFile,
    Snapshot,
    TurnRecord,
    checksum,
    encode,
    migrate,
    parse_save,
    read_save,
)
from game.storage.saves import (
    LoadedGame,
    SaveInfo,
    SaveResult,
    Verification,
    autosave,
    autosave_path,
    class_saves,
    latest_save,
    list_saves,
    load_game,
    load_session,
    looks_like_a_save,
    save_session,
    session_document,
    verify,
    verify_save,
)

__all__ = [
    "CHECKSUM_MISMATCH", "ENV_VAR", "FORMAT_VERSION", "MAX_SAVE_BYTES", "MIGRATIONS", "SUFFIX", "InvalidSaveName",
    "LoadedGame", "SaveError", "SaveFile", "SaveInfo", "SaveResult", "Snapshot", "TurnRecord", "Verification",
    "atomic_write", "autosave", "autosave_path", "backup_path", "checksum", "class_saves", "encode", "latest_save",
    "legacy_saves", "list_saves", "load_game", "load_session", "looks_like_a_save", "migrate", "parse_save",
    "read_save", "repo_saves_dir", "resolve_save", "sanitise_name", "save_path", "save_session", "saves_dir",
    "session_document", "user_saves_dir", "verify",
    "verify_save",
]
