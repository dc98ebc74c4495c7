"""Daily, weekly (ISO) and monthly totals and averages of a well or a sum of wells
(docs/analytics.md, "Aggregates").

Two layers: :func:`aggregate_columns` adds the *additive* quantities of a series per period in
numpy (volumes, day counts, hours), and :func:`totals` derives everything else (BOE, uptime,
GOR, water cut, averages) from those sums. Additive sums can be added across wells and periods
— in Python with :func:`combine` or in SQL on the server — and give the same totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray

from shared.analytics.periods import Interval, period_end, period_keys, period_label
from shared.analytics.series import DailySeries

__all__ = [
    "BOE_MCF",
    "Interval",
    "Period",
    "PeriodColumns",
    "Totals",
    "aggregate",
    "aggregate_columns",
    "combine",
    "period_keys",
    "totals",
]

BOE_MCF = 6.0  # 6 Mcf of gas = 1 barrel of oil equivalent


@dataclass(frozen=True, slots=True)
class Totals:
    """One period's figures. Counts are days for a well and well-days for a sum."""

    days: int  # calendar days of the period inside the series
    reading_days: int
    producing_days: int
    shut_in_days: int
    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    boe: float  # oil + gas / 6
    hours_on: float  # reported hours on
    timed_day_hours: float  # day hours of the reading days with hours on reported
    downtime_hours: float  # reported downtime
    uptime_pct: float | None  # hours_on / timed_day_hours × 100
    gor_scf_per_bbl: float | None  # 1000 × gas / oil; None when oil is 0
    water_cut_pct: float | None  # water / (oil + water) × 100; None when no liquid
    avg_oil_bbl_per_day: float | None  # per producing day; None without one
    avg_gas_mcf_per_day: float | None
    avg_water_bbl_per_day: float | None
    avg_boe_per_day: float | None
    downtime_by_reason: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Period:
    start: date  # first day of the calendar period (a Monday for a week, the 1st for a month)
    end: date  # last day of the calendar period
    label: str  # "2026-01-05", "2026-W02" or "2026-01"
    totals: Totals


def _per(value: float, days: int) -> float | None:
    return value / days if days > 0 else None


def totals(
    *,
    days: int,
    reading_days: int,
    producing_days: int,
    oil_bbl: float,
    gas_mcf: float,
    water_bbl: float,
    hours_on: float,
    timed_day_hours: float,
    downtime_hours: float,
    downtime_by_reason: Mapping[str, float] | None = None,
) -> Totals:
    """Every derived figure from the additive sums of a period (one well or many)."""
    boe = oil_bbl + gas_mcf / BOE_MCF
    liquid = oil_bbl + water_bbl
    return Totals(
        days=days,
        reading_days=reading_days,
        producing_days=producing_days,
        shut_in_days=reading_days - producing_days,
        oil_bbl=oil_bbl,
        gas_mcf=gas_mcf,
        water_bbl=water_bbl,
        boe=boe,
        hours_on=hours_on,
        timed_day_hours=timed_day_hours,
        downtime_hours=downtime_hours,
        uptime_pct=hours_on / timed_day_hours * 100.0 if timed_day_hours > 0 else None,
        gor_scf_per_bbl=1000.0 * gas_mcf / oil_bbl if oil_bbl > 0 else None,
        water_cut_pct=water_bbl / liquid * 100.0 if liquid > 0 else None,
        avg_oil_bbl_per_day=_per(oil_bbl, producing_days),
        avg_gas_mcf_per_day=_per(gas_mcf, producing_days),
        avg_water_bbl_per_day=_per(water_bbl, producing_days),
        avg_boe_per_day=_per(boe, producing_days),
        downtime_by_reason={k: v for k, v in sorted((downtime_by_reason or {}).items()) if v},
    )


def combine(parts: Iterable[Totals]) -> Totals:
    """The totals of several periods or wells together, from their additive sums."""
    sums = dict.fromkeys(_INT_FIELDS, 0) | dict.fromkeys(_FLOAT_FIELDS, 0.0)
    reasons: dict[str, float] = {}
    for part in parts:
        for name in sums:
            sums[name] += getattr(part, name)
        for reason, hours in part.downtime_by_reason.items():
            reasons[reason] = reasons.get(reason, 0.0) + hours
    return totals(
        days=int(sums["days"]),
        reading_days=int(sums["reading_days"]),
        producing_days=int(sums["producing_days"]),
        oil_bbl=float(sums["oil_bbl"]),
        gas_mcf=float(sums["gas_mcf"]),
        water_bbl=float(sums["water_bbl"]),
        hours_on=float(sums["hours_on"]),
        timed_day_hours=float(sums["timed_day_hours"]),
        downtime_hours=float(sums["downtime_hours"]),
        downtime_by_reason=reasons,
    )


_INT_FIELDS = ("days", "reading_days", "producing_days")
_FLOAT_FIELDS = (
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "timed_day_hours",
    "downtime_hours",
)


@dataclass(frozen=True)
class PeriodColumns:
    """The additive sums of a series per period, one array entry per period (oldest first)."""

    starts: NDArray[np.int64]  # ordinal of each period's first calendar day
    days: NDArray[np.int64]
    reading_days: NDArray[np.int64]
    producing_days: NDArray[np.int64]
    oil_bbl: NDArray[np.float64]
    gas_mcf: NDArray[np.float64]
    water_bbl: NDArray[np.float64]
    hours_on: NDArray[np.float64]
    timed_day_hours: NDArray[np.float64]
    downtime_hours: NDArray[np.float64]
    downtime_by_reason: Mapping[str, NDArray[np.float64]]

    def totals(self, i: int) -> Totals:
        """The derived totals of period ``i``."""
        return next(self._rows(slice(i, i + 1)))

    def all_totals(self) -> list[Totals]:
        """The derived totals of every period, oldest first."""
        return list(self._rows(slice(None)))

    def _rows(self, part: slice) -> Iterator[Totals]:
        ints = [getattr(self, name)[part].tolist() for name in _INT_FIELDS]
        floats = [getattr(self, name)[part].tolist() for name in _FLOAT_FIELDS]
        reasons = {k: v[part].tolist() for k, v in self.downtime_by_reason.items()}
        for i, (days, reading, producing) in enumerate(zip(*ints, strict=True)):
            oil, gas, water, hours, timed, down = (column[i] for column in floats)
            yield totals(
                days=days,
                reading_days=reading,
                producing_days=producing,
                oil_bbl=oil,
                gas_mcf=gas,
                water_bbl=water,
                hours_on=hours,
                timed_day_hours=timed,
                downtime_hours=down,
                downtime_by_reason={k: v[i] for k, v in reasons.items()},
            )


def aggregate_columns(series: DailySeries, interval: Interval) -> PeriodColumns:
    """Additive sums of ``series`` per day, ISO week or month, in numpy (the fast path)."""
    keys = period_keys(series.days, interval)
    n = len(keys)
    if n == 0:
        edges = np.zeros(0, dtype=np.int64)
    else:
        edges = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]).astype(np.int64)

    def add(values: NDArray[np.float64] | NDArray[np.int64]) -> NDArray[np.float64]:
        if n == 0:
            return np.zeros(0)
        clean = np.where(np.isnan(values), 0.0, values) if values.dtype.kind == "f" else values
        summed: NDArray[np.float64] = np.add.reduceat(clean.astype(np.float64), edges)
        return summed

    assert series.reading_wells is not None and series.producing_wells is not None
    assert series.timed_day_hours is not None
    return PeriodColumns(
        starts=keys[edges],
        days=np.diff(np.r_[edges, n]).astype(np.int64),
        reading_days=add(series.reading_wells).astype(np.int64),
        producing_days=add(series.producing_wells).astype(np.int64),
        oil_bbl=add(series.oil),
        gas_mcf=add(series.gas),
        water_bbl=add(series.water),
        hours_on=add(series.hours_on),  # NaN (unknown) exactly where timed_day_hours is 0
        timed_day_hours=add(series.timed_day_hours),
        downtime_hours=add(series.downtime_hours),
        downtime_by_reason={k: add(v) for k, v in sorted(series.reason_hours.items())},
    )


def aggregate(series: DailySeries, interval: Interval) -> list[Period]:
    """Totals per day, ISO week (Monday start) or month, for every period the series touches
    (periods without readings included; the first and last may be partial: see ``days``)."""
    columns = aggregate_columns(series, interval)
    out: list[Period] = []
    for key, sums in zip(columns.starts.tolist(), columns.all_totals(), strict=True):
        start = date.fromordinal(key)
        out.append(Period(start, period_end(start, interval), period_label(start, interval), sums))
    return out
