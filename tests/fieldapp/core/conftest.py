"""Fixtures for the device core: real SQLCipher stores in temp folders, no OS keystore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring.backends.fail
import pytest
from corekit import PASSPHRASE, MemoryKeyring

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from shared.contracts import WellRegistered


@pytest.fixture
def no_keystore() -> Keystore:
    return Keystore(keyring.backends.fail.Keyring())


@pytest.fixture
def memory_keystore() -> Keystore:
    return Keystore(MemoryKeyring())


@pytest.fixture
def store(tmp_path: Path, no_keystore: Keystore) -> Iterator[Store]:
    with Store.create(tmp_path / "data", PASSPHRASE, no_keystore) as opened:
        yield opened


@pytest.fixture
def well(store: Store) -> Well:
    return register_well(store, WellRegistered(api_number="42-501-20130", name="Smith 1H"))[0]
