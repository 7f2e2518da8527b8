"""Writing a file so that a crash at any moment leaves the old version or the new one, never half of
either: temp file in the same folder, fsync, previous version kept as `<file>.bak`, rename, fsync of the
folder. Used by saves, debriefs and sweep outputs alike."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import socket
import stat
import tempfile
import time
from collections.abc import Iterable
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


_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
"""In temp file names, so that a writer on another machine (a shared folder) is never taken for dead."""


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.{_HOST}-{os.getpid()}."


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def _keep_backup(path: Path) -> None:
    """Make `<path>.bak` a copy of the current file, atomically (a hard link where possible)."""
    bak = backup_path(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".bak.tmp", dir=path.parent)
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


class ChangedUnderneath(OSError):
    """The target changed (another program wrote it) between the check and the rename: not replaced."""


def identity(path: Path) -> tuple[int, int, int, int] | None:
    """What tells one version of a file from another (None: no file there)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def atomic_write(path: Path | str, data: bytes | Iterable[bytes], *, keep_backup: bool = True, expect: object = ...,
                 aside: Path | None = None) -> None:
    """Write `data` to `path` so that a crash at any moment leaves either the old file or the new one:
    temp file in the same folder, fsync, (previous version linked to `<path>.bak`), rename, fsync folder.

    `expect`: the target's `identity()` when the caller judged it; if it differs just before the rename
    (another writer), nothing is replaced and ChangedUnderneath is raised. `aside`: move the current file
    there instead of backing it up, only once the new bytes are safely on disk. `data` may be chunks, written
    as they come (a file larger than memory, e.g. a million games' games.jsonl)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes 0600; a class's saves must be readable by the teacher (os.fchmod: POSIX, and Windows
        # only from Python 3.13, where chmod by name does the same)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _file_mode(path))
        else:
            os.chmod(tmp, _file_mode(path))
        with os.fdopen(fd, "wb") as f:
            for chunk in [data] if isinstance(data, bytes) else data:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        if expect is not ... and identity(path) != expect:
            raise ChangedUnderneath(f"{path.name} was changed by another program while this was saved")
        if aside is not None:
            os.replace(path, aside)
        elif keep_backup and path.is_file():
            _keep_backup(path)
        if expect is None:  # there was no file: create it only if still none (another writer may race)
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise ChangedUnderneath(f"{path.name} was created by another program while this was saved") \
                    from None
            except OSError:  # no hard links here: the check above is the best there is
                os.replace(tmp, path)
            else:
                os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _writer_alive(path: Path, tmp: str) -> bool:
    """Whether the process that named this temp file of `path` may still be writing it."""
    try:
        host, pid = tmp[len(path.name) + 2:].split(".", 1)[0].rsplit("-", 1)
    except ValueError:
        return True  # not named by this version: judged by age alone
    if host != _HOST or os.name != "posix" or not pid.isdigit():
        return True  # another machine, or no safe way to ask (os.kill(pid, 0) kills on Windows)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists (another user's)
    return True


def remove_stale_temp_files(path: Path, age: float = 600.0) -> None:
    """Temp files that a write killed half-way left behind (only ours): at once when their writer is
    gone, else once they are `age` seconds old."""
    now = time.time()
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if not _writer_alive(path, tmp.name) or now - tmp.stat().st_mtime > age:
                tmp.unlink()
