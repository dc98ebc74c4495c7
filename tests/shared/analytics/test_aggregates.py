from datetime import date, timedelta

import pytest
from analyticskit import TZ, well_rows

from shared.analytics.aggregates import Totals, aggregate, aggregate_columns, combine
from shared.analytics.series import DailyRow, daily_series, sum_series
from shared.validation import day_length_hours


def loop_key(d: date, interval: str) -> tuple[str, date, date]:
    """(label, start, end) of the period of ``d``, by plain date arithmetic."""
    if interval == "day":
        return d.isoformat(), d, d
    if interval == "week":
        year, week, weekday = d.isocalendar()
        start = d - timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    start = d.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return f"{d.year}-{d.month:02d}", start, nxt - timedelta(days=1)


def loop_aggregate(wells: list[list[DailyRow]], interval: str) -> list[dict[str, object]]:
    """Per period, every total computed row by row from the wells' records."""
    readings = [{r.production_date: r for r in rows} for rows in wells]  # last row wins
    first = min(min(w) for w in readings if w)
    last = max(max(w) for w in readings if w)
    periods: dict[str, dict[str, object]] = {}
    d = first
    while d <= last:
        label, start, end = loop_key(d, interval)
        p = periods.setdefault(
            label,
            {"start": start, "end": end, "days": 0, "reading": 0, "producing": 0, "oil": 0.0}
            | {"gas": 0.0, "water": 0.0, "hours": 0.0, "timed": 0.0, "down": 0.0, "reasons": {}},
        )
        p["days"] += 1  # type: ignore[operator]
        for well in readings:
            r = well.get(d)
            if r is None:
                continue
            p["reading"] += 1  # type: ignore[operator]
            on = r.hours_on
            made = r.oil_bbl > 0 or r.gas_mcf > 0 or r.water_bbl > 0
            if (on is not None and on > 0) or (on is None and made):
                p["producing"] += 1  # type: ignore[operator]
            p["oil"] += r.oil_bbl  # type: ignore[operator]
            p["gas"] += r.gas_mcf  # type: ignore[operator]
            p["water"] += r.water_bbl  # type: ignore[operator]
            if on is not None:
                p["hours"] += on  # type: ignore[operator]
                p["timed"] += day_length_hours(d, TZ)  # type: ignore[operator]
            if r.downtime_hours:
                p["down"] += r.downtime_hours  # type: ignore[operator]
                reason = (r.downtime_reason or "").strip() or "unspecified"
                reasons: dict[str, float] = p["reasons"]  # type: ignore[assignment]
                reasons[reason] = reasons.get(reason, 0.0) + r.downtime_hours
        d += timedelta(days=1)
    out = []
    for label, p in periods.items():
        oil, gas, water = p["oil"], p["gas"], p["water"]
        producing = p["producing"]
        boe = oil + gas / 6  # type: ignore[operator]
        p["label"] = label
        p["boe"] = boe
        p["uptime"] = p["hours"] / p["timed"] * 100 if p["timed"] else None  # type: ignore[operator]
        p["gor"] = 1000 * gas / oil if oil else None  # type: ignore[operator]
        p["cut"] = water / (oil + water) * 100 if oil + water else None  # type: ignore[operator]
        p["avg_oil"] = oil / producing if producing else None  # type: ignore[operator]
        p["avg_boe"] = boe / producing if producing else None
        out.append(p)
    return out


def approx(value: float | None):
    return None if value is None else pytest.approx(value, rel=1e-9, abs=1e-9)


def check(totals: Totals, want: dict[str, object]) -> None:
    assert totals.days == want["days"]
    assert totals.reading_days == want["reading"]
    assert totals.producing_days == want["producing"]
    assert totals.shut_in_days == want["reading"] - want["producing"]  # type: ignore[operator]
    assert totals.oil_bbl == approx(want["oil"])  # type: ignore[arg-type]
    assert totals.gas_mcf == approx(want["gas"])  # type: ignore[arg-type]
    assert totals.water_bbl == approx(want["water"])  # type: ignore[arg-type]
    assert totals.boe == approx(want["boe"])  # type: ignore[arg-type]
    assert totals.hours_on == approx(want["hours"])  # type: ignore[arg-type]
    assert totals.downtime_hours == approx(want["down"])  # type: ignore[arg-type]
    assert totals.uptime_pct == approx(want["uptime"])  # type: ignore[arg-type]
    assert totals.gor_scf_per_bbl == approx(want["gor"])  # type: ignore[arg-type]
    assert totals.water_cut_pct == approx(want["cut"])  # type: ignore[arg-type]
    assert totals.avg_oil_bbl_per_day == approx(want["avg_oil"])  # type: ignore[arg-type]
    assert totals.avg_boe_per_day == approx(want["avg_boe"])  # type: ignore[arg-type]
    assert totals.downtime_by_reason == pytest.approx(want["reasons"])


# 2025-12-01 .. 2027-01-12: both Chicago DST days of 2026, every month end, ISO 2026-W53
# (2026-12-28 .. 2027-01-03) and two year boundaries
WELL = well_rows(7, date(2025, 12, 1), 408)


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_well_aggregates_equal_a_plain_loop(interval: str):
    periods = aggregate(daily_series(WELL, tz=TZ), interval)  # type: ignore[arg-type]
    want = loop_aggregate([WELL], interval)
    assert [p.label for p in periods] == [w["label"] for w in want]
    for period, expected in zip(periods, want, strict=True):
        assert (period.start, period.end) == (expected["start"], expected["end"])
        check(period.totals, expected)


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_sum_aggregates_equal_a_plain_loop_over_wells(interval: str):
    wells = [
        WELL,
        well_rows(8, date(2026, 2, 20), 300),
        well_rows(9, date(2025, 12, 20), 30, missing=0.4),
        well_rows(10, date(2026, 10, 25), 90),
    ]
    total = sum_series([daily_series(rows, tz=TZ) for rows in wells])
    periods = aggregate(total, interval)  # type: ignore[arg-type]
    want = loop_aggregate(wells, interval)
    assert [p.label for p in periods] == [w["label"] for w in want]
    for period, expected in zip(periods, want, strict=True):
        check(period.totals, expected)


def test_dst_days_count_their_real_length_for_uptime():
    rows = [
        DailyRow(date(2026, 3, 8), 230.0, 100.0, 50.0, 23.0),  # all 23 h of the short day
        DailyRow(date(2026, 11, 1), 125.0, 60.0, 40.0, 20.0, 5.0, "pump failure"),  # of 25 h
    ]
    day = aggregate(daily_series(rows, tz=TZ), "day")
    assert day[0].totals.uptime_pct == 100.0
    assert day[-1].totals.uptime_pct == pytest.approx(80.0)
    assert day[-1].totals.downtime_by_reason == {"pump failure": 5.0}
    assert all(p.totals.reading_days == 0 for p in day[1:-1])
    months = aggregate(daily_series(rows, tz=TZ), "month")
    assert [p.label for p in months][:2] == ["2026-03", "2026-04"]
    assert months[0].totals.days == 24  # the series starts on the 8th
    assert months[0].end == date(2026, 3, 31)


def test_shut_in_and_missing_days_and_empty_ratios():
    rows = [
        DailyRow(date(2026, 1, 1), 0.0, 0.0, 0.0, 0.0, 24.0, "workover"),
        DailyRow(date(2026, 1, 3), 0.0, 0.0, 0.0, 0.0, 24.0, "workover"),
    ]
    [month] = aggregate(daily_series(rows, tz=TZ), "month")
    t = month.totals
    assert (t.days, t.reading_days, t.producing_days, t.shut_in_days) == (3, 2, 0, 2)
    assert t.uptime_pct == 0.0
    assert t.gor_scf_per_bbl is None and t.water_cut_pct is None
    assert t.avg_oil_bbl_per_day is None
    assert t.downtime_by_reason == {"workover": 48.0}


def test_gas_only_well_has_no_gor_but_a_boe():
    [day] = aggregate(daily_series([DailyRow(date(2026, 5, 1), 0.0, 600.0, 0.0)], tz=TZ), "day")
    assert day.totals.gor_scf_per_bbl is None
    assert day.totals.boe == 100.0
    assert day.totals.uptime_pct is None  # hours not reported
    assert day.totals.water_cut_pct is None


def test_combining_wells_equals_aggregating_their_sum():
    wells = [well_rows(s, date(2026, 1, 1), 120) for s in (31, 32, 33)]
    series = [daily_series(rows, tz=TZ) for rows in wells]
    per_well = [aggregate(s, "month") for s in series]
    summed = aggregate(sum_series(series), "month")
    for i, period in enumerate(summed):
        together = combine(periods[i].totals for periods in per_well if i < len(periods))
        assert together.oil_bbl == pytest.approx(period.totals.oil_bbl)
        assert together.uptime_pct == pytest.approx(period.totals.uptime_pct)
        assert together.producing_days == period.totals.producing_days
        assert together.downtime_by_reason == pytest.approx(period.totals.downtime_by_reason)


def test_empty_series_has_no_periods():
    assert aggregate(daily_series([], tz=TZ), "week") == []
    assert len(aggregate_columns(daily_series([], tz=TZ), "month").starts) == 0
