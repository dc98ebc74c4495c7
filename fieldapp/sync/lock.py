"""One sync at a time per store, across threads and processes.

A thread lock keeps two syncs of one process apart; an exclusive OS lock on `DATA/sync.lock`
(fcntl on Linux and macOS, msvcrt on Windows) keeps the desktop app and a `fieldapp sync` in a
terminal apart. The OS drops the lock when its process dies, so a crash never leaves it held.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from fieldapp.sync.errors import SyncBusy

LOCK_FILE = "sync.lock"
_POLL_S = 0.05
_THREAD_LOCKS: dict[Path, threading.Lock] = {}
_GUARD = threading.Lock()


def _thread_lock(path: Path) -> threading.Lock:
    with _GUARD:
        return _THREAD_LOCKS.setdefault(path.resolve(), threading.Lock())


def _try_os_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _os_unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class SyncLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._thread = _thread_lock(self.path)

    @contextmanager
    def hold(self, wait_s: float = 0.0) -> Iterator[None]:
        deadline = time.monotonic() + wait_s
        got = self._thread.acquire(timeout=wait_s) if wait_s > 0 else self._thread.acquire(False)
        if not got:
            raise SyncBusy("a sync of this store is already running")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            with os.fdopen(fd, "r+b") as handle:
                while not _try_os_lock(handle):
                    if time.monotonic() >= deadline:
                        raise SyncBusy(
                            "another program is syncing this store (the desktop app or"
                            " 'fieldapp sync'); try again when it is done"
                        )
                    time.sleep(_POLL_S)
                try:
                    yield
                finally:
                    _os_unlock(handle)
        finally:
            self._thread.release()
