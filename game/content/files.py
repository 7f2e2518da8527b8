"""Reading a file that came from outside (a content pack, a save) without hanging or exhausting memory:
regular files only (never a FIFO, a device such as /dev/zero or /dev/urandom, or a link to one), and at
most a stated number of bytes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_CONTENT_FILE_BYTES = 1024 * 1024
"""Of one content file (the largest of the default pack is about 35 KB)."""


class FileRefused(OSError):
    """Not a regular file, or larger than the limit: `str()` says which, in words."""


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Opened without blocking (a FIFO would wait
    for a writer forever) and checked on the open file, so swapping the file meanwhile changes nothing."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise FileRefused("is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused("is not a regular file (a device, a FIFO or a socket); not read")
        if st.st_size > limit:
            raise FileRefused(f"is too large ({st.st_size:,} bytes; the limit is {limit:,}); not read")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileRefused(f"is too large (it grew past the limit of {limit:,} bytes while read); not read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def default_content_dir() -> Path:
    """The pack shipped in the wheel (game/content/default) or, from a checkout, the repository's content/."""
    packaged = Path(__file__).resolve().parent / "default"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"
