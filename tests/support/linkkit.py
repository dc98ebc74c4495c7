"""A local-only store with one of every kind of record, to be registered with a server later
(tests of `fieldapp link`: tests/fieldapp/sync/test_link.py, tests/fieldapp/core/test_relink.py,
tests/fieldapp/cli/test_link_command.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from fieldkit import days_ago, fail_keystore

from fieldapp.core.equipment import add_equipment, update_equipment
from fieldapp.core.incidents import report_incident
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import register_well
from shared.contracts import (
    EquipmentAdded,
    EquipmentChanges,
    IncidentReported,
    MaintenanceLogged,
    ProductionRecorded,
    WellRegistered,
)

OFFICE_API = "4250100001"  # the first well synckit.add_wells imports
OWN_API = "4200312345"  # a well only the laptop knows


@dataclass(frozen=True)
class LocalWork:
    office_well: str  # local id of the well the office also has
    own_well: str  # local id of the well only this laptop has
    records: int  # production records (live)
    events: int  # events in the log


def record(store: Store, well_id: str, days: int, oil: float, **values: Any) -> str:
    fields = {"gas_mcf": oil * 2, "water_bbl": oil / 4, "hours_on": 24.0, **values}
    row = ProductionRecorded(
        well_id=well_id,  # type: ignore[arg-type]
        production_date=days_ago(days),
        oil_bbl=oil,
        **fields,
    )
    return save_production(store, row).record_id


def fill_local_store(store: Store) -> LocalWork:
    """Two wells, five production days (one corrected), equipment (updated), maintenance and
    an incident: every kind of event a local store makes."""
    office, _ = register_well(store, WellRegistered(api_number=OFFICE_API, name="Mine 1"))
    own, _ = register_well(store, WellRegistered(api_number=OWN_API, name="Back forty"))
    for n in (3, 2, 1):
        record(store, office.well_id, n, 100 + n)
    record(store, own.well_id, 2, 40)
    record(store, own.well_id, 1, 41)
    record(store, office.well_id, 2, 98, notes="gauge re-read")  # a correction
    item = add_equipment(
        store,
        EquipmentAdded(well_id=own.well_id, equipment_type="pump jack", serial_number="PJ-7"),  # type: ignore[arg-type]
    )
    update_equipment(store, item.equipment_id, EquipmentChanges(status="maintenance"))
    log_maintenance(
        store,
        MaintenanceLogged(
            well_id=own.well_id,  # type: ignore[arg-type]
            equipment_id=item.equipment_id,  # type: ignore[arg-type]
            performed_on=days_ago(1),
            maintenance_type="packing",
            cost=120.5,
        ),
    )
    report_incident(
        store,
        IncidentReported(
            well_id=own.well_id,  # type: ignore[arg-type]
            incident_type="leak",
            severity="low",
            occurred_at=f"{days_ago(1).isoformat()}T15:00:00Z",  # type: ignore[arg-type]
            description="drip at the stuffing box",
        ),
    )
    status = store.status()
    return LocalWork(office.well_id, own.well_id, status.production_records, status.events)


def local_store(data_dir: Path, passphrase: str) -> LocalWork:
    """`fill_local_store` in a new passphrase-mode store at `data_dir` (closed afterwards)."""
    with Store.create(data_dir, passphrase, fail_keystore(), timezone="America/Chicago") as store:
        return fill_local_store(store)


def server_events(url: str, device_id: str) -> list[tuple[str, str]]:
    """(event_type, aggregate_id) of every event the server holds from the device."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT event_type, aggregate_id FROM events WHERE device_id = %s ORDER BY device_seq",
            (device_id,),
        ).fetchall()
    return [(str(t), str(a)) for t, a in rows]


def server_records(url: str, org: str) -> dict[str, int]:
    """Live production rows and aggregates by type of the org on the server."""
    with psycopg.connect(url) as conn:
        counts = dict(
            conn.execute(
                "SELECT a.aggregate_type, count(*) FROM aggregates a JOIN organizations o"
                " ON o.id = a.org_id WHERE o.slug = %s GROUP BY a.aggregate_type",
                (org,),
            ).fetchall()
        )
        row = conn.execute(
            "SELECT count(*) FROM production p JOIN organizations o ON o.id = p.org_id"
            " WHERE o.slug = %s AND p.deleted_at IS NULL",
            (org,),
        ).fetchone()
    assert row is not None
    return {"production": int(row[0]), **{str(k): int(v) for k, v in counts.items()}}
