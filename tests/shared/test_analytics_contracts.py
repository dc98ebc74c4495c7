"""shared.analytics_contracts: the wire form of shared.analytics' results keeps every figure,
and JSON never sees a NaN or an infinity."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import numpy as np
import pytest

from shared.analytics.aggregates import aggregate
from shared.analytics.series import DailyRow, daily_series
from shared.analytics_contracts import SeriesAnswer, day_of, number, periods_of, totals_of


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (math.nan, None),
        (math.inf, None),
        (-math.inf, None),
        (np.float64(2.5), 2.5),
        (3, 3.0),
    ],
)
def test_number_is_finite_or_none(value: object, expected: float | None) -> None:
    assert number(value) == expected


def test_day_of_takes_dates_datetimes_and_ordinals() -> None:
    day = date(2026, 11, 1)
    assert day_of(day) == day_of(datetime(2026, 11, 1, 23, 0)) == day_of(day.toordinal()) == day
    assert day_of(np.int64(day.toordinal())) == day


def test_totals_keep_every_figure_of_shared_aggregates() -> None:
    rows = [
        DailyRow(date(2026, 10, 31), 100.0, 120.0, 40.0, 24.0),
        DailyRow(date(2026, 11, 1), 50.0, 60.0, 20.0, 12.5, 12.5, "choke change"),
        DailyRow(date(2026, 11, 2), 0.0, 0.0, 0.0, 0.0, 24.0, "pump failure"),
    ]
    periods = aggregate(daily_series(rows, tz="America/Chicago"), "month")
    wire = periods_of(periods)
    for got, want in zip(wire, periods, strict=True):
        assert got.label == want.label and got.start == want.start and got.end == want.end
        for name, value in got.totals.model_dump().items():
            expected = getattr(want.totals, name)
            assert value == (expected if name == "downtime_by_reason" else number(expected)), name
    november = totals_of(periods[1].totals)
    assert november.downtime_by_reason == {"choke change": 12.5, "pump failure": 24.0}
    assert november.oil_bbl == 50.0 and november.shut_in_days == 1


def test_a_series_answer_is_plain_json() -> None:
    rows = [DailyRow(date(2026, 11, 2), 0.0, 0.0, 0.0, 0.0, 24.0, "pump failure")]
    periods = periods_of(aggregate(daily_series(rows, tz="America/Chicago"), "day"))
    answer = SeriesAnswer(
        scope="well",
        id="5b1f3c1e-58c5-4f0e-9d4c-4c2b1b0b8f11",  # type: ignore[arg-type]
        interval="day",
        first_day=date(2026, 11, 2),
        last_day=date(2026, 11, 2),
        timezone="America/Chicago",
        wells=1,
        periods=periods,
    )
    text = answer.model_dump_json()
    assert "NaN" not in text and "Infinity" not in text
    totals = json.loads(text)["periods"][0]["totals"]
    assert totals["gor_scf_per_bbl"] is None and totals["water_cut_pct"] is None
    assert SeriesAnswer.model_validate_json(text) == answer
