"""Maintenance log: validation, timeline order and what is overdue."""

from __future__ import annotations

import json
from datetime import date, timedelta
from uuid import UUID

import pytest
from corekit import TODAY

from fieldapp.core.equipment import Equipment, add_equipment
from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.eventlog import iter_events
from fieldapp.core.maintenance import (
    is_overdue,
    list_maintenance,
    log_maintenance,
    overdue,
    timeline,
)
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from shared.contracts import EquipmentAdded, MaintenanceLogged, WellRegistered


@pytest.fixture
def pump(store: Store, well: Well) -> Equipment:
    details = EquipmentAdded(well_id=UUID(well.well_id), equipment_type="Rod pump")
    return add_equipment(store, details, today=TODAY)


def entry(
    well: Well,
    item: Equipment | None,
    performed_on: date,
    kind: str = "Inspection",
    **values: object,
) -> MaintenanceLogged:
    return MaintenanceLogged.model_validate(
        {
            "well_id": well.well_id,
            "equipment_id": item.equipment_id if item else None,
            "performed_on": performed_on,
            "maintenance_type": kind,
            **values,
        }
    )


def days(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_logged_entry_is_an_event_and_a_row(store: Store, well: Well, pump: Equipment) -> None:
    logged = log_maintenance(
        store,
        entry(
            well,
            pump,
            days(3),
            "Repair",
            description="New valve",
            technician="Ana",
            cost=420.5,
            next_due=days(-90),
        ),
        today=TODAY,
    )
    assert (logged.maintenance_type, logged.technician, logged.cost) == ("Repair", "Ana", 420.5)
    assert logged.next_due == days(-90)
    with store.read() as conn:
        last = list(iter_events(conn))[-1]
        assert (last.event_type, last.aggregate_id) == ("maintenance.logged", logged.maintenance_id)
        assert json.loads(last.body)["payload"]["equipment_id"] == pump.equipment_id
        assert timeline(conn, pump.equipment_id) == [logged]


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"performed_on": TODAY + timedelta(days=1)}, "performed_on", "in the future"),
        ({"next_due": days(3)}, "next_due", "must be after"),
        ({"next_due": days(5)}, "next_due", "must be after"),
    ],
)
def test_rules_refuse_and_append_nothing(
    store: Store, well: Well, pump: Equipment, values: dict[str, object], field: str, words: str
) -> None:
    with store.read() as conn:
        before = len(list(iter_events(conn)))
    data = {"performed_on": days(3), **values}
    with pytest.raises(ValidationFailedError) as failed:
        log_maintenance(store, entry(well, pump, **data), today=TODAY)  # type: ignore[arg-type]
    assert [i.field for i in failed.value.issues] == [field]
    assert words in str(failed.value)
    with store.read() as conn:
        assert len(list(iter_events(conn))) == before


def test_negative_cost_is_refused_by_the_contract(well: Well) -> None:
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        entry(well, None, days(1), cost=-1)


def test_equipment_of_another_well_is_refused(store: Store, well: Well, pump: Equipment) -> None:
    other = register_well(store, WellRegistered(api_number="42-501-20131", name="Smith 2H"))[0]
    with pytest.raises(ValidationFailedError, match="not on this well"):
        log_maintenance(store, entry(other, pump, days(1)), today=TODAY)


def test_timeline_and_list_are_newest_first(store: Store, well: Well, pump: Equipment) -> None:
    log_maintenance(store, entry(well, pump, days(30), "Lubrication"), today=TODAY)
    log_maintenance(store, entry(well, pump, days(2), "Repair"), today=TODAY)
    log_maintenance(store, entry(well, None, days(10), "Inspection"), today=TODAY)
    with store.read() as conn:
        assert [e.maintenance_type for e in timeline(conn, pump.equipment_id)] == [
            "Repair",
            "Lubrication",
        ]
        assert [e.performed_on for e in list_maintenance(conn, well.well_id)] == [
            days(2),
            days(10),
            days(30),
        ]


def test_overdue_until_the_same_work_is_done_again(
    store: Store, well: Well, pump: Equipment
) -> None:
    first = log_maintenance(
        store, entry(well, pump, days(60), "Lubrication", next_due=days(5)), today=TODAY
    )
    other_kind = log_maintenance(
        store, entry(well, pump, days(20), "Inspection", next_due=days(-30)), today=TODAY
    )
    well_level = log_maintenance(
        store, entry(well, None, days(40), "lubrication", next_due=days(1)), today=TODAY
    )
    with store.read() as conn:
        assert overdue(conn, TODAY) == [first, well_level]
        everything = list_maintenance(conn)
    assert is_overdue(first, everything, TODAY)
    assert not is_overdue(other_kind, everything, TODAY)
    # due today is not overdue yet
    assert not is_overdue(first, everything, days(5))

    redone = log_maintenance(
        store, entry(well, pump, days(1), " LUBRICATION ", next_due=days(-60)), today=TODAY
    )
    with store.read() as conn:
        assert overdue(conn, TODAY) == [well_level]
        assert overdue(conn, TODAY, well_id=well.well_id) == [well_level]
        everything = list_maintenance(conn)
    assert not is_overdue(first, everything, TODAY)
    assert not is_overdue(redone, everything, TODAY)
    assert is_overdue(redone, everything, days(-61))
