"""The production aggregates kept current by the push (sync_server/services/analytics_refresh.py):
after pushes through the real app and Postgres, `analytics_daily` and `analytics_monthly` equal
an independent plain-Python computation and a direct SQL GROUP BY over `production`, across
daylight-saving days and month ends, after corrections, voids and resolutions; the incremental
rows equal a rebuild; another organization's rows are invisible."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import psycopg
import pytest
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id
from sync_server.services.analytics_refresh import rebuild

from .conftest import new_org, org_id
from .test_resolutions import RESOLVED, scene
from .test_sync_batch import Device, statuses

TZ = "America/Chicago"
RECORDED, CORRECTED = EventType.PRODUCTION_RECORDED, EventType.PRODUCTION_CORRECTED
VOIDED = EventType.PRODUCTION_VOIDED
SPRING, FALL = date(2026, 3, 8), date(2026, 11, 1)  # 23 and 25 hours in Chicago
DAYS = [SPRING + timedelta(days=n) for n in range(-10, 3)] + [
    FALL + timedelta(days=n) for n in range(-3, 3)
]  # across Feb/Mar and Oct/Nov month ends
NUMBERS = ("wells", "reading_days", "producing_days", "shut_in_days")
FLOATS = (
    "oil",
    "gas",
    "water",
    "boe",
    "hours_on",
    "downtime_hours",
    "day_hours",
    "timed_day_hours",
)


def day_length(day: date) -> float:
    """Hours between local midnights, from the zone's UTC offsets (not from SQL)."""
    zone = ZoneInfo(TZ)
    start = datetime.combine(day, time(), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
    return (end - start).total_seconds() / 3600


@dataclass
class Org:
    """An org with wells on two leases of field X, one lease of field Y and one well with no
    lease, and what was pushed (the expected live values per well-day)."""

    slug: str
    id: UUID
    device: Device
    wells: list[str]
    lease: dict[str, str | None]
    field: dict[str, str]
    live: dict[tuple[str, date], dict[str, Any]] = field(default_factory=dict)
    records: dict[tuple[str, date], str] = field(default_factory=dict)


def make_org(client: TestClient, url: str) -> Org:
    slug = new_org(url)
    owner = org_id(url, slug)
    names = {"X": uuid4(), "Y": uuid4()}
    leases = {"A": (uuid4(), "X"), "B": (uuid4(), "X"), "C": (uuid4(), "Y")}
    places = [("A", "X"), ("A", "X"), ("B", "X"), ("C", "Y"), (None, "Y")]
    wells, lease_of, field_of = [], {}, {}
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, false)", (str(owner),))
        for name, fid in names.items():
            conn.execute(
                "INSERT INTO fields (id, org_id, name) VALUES (%s, %s, %s)", (fid, owner, name)
            )
        for name, (lid, _) in leases.items():
            conn.execute(
                "INSERT INTO leases (id, org_id, name) VALUES (%s, %s, %s)", (lid, owner, name)
            )
        for i, (lease, fname) in enumerate(places):
            well = str(uuid4())
            lid = leases[lease][0] if lease else None
            conn.execute(
                "INSERT INTO wells (id, org_id, api_number, name, field_id, lease_id, server_seq)"
                " VALUES (%s, %s, %s, %s, %s, %s, next_server_seq(%s))",
                (well, owner, f"42501{i:05d}", f"W{i}", names[fname], lid, owner),
            )
            wells.append(well)
            lease_of[well] = str(lid) if lid else None
            field_of[well] = str(names[fname])
    return Org(slug, owner, Device(client, slug), wells, lease_of, field_of)


def reading(i: int, n: int, day: date) -> dict[str, Any] | None:
    """Well i's day n: producing, partial, shut in, hours unknown, or missing."""
    length = day_length(day)
    kind = (i * 7 + n) % 9
    oil = round(50.0 + 10 * i + 1.7 * n, 1)
    values: dict[str, Any] = {"oil_bbl": oil, "gas_mcf": round(oil * 1.3, 1)}
    values["water_bbl"] = round(oil * 0.4, 1)
    if kind == 0:
        return None  # no reading
    if kind == 1:  # shut in all day
        return {"oil_bbl": 0.0, "gas_mcf": 0.0, "water_bbl": 0.0, "hours_on": 0.0} | {
            "downtime_hours": length,
            "downtime_reason": "ROD_PART",
        }
    if kind == 2:  # a partial day
        return values | {"hours_on": length - 4, "downtime_hours": 4.0, "downtime_reason": "POWER"}
    if kind == 3:  # hours not reported
        return values | {"hours_on": None}
    if kind == 4:  # hours not reported, nothing produced: shut in
        return {"oil_bbl": 0.0, "gas_mcf": 0.0, "water_bbl": 0.0, "hours_on": None}
    if kind == 5:
        return values | {
            "hours_on": length - 1.5,
            "downtime_hours": 1.5,
            "downtime_reason": "PUMP_FAIL",
        }
    return values | {"hours_on": length}


def payload(well: str, day: date, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "well_id": well,
        "production_date": day.isoformat(),
        "downtime_hours": None,
        "downtime_reason": None,
        "tubing_psi": None,
        "casing_psi": None,
        "choke_64ths": None,
        "notes": "",
        "entry_method": "MANUAL",
        "location": None,
        **values,
    }


def push_history(org: Org) -> None:
    events = []
    for n, day in enumerate(DAYS):
        for i, well in enumerate(org.wells):
            values = reading(i, n, day)
            if values is None:
                continue
            record = new_id()
            events.append(org.device.event(RECORDED, record, payload(well, day, values)))
            org.live[well, day] = payload(well, day, values)
            org.records[well, day] = record
    assert set(statuses(org.device.push(*events))) == {"accepted"}


def correct(org: Org, well: str, day: date, **changes: Any) -> None:
    change = {"well_id": well, "production_date": day.isoformat(), "changes": changes}
    event = org.device.event(CORRECTED, org.records[well, day], change, base=1)
    assert statuses(org.device.push(event)) == ["accepted"]
    org.live[well, day].update(changes)


def void(org: Org, well: str, day: date) -> None:
    body = {"well_id": well, "production_date": day.isoformat(), "reason": "duplicate"}
    event = org.device.event(VOIDED, org.records[well, day], body, base=1)
    assert statuses(org.device.push(event)) == ["accepted"]
    del org.live[well, day]


# --- the independent computation ------------------------------------------------------------


def well_row(values: dict[str, Any], day: date) -> dict[str, Any]:
    oil, gas, water, hours = (values[k] for k in ("oil_bbl", "gas_mcf", "water_bbl", "hours_on"))
    any_volume = oil > 0 or gas > 0 or water > 0
    producing = hours > 0 if hours is not None else any_volume
    down = values.get("downtime_hours") or 0.0
    reasons = {values["downtime_reason"] or "unspecified": down} if down > 0 else {}
    return {
        "wells": 1,
        "reading_days": 1,
        "producing_days": int(producing),
        "shut_in_days": int(not producing),
        "oil": oil,
        "gas": gas,
        "water": water,
        "boe": oil + gas / 6,
        "hours_on": hours or 0.0,
        "downtime_hours": down,
        "day_hours": day_length(day),
        "timed_day_hours": day_length(day) if hours is not None else 0.0,
        "downtime_by_reason": reasons,
    }


def add(into: dict[str, Any], row: dict[str, Any]) -> None:
    for name in NUMBERS + FLOATS:
        into[name] = into.get(name, 0) + row[name]
    reasons = into.setdefault("downtime_by_reason", {})
    for reason, hours in row["downtime_by_reason"].items():
        reasons[reason] = reasons.get(reason, 0.0) + hours


Tables = tuple[
    dict[tuple[str, str, date], dict[str, Any]], dict[tuple[str, str, date], dict[str, Any]]
]


def expected(org: Org) -> Tables:
    daily: dict[tuple[str, str, date], dict[str, Any]] = defaultdict(dict)
    monthly: dict[tuple[str, str, date], dict[str, Any]] = defaultdict(dict)
    read: dict[tuple[str, str, date], set[str]] = defaultdict(set)  # the wells of a month
    for (well, day), values in org.live.items():
        row = well_row(values, day)
        month = day.replace(day=1)
        scopes = [("well", well), ("field", org.field[well]), ("org", str(org.id))]
        lease = org.lease[well]
        if lease is not None:
            scopes.append(("lease", lease))
        for scope, scope_id in scopes:
            add(daily[scope, scope_id, day], row)
            add(monthly[scope, scope_id, month], row)
            read[scope, scope_id, month].add(well)
    for key, wells in read.items():
        monthly[key]["wells"] = len(wells)
    return dict(daily), dict(monthly)


def stored(url: str, org: Org) -> Tables:
    out = []
    for table, period in (("analytics_daily", "day"), ("analytics_monthly", "month")):
        with psycopg.connect(url) as conn:
            cur = conn.execute(
                f"SELECT scope, scope_id::text, {period}, {', '.join(NUMBERS + FLOATS)},"
                f" downtime_by_reason FROM {table} WHERE org_id = %s",
                (org.id,),
            )
            names = [c.name for c in cur.description or ()]
            rows = {(r[0], r[1], r[2]): dict(zip(names[3:], r[3:], strict=True)) for r in cur}
        out.append(rows)
    return out[0], out[1]


def assert_same(got: Tables, want: Tables) -> None:
    for got_rows, want_rows in zip(got, want, strict=True):
        assert sorted(got_rows) == sorted(want_rows)
        for key, row in want_rows.items():
            for name in NUMBERS:
                assert got_rows[key][name] == row[name], (key, name)
            for name in FLOATS:
                assert got_rows[key][name] == pytest.approx(row[name], rel=1e-12), (key, name)
            reasons = got_rows[key]["downtime_by_reason"]
            assert reasons == pytest.approx(row["downtime_by_reason"], rel=1e-12), key


# --- the direct GROUP BY over production ----------------------------------------------------

DIRECT = """
SELECT CASE WHEN grouping(w.id) = 0 THEN 'well' WHEN grouping(w.lease_id) = 0 THEN 'lease'
            WHEN grouping(w.field_id) = 0 THEN 'field' ELSE 'org' END,
       coalesce(w.id, w.lease_id, w.field_id, p.org_id)::text, {period},
       count(DISTINCT p.well_id), count(*),
       count(*) FILTER (WHERE p.hours_on > 0
                          OR (p.hours_on IS NULL AND p.oil_bbl + p.gas_mcf + p.water_bbl > 0)),
       count(*) FILTER (WHERE p.hours_on = 0
                          OR (p.hours_on IS NULL AND p.oil_bbl + p.gas_mcf + p.water_bbl = 0)),
       sum(p.oil_bbl), sum(p.gas_mcf), sum(p.water_bbl), sum(p.oil_bbl + p.gas_mcf / 6),
       sum(coalesce(p.hours_on, 0)), sum(coalesce(p.downtime_hours, 0)),
       sum(extract(epoch FROM (p.production_date + 1)::timestamptz
                              - p.production_date::timestamptz) / 3600),
       coalesce(sum(extract(epoch FROM (p.production_date + 1)::timestamptz
                              - p.production_date::timestamptz) / 3600)
                FILTER (WHERE p.hours_on IS NOT NULL), 0)
  FROM production p JOIN wells w ON w.id = p.well_id
 WHERE p.org_id = %s AND p.deleted_at IS NULL
 GROUP BY GROUPING SETS ((p.org_id, w.id, {period}), (p.org_id, w.lease_id, {period}),
                         (p.org_id, w.field_id, {period}), (p.org_id, {period}))
HAVING grouping(w.lease_id) = 1 OR w.lease_id IS NOT NULL
"""


def direct(url: str, org: Org) -> list[dict[tuple[str, str, date], tuple[Any, ...]]]:
    out = []
    with psycopg.connect(url) as conn:
        conn.execute(
            "SELECT set_config('TimeZone', %s, false)", (TZ,)
        )  # timestamptz casts in the org's zone
        for period in ("p.production_date", "date_trunc('month', p.production_date)::date"):
            rows = conn.execute(DIRECT.format(period=period), (org.id,)).fetchall()
            out.append({(r[0], r[1], r[2]): tuple(r[3:]) for r in rows})
    return out


def assert_direct(url: str, org: Org) -> None:
    for table, want in zip(stored(url, org), direct(url, org), strict=True):
        assert sorted(table) == sorted(want)
        for key, row in want.items():
            got = table[key]
            assert tuple(got[n] for n in NUMBERS) == row[:4], key
            assert [got[n] for n in FLOATS] == pytest.approx([float(v) for v in row[4:]], rel=1e-12)


def rebuilt(url: str, org: Org) -> Tables:
    async def run() -> None:
        async with await psycopg.AsyncConnection.connect(url) as conn:
            await rebuild(conn, org.id)

    asyncio.run(run())
    return stored(url, org)


# --- the tests ------------------------------------------------------------------------------


def test_pushed_history_is_aggregated_per_well_lease_field_and_org_across_dst_and_month_ends(
    client: TestClient, database_url: str
) -> None:
    org = make_org(client, database_url)
    push_history(org)
    daily, monthly = stored(database_url, org)
    spring = [r for (s, _, d), r in daily.items() if s == "well" and d == SPRING]
    fall = [r for (s, _, d), r in daily.items() if s == "well" and d == FALL]
    assert spring and {r["day_hours"] for r in spring} == {23.0}
    assert fall and {r["day_hours"] for r in fall} == {25.0}
    assert {k[2] for k in monthly} == {date(2026, m, 1) for m in (2, 3, 10, 11)}
    assert_same((daily, monthly), expected(org))
    assert_direct(database_url, org)


def test_corrections_and_voids_change_the_aggregates_and_equal_a_rebuild(
    client: TestClient, database_url: str
) -> None:
    org = make_org(client, database_url)
    push_history(org)
    before = stored(database_url, org)
    well, day = next((w, d) for (w, d), v in org.live.items() if v["oil_bbl"] > 0 and org.lease[w])
    correct(org, well, day, oil_bbl=org.live[well, day]["oil_bbl"] + 500.0)
    last = DAYS[-1]  # a month's last reading of another well goes away
    gone = next(w for w in org.wells if (w, last) in org.live and w != well)
    void(org, gone, last)
    after = stored(database_url, org)
    assert after[0]["org", str(org.id), day]["oil"] == pytest.approx(
        before[0]["org", str(org.id), day]["oil"] + 500.0
    )
    assert ("well", gone, last) not in after[0]
    assert_same(after, expected(org))
    assert_direct(database_url, org)
    assert_same(rebuilt(database_url, org), expected(org))


def test_a_conflict_resolution_that_changes_the_value_refreshes_its_day(
    client: TestClient, database_url: str
) -> None:
    s = scene(client, database_url)  # oil 100, corrected to 90 by a, then 111 by b: a conflict
    owner = org_id(database_url, s.org)

    def oil() -> tuple[float, float]:
        with psycopg.connect(database_url) as conn:
            live = conn.execute(
                "SELECT oil_bbl FROM production WHERE id = %s", (s.record,)
            ).fetchone()
            org_oil = conn.execute(
                "SELECT sum(oil) FROM analytics_daily WHERE org_id = %s AND scope = 'org'",
                (owner,),
            ).fetchone()
        assert live is not None and org_oil is not None
        return float(live[0]), float(org_oil[0])

    standing, aggregated = oil()
    assert aggregated == standing
    event = s.a.event(RESOLVED, s.record, {"conflict_id": s.conflict_id, "keep": "theirs"}, base=3)
    assert statuses(s.a.push(event)) == ["accepted"]
    resolved, aggregated = oil()
    assert resolved != standing and aggregated == resolved


def test_a_well_moved_to_another_lease_is_fixed_by_a_rebuild(
    client: TestClient, database_url: str
) -> None:
    org = make_org(client, database_url)
    push_history(org)
    moved = org.wells[0]
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE wells SET lease_id = %s WHERE id = %s", (org.lease[org.wells[2]], moved)
        )
    org.lease[moved] = org.lease[org.wells[2]]
    assert stored(database_url, org) != expected(org)  # stale until a rebuild
    assert_same(rebuilt(database_url, org), expected(org))


def test_another_organizations_rows_are_invisible(client: TestClient, database_url: str) -> None:
    mine, theirs = make_org(client, database_url), make_org(client, database_url)
    push_history(mine)
    push_history(theirs)
    with psycopg.connect(database_url) as conn:
        conn.execute("SET ROLE wellpulse_app")
        conn.execute("SELECT set_config('app.org_id', %s, false)", (str(mine.id),))
        for table in ("analytics_daily", "analytics_monthly"):
            seen = conn.execute(f"SELECT DISTINCT org_id FROM {table}").fetchall()
            assert seen == [(mine.id,)]
        for table, period in (("analytics_daily_rollups", "day"), ("analytics_monthly", "month")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(
                    f"INSERT INTO {table} (org_id, scope, scope_id, {period}, wells, reading_days,"
                    " producing_days, shut_in_days, oil, gas, water, boe, hours_on,"
                    " downtime_hours, day_hours, timed_day_hours) VALUES (%s, 'org', %s,"
                    " '2026-01-01', 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 24, 24)",
                    (theirs.id, theirs.id),
                )
