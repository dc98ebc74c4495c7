"""IncidentsPage against a real encrypted store: report, refuse, list, regulatory hint."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox
from pytestqt.qtbot import QtBot

from fieldapp.core.incidents import list_incidents
from fieldapp.core.store import Store
from fieldapp.core.wells import list_wells
from fieldapp.ui.incidents_page import IncidentsPage
from fieldapp.ui.ops import OpRunner


@pytest.fixture
def page(qtbot: QtBot, runner: OpRunner) -> IncidentsPage:
    incidents = IncidentsPage(runner)
    qtbot.addWidget(incidents)
    incidents.resize(1400, 900)
    incidents.show()
    qtbot.waitExposed(incidents)
    incidents.activateWindow()
    incidents.refresh()
    qtbot.waitUntil(lambda: incidents.well.count() == 13, timeout=10_000)  # 12 wells + none
    return incidents


def choose(combo: QComboBox, text: str) -> None:
    """Pick a list entry by its words, as the operator does from the open list."""
    found = combo.findText(text)
    assert found >= 0, text
    combo.setCurrentIndex(found)


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Toggle a check box as a keyboard user does (Space)."""
    qtbot.keyClick(box, Qt.Key.Key_Space)


def test_a_typed_report_is_saved_and_listed(
    qtbot: QtBot, page: IncidentsPage, store: Store
) -> None:
    with store.read() as conn:
        well = list_wells(conn)[3]
    saved: list[bool] = []
    page.saved.connect(lambda: saved.append(True))
    choose(page.type_combo, "Leak")
    choose(page.severity, "Medium")
    page.well.setCurrentIndex(page.well.findData(well.well_id))
    qtbot.keyClicks(page.location, "tank battery north side")
    qtbot.keyClicks(page.latitude, "31.9686")
    qtbot.keyClicks(page.longitude, "-102.0779")
    qtbot.keyClicks(page.description, "Flange on the heater treater weeping oil")
    qtbot.keyClicks(page.impact, "Small stain on the pad")
    assert page.unsaved() == 1
    assert not page.regulatory.isChecked()  # a medium leak: nothing suggests notifying
    qtbot.keyClick(page.location, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    index = page.model.index(0, 0)
    cells = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert cells[1:] == ["! Medium", "Leak", "No", well.name]
    assert index.data()  # the date and time, shown
    assert saved == [True] and page.unsaved() == 0
    assert page.description.toPlainText() == "" and page.location.text() == ""  # a new report
    assert "Reported: Leak, medium" in page.summary.text()
    with store.read() as conn:
        (incident,) = list_incidents(conn)
    assert (incident.well_id, incident.incident_type, incident.severity) == (
        well.well_id,
        "leak",
        "medium",
    )
    assert incident.location_description == "tank battery north side"
    assert (incident.latitude, incident.longitude) == (31.9686, -102.0779)
    assert incident.description == "Flange on the heater treater weeping oil"
    assert incident.environmental_impact == "Small stain on the pad"
    assert not incident.injuries and not incident.regulatory_notification_required


def test_missing_description_blocks_with_an_inline_message(
    qtbot: QtBot, page: IncidentsPage, store: Store
) -> None:
    qtbot.keyClicks(page.location, "wellhead")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert page.errors["incident_type"].text() == "Choose what kind of incident it was."
    choose(page.type_combo, "Vandalism")
    error = page.errors["description"]
    assert error.isVisible() and error.text() == "Describe what happened."
    assert page.description.property("issue") == "error"
    assert page.type_combo.hasFocus()  # the first field to fix has the cursor
    assert page.summary.text().startswith("Not saved")
    assert page.location.text() == "wellhead"  # nothing typed is lost
    qtbot.keyClicks(page.description, "Gate left open, cattle on the pad")
    assert not error.isVisible()  # mended as it is typed
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, 4).data() == "Lease / no well"
    with store.read() as conn:
        (incident,) = list_incidents(conn)
    assert incident.location_description == "wellhead" and incident.well_id is None


def test_a_future_time_is_refused(qtbot: QtBot, page: IncidentsPage, store: Store) -> None:
    choose(page.type_combo, "Fire")
    qtbot.keyClicks(page.description, "Fire at the flare")
    page.when.setDateTime(QDateTime.currentDateTime().addSecs(3 * 3600))
    error = page.errors["occurred_at"]
    assert error.isVisible() and "future" in error.text()  # said as soon as it is set
    qtbot.keyClick(page.description, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.summary.text().startswith("Not saved")
    assert page.description.toPlainText() == "Fire at the flare"
    page.when.setDateTime(QDateTime.currentDateTime().addSecs(-600))
    assert not error.isVisible()
    with store.read() as conn:
        assert list_incidents(conn) == []


def test_serious_incidents_tick_regulatory_notification_with_a_note(
    qtbot: QtBot, page: IncidentsPage
) -> None:
    assert not page.regulatory.isChecked() and not page.regulatory_note.isVisible()
    choose(page.severity, "High")
    assert page.regulatory.isChecked()
    assert "severity is high" in page.regulatory_note.text()
    assert page.severity_badge.text().startswith("High")
    assert page.severity_badge.property("status") == "error"  # red, and in words
    tick(qtbot, page.regulatory)  # the operator knows better
    assert not page.regulatory.isChecked()
    assert "Unticked by you" in page.regulatory_note.text()
    tick(qtbot, page.injuries)
    assert not page.regulatory.isChecked()  # their choice stands
    page.reset_form()
    choose(page.type_combo, "Spill")
    assert page.regulatory.isChecked() and "spill" in page.regulatory_note.text()
    choose(page.severity, "Critical")
    assert page.severity_badge.text().startswith("Critical")


def test_coordinates_must_come_in_pairs(qtbot: QtBot, page: IncidentsPage) -> None:
    choose(page.type_combo, "Vandalism")
    qtbot.keyClicks(page.description, "Vandalised gate")
    qtbot.keyClicks(page.latitude, "95")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert "between -90 and 90" in page.errors["latitude"].text()
    page.latitude.clear()
    qtbot.keyClicks(page.latitude, "31.5")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    assert "both latitude and longitude" in page.errors["longitude"].text()
    assert page.unsaved() == 1


def test_a_well_sent_from_the_route_is_preselected(
    qtbot: QtBot, runner: OpRunner, store: Store
) -> None:
    with store.read() as conn:
        well, other = list_wells(conn)[5], list_wells(conn)[0]
    page = IncidentsPage(runner)
    qtbot.addWidget(page)
    page.show_context({"well_id": well.well_id})  # before the wells are loaded
    page.refresh()
    qtbot.waitUntil(lambda: page.well.count() == 13, timeout=10_000)
    assert page.well.currentData() == well.well_id and page.unsaved() == 0
    page.show_context({"well_id": None})
    assert page.well.currentData() == well.well_id
    qtbot.keyClicks(page.description, "H2S alarm at the separator")
    page.show_context({"well_id": other.well_id})  # a report being typed keeps its well
    assert page.well.currentData() == well.well_id


def test_locking_forgets_the_list_but_keeps_the_typing(qtbot: QtBot, page: IncidentsPage) -> None:
    choose(page.type_combo, "Near miss")
    qtbot.keyClicks(page.description, "half typed")
    qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    qtbot.keyClicks(page.description, "another, not sent")
    page.clear()
    assert page.model.rowCount() == 0
    assert page.description.toPlainText() == "another, not sent" and page.unsaved() == 1


def test_every_control_is_big_and_named(page: IncidentsPage) -> None:
    inputs = [*page.fields.values(), page.injuries, page.regulatory]
    for widget in inputs:
        assert widget.accessibleName() and widget.height() >= 50, widget.accessibleName()
    for button in (page.submit_button, page.new_button):
        assert button.accessibleName() and button.height() >= 60 and button.width() >= 60
    assert page.table.accessibleName() == "Reported incidents"
