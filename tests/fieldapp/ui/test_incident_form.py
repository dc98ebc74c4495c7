"""The incident report form on its own: checks under each field, the regulatory hint, and a
report handed on only once it checks out (saving it is the page's: test_incidents_page)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox
from pytestqt.qtbot import QtBot

from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.wells import Well
from fieldapp.ui.incident_form import NO_WELL_TEXT, IncidentForm
from shared.contracts import IncidentReported
from shared.validation import Issue, Severity


@pytest.fixture
def form(qtbot: QtBot) -> IncidentForm:
    typed = IncidentForm()
    qtbot.addWidget(typed)
    typed.resize(700, 900)
    typed.show()
    qtbot.waitExposed(typed)
    typed.activateWindow()
    return typed


def choose(combo: QComboBox, text: str) -> None:
    """Pick a list entry by its words, as the operator does from the open list."""
    found = combo.findText(text)
    assert found >= 0, text
    combo.setCurrentIndex(found)


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Toggle a check box as a keyboard user does (Space)."""
    qtbot.keyClick(box, Qt.Key.Key_Space)


def test_serious_incidents_tick_regulatory_notification_with_a_note(
    qtbot: QtBot, form: IncidentForm
) -> None:
    assert not form.regulatory.isChecked() and not form.regulatory_note.isVisible()
    choose(form.severity, "High")
    assert form.regulatory.isChecked()
    assert "severity is high" in form.regulatory_note.text()
    assert form.severity_badge.text().startswith("High")
    assert form.severity_badge.property("status") == "error"  # red, and in words
    tick(qtbot, form.regulatory)  # the operator knows better
    assert not form.regulatory.isChecked()
    assert "Unticked by you" in form.regulatory_note.text()
    tick(qtbot, form.injuries)
    assert not form.regulatory.isChecked()  # their choice stands
    form.reset_form()
    choose(form.type_combo, "Spill")
    assert form.regulatory.isChecked() and "spill" in form.regulatory_note.text()
    choose(form.severity, "Critical")
    assert form.severity_badge.text().startswith("Critical")


def test_coordinates_must_come_in_pairs(qtbot: QtBot, form: IncidentForm) -> None:
    choose(form.type_combo, "Vandalism")
    qtbot.keyClicks(form.description, "Vandalised gate")
    qtbot.keyClicks(form.latitude, "95")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert "between -90 and 90" in form.errors["latitude"].text()
    form.latitude.clear()
    qtbot.keyClicks(form.latitude, "31.5")
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert "both latitude and longitude" in form.errors["longitude"].text()
    assert form.unsaved() == 1


def test_every_control_of_the_form_is_big_and_named(form: IncidentForm) -> None:
    inputs = [*form.fields.values(), form.injuries, form.regulatory]
    for widget in inputs:
        assert widget.accessibleName() and widget.height() >= 50, widget.accessibleName()
    for button in (form.submit_button, form.new_button):
        assert button.accessibleName() and button.height() >= 60 and button.width() >= 60


def test_a_report_that_checks_out_is_handed_on_and_kept_until_saved(
    qtbot: QtBot, form: IncidentForm
) -> None:
    handed: list[IncidentReported] = []
    form.submit_requested.connect(handed.append)
    choose(form.type_combo, "Leak")
    qtbot.keyClicks(form.description, "Flange weeping oil")
    form.when.setDateTime(QDateTime.currentDateTime().addSecs(-600))
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    (report,) = handed
    assert (report.incident_type, report.severity, report.well_id) == ("leak", "low", None)
    assert report.description == "Flange weeping oil"
    assert datetime.now().astimezone() - report.occurred_at < timedelta(minutes=11)
    assert form.unsaved() == 1 and form.description.toPlainText() == "Flange weeping oil"
    form.set_busy(True)  # the page is saving it
    assert not form.submit_button.isEnabled() and form.submit_button.text() == "Saving…"
    form.submit()
    assert len(handed) == 1  # not handed on twice
    form.set_busy(False)
    form.show_saved("Reported: Leak, low — Lease / no well.")
    assert form.unsaved() == 0 and form.description.toPlainText() == ""
    assert form.summary.text() == "Reported: Leak, low — Lease / no well."
    assert form.summary.property("severity") == "ok"


def test_a_refused_report_is_not_handed_on(qtbot: QtBot, form: IncidentForm) -> None:
    handed: list[IncidentReported] = []
    form.submit_requested.connect(handed.append)
    qtbot.keyClicks(form.description, "No type chosen")
    form.submit()
    assert handed == []
    assert form.errors["incident_type"].isVisible()
    assert form.summary.text().startswith("Not saved")


def test_a_failed_save_says_why_and_keeps_the_typing(qtbot: QtBot, form: IncidentForm) -> None:
    qtbot.keyClicks(form.description, "Kept")
    issue = Issue("too_long", "description", Severity.ERROR, "Too long for the store.")
    form.show_failure(ValidationFailedError([issue]))
    assert form.errors["description"].text() == "Too long for the store."
    assert form.summary.text().startswith("Not saved")
    form.show_failure(OSError("disk full"))
    assert form.summary.text() == "Not saved: disk full. Your report is still here; try again."
    assert form.summary.property("severity") == "error"
    assert form.description.toPlainText() == "Kept" and form.unsaved() == 1


def test_a_well_asked_for_before_the_wells_load_is_chosen_when_they_do(
    form: IncidentForm, wells: list[Well]
) -> None:
    form.choose_well(wells[2].well_id)
    assert form.well.currentText() == NO_WELL_TEXT and form.unsaved() == 0
    form.set_wells(wells)
    assert form.well.count() == len(wells) + 1
    assert form.well.currentData() == wells[2].well_id
    form.choose_well(wells[4].well_id)
    assert form.well.currentData() == wells[4].well_id
    form.set_wells(wells)  # a reload keeps the choice
    assert form.well.currentData() == wells[4].well_id and form.unsaved() == 0
