"""IncidentsPage against a real encrypted store: report, refuse, list, preselect a well.

The form on its own (regulatory hint, coordinates, sizes) is tested in test_incident_form."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from fieldapp.core.geofencing import recorded_location
from fieldapp.core.incidents import list_incidents
from fieldapp.core.location_settings import LocationSettings
from fieldapp.core.preferences import Preferences
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
    qtbot.waitUntil(lambda: incidents.form.well.count() == 13, timeout=10_000)  # 12 wells + none
    return incidents


def choose(combo: QComboBox, text: str) -> None:
    """Pick a list entry by its words, as the operator does from the open list."""
    found = combo.findText(text)
    assert found >= 0, text
    combo.setCurrentIndex(found)


def test_a_typed_report_is_saved_and_listed(
    qtbot: QtBot, page: IncidentsPage, store: Store
) -> None:
    with store.read() as conn:
        well = list_wells(conn)[3]
    saved: list[bool] = []
    page.saved.connect(lambda: saved.append(True))
    choose(page.form.type_combo, "Leak")
    choose(page.form.severity, "Medium")
    page.form.well.setCurrentIndex(page.form.well.findData(well.well_id))
    qtbot.keyClicks(page.form.location, "tank battery north side")
    qtbot.keyClicks(page.form.latitude, "31.9686")
    qtbot.keyClicks(page.form.longitude, "-102.0779")
    qtbot.keyClicks(page.form.description, "Flange on the heater treater weeping oil")
    qtbot.keyClicks(page.form.impact, "Small stain on the pad")
    assert page.unsaved() == 1
    assert not page.form.regulatory.isChecked()  # a medium leak: nothing suggests notifying
    qtbot.keyClick(page.form.location, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    index = page.model.index(0, 0)
    cells = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert cells[1:] == ["! Medium", "Leak", "No", well.name]
    assert index.data()  # the date and time, shown
    assert saved == [True] and page.unsaved() == 0
    assert (
        page.form.description.toPlainText() == "" and page.form.location.text() == ""
    )  # a new report
    assert "Reported: Leak, medium" in page.form.summary.text()
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
    qtbot.keyClicks(page.form.location, "wellhead")
    qtbot.mouseClick(page.form.submit_button, Qt.MouseButton.LeftButton)
    assert page.form.errors["incident_type"].text() == "Choose what kind of incident it was."
    choose(page.form.type_combo, "Vandalism")
    error = page.form.errors["description"]
    assert error.isVisible() and error.text() == "Describe what happened."
    assert page.form.description.property("issue") == "error"
    assert page.form.type_combo.hasFocus()  # the first field to fix has the cursor
    assert page.form.summary.text().startswith("Not saved")
    assert page.form.location.text() == "wellhead"  # nothing typed is lost
    qtbot.keyClicks(page.form.description, "Gate left open, cattle on the pad")
    assert not error.isVisible()  # mended as it is typed
    qtbot.mouseClick(page.form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, 4).data() == "Lease / no well"
    with store.read() as conn:
        (incident,) = list_incidents(conn)
    assert incident.location_description == "wellhead" and incident.well_id is None


def test_a_future_time_is_refused(qtbot: QtBot, page: IncidentsPage, store: Store) -> None:
    choose(page.form.type_combo, "Fire")
    qtbot.keyClicks(page.form.description, "Fire at the flare")
    page.form.when.setDateTime(QDateTime.currentDateTime().addSecs(3 * 3600))
    error = page.form.errors["occurred_at"]
    assert error.isVisible() and "future" in error.text()  # said as soon as it is set
    qtbot.keyClick(page.form.description, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.form.summary.text().startswith("Not saved")
    assert page.form.description.toPlainText() == "Fire at the flare"
    page.form.when.setDateTime(QDateTime.currentDateTime().addSecs(-600))
    assert not error.isVisible()
    with store.read() as conn:
        assert list_incidents(conn) == []


def test_a_well_sent_from_the_route_is_preselected(
    qtbot: QtBot, runner: OpRunner, store: Store
) -> None:
    with store.read() as conn:
        well, other = list_wells(conn)[5], list_wells(conn)[0]
    page = IncidentsPage(runner)
    qtbot.addWidget(page)
    page.show_context({"well_id": well.well_id})  # before the wells are loaded
    page.refresh()
    qtbot.waitUntil(lambda: page.form.well.count() == 13, timeout=10_000)
    assert page.form.well.currentData() == well.well_id and page.unsaved() == 0
    page.show_context({"well_id": None})
    assert page.form.well.currentData() == well.well_id
    qtbot.keyClicks(page.form.description, "H2S alarm at the separator")
    page.show_context({"well_id": other.well_id})  # a report being typed keeps its well
    assert page.form.well.currentData() == well.well_id


def test_locking_forgets_the_list_but_keeps_the_typing(qtbot: QtBot, page: IncidentsPage) -> None:
    choose(page.form.type_combo, "Near miss")
    qtbot.keyClicks(page.form.description, "half typed")
    qtbot.mouseClick(page.form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    qtbot.keyClicks(page.form.description, "another, not sent")
    page.clear()
    assert page.model.rowCount() == 0
    assert page.form.description.toPlainText() == "another, not sent" and page.unsaved() == 1


def test_the_list_is_named_and_the_form_is_beside_it(page: IncidentsPage) -> None:
    assert page.table.accessibleName() == "Reported incidents"
    assert page.form.accessibleName() == "Report an incident"
    assert page.form.geometry().right() < page.table.geometry().left()


def test_use_gps_places_a_report_and_the_distance_to_its_well_is_said(
    qtbot: QtBot, page: IncidentsPage, store: Store
) -> None:
    with store.read() as conn:
        well = list_wells(conn)[3]
    page.set_preferences(Preferences(location=LocationSettings(positioning=True, source="log")))
    page.form.well.setCurrentIndex(page.form.well.findData(well.well_id))
    place = page.form.place
    assert place.gps_button.isVisible()
    with qtbot.waitSignal(place.changed, timeout=10_000):
        qtbot.mouseClick(place.gps_button, Qt.MouseButton.LeftButton)
    assert page.form.latitude.text() != ""  # the report's own coordinate fields, filled
    assert "from the well" in place.note.text()
    choose(page.form.type_combo, "Leak")
    qtbot.keyClicks(page.form.description, "Wellhead weeping")
    page.form.submit()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    # the demo drive is in another field than this store's wells: miles outside the fence
    assert "outside the 500 ft" in page.form.summary.text()
    assert page.form.summary.property("severity") == "warning"
    with store.read() as conn:
        (incident,) = list_incidents(conn)
        location = recorded_location(conn, incident.incident_id)
    assert location is not None and location["source"] == "gps" and location["accuracy_m"]


def test_with_locations_off_a_report_carries_none(
    qtbot: QtBot, page: IncidentsPage, store: Store
) -> None:
    qtbot.keyClicks(page.form.latitude, "31.9686")  # typed before locations were switched off
    page.set_preferences(Preferences(location=LocationSettings(record_locations=False)))
    assert not page.form.latitude.isEnabled() and not page.form.place.isVisible()
    choose(page.form.type_combo, "Leak")
    page.form.longitude.setText("-102.0779")
    qtbot.keyClicks(page.form.description, "Wellhead weeping")
    page.form.submit()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    with store.read() as conn:
        (incident,) = list_incidents(conn)
    assert incident.latitude is None
