"""Replacing a data folder by a new one built beside it, so that a crash at any point leaves
one whole store in place (or a swap the next open finishes), on Windows too.

The new store is built in `<data-dir>.linking`. When it is complete and checked, the marker
`link.ready` (naming where the old folder goes) is written into it; then the old folder is
renamed to `<data-dir>.local-<UTC timestamp>` and the new one to `<data-dir>`, and the marker
is removed. Only folder renames are used, and only after every connection to both stores is
closed (Windows cannot rename a folder holding an open file, nor rename over a folder).

- a staging folder without the marker is an attempt that never finished: `discard_staging`
  removes it (and its keystore entries) before the next attempt;
- the marker with the old store still in `<data-dir>`: the swap never started (the same);
- the marker with no store in `<data-dir>`: the old one was moved aside and the crash came
  before the second rename: `finish_interrupted` (run by `Store.open`) completes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.core.atomic import fsync_dir, write_private
from fieldapp.core.errors import StoreError
from fieldapp.core.keys import KEY_FILE_NAME, KeyFile
from fieldapp.core.keystore import Keystore

STAGING_SUFFIX = ".linking"
READY_MARKER = "link.ready"
KEYSTORE_ENTRIES = ("store-key", "access-token", "refresh-token")


def staging_dir(data_dir: Path) -> Path:
    return data_dir.with_name(data_dir.name + STAGING_SUFFIX)


def kept_dir(data_dir: Path, now: datetime | None = None) -> Path:
    """A new name for the old folder: `<data-dir>.local-<UTC timestamp>` (-2, -3… if taken)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = data_dir.with_name(f"{data_dir.name}.local-{stamp}")
    candidate, n = base, 1
    while candidate.exists():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def has_store(folder: Path) -> bool:
    return (folder / KEY_FILE_NAME).exists()


def swap_pending(data_dir: Path) -> bool:
    """A registered store waits beside `data_dir` for a swap a crash cut short."""
    return (staging_dir(data_dir) / READY_MARKER).exists() and not has_store(data_dir)


def discard_staging(data_dir: Path, keystore: Keystore) -> bool:
    """Remove what an unfinished attempt left beside `data_dir` (its folder and the keystore
    entries of its store); True when there was something."""
    staging = staging_dir(data_dir)
    if not staging.exists():
        return False
    with contextlib.suppress(FileNotFoundError, StoreError):
        store_id = KeyFile.load(staging).store_id
        for name in KEYSTORE_ENTRIES:
            keystore.delete(store_id, name)
    shutil.rmtree(staging)
    return True


def mark_ready(staging: Path, kept: Path) -> None:
    write_private(staging / READY_MARKER, kept.name.encode("utf-8"))


def swap_in(data_dir: Path, staging: Path) -> Path:
    """Move the old folder aside and the staging folder into its place; returns the old
    folder's new path. Both stores must be closed."""
    kept = data_dir.with_name((staging / READY_MARKER).read_text("utf-8").strip())
    try:
        os.rename(data_dir, kept)
    except OSError as exc:  # Windows: a file in it is open (the desktop app?)
        raise StoreError(
            f"could not move {data_dir} aside ({exc.strerror}): close every program using the"
            " store and run the command again; nothing was changed"
        ) from None
    fsync_dir(data_dir.parent)
    _promote(staging, data_dir)
    return kept


def _promote(staging: Path, data_dir: Path) -> None:
    os.rename(staging, data_dir)
    fsync_dir(data_dir.parent)
    (data_dir / READY_MARKER).unlink()
    fsync_dir(data_dir)


def finish_interrupted(data_dir: Path) -> Path | None:
    """Complete a swap a crash interrupted after the old folder was moved aside; returns where
    the old folder is, or None when there was nothing to finish."""
    with contextlib.suppress(FileNotFoundError):
        (data_dir / READY_MARKER).unlink()  # the swap was done but for its marker
    staging = staging_dir(data_dir)
    marker = staging / READY_MARKER
    if not marker.exists() or has_store(data_dir):
        return None
    kept = data_dir.with_name(marker.read_text("utf-8").strip())
    if not has_store(kept):
        return None  # not our swap: leave both folders for a person to look at
    if data_dir.exists():
        try:
            data_dir.rmdir()  # an empty folder made since, e.g. by the app's settings
        except OSError:
            raise StoreError(
                f"{data_dir} holds files but no store, and a registered store waits in"
                f" {staging}: move {data_dir} away and run the command again"
            ) from None
    _promote(staging, data_dir)
    return kept
