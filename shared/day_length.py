"""The organization's calendar: its today and the length of its local days.

Every production rule counts days in the organization's time zone (docs/design.md §6.2): the
production date is a local calendar day, "today" is the local date now, and a day lasts 24 h,
or 23 h / 25 h on the days daylight saving time starts and ends. Hours on and downtime are
checked against that length, and the trend rules normalise a day's volume to it (a 23-hour
day that produced 23/24 of the usual volume produced at the usual rate).

Pure code: no I/O; the only clock read is :func:`org_today` without ``now``. Day lengths are
cached: an import asks for the same few hundred days tens of thousands of times.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(tz: str) -> ZoneInfo:
    """The IANA zone ``tz``; ValueError naming it when there is no such zone."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown time zone {tz!r}") from exc


def org_today(tz: str, now: datetime | None = None) -> date:
    """Today's date in the organization's time zone (a naive ``now`` is taken as UTC)."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(zone(tz)).date()


@lru_cache(maxsize=8192)
def day_length_hours(d: date, tz: str) -> float:
    """Length of the local calendar day: 24, or 23/25 on daylight-saving change days."""
    where = zone(tz)
    start = datetime(d.year, d.month, d.day, tzinfo=where).astimezone(UTC)
    nxt = d + timedelta(days=1)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=where).astimezone(UTC)
    return (end - start).total_seconds() / 3600.0


def max_day_hours(d: date, tz: str) -> float:
    """The most hours a day's hours on or downtime may hold: 24, or 25 on the fall-back day
    (a 23-hour day still allows 24, so a round "24" on the spring-forward day is not refused)."""
    return max(24.0, day_length_hours(d, tz))
