from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from corekit import TODAY

from fieldapp.core.eventlog import iter_events
from fieldapp.core.production import correct_production, save_production, void_production
from fieldapp.core.projections import LoggedEvent, MemoryRowStore, apply_event
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import Well
from shared.contracts import (
    EquipmentAdded,
    EquipmentChanges,
    EquipmentUpdated,
    EventType,
    IncidentReported,
    ProductionChanges,
    ProductionRecorded,
)


def test_replaying_the_log_gives_the_same_rows_as_the_incremental_path(
    store: Store, well: Well
) -> None:
    ids = []
    for offset in range(5):
        ids.append(
            save_production(
                store,
                ProductionRecorded(
                    well_id=well.well_id,
                    production_date=TODAY - timedelta(days=offset),
                    oil_bbl=100 + offset,
                    gas_mcf=10,
                    water_bbl=1,
                    hours_on=24,
                ),
                today=TODAY,
            ).record_id
        )
    correct_production(store, ids[0], ProductionChanges(notes="fixed"), today=TODAY)
    void_production(store, ids[1], "duplicate gauge")
    equipment_id = str(uuid4())
    with store.write() as txn:
        txn.append(
            EventType.EQUIPMENT_ADDED,
            equipment_id,
            EquipmentAdded(well_id=well.well_id, equipment_type="pump jack", serial_number="A1"),
        )
        txn.append(
            EventType.EQUIPMENT_UPDATED,
            equipment_id,
            EquipmentUpdated(changes=EquipmentChanges(status="failed")),
        )
        txn.append(
            EventType.INCIDENT_REPORTED,
            uuid4(),
            IncidentReported(
                well_id=well.well_id,
                incident_type="spill",
                severity="low",
                occurred_at="2026-11-19T10:00:00Z",  # type: ignore[arg-type]
                description="2 bbl at the tank battery",
                location={"lat": 31.9, "lon": -102.1},  # type: ignore[arg-type]
            ),
        )
    report = verify_store(store)
    assert report.ok, report.problems
    assert report.events == 11

    replay = MemoryRowStore()
    with store.read() as conn:
        for ev in iter_events(conn):
            apply_event(replay, ev.logged())
        stored = conn.exec_driver_sql("SELECT status FROM equipment").scalar_one()
    assert replay.tables["equipment"][equipment_id]["status"] == stored == "failed"
    assert replay.tables["production"][ids[1]]["voided"] == 1
    assert replay.tables["production"][ids[0]]["notes"] == "fixed"


def test_a_projection_row_changed_behind_the_log_is_reported(store: Store, well: Well) -> None:
    with store.write() as txn:
        txn.conn.exec_driver_sql("UPDATE wells SET name = 'Renamed'")
    problems = verify_store(store).problems
    assert problems == [f"wells {well.well_id}: differs from replay in name (seq 1)"]


def test_changes_to_an_unknown_row_cannot_be_applied() -> None:
    rows = MemoryRowStore()
    event = LoggedEvent(1, "well.updated", str(uuid4()), 0, {"changes": {"name": "x"}})
    with pytest.raises(LookupError):
        apply_event(rows, event)
