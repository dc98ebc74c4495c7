"""A well's daily series: one row per calendar day, every day told apart as missing, shut in or
producing (docs/analytics.md, "Daily series").

The records of a well become contiguous numpy columns from its first to its last day in the
organization's time zone, so that aggregates, trends, anomalies, forecasts and charts work on
arrays and never on rows. :func:`sum_series` adds wells into a lease, field, route or
organization total with the same layout, so everything downstream treats a well and a field
alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import IntEnum
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from shared.analytics.periods import day_hours

UNSPECIFIED_REASON = "unspecified"  # downtime hours recorded without a reason

Metric = Literal["oil", "gas", "water"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class DayStatus(IntEnum):
    MISSING = 0  # no reading for that calendar day
    SHUT_IN = 1  # a reading with hours_on == 0, or hours unknown and every volume 0
    PRODUCING = 2  # hours_on > 0, or hours unknown and some volume > 0


_SHUT_IN, _PRODUCING = int(DayStatus.SHUT_IN), int(DayStatus.PRODUCING)


@dataclass(frozen=True, slots=True)
class DailyRow:
    """One well-day as stored (a record's current values)."""

    production_date: date
    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    hours_on: float | None = None
    downtime_hours: float | None = None
    downtime_reason: str | None = None


@dataclass(frozen=True, eq=False)
class DailySeries:
    """One row per calendar day from ``first`` to the last day, no holes.

    Beyond the contract's columns, four more make sums additive (docs/analytics.md, "Sums over
    wells"); a single well's are derived from the other columns when not given:
    ``reading_wells`` / ``producing_wells`` count wells per day (0/1 for a well),
    ``timed_day_hours`` is the day length of the reading wells whose hours on are known (the
    uptime denominator), ``reason_hours`` maps a downtime reason to its hours per day, and
    ``rates`` holds a sum's rate per metric (the sum of its wells' rates).
    """

    first: date
    tz: str
    days: IntArray  # date ordinals (date.toordinal()), contiguous
    status: NDArray[np.int8]  # DayStatus per day
    oil: FloatArray  # volumes; NaN where MISSING, 0 where SHUT_IN
    gas: FloatArray
    water: FloatArray
    hours_on: FloatArray  # NaN where MISSING or unknown
    downtime_hours: FloatArray  # NaN where MISSING or unknown
    day_hours: FloatArray  # 24, or 23/25 on DST change days (× reading wells for a sum)
    downtime_reason: tuple[str | None, ...]
    wells: int  # how many wells were summed (1 for a well)
    reading_wells: IntArray | None = None
    producing_wells: IntArray | None = None
    timed_day_hours: FloatArray | None = None
    reason_hours: Mapping[str, FloatArray] = field(default_factory=dict)
    rates: Mapping[str, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        reading = self.status != DayStatus.MISSING
        if self.reading_wells is None:
            object.__setattr__(self, "reading_wells", reading.astype(np.int64))
        if self.producing_wells is None:
            producing = (self.status == DayStatus.PRODUCING).astype(np.int64)
            object.__setattr__(self, "producing_wells", producing)
        if self.timed_day_hours is None:
            timed = np.where(reading & ~np.isnan(self.hours_on), self.day_hours, 0.0)
            object.__setattr__(self, "timed_day_hours", timed)
        if not self.reason_hours and any(r is not None for r in self.downtime_reason):
            reasons = _reason_columns(self.downtime_reason, self.downtime_hours)
            object.__setattr__(self, "reason_hours", reasons)

    def __len__(self) -> int:
        return len(self.days)

    @property
    def last(self) -> date:
        """The last day (the day before ``first`` for an empty series, never before date.min)."""
        return date.fromordinal(max(self.first.toordinal() + len(self.days) - 1, 1))

    def volume(self, metric: Metric) -> FloatArray:
        """The daily volume column of ``metric`` (bbl for oil and water, Mcf for gas)."""
        columns = {"oil": self.oil, "gas": self.gas, "water": self.water}
        return columns[metric]

    def rate(self, metric: Metric) -> FloatArray:
        """Per-day rate normalised to a full day on: volume * day_hours / hours_on on
        producing days with hours known (the volume itself when hours are unknown);
        NaN on MISSING and SHUT_IN days. For a sum: the sum of its wells' rates."""
        if metric in self.rates:
            return self.rates[metric]
        volume = self.volume(metric)
        producing = self.producing()
        known = producing & np.isfinite(self.hours_on) & (self.hours_on > 0)
        out = np.full(len(self.days), np.nan)
        out[producing] = volume[producing]
        out[known] = volume[known] * self.day_hours[known] / self.hours_on[known]
        return out

    def producing(self) -> NDArray[np.bool_]:
        return np.asarray(self.status == _PRODUCING)

    def window(self, first: date | None = None, last: date | None = None) -> DailySeries:
        """The days from ``first`` to ``last`` (both kept inside the series' own range)."""
        n = len(self.days)
        start = self.first.toordinal()
        lo = 0 if first is None else min(max(first.toordinal() - start, 0), n)
        hi = n if last is None else min(max(last.toordinal() - start + 1, lo), n)
        part = slice(lo, hi)
        return replace(
            self,
            first=date.fromordinal(start + lo),
            **{name: getattr(self, name)[part] for name in _COLUMNS},
            reason_hours={k: v[part] for k, v in self.reason_hours.items()},
            rates={k: v[part] for k, v in self.rates.items()},
        )


_COLUMNS: tuple[str, ...] = ("days", "status", "oil", "gas", "water", "hours_on", "day_hours")
_COLUMNS += ("downtime_hours", "downtime_reason", "reading_wells", "producing_wells")
_COLUMNS += ("timed_day_hours",)


def _reason_columns(reasons: Sequence[str | None], downtime: FloatArray) -> dict[str, FloatArray]:
    """Downtime hours per reason per day; downtime without a reason counts as 'unspecified'."""
    out: dict[str, FloatArray] = {}
    for i, hours in enumerate(downtime.tolist()):
        if not hours > 0:  # NaN, unknown or 0
            continue
        key = reasons[i] or UNSPECIFIED_REASON
        if key not in out:
            out[key] = np.zeros(len(downtime))
        out[key][i] = hours
    return out


# --- building a series -------------------------------------------------------------------------


def _nan_of(values: Iterable[float | None]) -> FloatArray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def daily_series(
    rows: Iterable[DailyRow], *, tz: str, first: date | None = None, last: date | None = None
) -> DailySeries:
    """A well's contiguous daily series from its rows (any order; for a duplicate date the
    last row wins). ``first``/``last`` default to the earliest/latest row and clip the rows.
    With no rows a missing bound is the other one; with neither the series is empty (and
    starts at ``date.min``)."""
    by_day: dict[int, DailyRow] = {r.production_date.toordinal(): r for r in rows}
    if by_day:
        lo = min(by_day) if first is None else first.toordinal()
        hi = max(by_day) if last is None else last.toordinal()
    elif first is None and last is None:
        lo, hi = date.min.toordinal(), date.min.toordinal() - 1
    else:
        lo = (first or last or date.min).toordinal()
        hi = (last or first or date.min).toordinal()
    hi = max(hi, lo - 1)
    kept = sorted((o, r) for o, r in by_day.items() if lo <= o <= hi)
    ordinals = np.array([o for o, _ in kept], dtype=np.int64)
    picked = [r for _, r in kept]
    return from_columns(
        first=date.fromordinal(lo),
        n=hi - lo + 1,
        tz=tz,
        ordinals=ordinals,
        oil=np.array([r.oil_bbl for r in picked], dtype=np.float64),
        gas=np.array([r.gas_mcf for r in picked], dtype=np.float64),
        water=np.array([r.water_bbl for r in picked], dtype=np.float64),
        hours_on=_nan_of(r.hours_on for r in picked),
        downtime_hours=_nan_of(r.downtime_hours for r in picked),
        downtime_reason=[r.downtime_reason for r in picked],
    )


def from_columns(
    *,
    first: date,
    n: int,
    tz: str,
    ordinals: IntArray,
    oil: FloatArray,
    gas: FloatArray,
    water: FloatArray,
    hours_on: FloatArray,
    downtime_hours: FloatArray,
    downtime_reason: Sequence[str | None],
) -> DailySeries:
    """A well's series from columns of its readings (unique ordinals inside the ``n`` days from
    ``first``; NaN hours mean unknown). The fast path for callers that read columns, such as
    the server's SQL queries; :func:`daily_series` builds on it."""
    start = first.toordinal()
    idx = np.asarray(ordinals, dtype=np.int64) - start
    if idx.size and (idx.min() < 0 or idx.max() >= n or np.unique(idx).size != idx.size):
        raise ValueError("reading days must be unique and inside the series' range")
    hours = np.asarray(hours_on, dtype=np.float64)
    volumes = np.asarray(oil), np.asarray(gas), np.asarray(water)
    any_volume = (volumes[0] > 0) | (volumes[1] > 0) | (volumes[2] > 0)
    produced = np.where(np.isnan(hours), any_volume, hours > 0)
    status = np.zeros(n, dtype=np.int8)
    status[idx] = np.where(produced, DayStatus.PRODUCING, DayStatus.SHUT_IN)

    def spread(values: FloatArray) -> FloatArray:
        out = np.full(n, np.nan)
        out[idx] = values
        return out

    reasons: list[str | None] = [None] * n
    for i, reason in zip(idx.tolist(), downtime_reason, strict=True):
        reasons[i] = (reason or "").strip() or None
    return DailySeries(
        first=first,
        tz=tz,
        days=np.arange(start, start + n, dtype=np.int64),
        status=status,
        oil=spread(volumes[0]),
        gas=spread(volumes[1]),
        water=spread(volumes[2]),
        hours_on=spread(hours),
        downtime_hours=spread(np.asarray(downtime_hours, dtype=np.float64)),
        day_hours=day_hours(first, n, tz),
        downtime_reason=tuple(reasons),
        wells=1,
    )


# --- summing wells -----------------------------------------------------------------------------


def sum_series(series: Sequence[DailySeries]) -> DailySeries:
    """A lease, field, route or organization total over the union of the date ranges.

    A day is PRODUCING if any well produced, SHUT_IN if every reading was a shut-in, MISSING
    if no well had a reading. Volumes sum over the wells with a reading (NaN when none);
    hours_on sums the known well-hours and downtime the known downtime (NaN when none is
    known); day_hours is the day length times the wells with a reading; a rate is the sum of
    the wells' rates (NaN when no well produced). Sums of sums equal the flat sum.
    """
    if not series:
        raise ValueError("sum_series needs at least one series")
    tz = series[0].tz
    if any(s.tz != tz for s in series):
        raise ValueError("cannot sum series of different time zones")
    filled = [s for s in series if len(s.days)]
    if not filled:
        return replace(series[0], wells=sum(s.wells for s in series))
    lo = min(s.first.toordinal() for s in filled)
    hi = max(s.first.toordinal() + len(s.days) for s in filled)
    n = hi - lo

    starts = np.array([s.first.toordinal() - lo for s in filled], dtype=np.int64)
    lengths = np.array([len(s.days) for s in filled], dtype=np.int64)
    # every well's days laid end to end, and where each lands on the sum's day axis: each
    # total is then one bincount, with no (wells × days) matrix
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    day_index = np.arange(int(lengths.sum()), dtype=np.int64) - offsets + np.repeat(starts, lengths)

    columns: dict[str, FloatArray] = {}

    def column(name: str) -> FloatArray:
        if name not in columns:
            values = np.concatenate([getattr(s, name) for s in filled])
            columns[name] = values.astype(np.float64, copy=False)
        return columns[name]

    def add(values: FloatArray) -> FloatArray:
        return np.bincount(day_index, values, minlength=n).astype(np.float64, copy=False)

    def known_sum(values: FloatArray) -> FloatArray:
        """Sum over the wells, NaN where no well has a value."""
        known = ~np.isnan(values)
        total = add(np.where(known, values, 0.0))
        return np.where(add(known.astype(np.float64)) > 0, total, np.nan)

    status = column("status")
    volumes = {m: column(m) for m in _METRICS}
    rates = _rates(status, volumes, column("hours_on"), column("day_hours"))
    for s, at in zip(filled, (np.cumsum(lengths) - lengths).tolist(), strict=True):
        if s.rates:  # a sum inside a sum: its rates are already sums of well rates
            for metric in _METRICS:
                rates[metric][at : at + len(s.days)] = s.rates[metric]
    reason_hours = _sum_reasons(filled, np.split(day_index, np.cumsum(lengths)[:-1]), n)
    producing = add((status == _PRODUCING).astype(np.float64)) > 0
    reading = add((status > 0).astype(np.float64)) > 0
    return DailySeries(
        first=date.fromordinal(lo),
        tz=tz,
        days=np.arange(lo, hi, dtype=np.int64),
        status=np.where(producing, _PRODUCING, np.where(reading, _SHUT_IN, 0)).astype(np.int8),
        oil=known_sum(volumes["oil"]),
        gas=known_sum(volumes["gas"]),
        water=known_sum(volumes["water"]),
        hours_on=known_sum(column("hours_on")),
        downtime_hours=known_sum(column("downtime_hours")),
        day_hours=add(np.where(status > 0, column("day_hours"), 0.0)),
        downtime_reason=_reason_labels(reason_hours, n),
        wells=sum(s.wells for s in series),
        reading_wells=add(column("reading_wells")).astype(np.int64),
        producing_wells=add(column("producing_wells")).astype(np.int64),
        timed_day_hours=add(column("timed_day_hours")),
        reason_hours=reason_hours,
        rates={m: known_sum(rates[m]) for m in _METRICS},
    )


def _rates(
    status: FloatArray, volumes: Mapping[Metric, FloatArray], hours: FloatArray, day: FloatArray
) -> dict[Metric, FloatArray]:
    """DailySeries.rate of single wells, for many well-days at once."""
    producing = status == _PRODUCING
    timed = producing & (hours > 0)  # NaN compares False
    scale = np.where(timed, day / np.where(timed, hours, 1.0), 1.0)
    return {m: np.where(producing, v * scale, np.nan) for m, v in volumes.items()}


_METRICS: tuple[Metric, ...] = ("oil", "gas", "water")


def _sum_reasons(
    filled: Sequence[DailySeries], day_index: Sequence[IntArray], n: int
) -> dict[str, FloatArray]:
    """Downtime hours per reason per day over the wells (``day_index``: each well's days on
    the sum's day axis)."""
    parts: dict[str, tuple[list[IntArray], list[FloatArray]]] = {}
    for s, where in zip(filled, day_index, strict=True):
        for reason, hours in s.reason_hours.items():
            at, values = parts.setdefault(reason, ([], []))
            at.append(where)
            values.append(hours)
    return {
        reason: np.bincount(np.concatenate(at), np.concatenate(values), minlength=n).astype(
            np.float64
        )
        for reason, (at, values) in parts.items()
    }


def _reason_labels(reason_hours: Mapping[str, FloatArray], n: int) -> tuple[str | None, ...]:
    """Per day, the downtime reasons of a sum joined with '; ' (alphabetical), None if none."""
    if not reason_hours:
        return (None,) * n
    names = sorted(reason_hours)
    matrix = np.vstack([reason_hours[name] for name in names]) > 0
    labels: list[str | None] = [None] * n
    for day in np.flatnonzero(matrix.any(axis=0)).tolist():
        labels[day] = "; ".join(name for name, on in zip(names, matrix[:, day], strict=True) if on)
    return tuple(labels)
