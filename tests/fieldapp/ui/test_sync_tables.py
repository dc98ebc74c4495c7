"""The Sync screen's Qt-free states: what each table cell says, the fix parser, the progress."""

from __future__ import annotations

from typing import Any

import pytest

from fieldapp.core.conflicts import Conflict
from fieldapp.core.rejections import Rejection
from fieldapp.core.sync_overview import OpenConflict, OpenRejection, PendingItem, RecordOutcome
from fieldapp.sync.engine import SyncReport
from fieldapp.ui.sync_tables import (
    ComparisonTable,
    ConflictsTable,
    OutcomesTable,
    PendingTable,
    RejectionsTable,
    SyncProgress,
    comparisons,
    conflict_heading,
    fix_fields,
    now_showing,
    parse_fixes,
)
from shared.units import UnitSystem

RECORD = {
    "oil_bbl": 140.0,
    "gas_mcf": 168.0,
    "water_bbl": 30.0,
    "hours_on": 24.0,
    "downtime_hours": None,
    "downtime_reason": None,
    "tubing_psi": None,
    "casing_psi": None,
    "choke_64ths": None,
    "notes": "",
}


def open_conflict(**changes: Any) -> OpenConflict:
    values: dict[str, Any] = {
        "conflict_id": "c1",
        "aggregate_id": "r1",
        "aggregate_type": "production",
        "fields": ["gas_mcf", "oil_bbl"],
        "mine": {"oil_bbl": 100.0, "gas_mcf": 120.0},
        "theirs": {"oil_bbl": 140.0, "gas_mcf": 168.0},
        "status": "open",
        "raised_here": False,
        "policy": "last_write_wins",
        "resolution": None,
        "opened_at": "2026-12-01T10:00:00Z",
        "current": {"oil_bbl": 140.0, "gas_mcf": 168.0},
        **changes,
    }
    return OpenConflict(Conflict(**values), "Wolfcamp 1H", "2026-11-30", dict(RECORD))


def open_rejection(reasons: list[dict[str, str]], **payload: Any) -> OpenRejection:
    values = {"oil_bbl": -5.0, "gas_mcf": 10.0, "water_bbl": 1.0, "notes": "typo", **payload}
    rejection = Rejection(
        7, "e7", "production.recorded", "r7", values, reasons, "2026-12-01T10:00:00Z", None
    )
    fixable = tuple(r["field"] for r in reasons if r.get("field")) or ("oil_bbl", "gas_mcf")
    return OpenRejection(rejection, "Spraberry 2", "2026-11-29", values, fixable, True)


def test_pending_rows_say_what_which_well_and_day_in_the_chosen_units() -> None:
    item = PendingItem(
        3,
        "production.recorded",
        "r1",
        "Wolfcamp 1H",
        "2026-11-30",
        {"oil_bbl": 100.0, "gas_mcf": 1000.0, "water_bbl": 0.0, "hours_on": 24.0, "notes": "ok"},
        "2026-12-01T10:00:00+00:00",
    )
    table = PendingTable()
    table.set_items([item])
    what, well, day, values, _when = (table.text(0, c) for c in range(5))
    assert (what, well, day) == ("Production", "Wolfcamp 1H", "2026-11-30")
    assert values == "Oil (bbl) 100, Gas (Mcf) 1,000, Water (bbl) 0, Hours on 24, …"
    table.units = UnitSystem.METRIC
    assert table.text(0, 3).startswith("Oil (m³) 15.9, Gas (m³) 28,316.85")


def test_each_result_is_worded_and_only_open_problems_are_coloured() -> None:
    reasons = [{"rule": "volume_negative", "field": "oil_bbl", "message": "negative oil"}]
    table = OutcomesTable()
    table.set_items(
        [
            RecordOutcome(5, "production.recorded", "r5", "W", "d", "rejected", "t", reasons),
            RecordOutcome(4, "production.corrected", "r4", "W", "d", "merged", "t"),
            RecordOutcome(3, "production.recorded", "r3", "W", "d", "conflict", "t", detail="open"),
            RecordOutcome(
                2, "production.recorded", "r2", "W", "d", "conflict", "t", detail="resolved"
            ),
            RecordOutcome(1, "well.registered", "w", "W", "", "duplicate", "t"),
        ]
    )
    assert [table.text(r, 0) for r in range(5)] == [
        "✗ Rejected",
        "✓ Merged",
        "⚠ Conflict (open)",
        "⚠ Conflict (resolved)",
        "✓ Accepted (already on server)",
    ]
    assert table.text(0, 4) == "Oil (bbl): negative oil"
    assert "another device" in table.text(1, 4)
    assert [table.tone(r, 0) for r in range(5)] == ["error", "ok", "warning", "", "ok"]
    assert table.tone(0, 1) == ""  # only the result cell


def test_a_conflict_compares_every_field_and_marks_the_ones_both_sides_changed() -> None:
    shown = open_conflict()
    rows = comparisons(shown)
    assert [r.field for r in rows][:4] == ["oil_bbl", "gas_mcf", "water_bbl", "hours_on"]
    table = ComparisonTable()
    table.set_items(rows)
    assert [table.text(0, c) for c in range(3)] == ["Oil (bbl) — differs", "100", "140"]
    assert [table.text(2, c) for c in range(3)] == ["Water (bbl)", "30", "30"]
    assert (table.tone(0, 1), table.tone(2, 1)) == ("changed", "")
    assert now_showing(shown) == "The record shows their values for now."
    assert "both sides changed Gas (Mcf), Oil (bbl)" in conflict_heading(shown, UnitSystem.FIELD)
    listed = ConflictsTable()
    listed.set_items([shown])
    assert listed.text(0, 3) == "Gas (Mcf), Oil (bbl)"


def test_the_fix_form_offers_the_refused_fields_prefilled_with_the_server_reason() -> None:
    reasons = [{"rule": "volume_negative", "field": "oil_bbl", "message": "negative oil"}]
    shown = open_rejection(reasons)
    (oil,) = fix_fields(shown, UnitSystem.FIELD)
    assert (oil.name, oil.label, oil.text, oil.reason) == (
        "oil_bbl",
        "Oil (bbl)",
        "-5",
        "negative oil",
    )
    table = RejectionsTable()
    table.set_items([shown])
    assert table.text(0, 3) == "Oil (bbl): negative oil" and table.tone(0, 3) == "error"


@pytest.mark.parametrize(
    ("texts", "fixes", "problems"),
    [
        ({"oil_bbl": "5"}, {"oil_bbl": 5.0}, {}),
        ({"oil_bbl": "1,250"}, {}, {"oil_bbl": "not a number"}),
        ({"oil_bbl": "lots"}, {}, {"oil_bbl": "not a number"}),
        ({"oil_bbl": " "}, {}, {"oil_bbl": "Enter oil"}),
        ({"hours_on": ""}, {"hours_on": None}, {}),
        ({"choke_64ths": "12"}, {"choke_64ths": 12}, {}),
        ({"choke_64ths": "12.5"}, {}, {"choke_64ths": "whole number"}),
        ({"notes": " re-gauged "}, {"notes": "re-gauged"}, {}),
    ],
)
def test_typed_fixes_are_parsed_or_refused_with_a_reason(
    texts: dict[str, str], fixes: dict[str, Any], problems: dict[str, str]
) -> None:
    got, found = parse_fixes(texts, UnitSystem.FIELD)
    assert got == fixes
    assert set(found) == set(problems)
    for name, fragment in problems.items():
        assert fragment in found[name]


def test_a_fix_typed_in_cubic_metres_is_resubmitted_in_barrels() -> None:
    shown = open_rejection([{"rule": "r", "field": "oil_bbl", "message": "m"}], oil_bbl=62.9)
    (oil,) = fix_fields(shown, UnitSystem.METRIC)
    assert (oil.label, oil.text) == ("Oil (m³)", "10")
    fixes, _ = parse_fixes({"oil_bbl": "10"}, UnitSystem.METRIC)
    assert fixes["oil_bbl"] == pytest.approx(62.898, abs=0.001)


def test_progress_follows_a_sync_from_start_to_finish() -> None:
    progress = SyncProgress()
    progress.pending = 5
    assert progress.on_event("sync.started", {})
    assert progress.text == "Syncing: sending 5 change(s)…" and progress.bar() == (0, 5)
    progress.on_event("sync.pushed", {"sent": 3, "counts": {"accepted": 2, "conflict": 1}})
    assert progress.text == "Syncing: sent 3 of 5 (2 accepted, 1 conflict)"
    assert progress.bar() == (3, 5)
    progress.on_event("sync.pulled", {"applied": 4, "cursor": 10})
    assert progress.text.endswith("received 4 change(s)")
    report = SyncReport(pulled=4, pending=0, conflicts=1)
    progress.on_event("sync.finished", {"report": report})
    assert progress.state == "done" and progress.bar() == (1, 1)
    assert progress.text == (
        "Sync finished: sent 3 (2 accepted, 1 conflict), received 4 change(s);"
        " nothing left to send; 1 conflict(s) to resolve."
    )
    assert not progress.on_event("connectivity.online", {})


def test_progress_says_why_a_sync_failed_and_when_the_server_is_gone() -> None:
    progress = SyncProgress()
    progress.on_event("sync.started", {})
    assert progress.bar() == (0, 0)  # nothing known to send: a busy bar
    progress.on_event("sync.retrying", {"error": "connection refused", "pause": 2.4})
    assert progress.text == "Connection problem (connection refused); trying again in 2 s…"
    progress.on_event("sync.failed", {"error": "server unreachable", "report": SyncReport()})
    assert (progress.state, progress.text) == ("failed", "Sync failed: server unreachable")
    progress.on_event("connectivity.offline", {})
    assert progress.state == "offline"
    assert progress.text == (
        "Offline: the server cannot be reached (server unreachable). Sync resumes when it answers."
    )
    assert progress.request() and progress.text.startswith("The server could not be reached")
    progress.on_event("sync.started", {})
    assert not progress.request()  # already syncing: nothing to say


def test_an_untouched_prefilled_fix_keeps_the_stored_value_exactly() -> None:
    shown = {"oil_bbl": ("27.553", 173.3), "gas_mcf": ("10", 10.0)}
    fixes, problems = parse_fixes({"oil_bbl": "27.553", "gas_mcf": "12"}, UnitSystem.METRIC, shown)
    assert problems == {}
    assert fixes["oil_bbl"] == 173.3  # not 173.3 rounded through m³ and back
    assert fixes["gas_mcf"] == pytest.approx(12 / 28.316846592)  # typed: m³ back to Mcf
