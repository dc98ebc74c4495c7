"""Devices registered with a real sync server, for the sync and end-to-end tests.

    org = new_org(database_url, (("op0", "operator"), ("op1", "operator")))
    wells = add_wells(database_url, org, 2)
    a = Device.register(tmp_path / "a", http, org, "op0")
    a.record(wells[0], days_ago(1), oil=100)
    a.sync()

`http` is any httpx.Client that reaches the server: a `TestClient(create_app())` in-process, or
an `httpx.Client(base_url=live_server.url)` through a real socket (or a fault proxy).
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from fieldkit import PASSPHRASE, TIMEZONE, fail_keystore
from serverkit import PASSWORD

from fieldapp.core.production import find_day, save_production
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.sync.connect import Registration, engine_for, register
from fieldapp.sync.engine import SyncEngine, SyncReport
from fieldapp.sync.retry import Backoff
from shared.contracts import ProductionRecorded
from sync_server.services.wells import import_wells

FAST = Backoff(base_s=0.01, cap_s=0.05, attempts=6)
WELL_HEADER = ["api_number", "name", "lease", "field", "latitude", "longitude", "status", "type"]


def add_wells(url: str, org: str, count: int, *, start: int = 1) -> list[str]:
    """`count` wells imported into the org the way the office does; returns their API numbers."""
    apis = [f"42501{n:05d}" for n in range(start, start + count)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wells.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(WELL_HEADER)
            for n, api in enumerate(apis, start=start):
                writer.writerow([api, f"Well {n}", "Lease A", "Field X", "", "", "active", "oil"])
        result = import_wells(url, org, path)
    assert not result.problems, result.problems
    return apis


class Device:
    """One laptop: its encrypted store (passphrase mode) and its sync engine."""

    def __init__(self, store: Store, http: httpx.Client, **engine_options: Any) -> None:
        self.store = store
        self.http = http
        self.engine_options = engine_options
        self.engine = self.new_engine()

    @classmethod
    def register(
        cls, data_dir: Path, http: httpx.Client, org: str, username: str, **engine_options: Any
    ) -> Device:
        reg = Registration("http://testserver", org, username, PASSWORD, TIMEZONE, "test laptop")
        store = register(data_dir, PASSPHRASE, fail_keystore(), http, reg)
        device = cls(store, http, **engine_options)
        device.engine.pull_all()  # as `fieldapp init --server` does: the wells come down
        return device

    def new_engine(self, http: httpx.Client | None = None) -> SyncEngine:
        options = {"backoff": FAST, **self.engine_options}
        return engine_for(self.store, fail_keystore(), http=http or self.http, **options)

    @property
    def device_id(self) -> str:
        return str(self.store.identity.device_id)

    def well_id(self, api: str) -> str:
        with self.store.read() as conn:
            found = conn.exec_driver_sql(
                "SELECT well_id FROM wells WHERE api_number = ?", (api,)
            ).scalar()
        assert found is not None, f"well {api} is not on this device"
        return str(found)

    def record(self, api: str, day: date, oil: float, **values: Any) -> str:
        fields = {"gas_mcf": oil * 1.2, "water_bbl": oil * 0.3, "hours_on": 24.0, **values}
        record = ProductionRecorded(
            well_id=self.well_id(api), production_date=day, oil_bbl=oil, **fields
        )
        return save_production(self.store, record, today=None).record_id

    def day(self, api: str, day: date) -> dict[str, Any] | None:
        with self.store.read() as conn:
            return find_day(conn, self.well_id(api), day)

    def sync(self) -> SyncReport:
        return self.engine.sync()

    def production(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(well_id, day) -> the live record's values, as this device shows them."""
        with self.store.read() as conn:
            rows = conn.exec_driver_sql(
                "SELECT well_id, production_date, oil_bbl, gas_mcf, water_bbl, notes"
                " FROM production WHERE voided = 0"
            ).all()
        return {
            (r[0], r[1]): {"oil": r[2], "gas": r[3], "water": r[4], "notes": r[5]} for r in rows
        }

    def verify(self) -> list[str]:
        return verify_store(self.store).problems

    def close(self) -> None:
        if not self.store.closed:
            self.store.close()


def server_production(url: str, org: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The server's live production of an org, keyed like `Device.production()`."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT p.well_id, p.production_date, p.oil_bbl, p.gas_mcf, p.water_bbl, p.notes"
            " FROM production p JOIN organizations o ON o.id = p.org_id"
            " WHERE o.slug = %s AND p.deleted_at IS NULL",
            (org,),
        ).fetchall()
    return {
        (str(r[0]), r[1].isoformat()): {"oil": r[2], "gas": r[3], "water": r[4], "notes": r[5]}
        for r in rows
    }


class FailOnce(httpx.BaseTransport):
    """Real HTTP; request number `at` (1-based) fails `before` it is sent or `after` the
    server answered (the answer is dropped, as a cut connection would)."""

    def __init__(self, at: int = 0, mode: str = "before") -> None:
        self.inner = httpx.HTTPTransport()
        self.at, self.mode = at, mode
        self.count = 0
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        self.paths.append(request.url.path)
        if self.count == self.at and self.mode == "before":
            raise httpx.ConnectError("fault injected before sending")
        response = self.inner.handle_request(request)
        if self.count == self.at and self.mode == "after":
            response.read()
            response.close()
            raise httpx.ReadError("fault injected: the answer was lost")
        return response

    def close(self) -> None:
        self.inner.close()
