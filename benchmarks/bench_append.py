"""Append 10,000 production events, one transaction each: the SQLCipher store vs plain sqlite3.

The baseline does the same three inserts per transaction (event_log, outbox, production) into
the same tables with the same durability (WAL, synchronous=FULL) on a plain sqlite3 file, with
values computed beforehand. The store pays for everything an append really does: building,
hashing and chaining the envelope, validation against the well's history, the projection and
encryption. Last line: the ratio of the p50s.

    python benchmarks/bench_append.py [--events N]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from _common import describe, new_store, temp_dir

from fieldapp.core.production import save_production
from fieldapp.core.schema import MIGRATIONS
from shared.contracts import ProductionRecorded
from shared.events import new_id


def store_append(folder: Path, events: int) -> list[float]:
    store, wells = new_store(folder, wells=10)
    start = date(2000, 1, 1)
    samples = []
    with store:
        for i in range(events):
            record = ProductionRecorded(
                well_id=wells[i % 10].well_id,
                production_date=start + timedelta(days=i // 10),
                oil_bbl=100 + i % 7,
                gas_mcf=150 + i % 5,
                water_bbl=40 + i % 3,
                hours_on=24,
            )
            began = time.perf_counter()
            save_production(store, record, today=date(2030, 1, 1))
            samples.append(time.perf_counter() - began)
    return samples


def sqlite_append(folder: Path, events: int) -> list[float]:
    conn = sqlite3.connect(folder / "plain.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(";\n".join(MIGRATIONS))  # the store's own schema and indexes
    conn.execute(
        "INSERT INTO wells VALUES (?, '4250120001', 'w', NULL, NULL, NULL, NULL, 'active',"
        " 'oil', 0, 1)",
        ("w",),
    )
    body = '{"payload":{"oil_bbl":100.0,"gas_mcf":150.0,"water_bbl":40.0}}' + " " * 500
    samples = []
    for i in range(events):
        seq = i + 2
        record_id = new_id()
        day = (date(2000, 1, 1) + timedelta(days=i)).isoformat()
        began = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO event_log VALUES (?, ?, 'production.recorded', ?, ?, ?, '', '[]')",
            (seq, new_id(), record_id, body, "f" * 64),
        )
        conn.execute("INSERT INTO outbox (device_seq) VALUES (?)", (seq,))
        conn.execute(
            "INSERT INTO production VALUES (?, 'w', ?, 100, 150, 40, 24, NULL, NULL, NULL, NULL,"
            " NULL, '', 'MANUAL', NULL, NULL, NULL, 100, '[]', 0, 0, ?)",
            (record_id, day, seq),
        )
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - began)
    conn.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    args = parser.parse_args()
    with temp_dir() as folder:
        plain = sqlite_append(folder, args.events)
        store = store_append(folder, args.events)
    print(describe("plain sqlite3 (3 inserts, WAL, synchronous=FULL)", plain))
    print(describe("WellPulse store save_production (SQLCipher)", store))
    print(f"store total {sum(store):.2f} s, baseline total {sum(plain):.2f} s")
    ratio = statistics.median(store) / statistics.median(plain)
    print(f"append p50 ratio store/sqlite3 = {ratio:.2f} (target <= 1.5; p50 target <= 1 ms)")


if __name__ == "__main__":
    main()
