"""EquipmentPage over a real encrypted store: add, edit, search, timeline, navigation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from uikit import on_worker

from fieldapp.core.equipment import Equipment, add_equipment, list_equipment
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.equipment_model import COLUMNS
from fieldapp.ui.equipment_page import EquipmentPage
from fieldapp.ui.ops import OpRunner
from shared.contracts import EquipmentAdded, MaintenanceLogged
from shared.validation import org_today

T = TypeVar("T")
DISPLAY = Qt.ItemDataRole.DisplayRole
STATUS = [k for k, _ in COLUMNS].index("status")
SERIAL = [k for k, _ in COLUMNS].index("serial_number")


@pytest.fixture
def page(qtbot: QtBot, runner: OpRunner) -> EquipmentPage:
    shown = EquipmentPage(runner)
    qtbot.addWidget(shown)
    shown.resize(1366, 768)
    shown.show()
    shown.refresh()
    qtbot.waitUntil(lambda: shown.well_combo.count() == 13, timeout=10_000)
    return shown


def seed(qtbot: QtBot, runner: OpRunner, well: Well, kind: str, serial: str) -> Equipment:
    details = EquipmentAdded(well_id=UUID(well.well_id), equipment_type=kind, serial_number=serial)
    return on_worker(qtbot, runner, lambda s: add_equipment(s, details))


def cell(
    page: EquipmentPage, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole
) -> Any:
    return page.model.index(row, column).data(role)


def test_equipment_typed_in_appears_in_the_table_and_the_store(
    qtbot: QtBot, page: EquipmentPage, store: Store, wells: list[Well]
) -> None:
    assert page.form_title.text() == "New equipment"
    page.well_combo.setCurrentIndex(page.well_combo.findData(wells[2].well_id))
    assert page.form_well.currentData() == wells[2].well_id  # new equipment goes to that well
    page.type_combo.setCurrentText("")
    qtbot.keyClicks(page.type_combo, "Rod pump")
    qtbot.keyClicks(page.manufacturer, "Weatherford")
    qtbot.keyClicks(page.model_edit, "RHAC")
    qtbot.keyClicks(page.serial, "RP-2201")
    qtbot.keyClicks(page.installed, "2025-06-01")
    page.status_combo.setCurrentIndex(page.status_combo.findData("maintenance"))
    assert page.unsaved() == 1
    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert [cell(page, 0, c) for c in range(len(COLUMNS))] == [
        "Rod pump",
        "⚠ In maintenance",
        "RP-2201",
        "Weatherford / RHAC",
        "2025-06-01",
        wells[2].name,
    ]
    assert page.messages.text().startswith("Saved Rod pump")
    assert page.unsaved() == 0
    assert page.form_title.text() == "Edit Rod pump"  # the saved equipment stays in the form
    with store.read() as conn:
        (saved,) = list_equipment(conn, wells[2].well_id)
    assert (saved.serial_number, saved.status, saved.model) == ("RP-2201", "maintenance", "RHAC")


def test_editing_changes_the_status_colour_and_word(
    qtbot: QtBot, runner: OpRunner, page: EquipmentPage, store: Store, wells: list[Well]
) -> None:
    pump = seed(qtbot, runner, wells[0], "ESP", "ESP-1")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert cell(page, 0, STATUS) == "✓ Operational"
    page.table.selectRow(0)
    assert page.form_title.text() == "Edit ESP"
    assert not page.form_well.isEnabled()  # equipment stays on its well
    page.status_combo.setCurrentIndex(page.status_combo.findData("failed"))
    qtbot.keyClicks(page.notes, "Motor burnt out")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        qtbot.keyClick(page.serial, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    qtbot.waitUntil(lambda: cell(page, 0, STATUS) == "✗ Failed", timeout=10_000)
    ink, paper = theme.status_colours("failed")
    assert cell(page, 0, STATUS, Qt.ItemDataRole.BackgroundRole).color().name() == paper
    assert cell(page, 0, STATUS, Qt.ItemDataRole.ForegroundRole).color().name() == ink
    with store.read() as conn:
        (edited,) = list_equipment(conn)
    assert (edited.equipment_id, edited.status, edited.notes) == (
        pump.equipment_id,
        "failed",
        "Motor burnt out",
    )


def test_search_by_serial_filters_the_table(
    qtbot: QtBot, runner: OpRunner, page: EquipmentPage, wells: list[Well]
) -> None:
    seed(qtbot, runner, wells[0], "Rod pump", "RP-77")
    seed(qtbot, runner, wells[1], "Separator", "SEP-9")
    seed(qtbot, runner, wells[1], "Tank", "TK-rp-3")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    qtbot.keyClicks(page.search, "sep-9")
    assert [cell(page, r, SERIAL) for r in range(page.model.rowCount())] == ["SEP-9"]
    page.search.clear()
    qtbot.keyClicks(page.search, "RP")
    assert sorted(cell(page, r, SERIAL) for r in range(page.model.rowCount())) == [
        "RP-77",
        "TK-rp-3",
    ]
    well_column = [k for k, _ in COLUMNS].index("well")
    assert not page.table.isColumnHidden(well_column)  # all wells: each row says its well
    page.well_combo.setCurrentIndex(page.well_combo.findData(wells[1].well_id))
    assert [cell(page, r, SERIAL) for r in range(page.model.rowCount())] == ["TK-rp-3"]
    assert page.table.isColumnHidden(well_column)
    qtbot.keyClicks(page.search, "zzz")
    assert page.model.rowCount() == 0


def test_timeline_newest_first_with_overdue_highlighted_and_log_button(
    qtbot: QtBot, runner: OpRunner, page: EquipmentPage, store: Store, wells: list[Well]
) -> None:
    pump = seed(qtbot, runner, wells[0], "Rod pump", "RP-77")
    today = org_today(store.thresholds.timezone)
    for days_ago, kind, due in ((40, "Lubrication", 10), (5, "Inspection", -60)):
        entry = MaintenanceLogged(
            well_id=UUID(wells[0].well_id),
            equipment_id=UUID(pump.equipment_id),
            performed_on=today - timedelta(days=days_ago),
            maintenance_type=kind,
            next_due=today - timedelta(days=due),
        )
        on_worker(qtbot, runner, lambda s, e=entry: log_maintenance(s, e))  # type: ignore[misc]
    page.show_context({"well_id": wells[0].well_id, "equipment_id": pump.equipment_id})
    page.refresh()
    qtbot.waitUntil(lambda: page.timeline_model.rowCount() == 2, timeout=10_000)
    assert page.selected_id == pump.equipment_id
    timeline = page.timeline_model
    assert [timeline.index(r, 1).data() for r in range(2)] == ["Inspection", "Lubrication"]
    due = [k for k, _ in timeline.columns].index("next_due")
    late_text = timeline.index(1, due).data()
    assert late_text.startswith("⚠ OVERDUE since")
    paper = theme.status_colours("error")[1]
    assert timeline.index(1, 0).data(Qt.ItemDataRole.BackgroundRole).color().name() == paper
    assert timeline.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "1 overdue" in page.timeline_title.text()

    seen: list[tuple[str, dict[str, Any]]] = []
    page.navigate.connect(lambda name, args: seen.append((name, args)))
    qtbot.mouseClick(page.log_button, Qt.MouseButton.LeftButton)
    assert seen == [
        ("maintenance", {"equipment_id": pump.equipment_id, "well_id": wells[0].well_id})
    ]


def test_a_refused_save_shows_inline_and_keeps_the_typing(
    qtbot: QtBot, page: EquipmentPage, store: Store, wells: list[Well]
) -> None:
    page.type_combo.setCurrentText("")
    qtbot.keyClicks(page.type_combo, "Compressor")
    qtbot.keyClicks(page.serial, "C-9")
    qtbot.keyClicks(page.installed, "01/06/2025")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.messages.isVisible()
    assert "YYYY-MM-DD" in page.messages.text()
    assert page.installed.property("issue") == "error"
    # a date the worker refuses (in the future) comes back inline too
    page.installed.clear()
    future = org_today(store.thresholds.timezone) + timedelta(days=3)
    qtbot.keyClicks(page.installed, future.isoformat())
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "in the future" in page.messages.text(), timeout=10_000)
    assert page.installed.property("issue") == "error"
    assert (page.type_combo.currentText(), page.serial.text()) == ("Compressor", "C-9")
    assert page.unsaved() == 1
    with store.read() as conn:
        assert list_equipment(conn) == []


def test_unsaved_typing_survives_selecting_another_row(
    qtbot: QtBot, runner: OpRunner, page: EquipmentPage, wells: list[Well]
) -> None:
    seed(qtbot, runner, wells[0], "Rod pump", "RP-77")
    seed(qtbot, runner, wells[0], "Tank", "TK-1")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    page.table.selectRow(0)
    page.notes.setPlainText("typed, not saved")
    page.table.selectRow(1)
    assert page.notes.toPlainText() == "typed, not saved"
    assert "unsaved changes are kept" in page.messages.text()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.notes.toPlainText() == "typed, not saved"  # the first press only warns
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.notes.toPlainText() == ""
    assert page.form_title.text() == "New equipment"
    assert page.unsaved() == 0


def test_clear_forgets_what_was_shown(
    qtbot: QtBot, runner: OpRunner, page: EquipmentPage, wells: list[Well]
) -> None:
    seed(qtbot, runner, wells[0], "Rod pump", "RP-77")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.clear()
    assert page.model.rowCount() == 0
    assert page.timeline_model.rowCount() == 0


def test_saving_without_changes_appends_nothing(
    qtbot: QtBot, runner: OpRunner, page: EquipmentPage, store: Store, wells: list[Well]
) -> None:
    seed(qtbot, runner, wells[0], "Rod pump", "RP-77")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    before = store.status().events
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing changed" in page.messages.text(), timeout=10_000)
    assert store.status().events == before
