"""The Incidents page's Qt-free state: building a report from what was typed, the regulatory
hint, and the words of every table cell."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from fieldapp.core.incidents import Incident
from fieldapp.core.wells import Well
from fieldapp.ui.incidents_state import (
    SEVERITY_CHOICES,
    TYPE_CHOICES,
    IncidentDraft,
    IncidentsState,
    RegulatoryFlag,
    build_report,
    headline,
    reason_words,
    severity_label,
    type_label,
)

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
DRAFT = IncidentDraft(
    incident_type="spill",
    severity="high",
    occurred_at=NOW - timedelta(hours=1),
    well_id=None,
    location_description="  tank battery north side ",
    latitude="",
    longitude="",
    description="  Overflow at the stock tank  ",
    injuries=False,
    environmental_impact="",
    regulatory_notification_required=True,
)


def fields(draft: IncidentDraft) -> dict[str, str]:
    report, issues = build_report(draft, now=NOW)
    assert report is None
    return {i.field: i.message for i in issues}


def test_a_complete_draft_becomes_the_report_trimmed() -> None:
    report, issues = build_report(replace(DRAFT, latitude="31.9", longitude="-102.1"), now=NOW)
    assert issues == [] and report is not None
    assert report.location_description == "tank battery north side"
    assert report.description == "Overflow at the stock tank"
    assert report.location is not None and (report.location.lat, report.location.lon) == (
        31.9,
        -102.1,
    )
    assert report.regulatory_notification_required


def test_every_problem_is_reported_at_once_by_field() -> None:
    bad = replace(
        DRAFT,
        incident_type="",
        description=" ",
        occurred_at=NOW + timedelta(days=1),
        latitude="north",
        location_description="x" * 401,
    )
    assert fields(bad) == {
        "incident_type": "Choose what kind of incident it was.",
        "description": "Describe what happened.",
        "occurred_at": "The incident cannot have happened in the future: check the date and time.",
        "latitude": "Latitude: 'north' is not a number.",
        "location_description": "Too long: at most 400 characters.",
    }


def test_coordinates_are_both_or_neither_and_in_range() -> None:
    assert fields(replace(DRAFT, longitude="-102")) == {
        "latitude": "Give both latitude and longitude, or leave both blank."
    }
    assert fields(replace(DRAFT, latitude="31", longitude="200")) == {
        "longitude": "Longitude must be between -180 and 180 (decimal degrees)."
    }


def test_regulatory_flag_follows_the_report_until_the_operator_decides() -> None:
    flag = RegulatoryFlag()
    assert flag.update("low", "leak", injuries=False) is False and flag.note == ""
    assert flag.update("critical", "leak", injuries=False) is True
    assert flag.note.startswith("Ticked because severity is critical")
    assert flag.update("low", "leak", injuries=False) is False  # it was only the hint
    assert flag.update("low", "leak", injuries=True) is True
    flag.set_by_user(False)
    assert flag.update("high", "spill", injuries=True) is False
    assert flag.note.startswith("Unticked by you although severity is high")
    flag.reset()
    assert flag.update("low", "fire", injuries=False) is False
    flag.set_by_user(True)
    assert flag.note == "Ticked by you: the office will notify."


def test_types_severities_and_reasons_in_words() -> None:
    assert type_label("spill") == "Spill"
    assert severity_label("high") == "High"
    assert type_label("equipment_failure") == "Equipment failure"
    assert type_label("h2s_release") == "H2s release"  # a type from a newer app still reads
    assert severity_label("catastrophic") == "Catastrophic"
    assert [code for code, _ in TYPE_CHOICES][:3] == ["spill", "leak", "fire"]
    assert SEVERITY_CHOICES == (
        ("low", "Low"),
        ("medium", "Medium"),
        ("high", "High"),
        ("critical", "Critical"),
    )
    assert reason_words("severity", "critical") == "severity is critical"
    assert [reason_words(r, "low") for r in ("injury", "spill")] == [
        "someone was injured",
        "it is a spill",
    ]


def test_table_cells_in_words() -> None:
    state = IncidentsState()
    well = Well("w1", "4250120130", "Smith 1H", None, None, None, None, "active", "oil", 1, 1)
    state.set_wells([well])
    row = Incident(
        "i1",
        "w1",
        "near_miss",
        "critical",
        NOW,
        31.9,
        -102.1,
        "gate",
        "Truck backed into",
        True,
        "none",
        True,
        0,
        3,
    )
    state.set_rows(
        [
            row,
            replace(
                row,
                incident_id="i2",
                well_id=None,
                severity="low",
                regulatory_notification_required=False,
            ),
        ]
    )
    cells = [state.display(state.rows[0], k) for k in ("well", "incident_type", "severity")]
    assert cells == ["Smith 1H", "Near miss", "Critical"]
    assert state.display(state.rows[0], "regulatory") == "Yes"
    assert state.display(state.rows[1], "well") == "Lease / no well"
    assert state.display(state.rows[1], "regulatory") == "No"
    assert state.well_name("gone") == "Unknown well"
    assert headline(state.rows[0], "Smith 1H") == "Near miss, critical — Smith 1H"
    tip = state.tooltip(state.rows[0])
    assert "Where: gate" in tip and "Injuries: yes" in tip and "Truck backed into" in tip
