"""The Sync screen's conflicts without Qt: the list and the selected one side by side."""

from __future__ import annotations

from typing import Any

from fieldapp.core.conflicts import Conflict, OpenConflict
from fieldapp.ui.sync_conflicts_state import (
    ComparisonList,
    ConflictsList,
    comparisons,
    conflict_heading,
    now_showing,
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


def test_a_conflict_compares_every_field_and_marks_the_ones_both_sides_changed() -> None:
    shown = open_conflict()
    rows = comparisons(shown)
    assert [r.field for r in rows][:4] == ["oil_bbl", "gas_mcf", "water_bbl", "hours_on"]
    table = ComparisonList()
    table.set_items(rows)
    assert [table.text(0, c) for c in range(3)] == ["Oil (bbl) — differs", "100", "140"]
    assert [table.text(2, c) for c in range(3)] == ["Water (bbl)", "30", "30"]
    assert (table.tone(0, 1), table.tone(2, 1)) == ("changed", "")
    assert now_showing(shown) == "The record shows their values for now."
    assert "both sides changed Gas (Mcf), Oil (bbl)" in conflict_heading(shown, UnitSystem.FIELD)
    listed = ConflictsList()
    listed.set_items([shown])
    assert listed.text(0, 3) == "Gas (Mcf), Oil (bbl)"


def test_the_conflicts_list_pages_by_opened_time_and_id_and_finds_a_conflict() -> None:
    first = open_conflict(conflict_id="c1")
    second = open_conflict(conflict_id="c2", opened_at="2026-12-02T10:00:00Z")
    listed = ConflictsList()
    listed.set_items([first], more=True, total=2)
    assert listed.last_conflict_key() == ("2026-12-01T10:00:00Z", "c1")
    assert listed.add_page([first, second], more=False) == 1
    assert (listed.row_of("c2"), listed.row_of("c9")) == (1, None)
    assert now_showing(open_conflict(current={}, mine={"oil_bbl": 140.0, "gas_mcf": 168.0})) == (
        "The record shows your values for now."
    )
