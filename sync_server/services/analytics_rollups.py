"""Series of a lease, field or organization from the server's daily aggregates
(`analytics_daily`, docs/analytics-server.md) instead of every well's production rows: one row
per day with readings, grouped into days, ISO weeks or months by the same calendar as
`shared.analytics` (`period_keys`) and turned into the same `Totals` (`PeriodColumns`).

Until the aggregate tables exist (migration 0005) the endpoint computes lease, field and
organization series from the production rows; `present` says which applies. Uptime divides by
`timed_day_hours` (the day hours of the readings with hours on reported), as shared.analytics
does, so a lease read from the aggregates and one summed from its wells' rows agree."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import numpy as np
from numpy.typing import NDArray

from shared.analytics.aggregates import Period, PeriodColumns
from shared.analytics.periods import Interval, period_end, period_keys, period_label
from shared.analytics_contracts import Scope, SeriesAnswer, periods_of
from sync_server.db.pool import Conn

PRESENT = "SELECT to_regclass('analytics_daily') IS NOT NULL AS present"

DAILY = """
SELECT day, reading_days, producing_days, oil, gas, water, hours_on, downtime_hours,
       day_hours, timed_day_hours, downtime_by_reason
  FROM analytics_daily
 WHERE org_id = %(org)s AND scope = %(scope)s AND scope_id = %(id)s
   AND day >= coalesce(%(first)s::date, '-infinity'::date)
   AND day <= coalesce(%(last)s::date, 'infinity'::date)
 ORDER BY day
"""


async def present(conn: Conn) -> bool:
    row = await (await conn.execute(PRESENT)).fetchone()
    return bool(row and row["present"])


async def daily_rows(
    conn: Conn, org_id: UUID, scope: str, scope_id: UUID, first: date | None, last: date | None
) -> list[dict[str, Any]]:
    params = {"org": org_id, "scope": scope, "id": scope_id, "first": first, "last": last}
    return await (await conn.execute(DAILY, params)).fetchall()


def periods_from_days(rows: Sequence[Mapping[str, Any]], interval: Interval) -> list[Period]:
    """The periods of the calendar days from the first to the last row's day (rows: DAILY's,
    oldest first), as `shared.analytics.aggregates.aggregate` makes them from a series."""
    if not rows:
        return []
    ordinals = np.array([r["day"].toordinal() for r in rows], dtype=np.int64)
    first = int(ordinals[0])
    n = int(ordinals[-1]) - first + 1
    at = ordinals - first

    def column(name: str) -> NDArray[np.float64]:
        out = np.zeros(n, dtype=np.float64)
        out[at] = [float(r[name]) for r in rows]
        return out

    reasons: dict[str, NDArray[np.float64]] = {}
    for i, row in zip(at.tolist(), rows, strict=True):
        for reason, hours in (row["downtime_by_reason"] or {}).items():
            reasons.setdefault(str(reason), np.zeros(n, dtype=np.float64))[i] += float(hours)
    keys = period_keys(np.arange(first, first + n, dtype=np.int64), interval)
    edges = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]).astype(np.int64)

    def add(values: NDArray[np.float64]) -> NDArray[np.float64]:
        summed: NDArray[np.float64] = np.add.reduceat(values, edges)
        return summed

    columns = PeriodColumns(
        starts=keys[edges],
        days=np.diff(np.r_[edges, n]).astype(np.int64),
        reading_days=add(column("reading_days")).astype(np.int64),
        producing_days=add(column("producing_days")).astype(np.int64),
        oil_bbl=add(column("oil")),
        gas_mcf=add(column("gas")),
        water_bbl=add(column("water")),
        hours_on=add(column("hours_on")),
        timed_day_hours=add(column("timed_day_hours")),
        downtime_hours=add(column("downtime_hours")),
        downtime_by_reason={k: add(v) for k, v in sorted(reasons.items())},
    )
    out: list[Period] = []
    for key, sums in zip(columns.starts.tolist(), columns.all_totals(), strict=True):
        start = date.fromordinal(key)
        out.append(Period(start, period_end(start, interval), period_label(start, interval), sums))
    return out


def span(rows: Sequence[Mapping[str, Any]]) -> tuple[date | None, date | None]:
    return (rows[0]["day"], rows[-1]["day"]) if rows else (None, None)


def rollup_answer(
    scope: Scope,
    scope_id: UUID,
    rows: Sequence[Mapping[str, Any]],
    tz: str,
    interval: Interval,
    wells: int,
) -> SeriesAnswer:
    """The same answer from the server's daily aggregates of the scope (analytics_rollups)."""
    first, last = span(rows)
    return SeriesAnswer(
        scope=scope,
        id=scope_id,
        interval=interval,
        first_day=first,
        last_day=last,
        timezone=tz,
        wells=wells,
        periods=periods_of(periods_from_days(rows, interval)),
    )
