"""MaintenancePage over a real encrypted store: context, logging, overdue, inline errors."""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar
from uuid import UUID

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uikit import on_worker

from fieldapp.core.equipment import Equipment, add_equipment
from fieldapp.core.geofencing import record_geofence
from fieldapp.core.maintenance import list_maintenance, log_maintenance
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.equipment_page import EquipmentPage
from fieldapp.ui.maintenance_page import WHOLE_WELL, MaintenancePage
from fieldapp.ui.ops import OpRunner
from shared.contracts import EquipmentAdded, MaintenanceLogged
from shared.validation import org_today

T = TypeVar("T")


@pytest.fixture
def pump(qtbot: QtBot, runner: OpRunner, wells: list[Well]) -> Equipment:
    details = EquipmentAdded(
        well_id=UUID(wells[1].well_id), equipment_type="Rod pump", serial_number="RP-77"
    )
    return on_worker(qtbot, runner, lambda s: add_equipment(s, details))


@pytest.fixture
def page(qtbot: QtBot, runner: OpRunner, pump: Equipment) -> MaintenancePage:
    shown = MaintenancePage(runner)
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    shown.refresh()
    qtbot.waitUntil(lambda: shown.snapshot is not None, timeout=10_000)
    return shown


def test_context_preselects_the_well_and_equipment(
    page: MaintenancePage, pump: Equipment, wells: list[Well]
) -> None:
    assert page.well_combo.currentText() == "All wells"
    assert not page.equipment_combo.isEnabled()
    page.show_context({"well_id": pump.well_id, "equipment_id": pump.equipment_id})
    assert page.well_combo.currentText() == wells[1].name
    assert page.equipment_combo.isEnabled()
    assert page.equipment_combo.currentText() == "Rod pump (RP-77)"
    assert [page.equipment_combo.itemText(i) for i in range(page.equipment_combo.count())] == [
        WHOLE_WELL,
        "Rod pump (RP-77)",
    ]
    page.well_combo.setCurrentIndex(page.well_combo.findData(wells[0].well_id))
    assert page.equipment_combo.count() == 1  # only equipment of the chosen well is offered


def test_logged_maintenance_appears_in_the_list_and_the_store(
    qtbot: QtBot, page: MaintenancePage, pump: Equipment, store: Store
) -> None:
    today = org_today(store.thresholds.timezone)
    page.show_context({"well_id": pump.well_id, "equipment_id": pump.equipment_id})
    assert page.date_edit.text() == today.isoformat()  # the date starts at today
    page.type_combo.setCurrentIndex(page.type_combo.findText("Repair"))
    qtbot.keyClicks(page.description, "Replaced standing valve")
    qtbot.keyClicks(page.technician, "Ana Ruiz")
    qtbot.keyClicks(page.cost, "420.50")
    qtbot.keyClicks(page.next_due, (today + timedelta(days=90)).isoformat())
    assert page.unsaved() == 1
    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.keyClick(page.cost, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert row == [
        today.isoformat(),
        "Repair",
        (today + timedelta(days=90)).isoformat(),
        "Rod pump (RP-77)",
        "Ana Ruiz",
        "420.50",
        "Replaced standing valve",
    ]
    assert page.table.isColumnHidden(3)  # one piece of equipment chosen: its name is the title
    assert page.overdue_label.text() == "Nothing overdue"
    assert page.messages.text().startswith("Saved Repair")
    # ready for the next entry: same well, equipment and technician, the rest blank
    assert (page.technician.text(), page.cost.text(), page.type_combo.currentText()) == (
        "Ana Ruiz",
        "",
        "",
    )
    assert page.equipment_combo.currentData() == pump.equipment_id
    assert page.unsaved() == 0
    with store.read() as conn:
        (saved,) = list_maintenance(conn, pump.well_id)
    assert (saved.equipment_id, saved.cost, saved.technician) == (
        pump.equipment_id,
        420.5,
        "Ana Ruiz",
    )


def test_overdue_entries_are_counted_and_highlighted(
    qtbot: QtBot, runner: OpRunner, page: MaintenancePage, pump: Equipment, store: Store
) -> None:
    today = org_today(store.thresholds.timezone)
    for days_ago, kind, due in ((60, "Lubrication", 20), (30, "Inspection", -30)):
        entry = MaintenanceLogged(
            well_id=UUID(pump.well_id),
            equipment_id=UUID(pump.equipment_id),
            performed_on=today - timedelta(days=days_ago),
            maintenance_type=kind,
            next_due=today - timedelta(days=due),
        )
        on_worker(qtbot, runner, lambda s, e=entry: log_maintenance(s, e))  # type: ignore[misc]
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    assert page.overdue_label.text() == "⚠ 1 overdue"
    assert page.overdue_label.property("status") == "error"
    late = page.model.index(1, 0)
    assert page.model.index(1, 1).data() == "Lubrication"
    assert (
        late.data(Qt.ItemDataRole.BackgroundRole).color().name()
        == (theme.status_colours("error")[1])
    )
    assert page.model.index(1, 2).data().startswith("⚠ OVERDUE since")
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_invalid_next_due_shows_inline_and_loses_nothing(
    qtbot: QtBot, page: MaintenancePage, pump: Equipment, store: Store
) -> None:
    page.show_context({"well_id": pump.well_id, "equipment_id": pump.equipment_id})
    qtbot.keyClicks(page.type_combo, "Calibration")
    qtbot.keyClicks(page.description, "Meter check")
    page.next_due.setText(page.date_edit.text())  # not after the work date
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.messages.isVisible()
    assert "must be after" in page.messages.text()
    assert page.next_due.property("issue") == "error"
    assert page.date_edit.property("issue") == ""
    assert (page.type_combo.currentText(), page.description.toPlainText()) == (
        "Calibration",
        "Meter check",
    )
    assert page.unsaved() == 1
    page.next_due.setText("")
    page.show_context({})  # nothing sent by another page: the form is untouched
    page.well_combo.setCurrentIndex(0)  # "All wells": no well to save against
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Choose the well" in page.messages.text()
    assert page.well_combo.property("issue") == "error"
    with store.read() as conn:
        assert list_maintenance(conn) == []


def test_log_maintenance_from_the_equipment_page(
    qtbot: QtBot, runner: OpRunner, page: MaintenancePage, pump: Equipment
) -> None:
    equipment = EquipmentPage(runner)
    qtbot.addWidget(equipment)
    equipment.navigate.connect(lambda _name, args: page.show_context(args))
    equipment.show_context({"equipment_id": pump.equipment_id})
    equipment.refresh()
    qtbot.waitUntil(lambda: equipment.log_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(equipment.log_button, Qt.MouseButton.LeftButton)
    assert page.equipment_combo.currentData() == pump.equipment_id
    assert page.well_combo.currentData() == pump.well_id


def test_context_with_equipment_only_finds_its_well(page: MaintenancePage, pump: Equipment) -> None:
    page.show_context({"equipment_id": pump.equipment_id})
    assert page.well_combo.currentData() == pump.well_id
    assert page.equipment_combo.currentData() == pump.equipment_id
    assert page.list_title.text().startswith("Maintenance for Rod pump (RP-77)")


def test_an_entry_being_typed_keeps_its_equipment_when_sent_elsewhere(
    qtbot: QtBot, page: MaintenancePage, pump: Equipment, wells: list[Well]
) -> None:
    page.show_context({"equipment_id": pump.equipment_id})
    qtbot.keyClicks(page.description, "Replaced the stuffing box packing")
    assert page.unsaved() == 1
    page.show_context({"well_id": wells[5].well_id})  # "Log maintenance" for another well
    assert (page.well_id, page.equipment_id) == (pump.well_id, pump.equipment_id)
    assert page.description.toPlainText() == "Replaced the stuffing box packing"
    assert "unsaved entry is kept" in page.messages.text()


def test_a_location_far_from_the_well_is_saved_and_the_distance_said(
    qtbot: QtBot, page: MaintenancePage, pump: Equipment, wells: list[Well], store: Store
) -> None:
    well = wells[1]
    assert well.latitude is not None and well.longitude is not None
    page.show_context({"well_id": pump.well_id, "equipment_id": pump.equipment_id})
    page.type_combo.setCurrentIndex(page.type_combo.findText("Repair"))
    qtbot.keyClicks(page.location.latitude, f"{well.latitude + 0.01:.6f}")
    qtbot.keyClicks(page.location.longitude, f"{well.longitude:.6f}")
    assert "outside the 500 ft" in page.location.note.text()  # before saving
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save()
    assert "The entry's location is 3,6" in page.messages.text()
    assert page.messages.property("severity") == "warning"
    assert page.location.latitude.text() == ""  # the next entry starts without one
    with store.read() as conn:
        (saved,) = list_maintenance(conn, pump.well_id)
        verdict = record_geofence(conn, saved.maintenance_id, saved.well_id)
    assert verdict is not None and verdict.outside


def test_half_a_location_is_refused_by_the_form(
    qtbot: QtBot, page: MaintenancePage, pump: Equipment, store: Store
) -> None:
    page.show_context({"well_id": pump.well_id, "equipment_id": pump.equipment_id})
    page.type_combo.setCurrentIndex(page.type_combo.findText("Repair"))
    qtbot.keyClicks(page.location.latitude, "31.9")
    page.save()
    assert "Give both latitude and longitude" in page.messages.text()
    with store.read() as conn:
        assert list_maintenance(conn, pump.well_id) == []
