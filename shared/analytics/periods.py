"""The local calendar over date ordinals: day lengths in a time zone, and the day / ISO week /
month a day belongs to (docs/analytics.md, "Day length" and "Periods").

Everything works on ``date.toordinal()`` values in numpy arrays, so a series of ten years or a
server query of millions of well-days is grouped without a Python loop per day.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from shared.validation import day_length_hours

Interval = Literal["day", "week", "month"]
INTERVALS: tuple[Interval, ...] = ("day", "week", "month")

_EPOCH = date(1970, 1, 1).toordinal()  # numpy's datetime64 day 0
_PROBE_DAYS = (1, 8, 15, 22)  # offsets probed each month: no zone changes twice within 10 days


@lru_cache(maxsize=1024)
def _odd_days(tz: str, year: int) -> tuple[tuple[int, float], ...]:
    """(ordinal, hours) of the days of ``year`` in ``tz`` that are not 24 h long.

    The UTC offset at local midnight is probed four times a month; only the stretches whose
    offset changed are walked day by day with :func:`shared.validation.day_length_hours`.
    """
    zone = ZoneInfo(tz)
    probes = [date(year, m, d) for m in range(1, 13) for d in _PROBE_DAYS]
    probes.append(date(year + 1, 1, 1))
    offsets = [datetime(p.year, p.month, p.day, tzinfo=zone).utcoffset() for p in probes]
    odd: list[tuple[int, float]] = []
    for i in range(len(probes) - 1):
        if offsets[i] == offsets[i + 1]:
            continue
        for ordinal in range(probes[i].toordinal(), probes[i + 1].toordinal()):
            hours = day_length_hours(date.fromordinal(ordinal), tz)
            if hours != 24.0:
                odd.append((ordinal, hours))
    return tuple(odd)


def day_hours(first: date, n: int, tz: str) -> NDArray[np.float64]:
    """Length in hours of ``n`` local calendar days from ``first``: 24, or 23/25 on the days
    daylight saving time starts/ends. An unknown time zone raises ValueError."""
    day_length_hours(first, tz)  # validates the zone
    out = np.full(max(n, 0), 24.0)
    if n <= 0:
        return out
    start = first.toordinal()
    last = date.fromordinal(start + n - 1)
    for year in range(first.year, last.year + 1):
        for ordinal, hours in _odd_days(tz, year):
            if start <= ordinal < start + n:
                out[ordinal - start] = hours
    return out


def period_keys(days: NDArray[np.int64], interval: Interval) -> NDArray[np.int64]:
    """The ordinal of the first day of the period each day falls in: the day itself, the
    Monday of its ISO week, or the 1st of its month. Group by this key to aggregate."""
    ordinals = np.asarray(days, dtype=np.int64)
    if interval == "day":
        return ordinals.copy()
    if interval == "week":
        return ordinals - (ordinals - 1) % 7  # ordinal 1 (0001-01-01) is a Monday
    if interval == "month":
        months = (ordinals - _EPOCH).astype("datetime64[D]").astype("datetime64[M]")
        return months.astype("datetime64[D]").astype(np.int64) + _EPOCH
    raise ValueError(f"unknown interval {interval!r}; use one of {', '.join(INTERVALS)}")


def period_end(start: date, interval: Interval) -> date:
    """The last day of the period that starts on ``start`` (see :func:`period_keys`)."""
    if interval == "day":
        return start
    if interval == "week":
        return date.fromordinal(start.toordinal() + 6)
    nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def period_label(start: date, interval: Interval) -> str:
    """'2026-01-05' for a day, '2026-W02' for an ISO week (ISO year), '2026-01' for a month."""
    if interval == "day":
        return start.isoformat()
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{start.year}-{start.month:02d}"
