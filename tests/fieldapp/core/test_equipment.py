"""Equipment on the device: events appended and projected, only real changes, search."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest
from corekit import TODAY

from fieldapp.core.equipment import add_equipment, get_equipment, list_equipment, update_equipment
from fieldapp.core.errors import UnknownRecordError, UnknownWellError, ValidationFailedError
from fieldapp.core.eventlog import iter_events
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from shared.contracts import EquipmentAdded, EquipmentChanges, WellRegistered


def added(well: Well, **values: object) -> EquipmentAdded:
    base: dict[str, object] = {"well_id": UUID(well.well_id), "equipment_type": "Pumping unit"}
    return EquipmentAdded.model_validate({**base, **values})


def events(store: Store) -> list[tuple[str, dict[str, object]]]:
    import json

    with store.read() as conn:
        return [(e.event_type, json.loads(e.body)) for e in iter_events(conn)]


def test_add_appends_an_event_and_projects_the_row(store: Store, well: Well) -> None:
    details = added(
        well,
        manufacturer="Lufkin",
        model="C-320",
        serial_number="LF-1001",
        installed_on=date(2024, 5, 1),
        notes="Belt replaced at install",
    )
    item = add_equipment(store, details, today=TODAY)
    assert item.well_id == well.well_id
    assert (item.equipment_type, item.manufacturer, item.model, item.serial_number) == (
        "Pumping unit",
        "Lufkin",
        "C-320",
        "LF-1001",
    )  # "Lufkin / C-320" on screen: test_equipment_state
    assert item.installed_on == date(2024, 5, 1)
    assert item.status == "operational"
    kind, body = events(store)[-1]
    assert kind == "equipment.added"
    assert body["aggregate_id"] == item.equipment_id
    with store.read() as conn:
        assert get_equipment(conn, item.equipment_id) == item
    assert store.status().pending == 2  # the well and the equipment wait for sync


def test_add_refuses_an_unknown_well_and_a_future_install(store: Store, well: Well) -> None:
    with pytest.raises(UnknownWellError):
        add_equipment(store, EquipmentAdded(well_id=uuid4(), equipment_type="ESP"), today=TODAY)
    with pytest.raises(ValidationFailedError) as failed:
        add_equipment(store, added(well, installed_on=date(2026, 11, 21)), today=TODAY)
    assert failed.value.issues[0].field == "installed_on"
    assert "future" in str(failed.value)
    assert [kind for kind, _ in events(store)] == ["well.registered"]


def test_update_sends_only_the_fields_that_change(store: Store, well: Well) -> None:
    item = add_equipment(store, added(well, serial_number="A1", notes="new"), today=TODAY)
    changes = EquipmentChanges(status="failed", serial_number="A1", notes="Gearbox noise")
    updated = update_equipment(store, item.equipment_id, changes, today=TODAY)
    assert (updated.status, updated.notes, updated.serial_number) == (
        "failed",
        "Gearbox noise",
        "A1",
    )
    kind, body = events(store)[-1]
    assert kind == "equipment.updated"
    assert body["payload"] == {"changes": {"status": "failed", "notes": "Gearbox noise"}}
    assert body["base_version"] == item.version


def test_update_with_nothing_changed_appends_nothing(store: Store, well: Well) -> None:
    item = add_equipment(store, added(well, serial_number="A1"), today=TODAY)
    before = len(events(store))
    same = update_equipment(
        store, item.equipment_id, EquipmentChanges(serial_number="A1", status="operational")
    )
    assert same == item
    assert len(events(store)) == before


def test_update_clears_an_install_date_and_blanks_text(store: Store, well: Well) -> None:
    item = add_equipment(store, added(well, installed_on=date(2020, 1, 2), model="X"), today=TODAY)
    changes = EquipmentChanges.model_validate({"installed_on": None, "model": None})
    updated = update_equipment(store, item.equipment_id, changes, today=TODAY)
    assert updated.installed_on is None
    assert updated.model == ""


def test_update_of_unknown_equipment(store: Store) -> None:
    with pytest.raises(UnknownRecordError):
        update_equipment(store, str(uuid4()), EquipmentChanges(status="failed"))


def test_list_filters_by_well_and_searches_type_or_serial(store: Store, well: Well) -> None:
    other = register_well(store, WellRegistered(api_number="42-501-20131", name="Smith 2H"))[0]
    add_equipment(store, added(well, equipment_type="Rod pump", serial_number="RP-77"))
    add_equipment(store, added(well, equipment_type="Separator", serial_number="SEP-9"))
    add_equipment(store, added(other, equipment_type="ESP", serial_number="esp-rp-1"))
    with store.read() as conn:
        assert [e.equipment_type for e in list_equipment(conn)] == ["ESP", "Rod pump", "Separator"]
        assert [e.serial_number for e in list_equipment(conn, well.well_id)] == ["RP-77", "SEP-9"]
        assert [e.serial_number for e in list_equipment(conn, search="rp")] == ["esp-rp-1", "RP-77"]
        assert [e.equipment_type for e in list_equipment(conn, search=" SEPARATOR ")] == [
            "Separator"
        ]
        assert list_equipment(conn, other.well_id, search="sep") == []
