"""ProductionForm: typed text to a ProductionRecorded, and issues shown next to the fields."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.core.production import SaveResult
from fieldapp.core.validation_context import ValidationContext
from fieldapp.ui.production_form import ProductionForm, parse_number
from fieldapp.ui.route_state import RouteRow
from shared.contracts import ProductionRecorded
from shared.history import WellHistory
from shared.units import UnitSystem
from shared.validation import Issue, Severity, Thresholds

DAY = date(2026, 3, 4)
WELL = RouteRow("6f1c1e5e-8d1d-4a8e-9a51-2d5b8f0f7a11", "42-329-40100", "Wolfcamp 1", "F", "L")
OTHER = RouteRow("0b7a4c55-3f0e-4a52-8f5e-1f0a3c9d2e44", "42-329-40114", "Wolfcamp 2H", "F", "L")
RECORDED = RouteRow(WELL.well_id, WELL.api_number, WELL.name, "F", "L", record_id="r1")
STORED = {
    "record_id": "r1",
    "oil_bbl": 120.5,
    "gas_mcf": 300.0,
    "water_bbl": 80.0,
    "hours_on": 20.0,
    "downtime_hours": 4.0,
    "downtime_reason": "POWER",
    "notes": "Storm",
    "tubing_psi": 410.0,
    "casing_psi": None,
    "choke_64ths": 24,
    "flags": "[]",
}


@pytest.fixture
def form(qtbot: QtBot) -> ProductionForm:
    widget = ProductionForm()
    qtbot.addWidget(widget)
    widget.set_target(WELL, DAY)
    return widget


def type_values(qtbot: QtBot, form: ProductionForm, **values: str) -> None:
    for field, text in values.items():
        form.inputs[field].clear()
        qtbot.keyClicks(form.inputs[field], text)


@pytest.mark.parametrize(
    ("text", "required", "expected"),
    [
        ("12.5", True, 12.5),
        (" 0 ", True, 0.0),
        ("-5", True, -5.0),  # negative passes parsing: the shared rules reject it
        ("", False, None),
    ],
)
def test_parse_number_values(text: str, required: bool, expected: float | None) -> None:
    assert parse_number(text, "oil_bbl", "Oil", required) == expected


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        ("", "required", "Enter oil"),
        ("12,5", "not_a_number", "without commas"),
        ("lots", "not_a_number", "'lots' is not a number"),
        ("nan", "not_a_number", "not a number"),
        ("inf", "not_a_number", "not a number"),
    ],
)
def test_parse_number_issues(text: str, rule: str, words: str) -> None:
    issue = parse_number(text, "oil_bbl", "Oil", True)
    assert isinstance(issue, Issue)
    assert (issue.rule, issue.field, issue.severity) == (rule, "oil_bbl", Severity.ERROR)
    assert words in issue.message


def test_typed_values_become_a_record(qtbot: QtBot, form: ProductionForm) -> None:
    type_values(qtbot, form, oil_bbl="101.5", gas_mcf="220", water_bbl="60", hours_on="21")
    type_values(qtbot, form, downtime_hours="3")
    form.reason.setCurrentIndex(form.reason.findData("PUMP_FAIL"))
    qtbot.keyClicks(form.notes, "  changed packing  ")
    assert form.dirty
    with qtbot.waitSignal(form.save_requested) as blocker:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    record = blocker.args[0]
    assert isinstance(record, ProductionRecorded)
    assert record.well_id == UUID(WELL.well_id)
    assert record.production_date == DAY
    assert (record.oil_bbl, record.gas_mcf, record.water_bbl) == (101.5, 220.0, 60.0)
    assert (record.hours_on, record.downtime_hours) == (21.0, 3.0)
    assert record.downtime_reason == "PUMP_FAIL"
    assert record.notes == "changed packing"


def test_missing_volume_is_marked_and_nothing_is_emitted(
    qtbot: QtBot, form: ProductionForm
) -> None:
    type_values(qtbot, form, oil_bbl="10", water_bbl="abc")
    with qtbot.assertNotEmitted(form.save_requested):
        form.request_save()
    assert not form.issues.isHidden()
    text = form.issues.text()
    assert "Enter gas" in text
    assert "'abc' is not a number" in text
    assert form.inputs["gas_mcf"].property("issue") == "error"
    assert form.inputs["water_bbl"].property("issue") == "error"
    assert form.inputs["oil_bbl"].property("issue") == ""
    assert "Enter gas" in form.inputs["gas_mcf"].accessibleDescription()


def test_notes_too_long_is_refused_by_the_contract(qtbot: QtBot, form: ProductionForm) -> None:
    type_values(qtbot, form, oil_bbl="1", gas_mcf="1", water_bbl="1")
    form.notes.setPlainText("x" * 4001)
    result = form.collect()
    assert isinstance(result, list)
    assert [i.field for i in result] == ["notes"]


def test_recorded_row_prefills_and_revert_restores(qtbot: QtBot, form: ProductionForm) -> None:
    form.set_target(RECORDED, DAY, STORED)
    assert form.inputs["oil_bbl"].text() == "120.5"
    assert form.inputs["hours_on"].text() == "20"
    assert form.reason.currentData() == "POWER"
    assert form.notes.toPlainText() == "Storm"
    assert "Save correction" in form.save_button.text()
    assert not form.dirty
    type_values(qtbot, form, oil_bbl="999")
    assert form.dirty
    form.revert()
    assert form.inputs["oil_bbl"].text() == "120.5"
    assert not form.dirty


def test_editing_notes_alone_marks_the_form_dirty(form: ProductionForm) -> None:
    form.set_target(RECORDED, DAY, STORED)
    assert not form.dirty
    form.notes.setPlainText("Storm; gauge replaced")
    assert form.dirty


def test_unknown_reason_code_is_kept(form: ProductionForm) -> None:
    row = RouteRow(WELL.well_id, "a", "b", "", "", record_id="r")
    form.set_target(row, DAY, {**STORED, "downtime_reason": "ESP_TRIP"})
    assert form.reason.currentData() == "ESP_TRIP"


def test_no_target_disables_the_form(form: ProductionForm) -> None:
    form.set_target(None, None)
    assert not form.save_button.isEnabled()
    assert not form.inputs["oil_bbl"].isEnabled()
    assert form.title.text() == "Select a well"
    result = form.collect()
    assert isinstance(result, list)
    assert result[0].rule == "no_well"


def test_validation_errors_and_saved_warnings(qtbot: QtBot, form: ProductionForm) -> None:
    form.show_issues(
        [
            Issue("volume_negative", "oil_bbl", Severity.ERROR, "Oil -5 bbl is negative."),
            Issue("downtime_reason_required", "downtime_reason", Severity.ERROR, "Needs reason."),
        ]
    )
    assert form.issues.property("severity") == "error"
    assert form.issues.text().startswith("Not saved")
    assert form.reason.property("issue") == "error"
    warning = Issue("oil_day_change", "oil_bbl", Severity.WARNING, "Oil is up 60%.")
    form.show_saved(SaveResult("recorded", "r9", [warning]))
    assert form.issues.property("severity") == "warning"
    assert "Flagged for review (1 warning)" in form.issues.text()
    assert "Oil is up 60%." in form.issues.text()
    assert form.inputs["oil_bbl"].property("issue") == "warning"
    assert form.reason.property("issue") == ""
    form.show_saved(SaveResult("unchanged", "r9"))
    assert form.issues.property("severity") == "ok"
    assert "Nothing changed" in form.issues.text()


def test_busy_blocks_a_second_save(qtbot: QtBot, form: ProductionForm) -> None:
    type_values(qtbot, form, oil_bbl="1", gas_mcf="1", water_bbl="1")
    form.set_busy(True)
    assert form.save_button.text() == "Saving…"
    with qtbot.assertNotEmitted(form.save_requested):
        form.request_save()
    form.set_busy(False)
    assert form.save_button.isEnabled()
    assert form.save_button.text() == "&Save"


def test_switching_wells_keeps_unsaved_typing_as_a_draft(
    qtbot: QtBot, form: ProductionForm
) -> None:
    type_values(qtbot, form, oil_bbl="77", gas_mcf="88")
    form.reason.setCurrentIndex(form.reason.findData("ROD_PART"))
    assert form.unsaved == 1
    form.set_target(OTHER, DAY)
    assert form.inputs["oil_bbl"].text() == ""  # the other well starts blank
    assert not form.dirty
    assert form.unsaved == 1  # the draft of the first well is still held

    form.set_target(WELL, DAY)
    assert form.inputs["oil_bbl"].text() == "77"
    assert form.inputs["gas_mcf"].text() == "88"
    assert form.reason.currentData() == "ROD_PART"
    assert form.dirty
    assert "unsaved values for this day are back" in form.issues.text()
    assert form.issues.property("severity") == "warning"
    form.revert()
    assert form.inputs["oil_bbl"].text() == ""
    assert form.unsaved == 0


def test_a_draft_belongs_to_its_day(qtbot: QtBot, form: ProductionForm) -> None:
    type_values(qtbot, form, oil_bbl="5")
    form.set_target(WELL, date(2026, 3, 3))
    assert form.inputs["oil_bbl"].text() == ""
    form.set_target(WELL, DAY)
    assert form.inputs["oil_bbl"].text() == "5"


def test_a_flagged_record_shows_its_flags_by_the_fields(form: ProductionForm) -> None:
    flags = [
        {
            "rule": "oil_day_change",
            "field": "oil_bbl",
            "severity": "warning",
            "message": "Oil is down 45% from yesterday.",
        },
        {"rule": "tip", "field": "gas_mcf", "severity": "info", "message": "Advice only."},
    ]
    stored = {**STORED, "oil_bbl": 50.0, "flags": json.dumps(flags)}
    form.set_target(OTHER, DAY, stored)
    assert form.issues.text().startswith("Saved, flagged for review:")
    assert "Oil is down 45% from yesterday." in form.issues.text()
    assert "Advice only." not in form.issues.text()
    assert form.inputs["oil_bbl"].property("issue") == "warning"
    assert form.inputs["gas_mcf"].property("issue") == ""
    form.set_target(WELL, DAY)
    assert form.issues.isHidden()


def test_pressures_and_choke_are_filled_and_saved(qtbot: QtBot, form: ProductionForm) -> None:
    form.set_target(RECORDED, DAY, STORED)
    assert form.inputs["tubing_psi"].text() == "410"
    assert form.inputs["choke_64ths"].text() == "24"
    type_values(qtbot, form, casing_psi="95.5", choke_64ths="32")
    record = form.collect()
    assert isinstance(record, ProductionRecorded)
    assert (record.tubing_psi, record.casing_psi, record.choke_64ths) == (410.0, 95.5, 32)


def test_metric_units_show_m3_and_keep_stored_values(qtbot: QtBot, form: ProductionForm) -> None:
    form.set_target(RECORDED, DAY, STORED)
    form.set_units(UnitSystem.METRIC)
    assert form.captions["oil_bbl"].text() == "&Oil (m³)"
    assert form.inputs["oil_bbl"].accessibleName() == "Oil (m³)"
    assert form.inputs["oil_bbl"].text() == "19.158"  # 120.5 bbl
    assert not form.dirty
    record = form.collect()
    assert isinstance(record, ProductionRecorded)
    assert record.oil_bbl == 120.5  # shown rounded, saved exactly as stored
    type_values(qtbot, form, water_bbl="10")
    record = form.collect()
    assert isinstance(record, ProductionRecorded)
    assert record.water_bbl == pytest.approx(62.898, abs=1e-3)


def test_live_checks_mark_fields_and_block_save(qtbot: QtBot, form: ProductionForm) -> None:
    ctx = ValidationContext(WELL.well_id, DAY, DAY, Thresholds(), WellHistory())
    form.set_context(ctx)
    type_values(qtbot, form, oil_bbl="-1", gas_mcf="1", water_bbl="1")
    form.validate_now()  # what the 150 ms debounce does once typing pauses
    assert form.messages["oil_bbl"].text() == (
        "Error: Oil -1 bbl is negative; volumes must be 0 or more."
    )
    assert not form.save_button.isEnabled()
    assert form.issues.text() == "Fix the marked fields to save (1 error)."
    type_values(qtbot, form, oil_bbl="1", hours_on="20")
    form.validate_now()
    assert form.save_button.isEnabled()
    assert form.messages["oil_bbl"].isHidden()
    assert form.messages["hours_on"].isHidden()
    type_values(qtbot, form, downtime_hours="3")
    form.validate_now()
    assert "needs a downtime reason" in form.messages["downtime_reason"].text()
    assert not form.save_button.isEnabled()


def test_a_record_changed_under_the_typing_keeps_the_untouched_fields_current(
    qtbot: QtBot,
) -> None:
    form = ProductionForm()
    qtbot.addWidget(form)
    form.set_target(RECORDED, DAY, STORED)
    type_values(qtbot, form, oil_bbl="130")
    newer = {**STORED, "gas_mcf": 333.0}  # a sync brought another device's gas figure
    form.set_target(RECORDED, DAY, newer)
    assert form.inputs["oil_bbl"].text() == "130"  # what the operator typed stays
    assert form.inputs["gas_mcf"].text() == "333"  # the untouched field follows the record
    record = form.collect()
    assert isinstance(record, ProductionRecorded)
    assert (record.oil_bbl, record.gas_mcf) == (130.0, 333.0)  # the correction keeps their gas


def test_inputs_are_read_only_while_a_save_runs(form: ProductionForm) -> None:
    form.set_busy(True)
    assert all(edit.isReadOnly() for edit in form.inputs.values())
    assert form.notes.isReadOnly() and not form.reason.isEnabled()
    assert not form.save_button.isEnabled()
    form.set_busy(False)
    assert not any(edit.isReadOnly() for edit in form.inputs.values())
    assert form.reason.isEnabled()


def test_a_draft_typed_in_bbl_comes_back_converted_after_switching_to_m3(
    qtbot: QtBot, form: ProductionForm
) -> None:
    type_values(qtbot, form, oil_bbl="100", gas_mcf="50", water_bbl="10", hours_on="24")
    form.set_target(OTHER, DAY)  # moved on: the typing waits as a draft
    form.set_units(UnitSystem.METRIC)
    form.set_target(WELL, DAY)
    assert form.inputs["oil_bbl"].text() == "15.899"  # 100 bbl in m³
    record = form.collect()
    assert isinstance(record, ProductionRecorded)
    assert record.oil_bbl == pytest.approx(100.0, rel=1e-3)  # stored back in bbl
