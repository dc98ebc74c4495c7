"""What the chart draws in each mode, computed without Qt, checked against plain arithmetic."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from chartkit import END, declining_rows, source, with_gaps

from fieldapp.core.analytics_source import Selection, SourceSeries
from fieldapp.ui.charts_analysis import analyse
from fieldapp.ui.charts_options import ChartOptions
from fieldapp.ui.charts_view import DAY_S, build_view, day_of_x, shut_in_spans, to_x, window
from shared.analytics.series import DailyRow, daily_series, sum_series
from shared.units import BBL_TO_M3, UnitSystem, display_labels


def test_x_is_noon_utc_of_each_day_and_back() -> None:
    day = date(2026, 3, 8)
    x = float(to_x(np.array([day.toordinal()]))[0])
    assert x == (day - date(1970, 1, 1)).days * DAY_S + DAY_S / 2
    assert day_of_x(x) == day_of_x(x - DAY_S / 2) == day_of_x(x + DAY_S / 2 - 1) == day


def test_the_range_ends_today_and_reaches_back_its_days() -> None:
    series = daily_series(declining_rows(400), tz="UTC")
    for key, days in (("30", 30), ("90", 90), ("365", 365)):
        first, last = window(series, ChartOptions(range_key=key), END)  # type: ignore[arg-type]
        assert last == END and (last - first).days + 1 == days
    assert window(series, ChartOptions(range_key="all"), END) == (series.first, END)
    custom = (date(2026, 1, 1), date(2026, 2, 1))
    assert window(series, ChartOptions(range_key="custom", custom=custom), END) == custom


def test_rates_leave_gaps_on_missing_and_shut_in_days_and_scale_partial_days() -> None:
    rows = with_gaps(declining_rows(10), missing={3}, shut={5})
    rows[7] = DailyRow(rows[7].production_date, 60.0, 90.0, 24.0, 12.0, 12.0, "PUMP_FAIL")
    view = build_view(source(rows), ChartOptions(range_key="all"), END)
    oil = view.metric("oil")
    assert oil is not None and oil.unit == "bbl/d"
    assert math.isnan(oil.y[3]) and math.isnan(oil.y[5])  # gaps, never zeros
    assert oil.y[8] == pytest.approx(120.0)  # row 7 sits at day index 8 (a day missing before)
    assert view.shut_in == (
        (to_x(view.days[5:6])[0] - DAY_S / 2, to_x(view.days[5:6])[0] + DAY_S / 2),
    )


def test_volumes_and_cumulative_volumes() -> None:
    rows = with_gaps(declining_rows(10), missing={3}, shut={5})
    volumes = build_view(source(rows), ChartOptions(range_key="all", rates=False), END)
    oil = volumes.metric("oil")
    assert oil is not None and oil.unit == "bbl"
    assert math.isnan(oil.y[5]) and oil.y[0] == pytest.approx(rows[0].oil_bbl)
    cum = build_view(source(rows), ChartOptions(range_key="all", cumulative=True), END)
    total = cum.metric("gas")
    assert total is not None and total.unit == "Mcf"
    expected = np.cumsum([0.0 if math.isnan(v) else v for v in daily_series(rows, tz="UTC").gas])
    assert list(total.y) == pytest.approx(list(expected))
    assert total.y[3] == total.y[2] and total.y[5] == total.y[4]  # flat across the gaps


def test_metric_units_and_log_scale() -> None:
    rows = with_gaps(declining_rows(10), missing=set(), shut={2})
    metric = build_view(source(rows), ChartOptions(range_key="all", units=UnitSystem.METRIC), END)
    oil = metric.metric("oil")
    assert oil is not None and oil.unit == f"{display_labels(UnitSystem.METRIC)[0]}/d"
    assert oil.y[0] == pytest.approx(rows[0].oil_bbl * BBL_TO_M3)
    zeros = [DailyRow(r.production_date, 0.0, r.gas_mcf, 0.0, 24.0) for r in rows]
    log = build_view(source(zeros), ChartOptions(range_key="all", log_y=True), END)
    assert np.isnan(log.metric("oil").y).all()  # type: ignore[union-attr]
    assert np.isfinite(log.metric("gas").y[3:]).all()  # type: ignore[union-attr]


def test_forecast_and_decline_are_drawn_on_daily_rates_only() -> None:
    src = source(declining_rows(120))
    assert src.series is not None
    analyses = {m: analyse(src.series, m) for m in ("oil", "gas", "water")}  # type: ignore[misc]
    daily = build_view(src, ChartOptions(), END, analyses)  # type: ignore[arg-type]
    oil = daily.metric("oil")
    assert oil is not None and oil.forecast is not None and oil.decline is not None
    assert np.all(oil.forecast.lower <= oil.forecast.mean)
    assert np.all(oil.forecast.mean <= oil.forecast.upper)
    assert daily.x_end == oil.forecast.x[-1] and oil.decline.x[-1] == oil.forecast.x[-1]
    for options in (ChartOptions(cumulative=True), ChartOptions(rates=False)):
        other = build_view(src, options, END, analyses)  # type: ignore[arg-type]
        assert all(m.forecast is None and m.decline is None for m in other.metrics)
        assert other.notes[0] == "Forecast and decline are drawn with daily rates."


def test_nothing_recorded_is_an_empty_view_that_says_so() -> None:
    view = build_view(source([]), ChartOptions(), END)
    assert view.empty and view.notes[0] == "Nothing recorded for this selection yet."
    assert view.end == END and view.start == END - timedelta(days=89)
    assert [m.card.current for m in view.metrics] == ["No producing day recorded"] * 3
    assert shut_in_spans(view.days, view.status) == []


def test_a_groups_partial_last_day_leaves_the_line_and_is_marked_apart() -> None:
    full = [daily_series(declining_rows(30, qi=100.0 + k), tz="UTC") for k in range(4)]
    half = [daily_series(declining_rows(31, END + timedelta(days=1))[-1:], tz="UTC")]
    total = sum_series(full + half)
    src = SourceSeries(Selection("all"), "All wells", (), total, (1, 1, 1, 0))
    view = build_view(src, ChartOptions(range_key="all"), END + timedelta(days=1))
    oil = view.metric("oil")
    assert oil is not None and math.isnan(oil.y[-1]) and np.isfinite(oil.y[-2])
    assert list(oil.partial.x) == [view.x[-1]] and oil.partial.y[0] == pytest.approx(
        total.rate("oil")[-1]
    )
    assert view.notes[1].startswith("The last day is partial (1 of 5 wells on ")
    cumulative = build_view(src, ChartOptions(range_key="all", cumulative=True), END)
    assert not len(cumulative.metrics[0].partial.x)  # a running total has no partial day
