"""`fieldapp sync` of 10,000 pending events to a real local server, end to end.

Three organizations on one real `sync-server run` (uvicorn + Postgres on loopback), each with
the same 50 wells and the same 10,000 well-days of production:

- cli: a registered device store holding 10,000 pending events, its key in the (file-backed)
  keystore; `python -m fieldapp sync` is timed as a user runs it (process start, unlock,
  push in batches of 500, pull back every change, apply and rebase, receipts, cursor);
- engine: the same in-process (`SyncEngine.sync()` on an open store);
- baseline: the same events, pre-built and signed in memory, pushed straight through
  `SyncClient.push` in batches of 500: no store, no engine, no pull.

The last line is the ratio cli / baseline (targets: cli <= 5 s, ratio <= 1.5).

    python benchmarks/bench_sync.py [--events 10000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from _server import PASSWORD, BenchDevice, live_server, org_with_wells, scratch_database
from _server import server_url as pg_server

from fieldapp.core.keystore import Keystore
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.sync.client import SyncClient
from fieldapp.sync.connect import Registration, engine_for, register
from fieldapp.sync.engine import SyncEngine
from shared.contracts import ProductionRecorded
from shared.validation import org_today

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = ROOT / "tests" / "support"
PASSPHRASE = "bench passphrase 12345"
WELLS = 50


def no_keystore() -> Keystore:
    from keyring.backends import fail

    return Keystore(fail.Keyring())  # type: ignore[no-untyped-call]


def days(count: int) -> list[tuple[int, int]]:
    """(well index, days back) for `count` well-days: every well, day after day."""
    per_well = -(-count // WELLS)
    return [(w, d) for d in range(1, per_well + 1) for w in range(WELLS)][:count]


def oil_of(w: int, d: int) -> float:
    return 80.0 + (w % 17) + (d % 5)


def file_keystore(path: Path) -> Keystore:
    """The OS keystore of a laptop, as a file (tests/support/file_keyring.py): the CLI run
    unlocks with the stored key, as it does on a laptop with a keystore (no passphrase KDF)."""
    os.environ["TEST_KEYRING_FILE"] = str(path)
    sys.path.insert(0, str(SUPPORT))
    from file_keyring import FileKeyring

    return Keystore(FileKeyring())


def device_with_pending(
    base: str, url: str, folder: Path, count: int, keystore: Keystore | None = None
) -> Store:
    org, _ = org_with_wells(url, WELLS)
    keystore = keystore or no_keystore()
    with httpx.Client(base_url=base, timeout=60) as http:
        reg = Registration(base, org, "op0", PASSWORD, "America/Chicago", "bench laptop")
        store = register(folder, PASSPHRASE, keystore, http, reg)
        engine_for(store, keystore, http=http).pull_all()
    with store.read() as conn:
        wells = [
            str(r[0]) for r in conn.exec_driver_sql("SELECT well_id FROM wells ORDER BY api_number")
        ]
    today = org_today("America/Chicago")
    for w, d in days(count):
        oil = oil_of(w, d)
        save_production(
            store,
            ProductionRecorded(
                well_id=wells[w],
                production_date=today - timedelta(days=d),
                oil_bbl=oil,
                gas_mcf=round(oil * 1.3, 1),
                water_bbl=round(oil * 0.4, 1),
                hours_on=24.0,
            ),
        )
    assert store.status().pending == count
    return store


def baseline(base: str, url: str, count: int) -> float:
    org, well_ids = org_with_wells(url, WELLS)
    today = org_today("America/Chicago")
    with httpx.Client(base_url=base, timeout=60) as http:
        dev = BenchDevice.login(http, org)
        import json

        texts = [
            json.dumps(dev.recorded(well_ids[w], today - timedelta(days=d), oil_of(w, d)))
            for w, d in days(count)
        ]
        client = SyncClient(http)
        client.tokens.access_token = dev.token
        client.tokens.refresh_token = "unused-in-this-run"
        device = str(dev.identity.device_id)
        started = time.perf_counter()
        for start in range(0, len(texts), 500):
            response = client.push(device, texts[start : start + 500])
            assert all(r.status == "accepted" for r in response.results)
        return time.perf_counter() - started


def run_cli(folder: Path) -> float:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
        "PYTHONPATH": str(SUPPORT),
    }
    env.pop("FIELDAPP_PASSPHRASE", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "fieldapp", "--data-dir", str(folder), "sync"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"fieldapp sync failed: {done.stderr.strip()}")
    print(f"  {done.stdout.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wellpulse-bench-sync-") as tmp:
        work = Path(tmp)
        with scratch_database(pg_server(args.database_url)) as url, live_server(url, work) as base:
            print(f"building 2 x {args.events} pending events on two device stores ...")
            keys = file_keystore(work / "keyring.json")
            cli_store = device_with_pending(base, url, work / "cli", args.events, keys)
            assert cli_store.keyfile.use_keystore
            cli_store.close()
            engine_store = device_with_pending(base, url, work / "engine", args.events)
            print("baseline: pre-built envelopes through SyncClient.push ...")
            base_s = baseline(base, url, args.events)
            print(f"  {base_s:.2f} s ({args.events / base_s:,.0f} events/s)")
            print("engine: SyncEngine.sync() in process ...")
            with httpx.Client(base_url=base, timeout=60) as http:
                engine: SyncEngine = engine_for(engine_store, no_keystore(), http=http)
                started = time.perf_counter()
                report = engine.sync()
                engine_s = time.perf_counter() - started
            assert report.pending == 0, report.summary()
            print(f"  {engine_s:.2f} s: {report.summary()}")
            engine_store.close()
            print("cli: fieldapp sync ...")
            cli_s = run_cli(work / "cli")
            print(f"  {cli_s:.2f} s end to end")
    print(f"engine/baseline ratio: {engine_s / base_s:.2f}")
    print(
        f"fieldapp sync of {args.events} events: {cli_s:.2f} s; cli/baseline ratio:"
        f" {cli_s / base_s:.2f}"
    )


if __name__ == "__main__":
    main()
