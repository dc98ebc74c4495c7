"""The folder swap of `fieldapp link` with real SQLCipher stores: the swap itself, and the state
a crash leaves at each step (before the marker, after it, between the two renames, before the
marker is removed), each ending with exactly one store in the data folder and nothing lost."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from corekit import MemoryKeyring
from fieldkit import PASSPHRASE, create_store, fail_keystore, snapshot

from fieldapp.core.errors import StoreError, StoreExistsError
from fieldapp.core.folder_swap import (
    READY_MARKER,
    discard_staging,
    finish_interrupted,
    kept_dir,
    mark_ready,
    staging_dir,
    swap_in,
    swap_pending,
)
from fieldapp.core.keystore import Keystore
from fieldapp.core.startup_flow import store_exists
from fieldapp.core.store import Store

OLD_WELL, NEW_WELL = ("4250120130", "old"), ("4200312345", "new")


def two_stores(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An old store in `field`, a new one in its staging folder, and the name kept for the old."""
    data = tmp_path / "field"
    create_store(data, [OLD_WELL]).close()
    staging = staging_dir(data)
    create_store(staging, [NEW_WELL]).close()
    kept = kept_dir(data, datetime(2026, 12, 7, 14, 30, tzinfo=UTC))
    return data, staging, kept


def wells_in(data: Path) -> list[str]:
    with Store.open(data, fail_keystore(), lambda: PASSPHRASE) as store, store.read() as conn:
        return [str(r[0]) for r in conn.exec_driver_sql("SELECT name FROM wells")]


def test_kept_names_carry_the_time_and_never_reuse_a_folder(tmp_path: Path) -> None:
    data = tmp_path / "field"
    moment = datetime(2026, 12, 7, 14, 30, 5, tzinfo=UTC)
    first = kept_dir(data, moment)
    assert first.name == "field.local-20261207T143005Z" and first.parent == tmp_path
    first.mkdir()
    assert kept_dir(data, moment).name == "field.local-20261207T143005Z-2"
    assert staging_dir(data) == tmp_path / "field.linking"


def test_the_swap_keeps_the_old_store_under_its_new_name(tmp_path: Path) -> None:
    data, staging, kept = two_stores(tmp_path)
    old, new = snapshot(data), snapshot(staging)
    mark_ready(staging, kept)
    assert swap_in(data, staging) == kept
    assert snapshot(kept) == old and snapshot(data) == new  # the marker is gone too
    assert not staging.exists()
    assert wells_in(data) == ["new"] and wells_in(kept) == ["old"]


def test_a_crash_between_the_renames_is_finished_by_the_next_open(tmp_path: Path) -> None:
    data, staging, kept = two_stores(tmp_path)
    mark_ready(staging, kept)
    os.rename(data, kept)  # the first step of swap_in, then the power went
    assert wells_in(data) == ["new"]  # Store.open finished it
    assert not staging.exists() and not (data / READY_MARKER).exists()
    assert wells_in(kept) == ["old"]


def test_a_crash_before_the_marker_was_removed_is_tidied(tmp_path: Path) -> None:
    data, staging, kept = two_stores(tmp_path)
    mark_ready(staging, kept)
    os.rename(data, kept)
    os.rename(staging, data)
    assert finish_interrupted(data) is None
    assert not (data / READY_MARKER).exists() and wells_in(data) == ["new"]


def test_before_the_swap_the_old_store_stays_and_the_copy_is_discarded(tmp_path: Path) -> None:
    data, staging, kept = two_stores(tmp_path)
    old = snapshot(data)
    mark_ready(staging, kept)  # ready, but the old folder was never moved
    assert finish_interrupted(data) is None and snapshot(data) == old
    assert discard_staging(data, fail_keystore()) and not staging.exists()
    assert not discard_staging(data, fail_keystore())  # nothing left the second time
    assert wells_in(data) == ["old"]


def test_a_discarded_copy_takes_its_keystore_entries_along(tmp_path: Path) -> None:
    keystore = Keystore(MemoryKeyring())
    data = tmp_path / "field"
    create_store(data, [OLD_WELL]).close()
    with Store.create(staging_dir(data), PASSPHRASE, keystore) as copy:
        store_id = copy.keyfile.store_id
        keystore.save_text(store_id, "refresh-token", "a-token-of-the-copy")
    assert keystore.load(store_id) is not None
    assert discard_staging(data, keystore)
    assert keystore.load(store_id) is None
    assert keystore.load_text(store_id, "refresh-token") is None


def test_a_data_folder_with_other_files_is_not_overwritten(tmp_path: Path) -> None:
    data, staging, kept = two_stores(tmp_path)
    mark_ready(staging, kept)
    os.rename(data, kept)
    data.mkdir()
    (data / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="holds files but no store"):
        finish_interrupted(data)
    assert (data / "notes.txt").read_text() == "mine" and staging.exists()


def test_a_pending_swap_is_a_store_for_the_app_and_for_init(tmp_path: Path) -> None:
    data, staging, kept = two_stores(tmp_path)
    mark_ready(staging, kept)
    os.rename(data, kept)
    assert swap_pending(data) and store_exists(data)  # the app opens it, never offers setup
    with pytest.raises(StoreExistsError):
        Store.check_can_create(data, PASSPHRASE, "America/Chicago")  # init finished it first
    assert not swap_pending(data) and wells_in(data) == ["new"]
