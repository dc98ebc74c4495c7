"""Open and unlock the store: with the raw key from the keystore, and with a passphrase.

Baseline in the same run: opening the same amount of data in a plain sqlite3 file and reading
its schema. Last line: the two medians and the ratio of the keystore path to the baseline.

    python benchmarks/bench_open.py [--runs N]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from _common import PASSPHRASE, temp_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
from corekit import MemoryKeyring

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.core.wells import register_well
from shared.contracts import WellRegistered


def timed(fn: object, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - began)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    keystore = Keystore(MemoryKeyring())
    with temp_dir() as folder:
        data = folder / "store"
        with Store.create(data, PASSPHRASE, keystore) as store:
            for i in range(20):
                register_well(store, WellRegistered(api_number=f"4250120{i:03d}", name=f"W{i}"))
        plain = folder / "plain.db"
        conn = sqlite3.connect(plain)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.close()

        def open_plain() -> None:
            c = sqlite3.connect(plain)
            c.execute("PRAGMA journal_mode = WAL")
            c.execute("SELECT count(*) FROM sqlite_master").fetchone()
            c.close()

        def open_keystore() -> None:
            with Store.open(data, keystore, None) as opened:
                opened.status()

        def open_passphrase() -> None:
            with Store.open(data, Keystore(MemoryKeyring()), lambda: PASSPHRASE) as opened:
                opened.status()

        base = statistics.median(timed(open_plain, args.runs))
        key = statistics.median(timed(open_keystore, args.runs))
        phrase = statistics.median(timed(open_passphrase, max(3, args.runs // 4)))
    print(f"plain sqlite3 open: {base * 1e3:.2f} ms")
    print(f"open+unlock with keystore key: {key * 1e3:.1f} ms (target <= 50 ms)")
    print(f"open+unlock with passphrase (Argon2id): {phrase * 1e3:.0f} ms (target <= 500 ms)")
    print(
        f"keystore {key * 1e3:.1f} ms, passphrase {phrase * 1e3:.0f} ms,"
        f" ratio keystore/plain {key / base:.0f}"
    )


if __name__ == "__main__":
    main()
