"""Atomic, private file writes: temp file private first, write, fsync, replace, fsync the folder.

Portable: `os.fchmod` exists on POSIX only (Python 3.13 added it on Windows), so where it is
missing the temp file's mode is set by path (Windows honours only the read-only bit; the data
folder lives in the user's profile, private by its ACL). Files are opened in binary mode
(`O_BINARY`, Windows only) so no newline is ever translated, and the folder is fsynced only
where a folder can be opened (POSIX); on Windows `os.replace` is already durable.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE = 0o600
# a folder can be opened and fsynced on POSIX only
FOLDER_FSYNC = os.name == "posix"
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, _WRITE_FLAGS, PRIVATE)
    try:
        _make_private(fd, tmp)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def _make_private(fd: int, path: Path) -> None:
    """Owner-only permissions before any byte is written (an existing temp file keeps its mode
    through O_CREAT, so the mode given to `os.open` is not enough)."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, PRIVATE)
    else:
        os.chmod(path, PRIVATE)


def fsync_dir(folder: Path) -> None:
    if not FOLDER_FSYNC:
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
