"""The record's history in words: kind, time, device, sync state and each change, in units."""

from __future__ import annotations

from fieldapp.core.record_history import FieldChange, RecordVersion
from fieldapp.ui.history_state import NOT_RECORDED, change_text, history_lines, version_text
from shared.units import UnitSystem, liquid_to_display

FIELD, METRIC = UnitSystem.FIELD, UnitSystem.METRIC


def version(number: int = 1, **given: object) -> RecordVersion:
    values: dict[str, object] = {
        "number": number,
        "kind": "recorded",
        "when": "2026-12-07T10:47:00Z",
        "device_id": "3f2a9c1e-0000-4000-8000-000000000000",
        "user_id": None,
        "this_device": True,
        "sync": "pending",
    }
    return RecordVersion(**(values | given))  # type: ignore[arg-type]


def test_a_version_says_what_when_where_and_whether_the_server_has_it() -> None:
    changes = (FieldChange("oil_bbl", None, 100.0), FieldChange("notes", "", "gauged"))
    text = version_text(version(changes=changes), FIELD)
    assert text.splitlines() == [
        "Version 1: Recorded, 07 Dec 2026 10:47 UTC, this device (not synced yet)",
        "   Oil: blank → 100 bbl",
        "   Notes: blank → gauged",
    ]


def test_another_device_s_confirmed_or_rejected_version_says_so() -> None:
    other = version(2, kind="corrected", this_device=False, sync="confirmed", when=None)
    assert version_text(other, FIELD) == (
        "Version 2: Corrected, time not known, device 3f2a9c1e (synced)"
    )
    refused = version(3, kind="voided", sync="rejected", reason="wrong well")
    assert version_text(refused, FIELD).splitlines() == [
        "Version 3: Voided, 07 Dec 2026 10:47 UTC, this device (rejected)",
        "   Reason: wrong well",
    ]


def test_changes_are_shown_in_the_operator_s_units_and_reasons_in_words() -> None:
    oil = FieldChange("oil_bbl", 100.0, 110.0)
    assert change_text(oil, FIELD) == "Oil: 100 bbl → 110 bbl"
    metric = change_text(oil, METRIC)
    assert metric.startswith("Oil: ") and "bbl" not in metric
    assert f"{liquid_to_display(110.0, METRIC):.3f}".rstrip("0") in metric
    assert change_text(FieldChange("hours_on", 24.0, 20.0), FIELD) == "Hours on: 24 h → 20 h"
    reason = FieldChange("downtime_reason", None, "PUMP_FAIL")
    assert change_text(reason, FIELD) == "Downtime reason: blank → Pump failure"


def test_the_history_is_newest_first_and_an_unsaved_day_says_so() -> None:
    assert history_lines([], FIELD) == [NOT_RECORDED]
    lines = history_lines([version(1), version(2, kind="corrected")], FIELD)
    assert [line.split(":")[0] for line in lines] == ["Version 2", "Version 1"]
