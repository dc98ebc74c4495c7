"""Server aggregates (sync_server/services/analytics_refresh.py) over a big organization.

In a scratch database: an org with N wells (the demo generator's fields and leases) and D days
of daily history each, generated with the demo simulator's per-well production model
(`wellpulse_demo.simulator.simulate_by_well`) and loaded with COPY straight into `production`
(pushing millions of events through HTTP is what bench_push measures, not this). Then, timed:

- rebuild into empty tables, and again over the rows it wrote (DELETE + recompute);
- incremental: one new day for every well loaded (COPY, not timed), then `refresh` of those
  N well-days in one transaction (median of --new-days days); the new days start a month, so
  the refresh of the last loaded day (a month's last: its full month regrouped per well) is
  timed too, as often;
- baseline, in the same run: the same totals (per well, lease, field and org, by day and by
  month) with one SQL GROUP BY GROUPING SETS over the raw `production` table, nothing written.

Last lines: each measurement ÷ the baseline. Full size (10,000 wells x 730 days = 7.3 M rows)
takes several minutes, mostly generating and loading:

    python benchmarks/bench_aggregates.py [--wells 10000] [--days 730] [--database-url URL]

Without --database-url: $TEST_DATABASE_URL, else the embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from uuid import UUID, uuid4

import psycopg
from _server import scratch_database, server_url

from sync_server.services import admin
from sync_server.services.analytics_refresh import rebuild, refresh
from wellpulse_demo.simulator import SimDay, SimWell, simulate_by_well

END = date(2026, 10, 31)  # the last loaded day (fixed: the same rows every run)
TZ = "America/Chicago"
COLUMNS = (
    "id, org_id, well_id, production_date, oil_bbl, gas_mcf, water_bbl, hours_on,"
    " downtime_hours, downtime_reason, entry_method, quality_score, version, server_seq"
)
BASELINE = """
SELECT count(*), sum(oil) FROM (
  SELECT count(*) AS n,
         count(*) FILTER (WHERE p.hours_on > 0 OR (p.hours_on IS NULL
             AND p.oil_bbl + p.gas_mcf + p.water_bbl > 0)) AS producing,
         count(*) FILTER (WHERE p.hours_on = 0 OR (p.hours_on IS NULL
             AND p.oil_bbl + p.gas_mcf + p.water_bbl = 0)) AS shut_in,
         sum(p.oil_bbl) AS oil, sum(p.gas_mcf), sum(p.water_bbl),
         sum(p.oil_bbl + p.gas_mcf / 6), sum(p.hours_on), sum(p.downtime_hours)
    FROM production p JOIN wells w ON w.id = p.well_id
   WHERE p.org_id = %(org)s AND p.deleted_at IS NULL
   GROUP BY GROUPING SETS (
     (w.id, p.production_date), (w.lease_id, p.production_date),
     (w.field_id, p.production_date), (p.production_date),
     (w.id, date_trunc('month', p.production_date)),
     (w.lease_id, date_trunc('month', p.production_date)),
     (w.field_id, date_trunc('month', p.production_date)),
     (date_trunc('month', p.production_date)))
) g
"""


def make_org(url: str, sim_wells: list[SimWell]) -> tuple[UUID, list[UUID]]:
    slug = f"bench-{uuid4().hex[:6]}"
    org = admin.create_org(url, slug, "Bench", timezone=TZ)
    ids = [uuid4() for _ in sim_wells]
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        fields = {name: uuid4() for name in sorted({w.field for w in sim_wells})}
        leases = {name: uuid4() for name in sorted({w.lease for w in sim_wells})}
        for table, named in (("fields", fields), ("leases", leases)):
            for name, id_ in named.items():
                conn.execute(
                    f"INSERT INTO {table} (id, org_id, name) VALUES (%s, %s, %s)", (id_, org, name)
                )
        with conn.cursor().copy(
            "COPY wells (id, org_id, api_number, name, field_id, lease_id, server_seq) FROM STDIN"
        ) as copy:
            for i, (id_, w) in enumerate(zip(ids, sim_wells, strict=True)):
                api = f"42{i:08d}"
                copy.write_row((id_, org, api, w.name, fields[w.field], leases[w.lease], i + 1))
    return org, ids


def rows(
    org: UUID, ids: list[UUID], days: Iterator[SimDay], seq: int
) -> Iterator[tuple[object, ...]]:
    for d in days:
        seq += 1
        yield (
            uuid4(),
            org,
            ids[d.well],
            d.production_date,
            d.oil_bbl,
            d.gas_mcf,
            d.water_bbl,
            d.hours_on,
            d.downtime_hours,
            d.downtime_reason,
            "IMPORT",
            100,
            1,
            seq,
        )


def load(url: str, org: UUID, ids: list[UUID], by_well: Iterator[list[SimDay]]) -> int:
    """COPY every simulated well-day into production; the number of rows."""
    n = 0
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        with conn.cursor().copy(f"COPY production ({COLUMNS}) FROM STDIN") as copy:
            for days in by_well:
                for row in rows(org, ids, iter(days), n):
                    copy.write_row(row)
                n += len(days)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE production")
    return n


def new_day(url: str, org: UUID, ids: list[UUID], day: date, seq: int) -> None:
    """Every well's reading of `day` (24 h on), as pushes would have written them."""
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        with conn.cursor().copy(f"COPY production ({COLUMNS}) FROM STDIN") as copy:
            for i, well in enumerate(ids):
                values = (50.0 + i % 90, 80.0 + i % 70, 30.0 + i % 40, 24.0, 0.0, None)
                copy.write_row((uuid4(), org, well, day, *values, "MANUAL", 100, 1, seq + i + 1))


async def timed_rebuild(url: str, org: UUID) -> tuple[float, int, int]:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        started = time.perf_counter()
        async with conn.transaction():
            done = await rebuild(conn, org)
        return time.perf_counter() - started, done.daily, done.monthly


async def timed_refresh(url: str, org: UUID, ids: list[UUID], day: date) -> float:
    async with await psycopg.AsyncConnection.connect(url) as conn:
        started = time.perf_counter()
        async with conn.transaction():
            await refresh(conn, org, [(well, day) for well in ids])
        return time.perf_counter() - started


def baseline(url: str, org: UUID) -> tuple[float, int]:
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        conn.execute("SET LOCAL work_mem = '256MB'")  # as the rebuild has
        started = time.perf_counter()
        row = conn.execute(BASELINE, {"org": org}).fetchone()
        assert row is not None
        return time.perf_counter() - started, int(row[0])


def check(url: str, org: UUID, day: date) -> None:
    """The refreshed org row of `day` equals the raw rows (a wrong result is no benchmark)."""
    with psycopg.connect(url) as conn:
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org),))
        got = conn.execute(
            "SELECT reading_days, oil FROM analytics_daily WHERE org_id = %s AND scope = 'org'"
            " AND day = %s",
            (org, day),
        ).fetchone()
        want = conn.execute(
            "SELECT count(*), sum(oil_bbl) FROM production WHERE org_id = %s"
            " AND production_date = %s AND deleted_at IS NULL",
            (org, day),
        ).fetchone()
    assert got is not None and want is not None and got[0] == want[0], (got, want)
    assert abs(got[1] - want[1]) < 1e-6 * max(1.0, abs(want[1])), (got, want)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wells", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--new-days", type=int, default=3, help="incremental days to time")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    with scratch_database(server_url(args.database_url)) as url:
        started = time.perf_counter()
        sim_wells, _, by_well = simulate_by_well(wells=args.wells, days=args.days, end=END)
        org, ids = make_org(url, sim_wells)
        loaded = load(url, org, ids, by_well)
        print(f"generated and loaded {loaded:,} rows in {time.perf_counter() - started:.1f} s")
        base, groups = baseline(url, org)
        print(f"baseline: one GROUP BY over production, {groups:,} groups: {base:.2f} s")
        empty, daily, monthly = asyncio.run(timed_rebuild(url, org))
        print(f"rebuild into empty tables: {daily:,} daily + {monthly:,} monthly: {empty:.2f} s")
        again, _, _ = asyncio.run(timed_rebuild(url, org))
        print(f"rebuild over its own rows (delete + recompute): {again:.2f} s")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE analytics_daily")
            conn.execute("VACUUM ANALYZE analytics_monthly")
        refreshes = []
        for k in range(1, args.new_days + 1):
            day = END + timedelta(days=k)
            new_day(url, org, ids, day, loaded + k * len(ids))
            refreshes.append(asyncio.run(timed_refresh(url, org, ids, day)))
            check(url, org, day)
        inc = statistics.median(refreshes)
        print(
            f"incremental refresh of one new day for {len(ids):,} wells: median {inc:.3f} s"
            f" over {len(refreshes)} ({', '.join(f'{t:.3f}' for t in refreshes)})"
        )
        # the new days start a month; a month's last day regroups a full month per well
        full = [asyncio.run(timed_refresh(url, org, ids, END)) for _ in range(args.new_days)]
        check(url, org, END)
        month_end = statistics.median(full)
        print(
            f"refresh of a month's last day ({END}) for {len(ids):,} wells: median"
            f" {month_end:.3f} s over {len(full)} ({', '.join(f'{t:.3f}' for t in full)})"
        )
        print(f"ratio rebuild (empty) / baseline: {empty / base:.2f}")
        print(f"ratio rebuild (over its rows) / baseline: {again / base:.2f}")
        print(f"ratio incremental / baseline: {inc / base:.4f}")
        print(f"ratio month-end refresh / baseline: {month_end / base:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
