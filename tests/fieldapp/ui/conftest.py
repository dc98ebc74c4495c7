"""Fixtures for the UI tests: a real demo store (copied per test) and an in-memory keystore."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from corekit import FakeClock, MemoryKeyring
from keyring.backends import fail
from pytestqt.qtbot import QtBot

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, list_wells
from fieldapp.ui.app import AppController
from fieldapp.ui.ops import OpRunner
from wellpulse_demo.field_records import create_demo

# Every OpRunner made in these tests guards its store against the GUI thread: a screen that
# reads or writes the store while painting raises WrongThreadError and its test fails.
os.environ["FIELDAPP_DEBUG_THREADS"] = "1"

PASSPHRASE = "wellpulse-demo"
DEMO_DAYS = 40


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def keystore() -> Keystore:
    """No usable OS keystore: the store opens with its passphrase only."""
    return Keystore(fail.Keyring())


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo store (12 wells, 40 days, today unrecorded) built once and copied per test."""
    folder = tmp_path_factory.mktemp("demo") / "store"
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # create_demo uses the default keystore
    try:
        create_demo(folder, PASSPHRASE, days=DEMO_DAYS, field_records=False).close()
    finally:
        keyring.set_keyring(previous)
    return folder


@pytest.fixture
def data_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def store(data_dir: Path, keystore: Keystore) -> Iterator[Store]:
    """The store opened directly, to read what the UI wrote (closed after the test)."""
    opened = Store.open(data_dir, keystore, lambda: PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def runner(qtbot: QtBot, data_dir: Path, keystore: Keystore) -> Iterator[OpRunner]:
    """An OpRunner whose worker holds the opened demo store."""
    ops = OpRunner()
    opened: list[object] = []
    ops.open(lambda: Store.open(data_dir, keystore, lambda: PASSPHRASE), opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    yield ops
    ops.shutdown()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def controllers(qtbot: QtBot) -> Iterator[list[AppController]]:
    """Controllers a test made (append them): quit and their windows deleted afterwards."""
    made: list[AppController] = []
    yield made
    for controller in made:
        controller.quit()
        for widget in (
            controller.window,
            controller.dialog,
            controller.setup,
            controller.message_box,
        ):
            if widget is not None:
                widget.deleteLater()


@pytest.fixture
def wells(store: Store) -> list[Well]:
    """The demo store's wells, in route order."""
    with store.read() as conn:
        return list_wells(conn)
