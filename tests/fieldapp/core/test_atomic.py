"""Atomic private writes (fieldapp/core/atomic.py), and the store's file paths on a Python
without the POSIX-only calls (as on Windows), so a regression shows on Linux CI."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from corekit import PASSPHRASE

from fieldapp.core import atomic
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import list_wells, register_well
from shared.contracts import WellRegistered

POSIX_ONLY = ("fchmod", "fchown", "getuid", "geteuid", "getgid", "O_DIRECTORY", "O_NOFOLLOW")


@pytest.fixture
def without_posix_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    """What Windows' Python 3.11/3.12 lacks is removed; fcntl cannot be imported."""
    for name in POSIX_ONLY:
        monkeypatch.delattr(os, name, raising=False)
    monkeypatch.setitem(sys.modules, "fcntl", None)


def test_a_write_replaces_the_file_privately_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "keys.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    atomic.write_private(target, b"new\ncontent")
    assert target.read_bytes() == b"new\ncontent"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]


def test_a_stale_temp_file_with_wide_permissions_is_made_private(tmp_path: Path) -> None:
    target = tmp_path / "keys.json"
    stale = tmp_path / f".keys.json.{os.getpid()}.tmp"
    stale.write_bytes(b"leftover of a crash")
    stale.chmod(0o666)
    atomic.write_private(target, b"fresh")
    assert target.read_bytes() == b"fresh"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.usefixtures("without_posix_calls")
def test_writes_work_without_fchmod(tmp_path: Path) -> None:
    target = tmp_path / "settings.ini"
    atomic.write_private(target, b"[ui]\ntheme = sunlight\n")
    assert target.read_bytes() == b"[ui]\ntheme = sunlight\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.usefixtures("without_posix_calls")
def test_a_store_is_created_and_reopened_without_posix_calls(
    tmp_path: Path, no_keystore: Keystore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "FOLDER_FSYNC", False)  # as on Windows: no folder to open
    data = tmp_path / "data"
    with Store.create(data, PASSPHRASE, no_keystore) as store:
        register_well(store, WellRegistered(api_number="42-501-20130", name="Smith 1H"))
    with Store.open(data, no_keystore, lambda: PASSPHRASE) as store:
        with store.read() as conn:
            assert [w.name for w in list_wells(conn)] == ["Smith 1H"]
        assert verify_store(store).ok
