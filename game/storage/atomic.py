"""Writing a file so that a crash at any moment leaves the old version or the new one, never half of
either: temp file in the same folder, fsync, previous version kept as `<file>.bak`, rename, fsync of the
folder. Used by saves, debriefs and sweep outputs alike."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
import time
from pathlib import Path

BACKUP_SUFFIX = ".bak"
MAX_BACKUP_BYTES = 16 * 1024 * 1024
"""A backup that must be copied (no hard links) copies at most this much."""

def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def _keep_backup(path: Path) -> None:
    """Make `<path>.bak` a copy of the current file, atomically (a hard link where possible)."""
    bak = backup_path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bak.tmp", dir=path.parent)
    os.close(fd)
    try:
        os.unlink(tmp)
        try:
            os.link(path, tmp)
        except OSError:  # no hard links here (some network or FAT file systems): copy
            with open(path, "rb") as src, open(tmp, "xb") as dst:
                dst.write(src.read(MAX_BACKUP_BYTES + 1))
                dst.flush()
                os.fsync(dst.fileno())
        os.replace(tmp, bak)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _file_mode(path: Path) -> int:
    """The mode a plain open() would give: the existing file's, else 0666 less the umask."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path | str, data: bytes, *, keep_backup: bool = True) -> None:
    """Write `data` to `path` so that a crash at any moment leaves either the old file or the new one:
    temp file in the same folder, fsync, (previous version linked to `<path>.bak`), rename, fsync folder."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes 0600; a class's saves must be readable by the teacher (os.fchmod: POSIX, and Windows
        # only from Python 3.13, where chmod by name does the same)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _file_mode(path))
        else:
            os.chmod(tmp, _file_mode(path))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if keep_backup and path.is_file():
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def remove_stale_temp_files(path: Path, age: float = 600.0) -> None:
    """Temp files that a write killed half-way left behind (only ours, and only old ones)."""
    now = time.time()
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > age:
                tmp.unlink()
