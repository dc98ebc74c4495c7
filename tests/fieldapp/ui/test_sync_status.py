"""The desktop app's automatic sync: the status bar follows the sync thread, lock and exit stop it.

The stores and widgets are real. Only the network side is faked: `FakeSync` stands where the
sync engine and its server would be, and does what they do to the store (apply a pulled page,
store a push's answers) with the real core functions, announcing the same named events from a
plain thread. One test runs the real `AutoSync` against a port nobody listens on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from corekit import FakeClock
from fieldkit import TIMEZONE, days_ago, fail_keystore
from live_server import free_port
from pytestqt.qtbot import QtBot

from fieldapp.core.autolock import AutoLock
from fieldapp.core.inbox import apply_page, set_state
from fieldapp.core.keystore import Keystore
from fieldapp.core.outbox import next_batch, record_results
from fieldapp.core.store import Store
from fieldapp.sync.credentials import Credentials, ServerLink
from fieldapp.sync.engine import Listener, SyncReport
from fieldapp.ui.app import AppController
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.production_page import ProductionPage
from fieldapp.ui.route_page import RoutePage
from fieldapp.ui.sync_status import SyncStatusPanel, badge_text, last_sync_text
from shared.contracts import BatchResponse, Change, ChangesPage, EventResult, ProductionRecorded
from shared.events import DeviceIdentity, utc_timestamp


class FakeSync:
    """The automatic sync with the network faked: the test says what the server answers."""

    def __init__(self, store: Store, listener: Listener) -> None:
        self.store = store
        self.listener = listener
        self.started = threading.Event()
        self.stopped = threading.Event()
        self.store_open_at_stop: bool | None = None
        self.nudges = 0
        self.thread_ids: set[int] = set()
        self.cursor = 0

    # what the app calls (start and stop on its worker thread, nudge on the GUI thread)
    def start(self) -> None:
        self.started.set()

    def stop(self) -> None:
        self.store_open_at_stop = not self.store.closed
        self.stopped.set()

    def nudge(self) -> None:
        self.nudges += 1

    # what the sync thread does
    def on_thread(self, *steps: Callable[[], object]) -> None:
        errors: list[BaseException] = []

        def body() -> None:
            self.thread_ids.add(threading.get_ident())
            try:
                for step in steps:
                    step()
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=body, name="fake-sync")
        thread.start()
        thread.join(10)
        assert not thread.is_alive()
        assert not errors, errors

    def emit(self, name: str, **details: Any) -> None:
        self.listener(name, details)

    def pull_wells(self, count: int) -> None:
        changes = []
        for n in range(1, count + 1):
            well = {
                "id": str(uuid4()),
                "api_number": f"42501{n:05d}",
                "name": f"Spraberry {n}",
                "field": "Spraberry",
                "lease": "Lease A",
                "latitude": None,
                "longitude": None,
                "status": "active",
                "well_type": "oil",
            }
            changes.append(Change(server_seq=self.cursor + n, kind="well", version=1, data=well))
        self.cursor += count
        page = ChangesPage(changes=changes, next_cursor=self.cursor, has_more=False)
        outcome = apply_page(self.store, page)
        self.emit("sync.pulled", applied=outcome.applied, cursor=outcome.next_cursor)

    def answer_push(self, statuses: list[str]) -> None:
        batch = next_batch(self.store, limit=500, max_bytes=1_000_000)
        assert len(batch) == len(statuses)
        results = []
        for item, status in zip(batch, statuses, strict=True):
            extra: dict[str, Any] = {"server_seq": item.device_seq + 100, "version": 2}
            if status == "conflict":
                extra["conflict_id"] = uuid4()
            elif status == "rejected":
                extra = {"reasons": [{"rule": "oil_max", "field": "oil_bbl", "message": "no"}]}
            results.append(EventResult(event_id=item.event_id, status=status, **extra))
        outcome = record_results(self.store, batch, BatchResponse(results=results))
        self.emit("sync.pushed", sent=len(batch), counts=dict(outcome.counts))

    def finish(self) -> None:
        with self.store.write() as txn:
            set_state(txn.db, {"last_sync": utc_timestamp()})
        self.emit("sync.finished", report=SyncReport())


def server_store(data_dir: Path, passphrase: str, url: str | None) -> Path:
    """A store registered with a server (mode "server"), unlocked by its passphrase only."""
    identity = DeviceIdentity(uuid4(), uuid4(), uuid4(), "device-secret")
    store = Store.create(
        data_dir, passphrase, fail_keystore(), timezone=TIMEZONE, mode="server", identity=identity
    )
    if url is not None:
        Credentials(store, fail_keystore()).save_link(ServerLink(url, "demo", "operator1"))
    store.close()
    return data_dir


Make = Callable[..., AppController]


@pytest.fixture
def fakes() -> list[FakeSync]:
    return []


@pytest.fixture
def make(
    qtbot: QtBot,
    controllers: list[AppController],
    keystore: Keystore,
    passphrase: str,
    clock: FakeClock,
    fakes: list[FakeSync],
) -> Make:

    def fake_sync(store: Store, _keys: Keystore, listener: Listener) -> FakeSync:
        fake = FakeSync(store, listener)
        fakes.append(fake)
        return fake

    def build(data_dir: Path, *, real_sync: bool = False) -> AppController:
        options = {} if real_sync else {"sync_factory": fake_sync}
        controller = AppController(
            data_dir, keystore, passphrase, AutoLock(timeout_s=900, clock=clock), **options
        )
        controllers.append(controller)
        controller.start()
        qtbot.waitUntil(lambda: window_of(controller).isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: "Pending sync" in window_of(controller).store_status.text())
        return controller

    return build


def window_of(controller: AppController) -> MainWindow:
    assert controller.window is not None
    return controller.window


@pytest.fixture
def registered(tmp_path: Path, passphrase: str) -> Path:
    return server_store(tmp_path / "device", passphrase, f"http://127.0.0.1:{free_port()}")


def record(well_id: str, oil: float) -> ProductionRecorded:
    return ProductionRecorded(
        well_id=UUID(well_id),
        production_date=days_ago(1),
        oil_bbl=oil,
        gas_mcf=oil * 1.2,
        water_bbl=oil * 0.3,
        hours_on=24,
    )


def test_status_bar_follows_the_sync_thread(
    qtbot: QtBot,
    make: Make,
    registered: Path,
    fakes: list[FakeSync],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    updated_on: set[int] = set()
    for name in ("on_event", "show_status"):
        original = getattr(SyncStatusPanel, name)

        def spy(self: SyncStatusPanel, *args: Any, _original: Any = original) -> None:
            updated_on.add(threading.get_ident())
            _original(self, *args)

        monkeypatch.setattr(SyncStatusPanel, name, spy)
    controller = make(registered)
    window, fake = window_of(controller), fakes[0]
    panel = window.sync_panel
    qtbot.waitUntil(lambda: fake.started.is_set())
    assert panel.connection.text() == "Checking server…"
    assert panel.last_sync.text() == "Never synced"
    assert "Store: server" in panel.store.text()
    assert panel.badge.isHidden()

    fake.on_thread(lambda: fake.emit("connectivity.offline"))
    qtbot.waitUntil(lambda: panel.connection.text() == "Offline")
    assert panel.connection.property("online") == "no"

    fake.on_thread(
        lambda: fake.emit("connectivity.online"),
        lambda: fake.emit("sync.started"),
        lambda: fake.pull_wells(3),
        fake.finish,
    )
    route = window.pages["route"]
    assert isinstance(route, RoutePage)
    qtbot.waitUntil(lambda: route.model.rowCount() == 3, timeout=10_000)  # the route refreshed
    qtbot.waitUntil(lambda: panel.last_sync.text().startswith("Last sync "))
    assert panel.connection.text() == "Online"
    assert panel.connection.property("online") == "yes"
    assert panel.connection.isVisible()

    for n, row in enumerate(route.model.state.rows, start=1):
        production = window.pages["production"]
        assert isinstance(production, ProductionPage)
        production.save(record(row.well_id, 100.0 * n))  # as the page's Save button does
    qtbot.waitUntil(lambda: "Pending sync: 3" in panel.store.text(), timeout=10_000)
    qtbot.waitUntil(lambda: fake.nudges == 3)  # every save asks for a sync soon

    fake.on_thread(
        lambda: fake.emit("sync.started"),
        lambda: fake.answer_push(["conflict", "conflict", "rejected"]),
        fake.finish,
    )
    qtbot.waitUntil(lambda: "Pending sync: 0" in panel.store.text(), timeout=10_000)
    assert panel.badge.text() == "2 conflicts · 1 rejected"
    assert panel.badge.isVisible()
    assert panel.badge.accessibleName() == "Sync problems"

    fake.on_thread(lambda: fake.emit("sync.failed", error="the server is busy"))
    stopped = "Sync stopped: the server is busy"
    qtbot.waitUntil(lambda: stopped in window.statusBar().currentMessage())
    assert fake.thread_ids
    assert updated_on == {threading.main_thread().ident}  # never on the sync thread
    assert not updated_on & fake.thread_ids


def test_auto_lock_stops_the_sync_before_the_store_closes(
    qtbot: QtBot,
    make: Make,
    registered: Path,
    fakes: list[FakeSync],
    clock: FakeClock,
    passphrase: str,
) -> None:
    controller = make(registered)
    window, first = window_of(controller), fakes[0]
    qtbot.waitUntil(lambda: first.started.is_set())
    assert controller.autosync.running
    clock.now += 901
    controller.check_lock()
    qtbot.waitUntil(lambda: first.store.closed, timeout=10_000)
    assert first.stopped.is_set()
    assert first.store_open_at_stop is True  # stopped first, then the store was closed
    assert not controller.autosync.running

    first.on_thread(lambda: first.emit("connectivity.online"))  # late news of the old sync
    qtbot.wait(100)
    assert panel_hidden(window)
    assert window.store_status.text() == "Locked"

    assert controller.dialog is not None
    controller.dialog.passphrase.setText(passphrase)
    controller.dialog.submit()
    qtbot.waitUntil(lambda: len(fakes) == 2 and fakes[1].started.is_set(), timeout=10_000)
    assert fakes[1].store is not first.store  # the reopened store syncs again
    qtbot.waitUntil(lambda: window.sync_panel.connection.text() == "Checking server…")


def panel_hidden(window: MainWindow) -> bool:
    panel = window.sync_panel
    return panel.connection.isHidden() and panel.badge.isHidden() and panel.last_sync.isHidden()


def test_quit_stops_the_sync_before_the_store_closes(
    qtbot: QtBot, make: Make, registered: Path, fakes: list[FakeSync]
) -> None:
    controller = make(registered)
    fake = fakes[0]
    qtbot.waitUntil(lambda: fake.started.is_set())
    controller.quit(0)
    assert fake.stopped.is_set()
    assert fake.store_open_at_stop is True
    assert fake.store.closed


def test_a_local_store_does_not_sync(
    qtbot: QtBot, make: Make, data_dir: Path, fakes: list[FakeSync]
) -> None:
    controller = make(data_dir)
    window = window_of(controller)
    route = window.pages["route"]
    assert isinstance(route, RoutePage)
    qtbot.waitUntil(lambda: route.model.rowCount() == 12, timeout=10_000)
    assert fakes == []
    assert not controller.autosync.running
    assert "Store: local" in window.store_status.text()
    assert panel_hidden(window)


def test_the_real_autosync_finds_no_server_and_says_offline(
    qtbot: QtBot, make: Make, registered: Path
) -> None:
    controller = make(registered, real_sync=True)
    panel = window_of(controller).sync_panel
    qtbot.waitUntil(lambda: panel.connection.text() == "Offline", timeout=15_000)
    assert any(t.name == "autosync" for t in threading.enumerate())
    controller.quit(0)
    assert not any(t.name == "autosync" and t.is_alive() for t in threading.enumerate())


def test_a_store_without_its_server_link_says_sync_off(
    qtbot: QtBot, make: Make, tmp_path: Path, passphrase: str
) -> None:
    controller = make(server_store(tmp_path / "unlinked", passphrase, None), real_sync=True)
    window = window_of(controller)
    qtbot.waitUntil(lambda: window.sync_panel.connection.text() == "Sync off", timeout=10_000)
    assert "not registered" in window.sync_panel.connection.toolTip()
    assert "Automatic sync is off" in window.statusBar().currentMessage()
    assert not controller.autosync.running


def test_badge_and_last_sync_texts() -> None:
    assert badge_text(0, 0) == ""
    assert badge_text(1, 0) == "1 conflict"
    assert badge_text(2, 1) == "2 conflicts · 1 rejected"
    assert badge_text(0, 3) == "3 rejected"
    assert last_sync_text(None) == "Never synced"
    stamp = "2025-03-03T19:05:00Z"
    when = datetime.fromisoformat(stamp).astimezone()
    assert last_sync_text(stamp, now=when) == f"Last sync {when:%H:%M}"
    later = when.replace(year=when.year + 1)
    assert last_sync_text(stamp, now=later) == f"Last sync {when:%a} {when.day} {when:%b %H:%M}"
