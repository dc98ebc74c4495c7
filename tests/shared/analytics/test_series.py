import math
from datetime import date, timedelta

import numpy as np
import pytest
from analyticskit import TZ, well_rows

from shared.analytics.periods import day_hours
from shared.analytics.series import (
    UNSPECIFIED_REASON,
    DailyRow,
    DailySeries,
    DayStatus,
    daily_series,
    sum_series,
)
from shared.validation import day_length_hours

SPRING = date(2026, 3, 8)  # America/Chicago: 23 h
FALL = date(2026, 11, 1)  # America/Chicago: 25 h


def expected_status(row: DailyRow | None) -> DayStatus:
    if row is None:
        return DayStatus.MISSING
    if row.hours_on is not None:
        return DayStatus.PRODUCING if row.hours_on > 0 else DayStatus.SHUT_IN
    volumes = (row.oil_bbl, row.gas_mcf, row.water_bbl)
    return DayStatus.PRODUCING if any(v > 0 for v in volumes) else DayStatus.SHUT_IN


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b)


def test_a_well_series_has_every_day_and_tells_missing_shut_in_and_producing_apart():
    rows = well_rows(1, date(2025, 12, 1), 400)
    s = daily_series(rows, tz=TZ)
    by_day = {r.production_date: r for r in rows}
    first, last = min(by_day), max(by_day)
    assert s.first == first
    assert s.last == last
    assert len(s) == (last - first).days + 1
    assert s.days.tolist() == list(range(first.toordinal(), last.toordinal() + 1))
    seen = set()
    for i in range(len(s)):
        d = first + timedelta(days=i)
        row = by_day.get(d)
        status = expected_status(row)
        seen.add(status)
        assert s.status[i] == status, d
        assert s.day_hours[i] == day_length_hours(d, TZ)
        if row is None:
            assert math.isnan(s.oil[i]) and math.isnan(s.hours_on[i])
            assert s.downtime_reason[i] is None
            continue
        assert s.oil[i] == row.oil_bbl and s.gas[i] == row.gas_mcf and s.water[i] == row.water_bbl
        assert same(s.hours_on[i], math.nan if row.hours_on is None else row.hours_on)
        down = math.nan if row.downtime_hours is None else row.downtime_hours
        assert same(s.downtime_hours[i], down)
        assert s.downtime_reason[i] == row.downtime_reason
    assert seen == set(DayStatus)
    assert s.wells == 1


def test_shut_in_days_have_zero_volumes_and_missing_days_nan():
    rows = [
        DailyRow(date(2026, 1, 1), 100.0, 50.0, 20.0, 24.0),
        DailyRow(date(2026, 1, 2), 0.0, 0.0, 0.0, 0.0, 24.0, "workover"),
        DailyRow(date(2026, 1, 4), 0.0, 0.0, 0.0),  # hours unknown, nothing made: shut in
        DailyRow(date(2026, 1, 5), 0.0, 10.0, 0.0),  # hours unknown, gas only: producing
    ]
    s = daily_series(rows, tz=TZ)
    assert s.status.tolist() == [2, 1, 0, 1, 2]
    assert s.oil[1] == 0.0 and math.isnan(s.oil[2])
    assert s.producing().tolist() == [True, False, False, False, True]


def test_duplicate_dates_last_row_wins():
    d = date(2026, 2, 3)
    s = daily_series([DailyRow(d, 10.0, 1.0, 1.0, 24.0), DailyRow(d, 20.0, 2.0, 2.0, 12.0)], tz=TZ)
    assert len(s) == 1
    assert s.oil[0] == 20.0
    assert s.hours_on[0] == 12.0


def test_bounds_pad_with_missing_days_and_clip_rows():
    rows = [DailyRow(date(2026, 1, d), 10.0 * d, 0.0, 0.0, 24.0) for d in range(1, 11)]
    s = daily_series(rows, tz=TZ, first=date(2025, 12, 30), last=date(2026, 1, 5))
    assert len(s) == 7
    assert s.status.tolist() == [0, 0, 2, 2, 2, 2, 2]
    assert s.oil[2:].tolist() == [10.0, 20.0, 30.0, 40.0, 50.0]


def test_no_rows_gives_an_empty_or_all_missing_series():
    empty = daily_series([], tz=TZ)
    assert len(empty) == 0
    blank = daily_series([], tz=TZ, first=date(2026, 1, 1), last=date(2026, 1, 31))
    assert len(blank) == 31
    assert (blank.status == DayStatus.MISSING).all()
    assert np.isnan(blank.oil).all()


def test_unknown_time_zone_is_an_error():
    with pytest.raises(ValueError, match="time zone"):
        daily_series([DailyRow(date(2026, 1, 1), 1.0, 1.0, 1.0)], tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("tz", "year"),
    [
        ("America/Chicago", 2026),
        ("Europe/London", 2024),
        ("Australia/Sydney", 2025),
        ("Asia/Kolkata", 2026),
        ("UTC", 2026),
        ("America/Sao_Paulo", 2018),  # DST began at midnight: the day starts at 01:00
    ],
)
def test_day_hours_equal_the_validation_day_length_every_day(tz: str, year: int):
    first = date(year - 1, 12, 20)
    n = 400
    hours = day_hours(first, n, tz)
    assert hours.tolist() == [day_length_hours(first + timedelta(days=i), tz) for i in range(n)]


def test_dst_days_in_chicago_are_23_and_25_hours():
    s = daily_series(
        [DailyRow(SPRING, 1.0, 0.0, 0.0, 23.0), DailyRow(FALL, 1.0, 0.0, 0.0, 25.0)], tz=TZ
    )
    assert s.day_hours[0] == 23.0
    assert s.day_hours[-1] == 25.0
    assert (s.day_hours[1:-1] == 24.0).all()


def test_rate_normalises_to_a_full_day_on_and_is_nan_when_not_producing():
    rows = [
        DailyRow(date(2026, 3, 7), 100.0, 60.0, 30.0, 12.0),  # half a day: rate 200
        DailyRow(SPRING, 92.0, 46.0, 23.0, 23.0),  # a full 23 h day: rate = volume
        DailyRow(date(2026, 3, 9), 50.0, 30.0, 10.0),  # hours unknown: volume itself
        DailyRow(date(2026, 3, 10), 0.0, 0.0, 0.0, 0.0, 24.0, "weather"),
    ]
    s = daily_series(rows, tz=TZ, last=date(2026, 3, 11))
    oil = s.rate("oil")
    assert oil[:3].tolist() == [200.0, 92.0, 50.0]
    assert np.isnan(oil[3:]).all()
    assert s.rate("gas")[0] == 120.0
    assert s.rate("water")[1] == 23.0


def test_downtime_hours_are_kept_per_reason():
    rows = [
        DailyRow(date(2026, 1, 1), 50.0, 0.0, 0.0, 20.0, 4.0, "pump failure"),
        DailyRow(date(2026, 1, 2), 50.0, 0.0, 0.0, 18.0, 6.0, None),
        DailyRow(date(2026, 1, 3), 0.0, 0.0, 0.0, 0.0, 24.0, " pump failure "),
    ]
    s = daily_series(rows, tz=TZ)
    assert set(s.reason_hours) == {"pump failure", UNSPECIFIED_REASON}
    assert s.reason_hours["pump failure"].tolist() == [4.0, 0.0, 24.0]
    assert s.reason_hours[UNSPECIFIED_REASON].tolist() == [0.0, 6.0, 0.0]


def test_window_slices_every_column():
    s = daily_series(well_rows(3, date(2026, 1, 1), 90), tz=TZ)
    part = s.window(date(2026, 2, 1), date(2026, 2, 28))
    assert part.first == date(2026, 2, 1)
    assert len(part) == 28
    at = (date(2026, 2, 1) - s.first).days
    assert part.status.tolist() == s.status[at : at + 28].tolist()
    np.testing.assert_array_equal(part.rate("oil"), s.rate("oil")[at : at + 28])
    assert part.downtime_reason == s.downtime_reason[at : at + 28]
    assert len(s.window(date(2030, 1, 1))) == 0


def loop_rate(r: DailyRow, tz: str) -> float:
    """A producing well-day's oil rate: normalised to the full day when hours are known."""
    if r.hours_on is None:
        return r.oil_bbl
    return r.oil_bbl * day_length_hours(r.production_date, tz) / r.hours_on


def loop_sum(wells: list[list[DailyRow]], tz: str) -> dict[date, dict[str, object]]:
    """The sum of wells by day, computed row by row (independent of the numpy code)."""
    days: dict[date, list[DailyRow]] = {}
    lo = min(r.production_date for rows in wells for r in rows)
    hi = max(r.production_date for rows in wells for r in rows)
    for rows in wells:
        last_wins = {r.production_date: r for r in rows}
        for d, r in last_wins.items():
            days.setdefault(d, []).append(r)
    out: dict[date, dict[str, object]] = {}
    d = lo
    while d <= hi:
        readings = days.get(d, [])
        statuses = [expected_status(r) for r in readings]
        if DayStatus.PRODUCING in statuses:
            status = DayStatus.PRODUCING
        elif statuses:
            status = DayStatus.SHUT_IN
        else:
            status = DayStatus.MISSING
        hours = [r.hours_on for r in readings if r.hours_on is not None]
        downs = [r.downtime_hours for r in readings if r.downtime_hours is not None]
        rates = [
            loop_rate(r, tz)
            for r, st in zip(readings, statuses, strict=True)
            if st == DayStatus.PRODUCING
        ]
        out[d] = {
            "status": status,
            "oil": sum(r.oil_bbl for r in readings) if readings else math.nan,
            "gas": sum(r.gas_mcf for r in readings) if readings else math.nan,
            "water": sum(r.water_bbl for r in readings) if readings else math.nan,
            "hours_on": sum(hours) if hours else math.nan,
            "timed_day_hours": day_length_hours(d, tz) * len(hours),
            "oil_rate": sum(rates) if rates else math.nan,
            "downtime_hours": sum(downs) if downs else math.nan,
            "day_hours": day_length_hours(d, tz) * len(readings),
            "reading_wells": len(readings),
            "producing_wells": statuses.count(DayStatus.PRODUCING),
        }
        d += timedelta(days=1)
    return out


def test_sum_over_wells_equals_a_plain_loop_over_the_union_of_ranges():
    wells = [
        well_rows(10, date(2025, 10, 1), 200),
        well_rows(11, date(2026, 1, 15), 330),  # spans both DST days
        well_rows(12, date(2026, 6, 1), 20, missing=0.5),
        well_rows(13, date(2025, 12, 25), 40),
    ]
    total = sum_series([daily_series(rows, tz=TZ) for rows in wells])
    expected = loop_sum(wells, TZ)
    assert total.wells == 4
    assert total.first == min(expected)
    assert len(total) == len(expected)
    for i, (d, want) in enumerate(sorted(expected.items())):
        assert total.status[i] == want["status"], d
        for column in ("oil", "gas", "water", "hours_on", "downtime_hours", "day_hours"):
            got = float(getattr(total, column)[i])
            assert same(got, float(want[column])), (d, column)  # type: ignore[arg-type]
        assert same(float(total.rate("oil")[i]), float(want["oil_rate"])), d  # type: ignore[arg-type]
        assert total.timed_day_hours is not None
        assert total.timed_day_hours[i] == want["timed_day_hours"]
        assert total.reading_wells is not None and total.producing_wells is not None
        assert total.reading_wells[i] == want["reading_wells"]
        assert total.producing_wells[i] == want["producing_wells"]


def test_sum_keeps_downtime_per_reason_and_sums_of_sums_add_up():
    a = well_rows(20, date(2026, 1, 1), 120)
    b = well_rows(21, date(2026, 2, 1), 120)
    c = well_rows(22, date(2026, 3, 1), 30)
    ab = sum_series([daily_series(a, tz=TZ), daily_series(b, tz=TZ)])
    abc = sum_series([ab, daily_series(c, tz=TZ)])
    flat = sum_series([daily_series(rows, tz=TZ) for rows in (a, b, c)])
    assert abc.wells == flat.wells == 3
    for column in ("oil", "gas", "water", "hours_on", "downtime_hours", "day_hours"):
        np.testing.assert_allclose(getattr(abc, column), getattr(flat, column))
    for column in ("timed_day_hours", "reading_wells", "producing_wells"):
        np.testing.assert_allclose(getattr(abc, column), getattr(flat, column))
    for metric in ("oil", "gas", "water"):
        np.testing.assert_allclose(abc.rate(metric), flat.rate(metric))
    assert abc.status.tolist() == flat.status.tolist()
    assert abc.downtime_reason == flat.downtime_reason
    for reason, hours in flat.reason_hours.items():
        want: dict[date, float] = {}
        for rows in (a, b, c):
            for r in rows:
                if (r.downtime_reason or "unspecified") == reason and r.downtime_hours:
                    want[r.production_date] = want.get(r.production_date, 0.0) + r.downtime_hours
        got = {flat.first + timedelta(days=i): h for i, h in enumerate(hours.tolist()) if h}
        assert got == pytest.approx(want)
    assert np.isnan(abc.rate("oil")[~abc.producing()]).all()


def test_sum_rate_is_the_field_rate():
    d = date(2026, 4, 1)
    one = daily_series([DailyRow(d, 100.0, 0.0, 0.0, 12.0)], tz=TZ)  # 200 bbl/d
    two = daily_series([DailyRow(d, 300.0, 0.0, 0.0, 24.0)], tz=TZ)  # 300 bbl/d
    idle = daily_series([DailyRow(d, 0.0, 0.0, 0.0, 0.0, 24.0, "workover")], tz=TZ)
    total = sum_series([one, two, idle])
    assert total.rate("oil").tolist() == [500.0]  # each well normalised to its own hours
    assert total.oil.tolist() == [400.0]
    assert total.hours_on.tolist() == [36.0]
    assert total.day_hours.tolist() == [72.0]


def test_sum_of_nothing_or_of_mixed_time_zones_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        sum_series([])
    d = [DailyRow(date(2026, 1, 1), 1.0, 1.0, 1.0)]
    with pytest.raises(ValueError, match="time zones"):
        sum_series([daily_series(d, tz=TZ), daily_series(d, tz="UTC")])


def test_sum_of_empty_series_is_empty():
    total = sum_series([daily_series([], tz=TZ), daily_series([], tz=TZ)])
    assert len(total) == 0
    assert total.wells == 2


def test_series_is_a_plain_value_object():
    s = daily_series([DailyRow(date(2026, 1, 1), 1.0, 1.0, 1.0)], tz=TZ)
    assert isinstance(s, DailySeries)
    with pytest.raises(AttributeError):
        s.wells = 3  # type: ignore[misc]
