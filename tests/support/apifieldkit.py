"""An organization with production history for the analytics tests: wells on a lease and a
field (through the well CSV import), daily records pushed through the real app (one signed
device), and the same rows as `DailyRow`s for computing the expected answers directly."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from serverkit import login, new_org
from starlette.testclient import TestClient

from shared.analytics.series import DailyRow
from shared.contracts import EventType
from shared.events import DeviceIdentity, build_event, new_id
from sync_server.services.wells import import_wells


def fall_back_day(today: date) -> date:
    """The latest US fall-back day (first Sunday of November: 25 h in America/Chicago) at
    least 35 days ago, so a history around it is all in the past."""
    year = today.year
    while True:
        first = date(year, 11, 1)
        sunday = first + timedelta(days=(6 - first.weekday()) % 7)
        if sunday <= today - timedelta(days=35):
            return sunday
        year -= 1


FALL_BACK = fall_back_day(date.today())
FIRST_DAY = FALL_BACK - timedelta(days=61)  # the history runs over the fall-back day
DAYS = 90
NEXT_DAY = FIRST_DAY + timedelta(days=DAYS + 1)  # after the history, still in the past


def history(scale: float, days: int = DAYS, first: date = FIRST_DAY) -> list[DailyRow]:
    """A declining well with partial days, shut-ins with a reason and a few days unreported."""
    rows: list[DailyRow] = []
    for t in range(days):
        day = first + timedelta(days=t)
        if t % 17 == 5:
            continue  # no reading
        if t % 13 == 7:
            rows.append(DailyRow(day, 0.0, 0.0, 0.0, 0.0, 24.0, "PUMP_FAIL"))
            continue
        hours = 25.0 if day == FALL_BACK else 12.0 if t % 11 == 3 else 24.0
        rate = scale * 200.0 * math.exp(-0.004 * t) * (1 + 0.03 * math.sin(t * 1.7))
        oil = round(rate * hours / 24, 2)
        down = None if hours >= 24 else 24.0 - hours
        reason = None if down is None else "OTHER"
        rows.append(
            DailyRow(day, oil, round(oil * 1.3, 2), round(oil * 0.4, 2), hours, down, reason)
        )
    return rows


@dataclass
class Field:
    """The org as the tests see it."""

    slug: str
    org_id: UUID
    token: str
    wells: dict[str, UUID]  # api_number -> id
    lease_id: UUID
    field_id: UUID
    rows: dict[UUID, list[DailyRow]] = field(default_factory=dict)
    device: dict[str, Any] = field(default_factory=dict)

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


WELLS = (("4250120130", "Smith 1H", 1.0), ("4250120131", "Smith 2H", 0.6))


def make_field(client: TestClient, url: str, tmp: Path, *, with_rows: bool = True) -> Field:
    slug = new_org(url, (("op", "operator"), ("boss", "admin")))
    csv = tmp / f"{slug}.csv"
    lines = ["api_number,name,lease,field,latitude,longitude,status,type"]
    lines += [
        f"{api},{name},Smith Lease,Spraberry,31.9,-102.1,active,oil" for api, name, _ in WELLS
    ]
    csv.write_text("\n".join(lines) + "\n")
    assert not import_wells(url, slug, csv).problems
    session = login(client, slug)
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org = UUID(str(session["org_id"]))
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        found = conn.execute(
            "SELECT id, api_number, lease_id, field_id FROM wells WHERE org_id = %s", (org,)
        ).fetchall()
    out = Field(
        slug,
        org,
        str(session["access_token"]),
        {str(r["api_number"]): UUID(str(r["id"])) for r in found},
        UUID(str(found[0]["lease_id"])),
        UUID(str(found[0]["field_id"])),
        device=session,
    )
    out.device["seq"], out.device["prev"] = 0, ""
    if with_rows:
        for api, _, scale in WELLS:
            push(client, out, out.wells[api], history(scale))
    return out


def identity(f: Field) -> DeviceIdentity:
    s = f.device
    return DeviceIdentity(
        UUID(str(s["org_id"])),
        UUID(str(s["device_id"])),
        UUID(str(s["user"]["id"])),
        str(s["device_secret"]),
    )


def send(
    client: TestClient, f: Field, kind: EventType, aggregate: str, payload: Any, base: int = 0
) -> Any:
    """One event from the field's device (made against record version `base`); its result."""
    f.device["seq"] += 1
    sealed = build_event(
        identity(f),
        device_seq=f.device["seq"],
        prev_hash=f.device["prev"],
        event_type=kind,
        aggregate_id=aggregate,
        payload=payload,
        base_version=base,
    )
    f.device["prev"] = sealed.hash
    body = {"protocol_version": 1, "device_id": f.device["device_id"], "events": [sealed.envelope]}
    response = client.post("/api/v1/sync/batch", json=body, headers=f.auth())
    assert response.status_code == 200, response.text
    return response.json()["results"][0]


def payload(well: UUID, row: DailyRow) -> dict[str, Any]:
    return {
        "well_id": str(well),
        "production_date": row.production_date.isoformat(),
        "oil_bbl": row.oil_bbl,
        "gas_mcf": row.gas_mcf,
        "water_bbl": row.water_bbl,
        "hours_on": row.hours_on,
        "downtime_hours": row.downtime_hours,
        "downtime_reason": row.downtime_reason,
        "tubing_psi": None,
        "casing_psi": None,
        "choke_64ths": None,
        "notes": "",
        "entry_method": "IMPORT",
        "location": None,
    }


def push(client: TestClient, f: Field, well: UUID, rows: list[DailyRow]) -> list[str]:
    """Record `rows` for `well` (one batch); returns the new records' ids by row."""
    envelopes, ids = [], []
    ident = identity(f)
    for row in rows:
        f.device["seq"] += 1
        ids.append(new_id())
        sealed = build_event(
            ident,
            device_seq=f.device["seq"],
            prev_hash=f.device["prev"],
            event_type=EventType.PRODUCTION_RECORDED,
            aggregate_id=ids[-1],
            payload=payload(well, row),
        )
        f.device["prev"] = sealed.hash
        envelopes.append(sealed.envelope)
    body = {"protocol_version": 1, "device_id": f.device["device_id"], "events": envelopes}
    response = client.post("/api/v1/sync/batch", json=body, headers=f.auth())
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert {r["status"] for r in results} <= {"accepted"}, results
    f.rows.setdefault(well, []).extend(rows)
    return ids
