"""Keeping the production aggregates current (docs/analytics-server.md).

A well's day needs no upkeep: the 'well' rows of the view `analytics_daily` are computed from
the live production rows as they are read. Three stored levels are (`analytics_sql`): well
months (`analytics_monthly`), lease, field and organization days (`analytics_daily_rollups`)
and months (`analytics_monthly`).

- `refresh(conn, org_id, well_days)` recomputes only what the given (well, day) pairs touch:
  their well-months, and every lease, field and organization row of those days and months.
  It runs inside the caller's transaction (the push's: `writes.flush` calls it with the
  well-days of the batch's changed production records) as six set-based statements whatever
  the number of well-days: a DELETE and an INSERT … SELECT … GROUP BY per level.
- `rebuild(conn, org_id)` deletes an organization's rows and computes them all again, with the
  same definitions and no filter: well months and lease, field and organization days in one
  pass over `production` (`analytics_sql.ONE_PASS`), then the months of the places. It is
  the cure for what a refresh cannot see: a well moved to another lease or field leaves its
  old lease's or field's rows stale on the days and months no push touched since (a
  refreshed day or month is recomputed from every well's current place, so those are right).

Both set the tenant (`app.org_id`) themselves and filter by the organization too, so they are
right on the app role's connections (row-level security) and on the owner's.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from sync_server.services.analytics_sql import (
    ONE_PASS,
    ROLLUP_DAYS,
    ROLLUP_MONTHS,
    ROLLUPS,
    WELL_MONTHS,
)

TENANT_SQL = "SELECT set_config('app.org_id', %s, true)"
# compiling a plan costs more than these plans save (and the row estimates of jsonb_each
# overstate them); for the rest of the caller's transaction
NO_JIT = "SET LOCAL jit = off"
REBUILD_WORK_MEM = "256MB"  # the rebuild's groupings stay in memory (this transaction only)
# the rebuild reads every production row of the org: one sequential scan joined by hash to
# `wells`, not an index scan per well (random reads when rows were pushed day by day)
NO_NESTED_LOOPS = "SET LOCAL enable_nestloop = off"
# a month-end refresh of every well regroups ~31 rows per well: sorted in memory, not on disk;
# for the rest of the caller's transaction, like NO_JIT
REFRESH_WORK_MEM = "SET LOCAL work_mem = '64MB'"

# The first DELETE matches the batch's (well, month) keys against the stored well-months by a
# hash join: the months a batch opens (the 1st of a month) are not in the table's statistics
# yet, and with an estimate of one row the planner compares every key with every row by a
# nested loop (measured: 11 s instead of 0.05 s for a second new day of 10,000 wells).
HASHED = "SET LOCAL enable_nestloop = off"
NESTED_AGAIN = "SET LOCAL enable_nestloop = on"
_MONTH_KEYS = "unnest(%(month_wells)s::uuid[], %(months)s::date[]) AS k(well_id, month)"

REFRESH = (
    f"DELETE FROM analytics_monthly a USING {_MONTH_KEYS} WHERE a.org_id = %(org)s"
    " AND a.scope = 'well' AND a.scope_id = k.well_id AND a.month = k.month"
    # redundant, but the planner then hashes only those months' rows (-40 ms at 10,000 wells)
    " AND a.month = ANY(%(month_set)s::date[])",
    WELL_MONTHS.insert(
        join=f"JOIN {_MONTH_KEYS} ON a.scope_id = k.well_id"
        " AND a.day >= k.month AND a.day < (k.month + interval '1 month')::date"
    ),
    "DELETE FROM analytics_daily_rollups WHERE org_id = %(org)s"
    f" AND scope IN {ROLLUPS} AND day = ANY(%(day_set)s::date[])",
    ROLLUP_DAYS.insert(where="AND a.day = ANY(%(day_set)s::date[])"),
    f"DELETE FROM analytics_monthly WHERE org_id = %(org)s AND scope IN {ROLLUPS}"
    " AND month = ANY(%(month_set)s::date[])",
    ROLLUP_MONTHS.insert(where="AND a.month = ANY(%(month_set)s::date[])"),
)

ROLLUP_MONTHS_INSERT = ROLLUP_MONTHS.insert()

# the planner must know how many rows an insert just wrote before it groups them (else it
# joins them by nested loops); ANALYZE is skipped, with a warning, for a non-owner
REBUILD = (
    "DELETE FROM analytics_daily_rollups WHERE org_id = %(org)s",
    "DELETE FROM analytics_monthly WHERE org_id = %(org)s",
    ONE_PASS,
    "ANALYZE analytics_monthly",
    ROLLUP_MONTHS_INSERT,
)


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What a rebuild wrote for one organization."""

    daily: int  # analytics_daily_rollups rows (lease, field and org days)
    monthly: int  # analytics_monthly rows
    seconds: float


def month_of(day: date) -> date:
    return day.replace(day=1)


def refresh_params(org_id: UUID, well_days: Iterable[tuple[UUID, date]]) -> dict[str, Any]:
    """The statements' parameters: the distinct well-days, well-months, days and months."""
    pairs = sorted(set(well_days))
    months = sorted({(well, month_of(day)) for well, day in pairs})
    return {
        "org": org_id,
        "wells": [w for w, _ in pairs],
        "days": [d for _, d in pairs],
        "month_wells": [w for w, _ in months],
        "months": [m for _, m in months],
        "day_set": sorted({d for _, d in pairs}),
        "month_set": sorted({m for _, m in months}),
    }


async def refresh(
    conn: AsyncConnection[Any], org_id: UUID, well_days: Iterable[tuple[UUID, date]]
) -> None:
    """Recompute the rows the well-days touch, in the caller's transaction (nothing to do for
    no well-days). Safe inside a pipeline: it only sends statements."""
    params = refresh_params(org_id, well_days)
    if not params["wells"]:
        return
    await conn.execute(TENANT_SQL, (str(org_id),))
    await conn.execute(NO_JIT)
    await conn.execute(REFRESH_WORK_MEM)
    for number, statement in enumerate(REFRESH):
        if number == 0:
            await conn.execute(HASHED)
        await conn.execute(statement, params)
        if number == 0:
            await conn.execute(NESTED_AGAIN)


async def rebuild(conn: AsyncConnection[Any], org_id: UUID) -> Rebuilt:
    """Delete the organization's rows and compute them all again, in the caller's
    transaction."""
    started = time.perf_counter()
    await conn.execute(TENANT_SQL, (str(org_id),))
    await conn.execute(NO_JIT)
    await conn.execute(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'")
    await conn.execute(NO_NESTED_LOOPS)
    daily = well_months = rollup_months = 0
    for statement in REBUILD:
        cur = await conn.execute(statement, {"org": org_id})
        if statement is ONE_PASS:
            row = await cur.fetchone()
            assert row is not None
            daily, well_months = int(row[0]), int(row[1])
        elif statement is ROLLUP_MONTHS_INSERT:
            rollup_months = cur.rowcount
    return Rebuilt(
        daily=daily,
        monthly=well_months + rollup_months,
        seconds=time.perf_counter() - started,
    )
