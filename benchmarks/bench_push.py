"""Push, replay and pull through the real HTTP stack (uvicorn + Postgres on loopback).

- push: N new `production.recorded` events from one device in batches of 500, timed end to
  end (HTTP, checks, validation, set-based ingest, commit), every one `accepted`;
- replay: the same batches again, every event `duplicate`, no new row;
- pull: N changes from cursor 0 in pages of 1,000;
- floor, in the same run: psycopg COPY of the same rows (events, production, versions) into
  staging tables, then INSERT … ON CONFLICT DO NOTHING into the real tables, 500 per
  transaction, as the table owner. Last line: push time ÷ floor time.

    python benchmarks/bench_push.py [--events 10000] [--database-url URL]

Without --database-url the embedded PostgreSQL is used; CI-like runs can point it at the
machine's server (postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from _server import (
    BenchDevice,
    live_server,
    org_with_wells,
    production_days,
    scratch_database,
    server_url,
)

BATCH = 500
STAGING = """
CREATE TEMP TABLE s_events (LIKE events) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE s_production (LIKE production) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE s_versions (LIKE production_versions) ON COMMIT DELETE ROWS
"""
VALUES = (
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "downtime_hours",
    "downtime_reason",
    "tubing_psi",
    "casing_psi",
    "choke_64ths",
    "notes",
)


def push_all(http: httpx.Client, dev: BenchDevice, bodies: list[bytes]) -> tuple[float, list[str]]:
    statuses: list[str] = []
    started = time.perf_counter()
    for body in bodies:
        response = http.post("/api/v1/sync/batch", content=body, headers=dev.headers)
        response.raise_for_status()
        statuses.extend(r["status"] for r in response.json()["results"])
    return time.perf_counter() - started, statuses


def pull_all(http: httpx.Client, dev: BenchDevice, wanted: int) -> tuple[float, int]:
    cursor, got = 0, 0
    started = time.perf_counter()
    while got < wanted:
        response = http.get(f"/api/v1/sync/changes?cursor={cursor}&limit=1000", headers=dev.headers)
        response.raise_for_status()
        page = response.json()
        got += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    return time.perf_counter() - started, got


def floor_rows(
    url: str, source_wells: list[str], target: str, events: list[dict[str, Any]]
) -> list[tuple[list[Any], ...]]:
    """The rows push wrote, re-keyed to another org and device, as COPY-ready tuples."""
    with psycopg.connect(url) as conn:
        org_id, user_id = conn.execute(
            "SELECT o.id, u.id FROM organizations o JOIN users u ON u.org_id = o.id"
            " WHERE o.slug = %s",
            (target,),
        ).fetchone()  # type: ignore[misc]
        well_ids = conn.execute(
            "SELECT id FROM wells WHERE org_id = %s ORDER BY api_number", (org_id,)
        ).fetchall()
        device_id = uuid.uuid4()
        conn.execute(
            "INSERT INTO devices (id, org_id, user_id, name, secret)"
            " VALUES (%s, %s, %s, 'floor', 'x')",
            (device_id, org_id, user_id),
        )
    well_map = {a: b[0] for a, b in zip(source_wells, well_ids, strict=True)}
    batches = []
    seq, now = 10_000_000, datetime.now(UTC)
    for start in range(0, len(events), BATCH):
        ev_rows, prod_rows, ver_rows = [], [], []
        for i, env in enumerate(events[start : start + BATCH], start):
            p = env["payload"]
            seq += 1
            record_id, event_id = uuid.uuid4(), uuid.uuid4()
            values = [p.get(k) for k in VALUES]
            values[-1] = values[-1] or ""
            ev_rows.append(
                (
                    seq,
                    event_id,
                    org_id,
                    device_id,
                    i + 1,
                    env["event_type"],
                    record_id,
                    0,
                    1,
                    env["hash"],
                    json.dumps(env),
                    now,
                )
            )
            prod_rows.append(
                (
                    record_id,
                    org_id,
                    well_map[p["well_id"]],
                    p["production_date"],
                    *values,
                    "MANUAL",
                    None,
                    100,
                    "[]",
                    1,
                    seq,
                    None,
                )
            )
            ver_rows.append(
                (
                    record_id,
                    1,
                    org_id,
                    event_id,
                    device_id,
                    user_id,
                    list(VALUES),
                    json.dumps(dict(zip(VALUES, values, strict=True))),
                    now,
                )
            )
        batches.append((ev_rows, prod_rows, ver_rows))
    return batches


def run_floor(url: str, batches: list[tuple[list[Any], ...]]) -> float:
    with psycopg.connect(url) as conn:
        for statement in STAGING.split(";"):
            conn.execute(statement)
        conn.commit()
        started = time.perf_counter()
        for ev_rows, prod_rows, ver_rows in batches:
            with conn.transaction():
                for table, rows in (
                    ("s_events", ev_rows),
                    ("s_production", prod_rows),
                    ("s_versions", ver_rows),
                ):
                    with conn.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                conn.execute("INSERT INTO events SELECT * FROM s_events ON CONFLICT DO NOTHING")
                conn.execute(
                    "INSERT INTO production SELECT * FROM s_production ON CONFLICT DO NOTHING"
                )
                conn.execute(
                    "INSERT INTO production_versions SELECT * FROM s_versions"
                    " ON CONFLICT DO NOTHING"
                )
        return time.perf_counter() - started


def count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--wells", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    server = server_url(args.database_url)
    with scratch_database(server) as url, tempfile.TemporaryDirectory() as tmp:
        org, wells = org_with_wells(url, args.wells)
        with live_server(url, Path(tmp)) as base, httpx.Client(base_url=base, timeout=120) as http:
            dev = BenchDevice.login(http, org)
            rows = production_days(wells, args.events, date.today() - timedelta(days=1))
            events = [dev.recorded(w, d, oil) for w, d, oil in rows]
            bodies = [dev.batch_body(events[i : i + BATCH]) for i in range(0, len(events), BATCH)]
            push_s, statuses = push_all(http, dev, bodies)
            if statuses != ["accepted"] * len(events):
                print(f"push: not all accepted: {sorted(set(statuses))}", file=sys.stderr)
                return 1
            rows_before = count(url, "events"), count(url, "production")
            replay_s, statuses = push_all(http, dev, bodies)
            replay_ok = statuses == ["duplicate"] * len(events)
            rows_after = count(url, "events"), count(url, "production")
            pull_s, pulled = pull_all(http, dev, args.events)
        floor_org, _ = org_with_wells(url, args.wells)
        floor_s = run_floor(url, floor_rows(url, wells, floor_org, events))
    n = len(events)
    print(f"push:   {n} events in {len(bodies)} batches: {push_s:.3f} s = {n / push_s:,.0f} ev/s")
    print(
        f"replay: {n} events, all duplicate: {replay_ok}, new rows: "
        f"{rows_after[0] - rows_before[0]} events / {rows_after[1] - rows_before[1]} production,"
        f" {replay_s:.3f} s = {n / replay_s:,.0f} ev/s"
    )
    print(f"pull:   {pulled} changes from cursor 0 in {pull_s:.3f} s")
    print(f"floor:  COPY + INSERT ON CONFLICT DO NOTHING of the same rows: {floor_s:.3f} s")
    print(f"push / floor = {push_s / floor_s:.2f} (goal <= 3)")
    return 0 if replay_ok and rows_after == rows_before else 1


if __name__ == "__main__":
    raise SystemExit(main())
