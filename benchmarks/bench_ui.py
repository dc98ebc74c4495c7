"""The desktop app's three speed targets (issue 5), each against a baseline in the same run.

1. Cold start to an interactive main window with a 100,000-event store (target <= 2 s):
   a fresh process starts the real app (key from a file-backed keystore, as an OS keystore
   would give it) and reports when the window is on screen with the route's rows in its
   table. Baseline: a fresh process that shows a bare Qt window.
2. Filtering a 500-well route (target <= 50 ms per keystroke): typing into the Route page's
   search box, with the table repainted after each key. Baseline: the same substring test
   over the 500 names in plain Python.
3. Saving a production record (target <= 100 ms from the Save click to "Saved" shown on the
   Production page). Baseline: `save_production` called directly on the same store.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py [--days N] [--runs N]

Last line: the three figures and their ratios to the baselines.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from _common import PASSPHRASE, describe, temp_dir

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = ROOT / "tests" / "support"
WELLS = 500
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(SUPPORT))

from file_keyring import FileKeyring  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from fieldapp.core.importer import CSV_COLUMNS, import_production  # noqa: E402
from fieldapp.core.keystore import Keystore  # noqa: E402
from fieldapp.core.store import Store  # noqa: E402
from fieldapp.core.wells import register_well  # noqa: E402
from shared.contracts import WellRegistered  # noqa: E402
from shared.validation import org_today  # noqa: E402


def build_store(folder: Path, days: int, keystore: Keystore) -> tuple[Path, int]:
    data = folder / "store"
    with Store.create(data, PASSPHRASE, keystore) as store:
        apis = []
        for i in range(WELLS):
            api = f"42-501-{20001 + i:05d}"
            register_well(store, WellRegistered(api_number=api, name=f"Bench {i:03d}"))
            apis.append(api)
        today = org_today(store.thresholds.timezone)
        path = folder / "history.csv"
        with path.open("w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(CSV_COLUMNS)
            for i, api in enumerate(apis):
                for d in range(days, 0, -1):
                    oil = 100 + (i * 7 + d * 13) % 11
                    day = today - timedelta(days=d)
                    out.writerow([api, day, oil, oil * 1.2, oil * 0.5, 24, "", "", ""])
        import_production(store, path, today=today)
        events = store.status().events
    return data, events


def cold_start(mode: str, data: Path, env: dict[str, str]) -> float:
    began = time.time()
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "_ui_start.py"), mode, str(data)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    stamp = next(line for line in out.stdout.splitlines() if line.startswith("interactive"))
    return float(stamp.split()[1]) - began


def bench_cold_start(data: Path, keyring_file: Path, runs: int) -> tuple[float, float]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app starts from its .pyc files
    env.update(
        PYTHON_KEYRING_BACKEND="file_keyring.FileKeyring",
        TEST_KEYRING_FILE=str(keyring_file),
        PYTHONPATH=os.pathsep.join([str(SUPPORT), str(ROOT)]),
        QT_QPA_PLATFORM="offscreen",
    )
    cold_start("app", data, env)  # once untimed: writes the bytecode caches, as installing does
    app = [cold_start("app", data, env) for _ in range(runs)]
    base = [cold_start("baseline", data, env) for _ in range(runs)]
    print(describe("cold start, app (100k events)", app))
    print(describe("cold start, bare Qt window", base))
    return statistics.median(app), statistics.median(base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=200)  # x 500 wells = 100,000 records
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from _ui_timings import bench_filter, bench_save  # after the QApplication

    with temp_dir() as folder:
        keyring_file = folder / "keyring.json"
        os.environ["TEST_KEYRING_FILE"] = str(keyring_file)
        keystore = Keystore(FileKeyring())
        began = time.perf_counter()
        data, events = build_store(folder, args.days, keystore)
        print(f"store: {events:,} events, built in {time.perf_counter() - began:.1f} s")
        start, start_base = bench_cold_start(data, keyring_file, args.runs)
        with Store.open(data, keystore) as probe:
            day = org_today(probe.thresholds.timezone)
        filt, filt_base = bench_filter(app, data, keystore)
        save, save_base = bench_save(app, data, keystore, day)
    print(
        f"cold start {start:.3f} s (target 2 s, {start / start_base:.1f}x a bare Qt window); "
        f"filter {filt * 1e3:.1f} ms/key (target 50, {filt / filt_base:.0f}x plain Python); "
        f"save {save * 1e3:.1f} ms (target 100, {save / save_base:.1f}x save_production)"
    )


if __name__ == "__main__":
    main()
