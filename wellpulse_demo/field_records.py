"""Create a local demo store: a dozen wells in two fields with 120 days of simulated history.

`python -m wellpulse_demo.field_records --data-dir DIR` (passphrase from FIELDAPP_PASSPHRASE).
Data goes in through the real import path, so the demo store is exactly what an operator's would be.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fieldapp.core.equipment import add_equipment
from fieldapp.core.importer import CSV_COLUMNS, import_production
from fieldapp.core.incidents import report_incident
from fieldapp.core.keystore import Keystore
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from shared.contracts import (
    EquipmentAdded,
    IncidentReported,
    MaintenanceLogged,
    WellRegistered,
)
from shared.downtime import DOWNTIME_REASONS as SHARED_REASONS
from shared.validation import org_today

FIELDS = {"Wolfcamp North": (31.95, -102.10), "Spraberry East": (32.25, -101.75)}
DOWNTIME_REASONS = tuple(code for code, _ in SHARED_REASONS if code != "OTHER")  # no notes


def demo_wells(count: int = 12) -> list[WellRegistered]:
    rng = random.Random(7)
    wells = []
    for i in range(count):
        field = list(FIELDS)[i % 2]
        lat, lon = FIELDS[field]
        county = 329 if i % 2 == 0 else 317  # Midland, Martin (odd county codes)
        wells.append(
            WellRegistered(
                api_number=f"42-{county:03d}-{40100 + i * 7:05d}",
                name=f"{field.split()[0]} {i // 2 + 1}{'H' if i % 3 else ''}",
                lease=f"{field.split()[0]} Unit",
                field=field,
                latitude=round(lat + rng.uniform(-0.05, 0.05), 5),
                longitude=round(lon + rng.uniform(-0.05, 0.05), 5),
            )
        )
    return wells


def write_history(path: Path, wells: list[WellRegistered], today: date, days: int) -> None:
    """Declining rates with noise; occasional downtime with a reason; today left unrecorded."""
    rng = random.Random(11)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(CSV_COLUMNS)
        for index, well in enumerate(wells):
            initial = rng.uniform(80, 400)
            for age in range(days, 0, -1):
                day = today - timedelta(days=age)
                t = days - age
                rate = initial * math.exp(-t / 900) * rng.uniform(0.95, 1.05)
                down = 0.0
                reason = ""
                if rng.random() < 0.04:
                    down = float(rng.choice((2, 4, 6, 12)))
                    reason = rng.choice(DOWNTIME_REASONS)
                hours = 24.0 - down
                oil = round(rate * hours / 24, 1)
                gas = round(oil * rng.uniform(1.1, 1.3) * (1.5 if index % 2 else 1.0), 1)
                water = round(oil * rng.uniform(0.6, 0.8), 1)
                out.writerow([well.api_number, day, oil, gas, water, hours, down, reason, ""])


def create_demo(
    data_dir: Path,
    passphrase: str,
    *,
    days: int = 120,
    keystore: Keystore | None = None,
    field_records: bool = True,
) -> Store:
    """The demo store; `field_records`: with equipment, maintenance and incidents too."""
    store = Store.create(data_dir, passphrase, keystore or Keystore())
    wells = demo_wells()
    registered = [register_well(store, well)[0] for well in wells]
    today = org_today(store.thresholds.timezone)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "history.csv"
        write_history(csv_path, wells, today, days)
        import_production(store, csv_path, today=today)
    if field_records:
        add_field_records(store, registered, today)
    return store


EQUIPMENT = (  # type, manufacturer, model, status
    ("Pumping unit", "Lufkin", "C-320D-256-120", "operational"),
    ("Separator", "Sivalls", "2-phase 24x7.5", "operational"),
    ("Tank", "Permian Tank", "400 bbl", "operational"),
)


def add_field_records(store: Store, wells: list[Well], today: date) -> None:
    """Equipment on every well, its maintenance (some of it overdue) and two incidents."""
    rng = random.Random(5)
    for index, well in enumerate(wells):
        for kind, (equipment_type, maker, model, status) in enumerate(EQUIPMENT):
            if index % 3 == 0 and kind == 0:
                status = "maintenance"
            if index == 5 and kind == 1:
                status = "failed"
            installed = today - timedelta(days=400 + rng.randrange(900))
            serial = f"{maker[:2].upper()}-{index:02d}{kind}{rng.randrange(9999):04d}"
            item = add_equipment(
                store,
                EquipmentAdded(
                    well_id=well.well_id,
                    equipment_type=equipment_type,
                    manufacturer=maker,
                    model=model,
                    serial_number=serial,
                    installed_on=installed,
                    status=status,
                ),
                today=today,
            )
            done = today - timedelta(days=20 + rng.randrange(60))
            due = done + timedelta(days=30 if kind == 0 else 90)  # pumping units: monthly
            log_maintenance(
                store,
                MaintenanceLogged(
                    well_id=well.well_id,
                    equipment_id=item.equipment_id,
                    performed_on=done,
                    maintenance_type="Lubrication" if kind == 0 else "Inspection",
                    description="Greased wrist pins and saddle bearing"
                    if kind == 0
                    else "Visual inspection, no leaks found",
                    technician=rng.choice(("J. Ortiz", "M. Chen", "R. Patel")),
                    cost=round(rng.uniform(80, 450), 2),
                    next_due=due,
                ),
                today=today,
            )
    now = datetime.now(UTC)
    report_incident(
        store,
        IncidentReported(
            well_id=wells[1].well_id,
            incident_type="spill",
            severity="medium",
            occurred_at=now - timedelta(days=3, hours=2),
            location_description="Tank battery, north side",
            description="About 3 bbl of produced water spilled from a cracked load line valve; "
            "contained inside the berm and picked up by vacuum truck.",
            environmental_impact="Contained in the berm; soil to be sampled.",
            regulatory_notification_required=True,
        ),
    )
    report_incident(
        store,
        IncidentReported(
            well_id=wells[4].well_id,
            incident_type="near_miss",
            severity="low",
            occurred_at=now - timedelta(days=9),
            location_description="Lease road gate",
            description="Cattle guard loose; a truck tyre caught on it. Reported to the landowner.",
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m wellpulse_demo.field_records")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    passphrase = os.environ.get("FIELDAPP_PASSPHRASE")
    if not passphrase:
        print("wellpulse_demo.field_records: error: set FIELDAPP_PASSPHRASE", file=sys.stderr)
        return 1
    with create_demo(args.data_dir, passphrase, days=args.days) as store:
        status = store.status()
    print(f"demo store: {status.wells} wells, {status.production_records} production records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
