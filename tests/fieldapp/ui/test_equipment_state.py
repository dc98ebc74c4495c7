"""Equipment page state without Qt: filters, the form's texts to events, the loaders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from uuid import UUID, uuid4

from fieldapp.core.equipment import Equipment, add_equipment
from fieldapp.core.store import Store
from fieldapp.core.wells import list_wells
from fieldapp.ui.equipment_state import (
    EquipmentDraft,
    EquipmentState,
    load_equipment_snapshot,
    load_timeline,
    make_model,
    parse_date,
    status_text,
)
from shared.contracts import EquipmentAdded, EquipmentChanges
from shared.validation import Issue

WELL_A, WELL_B = str(uuid4()), str(uuid4())


def item(well_id: str, kind: str, serial: str, status: str = "operational") -> Equipment:
    return Equipment(str(uuid4()), well_id, kind, "Lufkin", "C-320", serial, None, status, "", 0, 1)


ROWS = [
    item(WELL_A, "Rod pump", "RP-77"),
    item(WELL_A, "Separator", "SEP-9"),
    item(WELL_B, "ESP", "esp-rp-1", "failed"),
]


def test_state_filters_by_well_and_by_type_or_serial() -> None:
    state = EquipmentState(ROWS)
    assert len(state.visible) == 3
    state.set_search("RP")
    assert [e.serial_number for e in state.visible] == ["RP-77", "esp-rp-1"]
    state.set_well(WELL_A)
    assert [e.serial_number for e in state.visible] == ["RP-77"]
    state.set_search("separ")
    assert [e.equipment_type for e in state.visible] == ["Separator"]
    assert state.index_of(ROWS[1].equipment_id) == 0
    assert state.index_of(ROWS[0].equipment_id) is None
    assert state.find(ROWS[2].equipment_id) == ROWS[2]  # found even when filtered out
    state.set_well(None)
    state.set_search("")
    assert len(state.visible) == 3


def test_cells_and_tooltips_in_words() -> None:
    state = EquipmentState(ROWS)
    state.well_names = {WELL_A: "Wolfcamp 1"}
    first, esp = ROWS[0], ROWS[2]
    assert make_model(first) == "Lufkin / C-320"
    assert make_model(replace(first, manufacturer="")) == "C-320"  # either part may be blank
    assert state.display(first, "make_model") == "Lufkin / C-320"
    assert state.display(first, "status") == status_text("operational") == "✓ Operational"
    assert state.display(first, "well") == "Wolfcamp 1"
    assert state.display(esp, "well") == ""  # a well not loaded (yet)
    assert state.display(first, "installed_on") == ""
    installed = replace(first, installed_on=date(2024, 5, 1), notes="Belt replaced")
    assert state.display(installed, "installed_on") == "2024-05-01"
    assert state.tooltip(installed).splitlines() == [
        "Rod pump — Operational",
        "Well: Wolfcamp 1",
        "Notes: Belt replaced",
    ]
    assert state.tooltip(esp) == "ESP — Failed"
    assert status_text("scrapped") == "scrapped"  # a status from a newer app still reads


def test_parse_date() -> None:
    assert parse_date(" 2026-03-31 ", "installed_on", "Installed on") == date(2026, 3, 31)
    assert parse_date("", "installed_on", "Installed on") is None
    issue = parse_date("31/03/2026", "installed_on", "Installed on")
    assert isinstance(issue, Issue)
    assert issue.field == "installed_on"
    assert "YYYY-MM-DD" in issue.message


def test_draft_becomes_an_added_event() -> None:
    draft = EquipmentDraft(
        well_id=WELL_A,
        equipment_type="  Rod   pump ",
        manufacturer=" Weatherford ",
        serial_number="RP-1",
        installed_on="2025-01-15",
        status="maintenance",
        notes=" n ",
    )
    added = draft.to_added()
    assert isinstance(added, EquipmentAdded)
    assert added.well_id == UUID(WELL_A)
    assert (added.equipment_type, added.manufacturer, added.notes) == (
        "Rod pump",
        "Weatherford",
        "n",
    )
    assert added.installed_on == date(2025, 1, 15)
    assert added.status == "maintenance"


def test_draft_issues_name_their_fields() -> None:
    issues = EquipmentDraft(well_id=None, equipment_type=" ", installed_on="soon").to_added()
    assert isinstance(issues, list)
    assert [i.field for i in issues] == ["well_id", "equipment_type", "installed_on"]
    too_long = EquipmentDraft(well_id=WELL_A, equipment_type="x", serial_number="9" * 200)
    issues = too_long.to_added()
    assert isinstance(issues, list)
    assert [i.field for i in issues] == ["serial_number"]


def test_draft_of_an_item_round_trips_to_changes() -> None:
    changes = EquipmentDraft.of(ROWS[0]).to_changes()
    assert isinstance(changes, EquipmentChanges)
    assert changes.serial_number == "RP-77"
    assert changes.installed_on is None


def test_loaders_read_the_store(store: Store) -> None:
    with store.read() as conn:
        well = list_wells(conn)[0]
    added = add_equipment(store, EquipmentAdded(well_id=UUID(well.well_id), equipment_type="ESP"))
    snapshot = load_equipment_snapshot(store)
    assert len(snapshot.wells) == 12
    assert snapshot.equipment == [added]
    found = load_timeline(store, added.equipment_id)
    assert (found.equipment_id, found.entries, found.overdue_ids) == (
        added.equipment_id,
        [],
        frozenset(),
    )
