"""The Sync screen as an operator uses it: on the demo store, and on laptops registered with a
real `sync-server run` process where two devices recorded the same well-day (a conflict) or the
server refused a record (a rejection)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fieldkit import PASSPHRASE, days_ago, fail_keystore
from live_server import LiveServer
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from serverkit import new_org
from synckit import FAST, Device, add_wells

from fieldapp.core.preferences import Preferences
from fieldapp.core.store import Store
from fieldapp.sync.connect import engine_for
from fieldapp.sync.engine import SyncReport
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.sync_page import LOCAL_ONLY, SyncPage
from fieldapp.ui.sync_status import SyncBridge
from shared.contracts import EventType
from shared.events import new_id
from shared.units import UnitSystem

USERS = (("op0", "operator"), ("op1", "operator"))
_LEFT = Qt.MouseButton.LeftButton


def loaded(qtbot: QtBot, runner: OpRunner) -> SyncPage:
    page = SyncPage(runner)
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
    return page


def reload(qtbot: QtBot, page: SyncPage) -> None:
    before = page.data
    page.refresh()
    qtbot.waitUntil(lambda: page.data is not before, timeout=10_000)


def column(page_model: Any, col: int) -> list[str]:
    return [page_model.state.text(r, col) for r in range(page_model.rowCount())]


def test_the_pending_tab_lists_what_waits_to_be_sent(
    qtbot: QtBot, runner: OpRunner, store: Store
) -> None:
    page = loaded(qtbot, runner)
    pending = store.status().pending
    assert pending > 0
    assert page.tabs.tabText(0) == f"Waiting to send ({pending})"
    assert page.pending.rowCount() == min(pending, 500)
    whats = set(column(page.pending, 0))
    assert {"Well added", "Production"} <= whats
    first_production = column(page.pending, 0).index("Production")
    assert page.pending.state.text(first_production, 1) != "—"  # the well's name
    assert "Oil (bbl)" in page.pending.state.text(first_production, 3)
    if pending > 500:
        assert page.pending_note.text() == f"Showing the first 500 of {pending}."
    page.set_preferences(Preferences(units=UnitSystem.METRIC))
    assert "Oil (m³)" in page.pending.state.text(first_production, 3)


def test_locking_clears_the_lists_even_when_a_load_was_on_its_way(
    qtbot: QtBot, runner: OpRunner
) -> None:
    page = loaded(qtbot, runner)
    assert page.pending.rowCount() > 0
    page.refresh()
    page.clear()  # the store locks while that load is on the worker
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert page.data is None and page.pending.rowCount() == 0
    assert page.tabs.tabText(0) == "Waiting to send (0)"


def test_a_local_only_store_cannot_sync_and_says_why(qtbot: QtBot, runner: OpRunner) -> None:
    page = loaded(qtbot, runner)
    requests: list[int] = []
    bridge = SyncBridge()
    page.attach_sync(bridge.happened, lambda: requests.append(1), available=False)
    assert not page.sync_button.isEnabled()
    assert page.off.isVisibleTo(page) and page.off.text() == LOCAL_ONLY
    page.attach_sync(bridge.happened, lambda: requests.append(1), available=True)
    assert not page.sync_button.isEnabled()  # the store itself says it is local only
    qtbot.mouseClick(page.sync_button, _LEFT)
    assert requests == []


def test_without_a_sync_the_window_attaches_no_events_and_sync_now_stays_off(
    qtbot: QtBot, runner: OpRunner
) -> None:
    page = SyncPage(runner)
    qtbot.addWidget(page)
    page.attach_sync(None, lambda: None, available=False)
    assert not page.sync_button.isEnabled() and page.off.text() == LOCAL_ONLY
    page.set_available(False, "the server link is unusable: sign in again")
    assert page.off.text() == "the server link is unusable: sign in again"


def test_sync_now_asks_for_a_sync_and_shows_its_progress(qtbot: QtBot, runner: OpRunner) -> None:
    page = SyncPage(runner)  # not loaded: whether the store is registered is not known yet
    qtbot.addWidget(page)
    bridge = SyncBridge()
    requests: list[int] = []
    page.attach_sync(bridge.happened, lambda: requests.append(1), available=True)
    page.progress.pending = 4
    assert page.sync_button.isEnabled() and not page.off.isVisibleTo(page)
    qtbot.mouseClick(page.sync_button, _LEFT)
    assert requests == [1]
    assert page.status.text() == "Sync requested: starting…"
    bridge.listener("sync.started", {})
    assert page.status.text() == "Syncing: sending 4 change(s)…"
    assert (page.bar.value(), page.bar.maximum()) == (0, 4)
    bridge.listener("sync.pushed", {"sent": 4, "counts": {"accepted": 4}})
    assert page.status.text() == "Syncing: sent 4 of 4 (4 accepted)"
    assert page.bar.value() == 4
    bridge.listener("sync.failed", {"error": "the server answered 503", "report": SyncReport()})
    assert page.status.text() == "Sync failed: the server answered 503"
    assert page.status.property("severity") == "error"
    bridge.listener("connectivity.offline", {})
    assert page.status.text().startswith("Offline: the server cannot be reached")
    qtbot.mouseClick(page.sync_button, _LEFT)
    assert requests == [1, 1]
    assert page.status.text().startswith("The server could not be reached; trying it again")


# --- against a real server ---------------------------------------------------------------------


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=10.0) as client:
        yield client


@pytest.fixture
def open_runner(qtbot: QtBot) -> Iterator[Callable[[Path], OpRunner]]:
    """An OpRunner holding the store of a registered laptop's folder (closed afterwards)."""
    made: list[OpRunner] = []

    def open_(data_dir: Path) -> OpRunner:
        ops = OpRunner()
        opened: list[object] = []
        ops.open(lambda: Store.open(data_dir, fail_keystore(), lambda: PASSPHRASE), opened.append)
        qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
        made.append(ops)
        return ops

    yield open_
    for ops in made:
        ops.shutdown()


def real_sync(runner: OpRunner, http: httpx.Client, bridge: SyncBridge) -> Callable[[], None]:
    """What the window's nudge does, made deterministic: one real sync on the worker."""

    def request() -> None:
        def op(store: Store) -> SyncReport:
            engine = engine_for(store, fail_keystore(), http=http, backoff=FAST)
            engine.listeners.append(bridge.listener)
            return engine.sync()

        runner.run(op)

    return request


def two_laptops_in_conflict(
    http: httpx.Client, database_url: str, tmp_path: Path
) -> tuple[Device, str, date]:
    """A (closed, in tmp_path/"a") recorded 100 bbl, B 140 for the same well-day; A has the
    conflict. Returns B (still open), the well's API number and the day."""
    org = new_org(database_url, USERS)
    (w1,) = add_wells(database_url, org, 1)
    a = Device.register(tmp_path / "a", http, org, "op0")
    b = Device.register(tmp_path / "b", http, org, "op1")
    day = days_ago(2)
    a.record(w1, day, oil=100.0)
    b.record(w1, day, oil=140.0)
    a.sync(), b.sync(), a.sync()  # B's push conflicts; A pulls the notice
    a.close()
    return b, w1, day


def laptop_a(tmp_path: Path, day: date) -> tuple[int, float]:
    """(open conflicts, oil of the well-day) in laptop A's store, read from its file."""
    with (
        Store.open(tmp_path / "a", fail_keystore(), lambda: PASSPHRASE) as seen,
        seen.read() as conn,
    ):
        oil = conn.exec_driver_sql(
            "SELECT oil_bbl FROM production WHERE production_date = ?", (day.isoformat(),)
        ).scalar()
        return seen.status().conflicts, float(oil)


def syncing_page(qtbot: QtBot, runner: OpRunner, http: httpx.Client) -> SyncPage:
    """The loaded page whose Sync now runs one real sync, its events shown."""
    page = loaded(qtbot, runner)
    bridge = SyncBridge(page)
    page.attach_sync(bridge.happened, real_sync(runner, http, bridge), available=True)
    return page


def test_a_conflict_from_two_laptops_is_compared_and_resolved_by_keeping_mine(
    qtbot: QtBot,
    live_server: LiveServer,
    http: httpx.Client,
    database_url: str,
    tmp_path: Path,
    open_runner: Callable[[Path], OpRunner],
) -> None:
    b, w1, day = two_laptops_in_conflict(http, database_url, tmp_path)
    runner = open_runner(tmp_path / "a")
    page = syncing_page(qtbot, runner, http)
    assert page.sync_button.isEnabled()
    assert page.tabs.tabText(2) == "Conflicts (1)"
    page.show_context({"show": "conflicts"})
    assert page.tabs.currentIndex() == 2
    assert column(page.conflicts, 0) == ["Well 1"]
    assert column(page.conflicts, 1) == [day.isoformat()]
    panel = page.conflict_panel
    rows = {
        panel.model.state.text(r, 0): (panel.model.state.text(r, 1), panel.model.state.text(r, 2))
        for r in range(panel.model.rowCount())
    }
    assert rows["Oil (bbl) — differs"] == ("100", "140")
    assert rows["Gas (Mcf) — differs"] == ("120", "168")
    assert rows["Water (bbl) — differs"] == ("30", "42")
    assert rows["Hours on"] == ("24", "24")  # the same on both sides: not marked
    assert panel.showing.text() == "The record shows their values for now."
    assert "Well 1 · " in panel.heading.text() and panel.mine.isEnabled()
    results = dict(zip(column(page.outcomes, 2), column(page.outcomes, 0), strict=True))
    assert results[day.isoformat()] == "✓ Accepted"  # A's record was accepted first

    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.mouseClick(panel.mine, _LEFT)
    qtbot.waitUntil(lambda: page.conflicts.rowCount() == 0, timeout=10_000)
    assert page.tabs.tabText(2) == "Conflicts (0)"
    assert "Conflict resolved" in column(page.pending, 0)
    assert laptop_a(tmp_path, day) == (0, 100.0)  # no open conflict; my figure stands

    qtbot.mouseClick(page.sync_button, _LEFT)  # the resolution goes to the server
    qtbot.waitUntil(lambda: page.progress.state == "done", timeout=30_000)
    assert page.status.text().startswith("Sync finished: sent 1 (1 accepted)")
    assert page.bar.value() == page.bar.maximum()
    qtbot.waitUntil(lambda: page.pending.rowCount() == 0, timeout=10_000)
    b.sync()
    assert b.day(w1, day)["oil_bbl"] == 100.0 and b.store.status().conflicts == 0
    b.close()


def test_keeping_theirs_leaves_the_other_laptops_values_everywhere(
    qtbot: QtBot,
    live_server: LiveServer,
    http: httpx.Client,
    database_url: str,
    tmp_path: Path,
    open_runner: Callable[[Path], OpRunner],
) -> None:
    b, w1, day = two_laptops_in_conflict(http, database_url, tmp_path)
    runner = open_runner(tmp_path / "a")
    page = syncing_page(qtbot, runner, http)
    page.show_context({"show": "conflicts"})
    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.mouseClick(page.conflict_panel.theirs, _LEFT)
    qtbot.waitUntil(lambda: page.conflicts.rowCount() == 0, timeout=10_000)
    qtbot.mouseClick(page.sync_button, _LEFT)  # the resolution goes to the server
    qtbot.waitUntil(lambda: page.progress.state == "done", timeout=30_000)
    runner.shutdown()
    assert laptop_a(tmp_path, day) == (0, 140.0)  # no open conflict; their figure stands
    b.sync()
    assert b.day(w1, day)["oil_bbl"] == 140.0 and b.store.status().conflicts == 0
    b.close()


def test_a_record_the_server_refused_is_fixed_and_resubmitted(
    qtbot: QtBot,
    live_server: LiveServer,
    http: httpx.Client,
    database_url: str,
    tmp_path: Path,
    open_runner: Callable[[Path], OpRunner],
) -> None:
    org = new_org(database_url, USERS)
    (w1,) = add_wells(database_url, org, 1)
    a = Device.register(tmp_path / "a", http, org, "op0")
    day: date = days_ago(1)
    payload = {
        "well_id": a.well_id(w1),
        "production_date": day.isoformat(),
        "oil_bbl": -5.0,
        "gas_mcf": 10.0,
        "water_bbl": 1.0,
        "hours_on": 24.0,
        "notes": "typo",
    }
    with a.store.write() as txn:  # as an older app whose rules let a negative volume through
        txn.append(EventType.PRODUCTION_RECORDED, new_id(), payload)
    assert a.sync().pushed.counts == {"rejected": 1}
    a.close()
    runner = open_runner(tmp_path / "a")
    page = loaded(qtbot, runner)
    assert page.tabs.tabText(3) == "Rejected (1)" and page.pending.rowCount() == 0
    assert column(page.rejections, 0) == ["Well 1"]
    assert "Oil (bbl):" in page.rejections.state.text(0, 3)
    assert column(page.outcomes, 0)[0] == "✗ Rejected"
    page.tabs.tabBar().setCurrentIndex(3)
    editor = page.fix_editor
    oil = editor.inputs["oil_bbl"]
    assert list(editor.inputs) == ["oil_bbl"] and oil.text() == "-5"
    assert editor.button.isEnabled()

    oil.setFocus()
    oil.selectAll()
    qtbot.keyClicks(oil, "lots")
    qtbot.mouseClick(editor.button, _LEFT)  # refused before anything is sent to the worker
    assert "not a number" in editor.problems["oil_bbl"].text()
    assert editor.problems["oil_bbl"].isVisibleTo(page)
    assert page.unsaved() == 1

    oil.selectAll()
    qtbot.keyClicks(oil, "-3")
    qtbot.mouseClick(editor.button, _LEFT)  # the store's rules refuse it on the worker
    qtbot.waitUntil(lambda: "negative" in editor.problems["oil_bbl"].text(), timeout=10_000)
    assert oil.text() == "-3" and editor.button.isEnabled()  # nothing typed is lost

    oil.selectAll()
    qtbot.keyClicks(oil, "5")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.keyClick(oil, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.rejections.rowCount() == 0, timeout=10_000)
    assert page.unsaved() == 0 and editor.inputs == {}
    assert column(page.pending, 0) == ["Production"]
    assert column(page.pending, 2) == [day.isoformat()]
    assert page.pending.state.text(0, 3).startswith("Oil (bbl) 5, Gas (Mcf) 10")
    assert column(page.outcomes, 0)[0] == "✗ Rejected (resubmitted)"
