"""Helpers for the Charts tests: a well's series made from plain numbers, without a store."""

from __future__ import annotations

import math
from datetime import date, timedelta

from fieldapp.core.analytics_source import Selection, SourceSeries
from shared.analytics.series import DailyRow, daily_series

TZ = "America/Chicago"
END = date(2026, 11, 20)


def declining_rows(days: int = 120, end: date = END, qi: float = 200.0) -> list[DailyRow]:
    """A well declining 0.3 %/day: full days on, gas 1.5x and water 0.4x the oil."""
    rows = []
    for age in range(days, 0, -1):
        oil = qi * math.exp(-0.003 * (days - age))
        rows.append(DailyRow(end - timedelta(days=age), oil, oil * 1.5, oil * 0.4, 24.0, 0.0))
    return rows


def with_gaps(rows: list[DailyRow], missing: set[int], shut: set[int]) -> list[DailyRow]:
    """`rows` without the days at indexes `missing` and with those at `shut` shut in."""
    out = []
    for i, row in enumerate(rows):
        if i in missing:
            continue
        if i in shut:
            row = DailyRow(row.production_date, 0.0, 0.0, 0.0, 0.0, 24.0, "POWER")
        out.append(row)
    return out


def source(
    rows: list[DailyRow], key: str = "well-1", version: tuple[int, int, int, int] = (1, 1, 1, 0)
) -> SourceSeries:
    series = daily_series(rows, tz=TZ) if rows else None
    return SourceSeries(Selection("well", key), f"Well {key}", (key,), series, version)
