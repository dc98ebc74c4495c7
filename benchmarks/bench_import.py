"""Import a 100,000-row production CSV with full validation, then `verify` the 100,000 events.

Baseline in the same run: Python's csv module reading the same file and plain sqlite3 inserting
the rows (no validation, no events, no encryption) in one transaction. Prints the store's rate,
the ratio to the baseline, and the verify time. Last line: the import rate.

    python benchmarks/bench_import.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import time
from datetime import date, timedelta
from pathlib import Path

from _common import new_store, temp_dir

from fieldapp.core.importer import CSV_COLUMNS, import_production
from fieldapp.core.verify import verify_store

WELLS = 50


def write_file(path: Path, rows: int, apis: list[str]) -> date:
    days = rows // len(apis)
    end = date(2026, 1, 1)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(CSV_COLUMNS)
        for i, api in enumerate(apis):
            for d in range(days):
                oil = 100 + (i * 7 + d * 13) % 11
                day = end - timedelta(days=days - d)
                out.writerow([api, day, oil, oil * 1.2, oil * 0.5, 24, "", "", ""])
    return end


def baseline(path: Path, folder: Path) -> float:
    began = time.perf_counter()
    conn = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute(
        "CREATE TABLE p (api TEXT, day TEXT, oil REAL, gas REAL, water REAL, hours REAL,"
        " down REAL, reason TEXT, notes TEXT)"
    )
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", reader)
        conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with temp_dir() as folder:
        store, wells = new_store(folder, wells=WELLS)
        path = folder / "production.csv"
        today = write_file(path, args.rows, [w.api_number for w in wells])
        base = baseline(path, folder)
        began = time.perf_counter()
        summary = import_production(store, path, today=today)
        took = time.perf_counter() - began
        reports = [verify_store(store) for _ in range(3)]
        report = sorted(reports, key=lambda r: r.seconds)[1]  # the median of three runs
        store.close()
    assert summary.rejected == 0, summary.as_dict()
    assert summary.imported == summary.read, summary.as_dict()
    assert report.ok, report.problems[:3]
    rate = summary.read / took
    print(f"baseline csv + plain sqlite3: {base:.2f} s ({summary.read / base:,.0f} rows/s)")
    print(
        f"store import: {summary.as_dict()} in {took:.2f} s; ratio store/baseline {took / base:.1f}"
    )
    print(f"verify {report.events:,} events: {report.seconds:.2f} s, median of 3 (target <= 5 s)")
    print(f"import rate {rate:,.0f} rows/s with full validation (target >= 20,000)")


if __name__ == "__main__":
    main()
