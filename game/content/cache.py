"""The content caches: a pack that loaded cleanly is kept as a pickle keyed by the bytes of every content
file and of the code that reads them, so a changed file or a changed loader is never served stale; a
scenario's compiled world likewise, keyed by the code that compiles it too (game.cli.common.load_world).
`HOMEGROWN_CACHE=off` switches them off, `HOMEGROWN_CACHE=DIR` moves them (default: the user's cache
folder, ~/.cache/homegrown on Linux, through platformdirs)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from game.content.files import MAX_CONTENT_FILE_BYTES, read_regular_file

T = TypeVar("T")

KEEP = 16
"""The newest cached packs kept, and as many worlds of each scenario; older ones of the same kind are
deleted when a new one is written."""
CODE = ("schema.py", "loader.py", "vocabulary.py", "expr.py", "pack.py", "cache.py", "untrusted.py", "files.py",
        "terms.py", "plain.py")
"""The modules whose bytes are part of every key: they decide what a parsed pack is."""


def _folder() -> Path | None:
    setting = os.environ.get("HOMEGROWN_CACHE", "")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    platform = sys.platform  # a variable: mypy would call the other systems' branch unreachable
    if platform == "linux":  # platformdirs' rule (a test checks they agree), without its 8 ms of imports
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        return Path(xdg if xdg.strip() else os.path.expanduser("~/.cache")) / "homegrown"
    import platformdirs  # lazy: the other systems' rules are its own

    return platformdirs.user_cache_path("homegrown", appauthor=False)


def key(folders: list[Path], what: str = "content", code: Iterable[Path] = (), salt: str = "") -> Path | None:
    """Where `what` made from exactly this pack is cached ('content': the parsed pack; callers name
    others and add the `code` and `salt` they depend on); None when caching is off or a folder cannot be
    read (the normal load then reports it)."""
    base = _folder()
    if base is None:
        return None
    digest = hashlib.sha256(f"{what}\0{salt}\0".encode())
    try:
        for module in (*(Path(__file__).parent / name for name in CODE), *code):
            digest.update(module.read_bytes())
        for folder in folders:
            digest.update(b"\0folder\0")
            for path in sorted(folder.rglob("*.toml")):
                digest.update(f"\0{path.relative_to(folder)}\0".encode())
                digest.update(read_regular_file(path, MAX_CONTENT_FILE_BYTES))  # never a FIFO or a device
    except OSError:
        return None
    return base / f"{what}-{digest.hexdigest()[:32]}.pickle"


def read(path: Path | None, kind: type[T]) -> T | None:
    """The cached `kind`, or None (missing, stale or broken caches are simply rebuilt)."""
    if path is None:
        return None
    with contextlib.suppress(Exception):
        value = pickle.loads(path.read_bytes())
        if isinstance(value, kind):
            return value
    return None


def write(path: Path | None, value: object) -> None:
    """Cache what loaded cleanly (atomically; a cache that cannot be written is no error)."""
    if path is None:
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        kind = path.name.rpartition("-")[0]  # 'content', 'world-default', ...
        for old in sorted(path.parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink()
