from datetime import date, timedelta

import numpy as np
import pytest

from shared.analytics.periods import day_hours, period_end, period_keys, period_label
from shared.validation import day_length_hours


def loop_start(d: date, interval: str) -> date:
    if interval == "day":
        return d
    if interval == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1)


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_period_keys_equal_a_plain_loop_over_years_and_leap_days(interval: str):
    first = date(2019, 12, 1)
    days = [first + timedelta(days=i) for i in range(5 * 366)]
    keys = period_keys(np.array([d.toordinal() for d in days], dtype=np.int64), interval)  # type: ignore[arg-type]
    assert [date.fromordinal(k) for k in keys.tolist()] == [loop_start(d, interval) for d in days]


def test_iso_week_labels_use_the_iso_year_and_week_53():
    assert period_label(date(2020, 12, 28), "week") == "2020-W53"
    assert period_label(date(2026, 12, 28), "week") == "2026-W53"
    assert period_label(date(2024, 12, 30), "week") == "2025-W01"  # Monday of 2025's first week
    assert period_label(date(2026, 1, 26), "week") == "2026-W05"
    assert period_label(date(2026, 1, 1), "month") == "2026-01"
    assert period_label(date(2026, 3, 8), "day") == "2026-03-08"


def test_a_week_key_is_always_a_monday_and_a_week_runs_seven_days():
    days = np.arange(date(2026, 1, 1).toordinal(), date(2027, 1, 1).toordinal(), dtype=np.int64)
    for key in set(period_keys(days, "week").tolist()):
        start = date.fromordinal(key)
        assert start.weekday() == 0
        assert period_end(start, "week") == start + timedelta(days=6)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2028, 2, 1), date(2028, 2, 29)),
        (date(2026, 4, 1), date(2026, 4, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),
    ],
)
def test_month_ends(start: date, end: date):
    assert period_end(start, "month") == end
    assert period_end(start, "day") == start


def test_unknown_interval_is_an_error():
    with pytest.raises(ValueError, match="interval"):
        period_keys(np.array([1], dtype=np.int64), "year")  # type: ignore[arg-type]


def test_day_hours_of_no_days_and_of_an_unknown_zone():
    assert day_hours(date(2026, 1, 1), 0, "America/Chicago").tolist() == []
    with pytest.raises(ValueError, match="time zone"):
        day_hours(date(2026, 1, 1), 3, "Nowhere/Else")


def test_day_hours_across_many_years_match_validation():
    first = date(2015, 1, 1)
    n = 12 * 365
    hours = day_hours(first, n, "America/Chicago")
    odd = {i: h for i, h in enumerate(hours.tolist()) if h != 24.0}
    want = {
        i: day_length_hours(first + timedelta(days=i), "America/Chicago")
        for i in range(n)
        if day_length_hours(first + timedelta(days=i), "America/Chicago") != 24.0
    }
    assert odd == want
    assert len(odd) == 2 * 12
