"""Synthetic well histories for the analytics tests: declines, missing days, shut-ins with
reasons, partial days, unknown hours, DST days (America/Chicago)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from shared.analytics.series import DailyRow
from shared.validation import day_length_hours

TZ = "America/Chicago"
REASONS = ("PUMP_FAIL", "POWER", "WORKOVER", "WEATHER")  # shared.downtime codes


def well_rows(
    seed: int, first: date, days: int, *, tz: str = TZ, missing: float = 0.08
) -> list[DailyRow]:
    """A random but plausible daily history: an exponential decline with noise, some days
    missing, some shut in (0 h with a reason), some partial, some with hours unknown."""
    rng = random.Random(seed)
    qi = rng.uniform(50.0, 800.0)
    decline = rng.uniform(0.0002, 0.003)
    gor = rng.uniform(0.5, 3.0)
    wor = rng.uniform(0.1, 2.0)
    rows: list[DailyRow] = []
    for i in range(days):
        d = first + timedelta(days=i)
        if rng.random() < missing:
            continue
        length = day_length_hours(d, tz)
        roll = rng.random()
        if roll < 0.06:  # shut in for the day
            rows.append(DailyRow(d, 0.0, 0.0, 0.0, 0.0, length, rng.choice(REASONS)))
            continue
        oil = qi * (1 - decline) ** i * rng.uniform(0.9, 1.1)
        hours: float | None
        down: float | None
        reason: str | None
        if roll < 0.14:  # partial day
            hours = round(rng.uniform(2.0, length - 1.0), 2)
            down = round(length - hours, 2)
            reason = rng.choice(REASONS)
        elif roll < 0.20:  # hours not reported
            hours, down, reason = None, None, None
        else:
            hours, down, reason = length, None if rng.random() < 0.5 else 0.0, None
        share = 1.0 if hours is None else hours / length
        oil = round(oil * share, 2)
        rows.append(DailyRow(d, oil, round(oil * gor, 2), round(oil * wor, 2), hours, down, reason))
    return rows
