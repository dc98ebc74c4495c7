"""Create a local demo store: a dozen wells in two fields with 120 days of simulated history.

`python -m fieldapp.demo --data-dir DIR` (passphrase from FIELDAPP_PASSPHRASE). Data goes in
through the real import path, so the demo store is exactly what an operator's would be.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from fieldapp.core.importer import CSV_COLUMNS, import_production
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.wells import register_well
from shared.contracts import WellRegistered
from shared.validation import org_today

FIELDS = {"Wolfcamp North": (31.95, -102.10), "Spraberry East": (32.25, -101.75)}
DOWNTIME_REASONS = ("PUMP_FAIL", "ROD_PART", "POWER", "WEATHER", "WORKOVER")


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
    data_dir: Path, passphrase: str, *, days: int = 120, keystore: Keystore | None = None
) -> Store:
    store = Store.create(data_dir, passphrase, keystore or Keystore())
    wells = demo_wells()
    for well in wells:
        register_well(store, well)
    today = org_today(store.thresholds.timezone)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "history.csv"
        write_history(csv_path, wells, today, days)
        import_production(store, csv_path, today=today)
    return store


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fieldapp.demo")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    passphrase = os.environ.get("FIELDAPP_PASSPHRASE")
    if not passphrase:
        print("fieldapp.demo: error: set FIELDAPP_PASSPHRASE", file=sys.stderr)
        return 1
    with create_demo(args.data_dir, passphrase, days=args.days) as store:
        status = store.status()
    print(f"demo store: {status.wells} wells, {status.production_records} production records")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
