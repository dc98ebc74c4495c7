"""The answers of one well's rows (shared.analytics.answers): series within a range, producing
rates, sums of wells, trends, anomalies kept to a range, forecasts and declines with their
refusals. Pure: plain rows in, the API's models out."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import numpy as np
from analyticskit import TZ, well_rows

from shared.analytics import answers
from shared.analytics.answers import WellData
from shared.analytics.series import DailyRow, DayStatus

FIRST = date(2025, 3, 1)
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def declining(days: int, qi: float = 300.0, d: float = 0.004) -> list[DailyRow]:
    return [
        DailyRow(FIRST + timedelta(days=i), qi * math.exp(-d * i), 2 * qi * math.exp(-d * i), 50.0)
        for i in range(days)
    ]


def shut_in(days: int) -> list[DailyRow]:
    return [
        DailyRow(FIRST + timedelta(days=i), 0.0, 0.0, 0.0, 0.0, 24.0, "POWER") for i in range(days)
    ]


def well(rows: list[DailyRow], version: int = 7) -> WellData:
    return WellData(uuid4(), tuple(rows), version)


def test_series_of_clips_to_the_range_and_is_none_without_rows() -> None:
    rows = well_rows(4, FIRST, 120)
    first, last = FIRST + timedelta(days=10), FIRST + timedelta(days=40)
    series = answers.series_of(rows, TZ, first, last)
    assert series is not None
    kept = [r for r in rows if first <= r.production_date <= last]
    assert series.days[0] == kept[0].production_date.toordinal()
    assert series.days[-1] == kept[-1].production_date.toordinal()
    assert answers.series_of(rows, TZ, last=FIRST - timedelta(days=1)) is None
    assert answers.series_of([], TZ) is None


def test_producing_rates_are_the_producing_days_oldest_first() -> None:
    rows = well_rows(5, FIRST, 200)
    series = answers.series_of(rows, TZ)
    assert series is not None
    days, rates = answers.producing_rates(series, "oil")
    at = days - series.days[0]
    assert np.all(series.status[at] == DayStatus.PRODUCING)
    assert np.all(np.diff(days) > 0) and np.all(np.isfinite(rates))
    assert len(days) == int(np.sum(series.producing() & np.isfinite(series.rate("oil"))))
    np.testing.assert_allclose(rates, series.rate("oil")[at])


def test_a_series_answer_sums_its_wells_day_by_day() -> None:
    a, b = well_rows(1, FIRST, 60), well_rows(2, FIRST, 60)
    ident = uuid4()
    one = answers.series_answer("well", ident, [a], TZ, "day", None, None, 1)
    both = answers.series_answer("lease", ident, [a, b], TZ, "month", None, None, 2)
    assert one.first_day == a[0].production_date and one.last_day == a[-1].production_date
    assert math.isclose(sum(p.totals.oil_bbl for p in one.periods), sum(r.oil_bbl for r in a))
    oil = sum(r.oil_bbl for r in a + b)
    assert math.isclose(sum(p.totals.oil_bbl for p in both.periods), oil, rel_tol=1e-12)
    assert both.wells == 2 and both.periods[0].label.startswith("2025-03")
    empty = answers.series_answer("well", ident, [[]], TZ, "week", None, None, 1)
    assert (empty.first_day, empty.last_day, empty.periods) == (None, None, [])


def test_the_trend_of_a_declining_well_declines_and_no_rows_have_no_trend() -> None:
    answer = answers.trend_answer(well(declining(120)), TZ, 60)
    oil = answer.trends["oil"]
    assert oil is not None and oil.direction == "declining" and oil.n == 60
    assert answer.trends["water"] is not None and answer.trends["water"].direction == "flat"
    assert answer.last_day == FIRST + timedelta(days=119) and answer.window == 60
    nothing = answers.trend_answer(well([]), TZ, 30)
    assert nothing.last_day is None and set(nothing.trends.values()) == {None}


def test_anomalies_are_judged_on_the_whole_history_then_kept_to_the_range() -> None:
    rows = declining(150)
    spike = rows[120]
    rows[120] = DailyRow(spike.production_date, spike.oil_bbl * 4, spike.gas_mcf, 50.0)
    data = well(rows)
    everything = answers.anomalies_answer(data, TZ, None, None)
    assert any(a.day == spike.production_date and a.metric == "oil" for a in everything.anomalies)
    first = spike.production_date + timedelta(days=1)
    later = answers.anomalies_answer(data, TZ, first, None)
    assert later.anomalies == [a for a in everything.anomalies if a.day >= first]
    assert answers.anomalies_answer(well([]), TZ, None, None).anomalies == []


def test_a_forecast_has_its_horizon_and_a_well_never_producing_is_refused() -> None:
    data = well(declining(90), version=41)
    answer = answers.forecast_answer(data, TZ, "gas", 5, NOW)
    assert answer.forecast is not None and answer.refusal is None
    assert [p.day for p in answer.forecast.points] == [
        FIRST + timedelta(days=90 + k) for k in range(5)
    ]
    assert (answer.data_version, answer.computed_at, answer.horizon) == (41, NOW, 5)
    assert answer.well_id == data.well_id
    refused = answers.forecast_answer(well(shut_in(30)), TZ, "oil", 7, NOW)
    assert refused.forecast is None and refused.last_day is None
    assert refused.refusal == answers.NO_PRODUCING_DAYS.format(metric="oil")
    series = answers.series_of(data.rows, TZ)
    again = answers.forecast_answer(data, TZ, "gas", 5, NOW, series=series)
    assert again == answer


def test_a_decline_fits_a_declining_well_and_refuses_without_producing_days() -> None:
    answer = answers.decline_answer(well(declining(200)), TZ, "oil", 0.06, 2.0, NOW)
    assert answer.fit is not None and answer.refusal is None
    assert math.isclose(answer.fit.qi, 300.0, rel_tol=0.05)
    assert answer.fit.n_obs == 200 and answer.last_day == FIRST + timedelta(days=199)
    refused = answers.decline_answer(well(shut_in(10)), TZ, "gas", 0.06, 2.0, NOW)
    assert (
        refused.fit is None and refused.refusal == "the well has no producing days with a gas rate"
    )
    few = answers.decline_answer(well(declining(3)), TZ, "oil", 0.06, 2.0, NOW)
    assert few.fit is None and few.refusal


def test_the_stored_parameters_and_the_defaults() -> None:
    assert answers.forecast_params(answers.DEFAULT_HORIZON) == {"horizon": 7}
    assert answers.decline_params(1, 2) == {"terminal_decline": 1.0, "economic_limit": 2.0}
    assert (answers.DEFAULT_TERMINAL_DECLINE, answers.DEFAULT_ECONOMIC_LIMIT) == (0.06, 2.0)
    assert isinstance(well([]).well_id, UUID)
