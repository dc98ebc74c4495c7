"""The Sync screen as an operator uses it: on the demo store, and on laptops registered with a
real `sync-server run` process where two devices recorded the same well-day (a conflict) or the
server refused a record (a rejection)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from answerkit import answer, demo_answers, many_conflicts, many_rejections
from fieldkit import PASSPHRASE, days_ago, fail_keystore
from live_server import LiveServer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot
from serverkit import new_org
from synckit import FAST, Device, add_wells
from uikit import on_worker

from fieldapp.core.conflicts import Conflict, list_conflicts, resolve
from fieldapp.core.preferences import Preferences
from fieldapp.core.store import Store
from fieldapp.sync.connect import engine_for
from fieldapp.sync.engine import SyncReport
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.sync_page import LOCAL_ONLY, SyncPage
from fieldapp.ui.sync_paged_list import PagedList
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
    assert not page.header.sync_button.isEnabled()
    assert page.header.off.isVisibleTo(page) and page.header.off.text() == LOCAL_ONLY
    page.attach_sync(bridge.happened, lambda: requests.append(1), available=True)
    assert not page.header.sync_button.isEnabled()  # the store itself says it is local only
    qtbot.mouseClick(page.header.sync_button, _LEFT)
    assert requests == []


def test_without_a_sync_the_window_attaches_no_events_and_sync_now_stays_off(
    qtbot: QtBot, runner: OpRunner
) -> None:
    page = SyncPage(runner)
    qtbot.addWidget(page)
    page.attach_sync(None, lambda: None, available=False)
    assert not page.header.sync_button.isEnabled() and page.header.off.text() == LOCAL_ONLY
    page.set_available(False, "the server link is unusable: sign in again")
    assert page.header.off.text() == "the server link is unusable: sign in again"


def test_sync_now_asks_for_a_sync_and_shows_its_progress(qtbot: QtBot, runner: OpRunner) -> None:
    page = SyncPage(runner)  # not loaded: whether the store is registered is not known yet
    qtbot.addWidget(page)
    bridge = SyncBridge()
    requests: list[int] = []
    page.attach_sync(bridge.happened, lambda: requests.append(1), available=True)
    page.progress.pending = 4
    assert page.header.sync_button.isEnabled() and not page.header.off.isVisibleTo(page)
    qtbot.mouseClick(page.header.sync_button, _LEFT)
    assert requests == [1]
    assert page.header.status.text() == "Sync requested: starting…"
    bridge.listener("sync.started", {})
    assert page.header.status.text() == "Syncing: sending 4 change(s)…"
    assert (page.header.bar.value(), page.header.bar.maximum()) == (0, 4)
    bridge.listener("sync.pushed", {"sent": 4, "counts": {"accepted": 4}})
    assert page.header.status.text() == "Syncing: sent 4 of 4 (4 accepted)"
    assert page.header.bar.value() == 4
    bridge.listener("sync.failed", {"error": "the server answered 503", "report": SyncReport()})
    assert page.header.status.text() == "Sync failed: the server answered 503"
    assert page.header.status.property("severity") == "error"
    bridge.listener("connectivity.offline", {})
    assert page.header.status.text().startswith("Offline: the server cannot be reached")
    qtbot.mouseClick(page.header.sync_button, _LEFT)
    assert requests == [1, 1]
    assert page.header.status.text().startswith("The server could not be reached; trying it again")


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
    assert page.header.sync_button.isEnabled()
    assert page.tabs.tabText(2) == "Conflicts (1)"
    page.show_context({"show": "conflicts"})
    assert page.tabs.currentIndex() == 2
    assert column(page.conflicts_tab.model, 0) == ["Well 1"]
    assert column(page.conflicts_tab.model, 1) == [day.isoformat()]
    panel = page.conflicts_tab.panel
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
    qtbot.waitUntil(lambda: page.conflicts_tab.model.rowCount() == 0, timeout=10_000)
    assert page.tabs.tabText(2) == "Conflicts (0)"
    assert "Conflict resolved" in column(page.pending, 0)
    assert laptop_a(tmp_path, day) == (0, 100.0)  # no open conflict; my figure stands

    qtbot.mouseClick(page.header.sync_button, _LEFT)  # the resolution goes to the server
    qtbot.waitUntil(lambda: page.progress.state == "done", timeout=30_000)
    assert page.header.status.text().startswith("Sync finished: sent 1 (1 accepted)")
    assert page.header.bar.value() == page.header.bar.maximum()
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
        qtbot.mouseClick(page.conflicts_tab.panel.theirs, _LEFT)
    qtbot.waitUntil(lambda: page.conflicts_tab.model.rowCount() == 0, timeout=10_000)
    qtbot.mouseClick(page.header.sync_button, _LEFT)  # the resolution goes to the server
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
    assert column(page.rejected_tab.model, 0) == ["Well 1"]
    assert "Oil (bbl):" in page.rejected_tab.model.state.text(0, 3)
    assert column(page.outcomes, 0)[0] == "✗ Rejected"
    page.tabs.tabBar().setCurrentIndex(3)
    editor = page.rejected_tab.panel
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
    qtbot.waitUntil(lambda: page.rejected_tab.model.rowCount() == 0, timeout=10_000)
    assert page.unsaved() == 0 and editor.inputs == {}
    assert column(page.pending, 0) == ["Production"]
    assert column(page.pending, 2) == [day.isoformat()]
    assert page.pending.state.text(0, 3).startswith("Oil (bbl) 5, Gas (Mcf) 10")
    assert column(page.outcomes, 0)[0] == "✗ Rejected (resubmitted)"


# --- long lists, a page at a time ----------------------------------------------------------------


def page_on(qtbot: QtBot, paged: PagedList) -> None:
    """Scroll to the end once (that loads a page), then Show more until every row is in."""
    bar = paged.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: paged.model.rowCount() == 400, timeout=10_000)
    while paged.button.isVisible():
        rows = paged.model.rowCount()
        qtbot.mouseClick(paged.button, _LEFT)
        qtbot.waitUntil(lambda n=rows: paged.model.rowCount() > n, timeout=10_000)  # type: ignore[misc]


def ten_thousand_of_each(store: Store) -> None:
    """10,000 open conflicts and 10,000 refused changes, made set-based (on the page's worker:
    it appends to the store the page's runner holds)."""
    with store.read() as conn:
        well_id, record_id = conn.exec_driver_sql(
            "SELECT well_id, record_id FROM production LIMIT 1"
        ).one()
    many_rejections(store, str(well_id), 10_000)
    many_conflicts(store, str(record_id), 10_000)


def test_ten_thousand_conflicts_and_rejections_load_a_page_at_a_time_each_row_once(
    qtbot: QtBot, runner: OpRunner
) -> None:
    on_worker(qtbot, runner, ten_thousand_of_each)
    page = loaded(qtbot, runner)
    assert (page.tabs.tabText(2), page.tabs.tabText(3)) == ("Conflicts (10000)", "Rejected (10000)")
    lists = (
        (page.conflicts_tab, lambda c: c.conflict.key),
        (page.rejected_tab, lambda r: r.rejection.device_seq),
    )
    for tab, key in lists:
        page.tabs.setCurrentWidget(tab)
        paged = tab.list
        assert paged.model.rowCount() == 200
        assert paged.note.text() == "Showing 200 of 10,000."
        assert paged.note.isVisible() and paged.button.isVisible()
        assert paged.button.width() >= 60 and paged.button.height() >= 60
        page_on(qtbot, paged)
        keys = [key(item) for item in paged.model.state.items]
        assert len(keys) == len(set(keys)) == 10_000 and keys == sorted(keys)
        assert not paged.note.isVisible()
    assert (page.tabs.tabText(2), page.tabs.tabText(3)) == ("Conflicts (10000)", "Rejected (10000)")
    reload(qtbot, page)  # a reload (after a sync) keeps every row shown
    assert page.conflicts_tab.model.rowCount() == page.rejected_tab.model.rowCount() == 10_000


def refused_resolution(store: Store) -> tuple[Conflict, int]:
    """The demo's answers (a conflict, its notice pulled, and two refused records), 450 older
    conflicts (the first is far down the list), and a resolution of the first the server
    refused as stale; returns the conflict and the refused seq. Written on the page's worker:
    it appends to the store the page's runner holds."""
    demo_answers(store)
    with store.read() as conn:
        (conflict,) = list_conflicts(conn, str(store.identity.device_id))
    many_conflicts(store, conflict.aggregate_id, 450)
    sealed = resolve(store, conflict.conflict_id, "mine")
    seq = int(sealed.body["device_seq"])
    stale = {"rule": "stale_resolution", "field": "", "message": "the record changed since"}
    answer(store, {"status": "rejected", "reasons": [stale]}, after=seq - 1)
    return conflict, seq


def oil_of(record_id: str) -> Callable[[Store], float]:
    """The record's oil as it stands now, read from the store."""

    def read(store: Store) -> float:
        with store.read() as conn:
            return float(
                conn.exec_driver_sql(
                    "SELECT oil_bbl FROM production WHERE record_id = ?", (record_id,)
                ).scalar_one()
            )

    return read


def test_a_refused_resolution_is_resolved_again_from_the_rejected_list(
    qtbot: QtBot, runner: OpRunner
) -> None:
    conflict, seq = on_worker(qtbot, runner, refused_resolution)
    page = loaded(qtbot, runner)
    assert (page.tabs.tabText(2), page.tabs.tabText(3)) == ("Conflicts (451)", "Rejected (3)")
    page.show_context({"show": "rejected"})
    tab = page.rejected_tab
    seqs = [r.rejection.device_seq for r in tab.model.state.items]
    view = tab.list.view
    qtbot.mouseClick(
        view.viewport(), _LEFT, pos=view.visualRect(tab.model.index(seqs.index(seq), 0)).center()
    )
    panel = tab.panel
    assert panel.shown is not None and panel.shown.rejection.device_seq == seq
    assert "the record changed on the server after you chose" in panel.heading.text()
    assert panel.resolve.isVisible() and not panel.button.isVisible()
    assert panel.resolve.text() == "&Resolve again" and panel.resolve.height() >= 60

    qtbot.mouseClick(panel.resolve, _LEFT)  # to the conflict: the pages up to it are loaded
    conflicts = page.conflicts_tab
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == 2, timeout=10_000)
    assert conflicts.model.rowCount() == 451  # the conflict is the last one
    shown = conflicts.panel.shown
    assert shown is not None and shown.conflict.conflict_id == conflict.conflict_id
    assert conflicts.list.view.currentIndex().row() == 450
    assert shown.record["oil_bbl"] == on_worker(qtbot, runner, oil_of(conflict.aggregate_id))
    rows = {
        conflicts.panel.model.state.text(r, 0): conflicts.panel.model.state.text(r, 2)
        for r in range(conflicts.panel.model.rowCount())
    }
    assert rows["Oil (bbl) — differs"] == "2"

    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.mouseClick(conflicts.panel.theirs, _LEFT)
    qtbot.waitUntil(lambda: page.tabs.tabText(3) == "Rejected (2)", timeout=10_000)
    assert page.tabs.tabText(2) == "Conflicts (450)"
    assert conflicts.model.rowCount() == 450
    assert conflicts.model.state.row_of(conflict.conflict_id) is None
    assert seq not in [r.rejection.device_seq for r in tab.model.state.items]


# --- every kind a person can fix, against a real server -------------------------------------------


def refused_records(device: Device, api: str) -> dict[EventType, dict[str, Any]]:
    """What an older app let through: a piece of equipment without a type, maintenance with a
    negative cost, an incident of a severity the contract does not know."""
    well_id = device.well_id(api)
    return {
        EventType.EQUIPMENT_ADDED: {
            "well_id": well_id,
            "equipment_type": "",
            "manufacturer": "Lufkin",
            "model": "C-320",
            "serial_number": "LF-1",
            "installed_on": None,
            "status": "operational",
            "notes": "",
        },
        EventType.MAINTENANCE_LOGGED: {
            "well_id": well_id,
            "equipment_id": None,
            "performed_on": days_ago(3).isoformat(),
            "maintenance_type": "Stuffing box repack",
            "description": "",
            "technician": "J. Ortiz",
            "cost": -120.0,
            "next_due": None,
        },
        EventType.INCIDENT_REPORTED: {
            "well_id": well_id,
            "incident_type": "leak",
            "severity": "extreme",
            "occurred_at": f"{days_ago(1).isoformat()}T09:30:00Z",
            "location": None,
            "location_description": "tank battery",
            "description": "drip at the flange",
            "injuries": False,
            "environmental_impact": "",
            "regulatory_notification_required": False,
        },
    }


def send_again(qtbot: QtBot, page: SyncPage, left: int) -> None:
    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.mouseClick(page.rejected_tab.panel.button, _LEFT)
    qtbot.waitUntil(lambda: page.tabs.tabText(3) == f"Rejected ({left})", timeout=10_000)


def server_payloads(database_url: str, device_id: str) -> dict[str, dict[str, Any]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT event_type, envelope -> 'payload' FROM events WHERE device_id = %s",
            (device_id,),
        ).fetchall()
    return {str(t): p for t, p in rows}


def test_refused_equipment_maintenance_and_incident_are_fixed_and_sent_again(
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
    with a.store.write() as txn:
        for event_type, payload in refused_records(a, w1).items():
            txn.append(event_type, new_id(), payload)
    assert a.sync().pushed.counts == {"rejected": 3}
    device_id = a.device_id
    a.close()
    page = syncing_page(qtbot, open_runner(tmp_path / "a"), http)
    assert page.tabs.tabText(3) == "Rejected (3)"
    page.show_context({"show": "rejected"})
    tab, panel = page.rejected_tab, page.rejected_tab.panel
    assert column(tab.model, 2) == ["Equipment added", "Maintenance", "Incident"]
    assert panel.button.text() == "&Fix and send again" and panel.button.isEnabled()

    kind = panel.inputs["equipment_type"]  # the first is selected: the equipment
    assert isinstance(kind, QLineEdit) and kind.text() == ""
    qtbot.keyClicks(kind, "Pumping unit")
    send_again(qtbot, page, 2)

    cost = panel.inputs["cost"]  # then the maintenance, first of what is left
    assert isinstance(cost, QLineEdit) and cost.text() == "-120"
    qtbot.mouseClick(panel.button, _LEFT)  # as it was: the contract refuses it again
    qtbot.waitUntil(lambda: "greater than or equal to 0" in panel.problems["cost"].text())
    cost.selectAll()
    qtbot.keyClicks(cost, "120")
    send_again(qtbot, page, 1)

    severity = panel.inputs["severity"]
    assert isinstance(severity, QComboBox) and severity.currentData() == "extreme"
    severity.setCurrentIndex(severity.findData("low"))
    send_again(qtbot, page, 0)
    assert column(page.pending, 0) == ["Equipment added", "Maintenance", "Incident"]

    qtbot.mouseClick(page.header.sync_button, _LEFT)
    qtbot.waitUntil(lambda: page.progress.state == "done", timeout=30_000)
    assert page.header.status.text().startswith("Sync finished: sent 3 (3 accepted)")
    qtbot.waitUntil(lambda: page.pending.rowCount() == 0, timeout=10_000)
    held = server_payloads(database_url, device_id)
    assert held["equipment.added"]["equipment_type"] == "Pumping unit"
    assert held["maintenance.logged"]["cost"] == 120.0
    assert held["incident.reported"]["severity"] == "low"
    assert held["incident.reported"]["description"] == "drip at the flange"
