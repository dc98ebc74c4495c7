"""`sync-server demo`: a demo organization with users, wells and two years of simulated history.

The org `demo` ("Demo Energy", America/Chicago) gets the users admin, supervisor, operator1 and
operator2, all with the password :data:`DEMO_PASSWORD`; the wells go in through the well CSV
import, and the history (:mod:`wellpulse_demo.simulator`, ending yesterday in the org time zone)
through the real ingest path: signed, hash-chained `production.recorded` events of an "office
history import" device of the admin, pushed in batches of 500, so the records are validated,
versioned and served to devices by pull exactly like device data. If the org already exists
nothing is done, so the demo can be started every time.
"""

from __future__ import annotations

import asyncio
import csv
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import dict_row

from shared.api_number import normalize_api_number
from shared.contracts import (
    PROTOCOL_VERSION,
    BatchRequest,
    EntryMethod,
    EventType,
    ProductionRecorded,
)
from shared.events import DeviceIdentity, build_event
from shared.validation import org_today
from sync_server.db.pool import Database
from sync_server.services import admin
from sync_server.services.ingest import ingest_batch
from sync_server.services.tokens import Principal
from sync_server.services.wells import COLUMNS, import_wells
from wellpulse_demo import simulator

DEMO_SLUG = "demo"
DEMO_NAME = "Demo Energy"
DEMO_TIMEZONE = "America/Chicago"
DEMO_PASSWORD = "wellpulse-demo"
DEMO_USERS = (
    ("admin", "admin"),
    ("supervisor", "supervisor"),
    ("operator1", "operator"),
    ("operator2", "operator"),
)
DEVICE_NAME = "office history import"
DEFAULT_SEED = 2024
BATCH_SIZE = 500

Progress = Callable[[int, int], None]  # (events done, events in all)


class DemoError(Exception):
    """The demo could not be built (one line for the command line)."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    created: bool  # False: the org already existed and nothing was changed
    org: str
    users: tuple[tuple[str, str], ...] = DEMO_USERS
    password: str = DEMO_PASSWORD
    org_id: UUID | None = None
    wells: int = 0
    fields: tuple[str, ...] = ()
    events: int = 0
    flagged: int = 0  # production records stored with warning flags
    first_day: date | None = None
    last_day: date | None = None
    anomalies: list[simulator.Anomaly] = field(default_factory=list)
    well_apis: list[str] = field(default_factory=list)  # by simulator well index (anomaly.well)


def run_demo(
    url: str,
    *,
    days: int = 730,
    wells: int = 50,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> DemoSummary:
    """Build the demo org over the owner connection `url` (migrated); idempotent by org slug."""
    if days < 1 or wells < 1:
        raise DemoError("--days and --wells must be at least 1")
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT 1 FROM organizations WHERE slug = %s", (DEMO_SLUG,)).fetchone():
            return DemoSummary(created=False, org=DEMO_SLUG)
    org_id = admin.create_org(url, DEMO_SLUG, DEMO_NAME, timezone=DEMO_TIMEZONE)
    user_ids = {
        username: admin.create_user(url, DEMO_SLUG, username, role, DEMO_PASSWORD)
        for username, role in DEMO_USERS
    }
    end = org_today(DEMO_TIMEZONE) - timedelta(days=1)
    sim = simulator.simulate(wells=wells, days=days, end=end, seed=seed, timezone=DEMO_TIMEZONE)
    well_ids = _import_wells(url, org_id, sim.wells)
    device_id, secret = _register_device(url, org_id, user_ids["admin"])
    identity = DeviceIdentity(org_id, device_id, user_ids["admin"], secret)
    events = _events(identity, sim, well_ids)
    asyncio.run(_push(url, identity, events, len(sim.days), progress))
    return DemoSummary(
        created=True,
        org=DEMO_SLUG,
        org_id=org_id,
        wells=len(sim.wells),
        fields=tuple(sorted({w.field for w in sim.wells})),
        events=len(sim.days),
        flagged=_flagged(url, org_id),
        first_day=sim.first_day,
        last_day=sim.last_day,
        anomalies=sim.anomalies,
        well_apis=[w.api_number for w in sim.wells],
    )


def _import_wells(url: str, org_id: UUID, sim_wells: list[simulator.SimWell]) -> list[UUID]:
    """The simulated wells through the well CSV import; their ids in simulation order."""
    with tempfile.TemporaryDirectory(prefix="wellpulse-demo-") as tmp:
        path = Path(tmp) / "wells.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(COLUMNS)
            for w in sim_wells:
                out.writerow(
                    [
                        w.api_number,
                        w.name,
                        w.lease,
                        w.field,
                        w.latitude,
                        w.longitude,
                        "active",
                        "oil",
                    ]
                )
        result = import_wells(url, DEMO_SLUG, path)
    if result.problems:
        raise DemoError(f"the demo wells were refused: {result.problems[0]}")
    with psycopg.connect(url, row_factory=dict_row) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org_id),))
        rows = conn.execute(
            "SELECT id, api_number FROM wells WHERE org_id = %s", (org_id,)
        ).fetchall()
    by_api = {str(r["api_number"]): UUID(str(r["id"])) for r in rows}
    return [by_api[normalize_api_number(w.api_number)] for w in sim_wells]


def _register_device(url: str, org_id: UUID, user_id: UUID) -> tuple[UUID, str]:
    device_id, secret = uuid4(), secrets.token_hex(32)
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org_id),))
        conn.execute(
            "INSERT INTO devices (id, org_id, user_id, name, secret) VALUES (%s, %s, %s, %s, %s)",
            (device_id, org_id, user_id, DEVICE_NAME, secret),
        )
    return device_id, secret


def _events(
    identity: DeviceIdentity, sim: simulator.Simulation, well_ids: list[UUID]
) -> Iterator[tuple[dict[str, Any], str]]:
    """Signed, hash-chained `production.recorded` envelopes with a label for error messages."""
    prev_hash = ""
    for seq, day in enumerate(sim.days, start=1):
        payload = ProductionRecorded(
            well_id=well_ids[day.well],
            production_date=day.production_date,
            oil_bbl=day.oil_bbl,
            gas_mcf=day.gas_mcf,
            water_bbl=day.water_bbl,
            hours_on=day.hours_on,
            downtime_hours=day.downtime_hours,
            downtime_reason=day.downtime_reason,
            tubing_psi=day.tubing_psi,
            casing_psi=day.casing_psi,
            notes=day.notes,
            entry_method=EntryMethod.IMPORT,
        )
        sealed = build_event(
            identity,
            device_seq=seq,
            prev_hash=prev_hash,
            event_type=EventType.PRODUCTION_RECORDED,
            aggregate_id=uuid4(),
            payload=payload,
        )
        prev_hash = sealed.hash
        label = f"{sim.wells[day.well].api_number} on {day.production_date.isoformat()}"
        yield sealed.envelope, label


async def _push(
    url: str,
    identity: DeviceIdentity,
    events: Iterator[tuple[dict[str, Any], str]],
    total: int,
    progress: Progress | None,
) -> None:
    who = Principal(identity.user_id, identity.org_id, identity.device_id, "admin")
    db = Database(url, max_size=2)
    await db.open()
    try:
        done = 0
        while batch := list(islice(events, BATCH_SIZE)):
            request = BatchRequest(
                protocol_version=PROTOCOL_VERSION,
                device_id=identity.device_id,
                events=[envelope for envelope, _ in batch],
            )
            response = await ingest_batch(db, who, request)
            if response.expected_seq is not None:
                raise DemoError(f"the server expected device_seq {response.expected_seq}")
            for result, (_, label) in zip(response.results, batch, strict=True):
                if result.status != "accepted":
                    why = "; ".join(f"{r.rule}: {r.message}" for r in result.reasons or [])
                    raise DemoError(
                        f"the history for {label} was {result.status}: {why or 'no reason'}"
                        " (the demo org is incomplete; drop it to start over)"
                    )
            done += len(batch)
            if progress is not None:
                progress(done, total)
    finally:
        await db.close()


def _flagged(url: str, org_id: UUID) -> int:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org_id),))
        row = conn.execute(
            "SELECT count(*) FROM production WHERE org_id = %s AND jsonb_array_length(flags) > 0",
            (org_id,),
        ).fetchone()
    return int(row[0]) if row else 0
