"""The parsed-pack cache: a pack that loaded cleanly is kept as a pickle keyed by the bytes of every
content file and of the code that reads them, so a changed file or a changed loader is never served stale.
`HOMEGROWN_CACHE=off` switches it off, `HOMEGROWN_CACHE=DIR` moves it (default: the user's cache folder,
~/.cache/homegrown on Linux, through platformdirs)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

import platformdirs

from game.content.files import MAX_CONTENT_FILE_BYTES, read_regular_file
from game.content.pack import Content

KEEP = 16
"""The newest packs kept; older ones are deleted when a new one is written."""
CODE = ("schema.py", "loader.py", "vocabulary.py", "expr.py", "pack.py", "cache.py", "untrusted.py", "files.py")
"""The modules whose bytes are part of the key: they decide what a parsed pack is."""


def key(folders: list[Path]) -> Path | None:
    """Where this exact pack's parsed form is cached; None when caching is off or a folder cannot be read
    (the normal load then reports it)."""
    setting = os.environ.get("HOMEGROWN_CACHE", "")
    if setting == "off":
        return None
    base = Path(setting) if setting else platformdirs.user_cache_path("homegrown", appauthor=False)
    digest = hashlib.sha256()
    try:
        for module in CODE:
            digest.update((Path(__file__).parent / module).read_bytes())
        for folder in folders:
            digest.update(b"\0folder\0")
            for path in sorted(folder.rglob("*.toml")):
                digest.update(f"\0{path.relative_to(folder)}\0".encode())
                digest.update(read_regular_file(path, MAX_CONTENT_FILE_BYTES))  # never a FIFO or a device
    except OSError:
        return None
    return base / f"content-{digest.hexdigest()[:32]}.pickle"


def read(path: Path | None) -> Content | None:
    """The cached pack, or None (missing, stale or broken caches are simply rebuilt)."""
    if path is None:
        return None
    with contextlib.suppress(Exception):
        content = pickle.loads(path.read_bytes())
        if isinstance(content, Content):
            return content
    return None


def write(path: Path | None, content: Content) -> None:
    """Cache a cleanly loaded pack (atomically; a cache that cannot be written is no error)."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        for old in sorted(path.parent.glob("content-*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink()
