"""Helpers for the server benchmarks: a scratch database, an org with wells, a real
`sync-server run` process on loopback, and a signed device (not a test module)."""

from __future__ import annotations

import csv
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import psycopg
from sqlalchemy.engine import make_url

from shared.contracts import PROTOCOL_VERSION, EventType
from shared.events import DeviceIdentity, build_event, new_id
from sync_server.db.embedded import ensure_database, start_embedded
from sync_server.db.migrate import upgrade
from sync_server.services import admin
from sync_server.services.wells import import_wells

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-1"


def server_url(database_url: str | None) -> str:
    """The given Postgres server, or an embedded one under a temp dir."""
    if database_url:
        return database_url
    return start_embedded(Path(tempfile.mkdtemp(prefix="wellpulse-bench-pg-", dir="/var/tmp")))


@contextmanager
def scratch_database(server: str) -> Iterator[str]:
    name = f"wellpulse_bench_{secrets.token_hex(4)}"
    ensure_database(server, name)
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    try:
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def org_with_wells(url: str, wells: int, users: int = 1) -> tuple[str, list[str]]:
    """A fresh org with `users` operators (op0, op1, ...) and `wells` wells; (slug, well ids)."""
    slug = f"bench-{secrets.token_hex(3)}"
    admin.create_org(url, slug, "Bench")
    for i in range(users):
        admin.create_user(url, slug, f"op{i}", "operator", PASSWORD)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=False) as handle:
        writer = csv.writer(handle)
        writer.writerow(["api_number", "name", "field"])
        for i in range(wells):
            writer.writerow([f"42-329-{30001 + 2 * i:05d}", f"Bench {i}", "Bench Field"])
    import_wells(url, slug, Path(handle.name))
    os.unlink(handle.name)
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT w.id FROM wells w JOIN organizations o ON o.id = w.org_id"
            " WHERE o.slug = %s ORDER BY w.api_number",
            (slug,),
        ).fetchall()
    return slug, [str(r[0]) for r in rows]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(url: str, workdir: Path) -> Iterator[str]:
    """`sync-server run` on a free loopback port; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "WELLPULSE_JWT_SECRET": secrets.token_hex(32),
        "WELLPULSE_RATE_LIMIT": "1000000",
    }
    log = (workdir / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync_server",
            "--data-dir",
            str(workdir),
            "run",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise SystemExit(f"sync-server exited: see {workdir / 'server.log'}")
            time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        if keep := os.environ.get("BENCH_SERVER_LOG"):  # keep the server's log for a look
            shutil.copy(workdir / "server.log", keep)


@dataclass
class BenchDevice:
    identity: DeviceIdentity
    token: str
    seq: int = 0
    prev: str = ""

    @classmethod
    def login(cls, http: httpx.Client, org: str, username: str = "op0") -> BenchDevice:
        body = http.post(
            "/api/v1/auth/login",
            json={"org": org, "username": username, "password": PASSWORD, "device_name": "bench"},
        )
        body.raise_for_status()
        s = body.json()
        identity = DeviceIdentity(
            UUID(s["org_id"]), UUID(s["device_id"]), UUID(s["user"]["id"]), s["device_secret"]
        )
        return cls(identity, s["access_token"])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}

    def recorded(self, well_id: str, day: date, oil: float) -> dict[str, Any]:
        self.seq += 1
        payload = {
            "well_id": well_id,
            "production_date": day.isoformat(),
            "oil_bbl": oil,
            "gas_mcf": round(oil * 1.3, 1),
            "water_bbl": round(oil * 0.4, 1),
            "hours_on": 24.0,
            "notes": "",
        }
        sealed = build_event(
            self.identity,
            device_seq=self.seq,
            prev_hash=self.prev,
            event_type=EventType.PRODUCTION_RECORDED,
            aggregate_id=new_id(),
            payload=payload,
        )
        self.prev = sealed.hash
        return sealed.envelope

    def batch_body(self, events: list[dict[str, Any]]) -> bytes:
        import json

        return json.dumps(
            {
                "protocol_version": PROTOCOL_VERSION,
                "device_id": str(self.identity.device_id),
                "events": events,
            }
        ).encode()


def production_days(wells: list[str], count: int, last: date) -> Iterator[tuple[str, date, float]]:
    """`count` (well, day, oil) rows: every well, day after day, ending before `last`."""
    per_well = -(-count // len(wells))
    first = last - timedelta(days=per_well)
    made = 0
    for d in range(per_well):
        for i, well in enumerate(wells):
            if made == count:
                return
            yield well, first + timedelta(days=d), 80.0 + (i % 17) + (d % 5)
            made += 1
