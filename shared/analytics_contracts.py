"""Wire contracts of the analytics answers (docs/analytics-api.md), and their conversion from
the results of `shared.analytics`.

The server's `/api/v1/analytics/…` endpoints and `sync-server analytics … --json` answer with
these models; every number is a plain JSON number or `null` (a NaN or an infinity becomes
`null`), every day an ISO date. Volumes are bbl (oil, water) and Mcf (gas); rates are per day.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from shared.contracts import Contract

Metric = Literal["oil", "gas", "water"]
Scope = Literal["well", "lease", "field", "org"]
Interval = Literal["day", "week", "month"]
METRICS: tuple[Metric, ...] = ("oil", "gas", "water")


def number(value: Any) -> float | None:
    """A finite float, or None for None, NaN and infinities (JSON has no NaN)."""
    if value is None:
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def day_of(value: Any) -> date:
    """A date from a date, a datetime or a proleptic ordinal (`date.toordinal()`)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromordinal(int(value))


# --- series ---------------------------------------------------------------------------------------


class Totals(Contract):
    """One period's figures (shared.analytics.aggregates.Totals). Counts are days for a well and
    well-days for a lease, field or organization."""

    days: int = Field(description="calendar days of the period inside the answer's range")
    reading_days: int
    producing_days: int
    shut_in_days: int
    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    boe: float = Field(description="oil + gas / 6 (6 Mcf = 1 BOE)")
    hours_on: float
    timed_day_hours: float = Field(description="day hours of the reading days with hours on")
    downtime_hours: float
    uptime_pct: float | None = Field(description="hours_on / timed_day_hours × 100")
    gor_scf_per_bbl: float | None = Field(description="1000 × gas / oil; null without oil")
    water_cut_pct: float | None = Field(description="water / (oil + water) × 100; null: no liquid")
    avg_oil_bbl_per_day: float | None = Field(description="per producing day")
    avg_gas_mcf_per_day: float | None
    avg_water_bbl_per_day: float | None
    avg_boe_per_day: float | None
    downtime_by_reason: dict[str, float] = Field(description="reason -> downtime hours")


class SeriesPeriod(Contract):
    start: date
    end: date
    label: str
    totals: Totals


class SeriesAnswer(Contract):
    scope: Scope
    id: UUID
    interval: Interval
    first_day: date | None = Field(description="first day of data in the range; null if none")
    last_day: date | None
    timezone: str
    wells: int = Field(description="wells of the scope (1 for a well)")
    periods: list[SeriesPeriod]


def totals_of(totals: Any) -> Totals:
    """The wire form of a `shared.analytics.aggregates.Totals`."""
    reasons: Mapping[Any, Any] = totals.downtime_by_reason or {}
    return Totals(
        days=int(totals.days),
        reading_days=int(totals.reading_days),
        producing_days=int(totals.producing_days),
        shut_in_days=int(totals.shut_in_days),
        oil_bbl=float(totals.oil_bbl),
        gas_mcf=float(totals.gas_mcf),
        water_bbl=float(totals.water_bbl),
        boe=float(totals.boe),
        hours_on=number(totals.hours_on) or 0.0,
        timed_day_hours=number(totals.timed_day_hours) or 0.0,
        downtime_hours=number(totals.downtime_hours) or 0.0,
        uptime_pct=number(totals.uptime_pct),
        gor_scf_per_bbl=number(totals.gor_scf_per_bbl),
        water_cut_pct=number(totals.water_cut_pct),
        avg_oil_bbl_per_day=number(totals.avg_oil_bbl_per_day),
        avg_gas_mcf_per_day=number(totals.avg_gas_mcf_per_day),
        avg_water_bbl_per_day=number(totals.avg_water_bbl_per_day),
        avg_boe_per_day=number(totals.avg_boe_per_day),
        downtime_by_reason={str(k): float(v) for k, v in sorted(reasons.items(), key=str)},
    )


def periods_of(periods: Iterable[Any]) -> list[SeriesPeriod]:
    """The wire form of `shared.analytics.aggregates.aggregate(...)`'s periods."""
    return [
        SeriesPeriod(
            start=day_of(p.start), end=day_of(p.end), label=str(p.label), totals=totals_of(p.totals)
        )
        for p in periods
    ]


# --- trend and anomalies --------------------------------------------------------------------------


class TrendLine(Contract):
    slope_per_day: float | None = Field(description="rate units per day")
    pct_change: float | None = Field(description="% change of the fitted line over the window")
    r_squared: float | None
    p_value: float | None
    direction: Literal["declining", "flat", "increasing"]
    n: int = Field(description="producing days in the fit")
    first_day: date = Field(description="first and last day with a rate in the window")
    last_day: date
    fitted_start: float | None = Field(description="the line at first_day and at last_day")
    fitted_end: float | None


class TrendAnswer(Contract):
    well_id: UUID
    window: int | None = Field(description="calendar days back from last_day; null: all")
    last_day: date | None
    trends: dict[Metric, TrendLine | None] = Field(
        description="per metric, over the daily rates of producing days; null: too few points"
    )


def trend_of(result: Any) -> TrendLine | None:
    if result is None:
        return None
    return TrendLine(
        slope_per_day=number(result.slope_per_day),
        pct_change=number(result.pct_change),
        r_squared=number(result.r_squared),
        p_value=number(result.p_value),
        direction=result.direction,
        n=int(result.n),
        first_day=day_of(result.first_day),
        last_day=day_of(result.last_day),
        fitted_start=number(result.fitted_start),
        fitted_end=number(result.fitted_end),
    )


class AnomalyItem(Contract):
    day: date
    metric: Literal["oil", "gas", "water", "water_cut"]
    value: float | None = Field(description="rate per day on; water cut in %")
    expected: float | None = Field(description="median of the trailing producing days")
    score: float | None = Field(description="robust z-score (median / scaled MAD)")


class AnomaliesAnswer(Contract):
    well_id: UUID
    first_day: date | None
    last_day: date | None
    anomalies: list[AnomalyItem]


def anomalies_of(items: Iterable[Any]) -> list[AnomalyItem]:
    return [
        AnomalyItem(
            day=day_of(a.day),
            metric=a.metric,
            value=number(a.value),
            expected=number(a.expected),
            score=number(a.score),
        )
        for a in items
    ]


# --- forecast and decline (stored per well and data version) --------------------------------------


class ForecastPoint(Contract):
    day: date
    mean: float | None
    lower: float | None = Field(description="lower bound of the prediction interval")
    upper: float | None


class ForecastBody(Contract):
    method: str
    n_obs: int
    note: str
    aic: float | None
    points: list[ForecastPoint]


class ForecastAnswer(Contract):
    well_id: UUID
    metric: Metric
    horizon: int
    data_version: int = Field(description="max server_seq of the well's production rows")
    computed_at: datetime
    last_day: date | None = Field(description="last producing day the forecast starts after")
    forecast: ForecastBody | None
    refusal: str | None = Field(description="why there is no forecast; null when there is one")


def forecast_of(result: Any) -> ForecastBody:
    points = [
        ForecastPoint(day=day_of(d), mean=number(m), lower=number(lo), upper=number(hi))
        for d, m, lo, hi in zip(result.days, result.mean, result.lower, result.upper, strict=True)
    ]
    return ForecastBody(
        method=str(result.method),
        n_obs=int(result.n_obs),
        note=str(result.note),
        aic=number(result.aic),
        points=points,
    )


class DeclineBody(Contract):
    qi: float | None = Field(description="initial rate at first_day, per day")
    di: float | None = Field(description="initial nominal decline, per day")
    b: float | None = Field(description="Arps exponent, 0 to 2")
    terminal_decline: float | None = Field(description="switch to exponential, fraction a year")
    r_squared: float | None
    rmse: float | None
    n_obs: int
    first_day: date
    cumulative: float | None = Field(description="produced so far (bbl or Mcf)")
    eur: float | None = Field(description="estimated ultimate recovery to the economic limit")
    remaining: float | None = Field(description="eur - cumulative")
    limit_day: date | None = Field(description="day the rate reaches the economic limit")


class DeclineAnswer(Contract):
    well_id: UUID
    metric: Metric
    terminal_decline: float
    economic_limit: float
    data_version: int
    computed_at: datetime
    last_day: date | None
    fit: DeclineBody | None
    refusal: str | None


def decline_of(fit: Any) -> DeclineBody:
    return DeclineBody(
        qi=number(fit.qi),
        di=number(fit.di),
        b=number(fit.b),
        terminal_decline=number(fit.terminal_decline),
        r_squared=number(fit.r_squared),
        rmse=number(fit.rmse),
        n_obs=int(fit.n_obs),
        first_day=day_of(fit.first_day),
        cumulative=number(fit.cumulative),
        eur=number(fit.eur),
        remaining=number(fit.remaining),
        limit_day=None if fit.limit_day is None else day_of(fit.limit_day),
    )
