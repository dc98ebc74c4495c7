"""The analytics answers computed from one well's production rows (docs/analytics-api.md): pure
functions over `shared.analytics`, no database, so the server's API, its bulk workers (other
processes) and both command lines (`sync-server analytics`, `fieldapp analytics`) give the same
answer for the same rows. The server's answers from its daily aggregates (`rollup_answer`) and
the code version of its stored results stay in sync_server."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import numpy as np
from numpy.typing import NDArray

from shared.analytics.aggregates import aggregate
from shared.analytics.anomalies import anomalies
from shared.analytics.decline import DeclineRefusal, fit_decline
from shared.analytics.forecast import forecast
from shared.analytics.series import DailyRow, DailySeries, daily_series, sum_series
from shared.analytics.trends import trend
from shared.analytics_contracts import (
    METRICS,
    AnomaliesAnswer,
    DeclineAnswer,
    ForecastAnswer,
    Interval,
    Metric,
    Scope,
    SeriesAnswer,
    TrendAnswer,
    anomalies_of,
    day_of,
    decline_of,
    forecast_of,
    periods_of,
    trend_of,
)

DEFAULT_HORIZON = 7
DEFAULT_TERMINAL_DECLINE = 0.06
DEFAULT_ECONOMIC_LIMIT = 2.0
NO_PRODUCING_DAYS = "the well has no producing days with a {metric} rate"


@dataclass(frozen=True, slots=True)
class WellData:
    """One well's current production rows and the data version they make up."""

    well_id: UUID
    rows: tuple[DailyRow, ...]
    version: int  # max(server_seq) of the well's production rows, voided ones included


def series_of(
    rows: Sequence[DailyRow], tz: str, first: date | None = None, last: date | None = None
) -> DailySeries | None:
    """The daily series of `rows` within [first, last] (clipped to the rows), None if empty."""
    kept = [
        r
        for r in rows
        if (first is None or r.production_date >= first)
        and (last is None or r.production_date <= last)
    ]
    return daily_series(kept, tz=tz) if kept else None


def producing_rates(
    series: DailySeries, metric: Metric
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Ordinals and rates (normalised to a full day on) of the producing days, oldest first."""
    rates = series.rate(metric)
    keep = series.producing() & np.isfinite(rates)
    return series.days[keep], rates[keep]


def series_answer(
    scope: Scope,
    scope_id: UUID,
    per_well: Iterable[Sequence[DailyRow]],
    tz: str,
    interval: Interval,
    first: date | None,
    last: date | None,
    wells: int,
) -> SeriesAnswer:
    """Per-period totals of one well (one row list) or of the sum of several wells; `wells`:
    how many wells the scope has."""
    series = [s for rows in per_well if (s := series_of(rows, tz, first, last)) is not None]
    total = None if not series else series[0] if len(series) == 1 else sum_series(series)
    return SeriesAnswer(
        scope=scope,
        id=scope_id,
        interval=interval,
        first_day=None if total is None else day_of(total.days[0]),
        last_day=None if total is None else day_of(total.days[-1]),
        timezone=tz,
        wells=wells,
        periods=[] if total is None else periods_of(aggregate(total, interval)),
    )


def trend_answer(well: WellData, tz: str, window: int | None) -> TrendAnswer:
    series = series_of(well.rows, tz)
    lines: dict[Metric, Any] = {}
    for metric in METRICS:
        if series is None:
            lines[metric] = None
            continue
        days, rates = producing_rates(series, metric)
        lines[metric] = trend_of(trend(days, rates, window=window) if len(days) else None)
    return TrendAnswer(
        well_id=well.well_id,
        window=window,
        last_day=None if series is None else day_of(series.days[-1]),
        trends=lines,
    )


def anomalies_answer(
    well: WellData, tz: str, first: date | None, last: date | None
) -> AnomaliesAnswer:
    """Anomalies of the whole history (each day is judged by the days before it), then kept to
    [first, last]."""
    series = series_of(well.rows, tz)
    found = [] if series is None else anomalies_of(anomalies(series))
    kept = [
        a for a in found if (first is None or a.day >= first) and (last is None or a.day <= last)
    ]
    return AnomaliesAnswer(well_id=well.well_id, first_day=first, last_day=last, anomalies=kept)


def forecast_params(horizon: int) -> dict[str, Any]:
    return {"horizon": horizon}


def decline_params(terminal_decline: float, economic_limit: float) -> dict[str, Any]:
    return {"terminal_decline": float(terminal_decline), "economic_limit": float(economic_limit)}


def forecast_answer(
    well: WellData,
    tz: str,
    metric: Metric,
    horizon: int,
    now: datetime,
    series: DailySeries | None = None,
) -> ForecastAnswer:
    """`series`: the well's series when the caller built it already (from `well.rows`)."""
    days, rates = _well_rates(well, tz, metric, series)
    body, refusal = None, None
    if not len(days):
        refusal = NO_PRODUCING_DAYS.format(metric=metric)
    else:
        try:
            body = forecast_of(forecast(days, rates, horizon=horizon))
        except ValueError as exc:  # the series cannot carry a forecast; say why
            refusal = str(exc)
    return ForecastAnswer(
        well_id=well.well_id,
        metric=metric,
        horizon=horizon,
        data_version=well.version,
        computed_at=now,
        last_day=day_of(days[-1]) if len(days) else None,
        forecast=body,
        refusal=refusal,
    )


def decline_answer(
    well: WellData,
    tz: str,
    metric: Metric,
    terminal_decline: float,
    economic_limit: float,
    now: datetime,
    series: DailySeries | None = None,
) -> DeclineAnswer:
    days, rates = _well_rates(well, tz, metric, series)
    body, refusal = None, None
    if not len(days):
        refusal = NO_PRODUCING_DAYS.format(metric=metric)
    else:
        fit = fit_decline(
            days, rates, terminal_decline=terminal_decline, economic_limit=economic_limit
        )
        if isinstance(fit, DeclineRefusal):
            refusal = fit.reason
        else:
            body = decline_of(fit)
    return DeclineAnswer(
        well_id=well.well_id,
        metric=metric,
        terminal_decline=terminal_decline,
        economic_limit=economic_limit,
        data_version=well.version,
        computed_at=now,
        last_day=day_of(days[-1]) if len(days) else None,
        fit=body,
        refusal=refusal,
    )


def _well_rates(
    well: WellData, tz: str, metric: Metric, series: DailySeries | None
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The producing days and rates of `series`, or of the well's rows when it is None."""
    series = series if series is not None else series_of(well.rows, tz)
    if series is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return producing_rates(series, metric)
