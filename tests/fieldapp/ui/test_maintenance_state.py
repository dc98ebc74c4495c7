"""Maintenance page state without Qt: the form's rules, the filter and the overdue count."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from fieldapp.core.maintenance import MaintenanceEntry
from fieldapp.ui.maintenance_state import (
    MaintenanceDraft,
    MaintenanceRow,
    MaintenanceState,
    display,
    format_cost,
    overdue_summary,
    parse_cost,
    tooltip,
)
from shared.contracts import MaintenanceLogged
from shared.validation import Issue

TODAY = date(2026, 11, 20)
WELL, OTHER, PUMP = str(uuid4()), str(uuid4()), str(uuid4())


def draft(**values: str | None) -> MaintenanceDraft:
    base: dict[str, str | None] = {
        "well_id": WELL,
        "equipment_id": PUMP,
        "performed_on": "2026-11-18",
        "maintenance_type": "Repair",
        "description": " new valve ",
        "technician": "Ana",
        "cost": "420.50",
        "next_due": "2027-02-18",
    }
    return MaintenanceDraft(**{**base, **values})  # type: ignore[arg-type]


def test_a_complete_form_becomes_an_event() -> None:
    logged = draft().to_logged(TODAY)
    assert isinstance(logged, MaintenanceLogged)
    assert (logged.well_id, logged.equipment_id) == (UUID(WELL), UUID(PUMP))
    assert (logged.performed_on, logged.next_due) == (date(2026, 11, 18), date(2027, 2, 18))
    assert (logged.cost, logged.description) == (420.5, "new valve")
    blank = draft(equipment_id=None, cost="", next_due="").to_logged(TODAY)
    assert isinstance(blank, MaintenanceLogged)
    assert (blank.equipment_id, blank.cost, blank.next_due) == (None, None, None)


@pytest.mark.parametrize(
    ("values", "fields", "words"),
    [
        ({"next_due": "2026-11-18"}, ["next_due"], "must be after"),
        ({"next_due": "2026-10-01"}, ["next_due"], "must be after"),
        ({"performed_on": "2026-11-21"}, ["performed_on"], "in the future"),
        ({"performed_on": ""}, ["performed_on"], "Enter the date"),
        ({"cost": "-5"}, ["cost"], "cannot be negative"),
        ({"cost": "1,200"}, ["cost"], "without commas"),
        ({"cost": "lots"}, ["cost"], "not a number"),
        ({"well_id": None, "maintenance_type": ""}, ["well_id", "maintenance_type"], "Choose"),
        ({"next_due": "next week"}, ["next_due"], "YYYY-MM-DD"),
    ],
)
def test_form_rules(values: dict[str, str | None], fields: list[str], words: str) -> None:
    issues = draft(**values).to_logged(TODAY)
    assert isinstance(issues, list)
    assert [i.field for i in issues] == fields
    assert words in " ".join(i.message for i in issues)


def test_parse_cost() -> None:
    assert parse_cost(" $12.5 ") == 12.5
    assert parse_cost("") is None
    assert isinstance(parse_cost("nan"), Issue)


def entry(well: str, equipment: str | None, day: int, kind: str = "Inspection") -> MaintenanceEntry:
    return MaintenanceEntry(
        str(uuid4()), well, equipment, date(2026, 11, day), kind, "", "", None, None, 0, day
    )


def test_state_filters_and_counts_overdue() -> None:
    rows = [entry(WELL, PUMP, 10), entry(WELL, None, 9), entry(OTHER, None, 8)]
    state = MaintenanceState()
    state.set_entries(
        rows,
        frozenset({rows[0].maintenance_id, rows[2].maintenance_id}),
        {PUMP: "Rod pump (RP-77)"},
    )
    assert [r.overdue for r in state.visible] == [True, False, True]
    assert state.overdue_count == 2
    assert state.visible[0].equipment == "Rod pump (RP-77)"
    assert state.visible[1].equipment == ""
    state.set_filter(WELL, None)
    assert [r.entry for r in state.visible] == rows[:2]
    assert state.overdue_count == 1
    state.set_filter(WELL, PUMP)
    assert [r.entry for r in state.visible] == rows[:1]
    assert state.index_of(rows[0].maintenance_id) == 0
    assert state.index_of(rows[1].maintenance_id) is None
    assert overdue_summary(0) == "Nothing overdue"
    assert overdue_summary(3) == "3 overdue"


def test_cells_and_tooltips_in_words() -> None:
    done = MaintenanceEntry(
        str(uuid4()),
        WELL,
        PUMP,
        date(2026, 8, 1),
        "Repair",
        "new   valve\nand seals",
        "Ana",
        1250.5,
        date(2026, 11, 1),
        0,
        1,
    )
    late = MaintenanceRow(done, "Rod pump (RP-77)", overdue=True)
    cells = [display(late, key) for key in ("performed_on", "next_due", "equipment", "cost")]
    assert cells == ["2026-08-01", "⚠ OVERDUE since 2026-11-01", "Rod pump (RP-77)", "1,250.50"]
    assert display(late, "description") == "new valve and seals"  # one line in the table
    assert display(late, "technician") == "Ana"
    assert tooltip(late).splitlines() == [
        "Repair on 2026-08-01",
        "Overdue: was due 2026-11-01; not done again since.",
        "By Ana",
        "new   valve",
        "and seals",
    ]
    on_time = MaintenanceRow(done, "", overdue=False)
    assert display(on_time, "next_due") == "2026-11-01"
    assert display(on_time, "equipment") == "Whole well"
    assert tooltip(on_time).splitlines()[1] == "By Ana"
    assert format_cost(None) == ""
