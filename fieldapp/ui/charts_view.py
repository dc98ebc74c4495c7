"""What the Charts screen draws, Qt-free: arrays per metric cut to the range, in display units.

`build_view(source, options, today, analyses)` turns a selection's `DailySeries` (and, once
fitted, its analyses) into a `ChartView`: for each shown metric the x (Unix seconds at noon
UTC of each day, for pyqtgraph's `DateAxisItem(utcOffset=0)`) and y arrays, the forecast band,
the Arps curve with its legend words, the anomaly points; the shut-in spans to shade; the
trend cards. What each mode shows:

- daily **rates**: volume per full day on (`DailySeries.rate`: volume x day hours / hours
  on; a group's total volume per day); the forecast and the decline curve are drawn here only;
- daily **volumes**: the volume as recorded for the calendar day;
- **cumulative**: the running total from the series' first day (shut-in and missing days
  add nothing, so the line stays flat across them).

Missing and shut-in days are NaN in daily modes (gaps, never zeros; shut-ins are also
shaded); on a log axis values <= 0 are NaN too. A group's trailing partial days (fewer wells
reported than usually do: `charts_analysis.complete_series`) leave the daily line and are
marked apart as `MetricView.partial`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from fieldapp.core.analytics_source import Selection, SourceSeries
from fieldapp.ui.charts_analysis import (
    Metric,
    MetricAnalysis,
    complete_series,
    decline_words,
)
from fieldapp.ui.charts_cards_state import Card, metric_card
from fieldapp.ui.charts_options import ChartOptions
from shared.analytics.series import DailySeries, DayStatus
from shared.units import display_labels, gas_to_display, liquid_to_display

EPOCH = date(1970, 1, 1).toordinal()
DAY_S = 86400.0
NAMES: dict[Metric, str] = {"oil": "Oil", "gas": "Gas", "water": "Water"}
FloatArray = NDArray[np.float64]


def to_x(days: NDArray[np.int64]) -> FloatArray:
    """Day ordinals -> Unix seconds at noon UTC (the middle of the day's column)."""
    return (days.astype(np.float64) - EPOCH) * DAY_S + DAY_S / 2


def day_of_x(x: float) -> date:
    return date.fromordinal(int(x // DAY_S) + EPOCH)


@dataclass(frozen=True, slots=True)
class Band:
    x: FloatArray
    mean: FloatArray
    lower: FloatArray
    upper: FloatArray
    label: str  # "Forecast (95 % interval): <method>"


@dataclass(frozen=True, slots=True)
class Curve:
    x: FloatArray
    y: FloatArray
    label: str


@dataclass(frozen=True, slots=True)
class Points:
    x: FloatArray
    y: FloatArray
    tips: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MetricView:
    metric: Metric
    name: str  # "Oil"
    unit: str  # "bbl/d", "Mcf/d", "bbl", "m³/d"...
    axis: str  # "liquid" (left) or "gas" (right)
    y: FloatArray
    forecast: Band | None
    decline: Curve | None
    anomalies: Points
    card: Card
    partial: Points  # a group's trailing partial days: marked apart, off the line


@dataclass(frozen=True, slots=True)
class ChartView:
    selection: Selection
    label: str
    options: ChartOptions
    start: date  # first day of the range shown
    end: date  # last day of the range (today, or the last record's day if later)
    x: FloatArray  # one per day of the range
    days: NDArray[np.int64]
    status: NDArray[np.int8]
    metrics: tuple[MetricView, ...]
    shut_in: tuple[tuple[float, float], ...]  # x spans of shut-in runs, whole days
    notes: tuple[str, ...] = ()  # forecast methods, refusals, "fitting..."
    analysed: bool = False
    x_end: float = 0.0  # right edge: the range's end, or the forecast's last day
    units: tuple[str, str] = field(default=("bbl", "Mcf"))

    def metric(self, metric: Metric) -> MetricView | None:
        return next((m for m in self.metrics if m.metric == metric), None)

    @property
    def empty(self) -> bool:
        return len(self.days) == 0


def window(series: DailySeries | None, options: ChartOptions, today: date) -> tuple[date, date]:
    """The range shown: ends today (or on a later record), starts `range_days` before."""
    last = today
    if series is not None and len(series.days):
        last = max(today, date.fromordinal(int(series.days[-1])))
    if options.range_key == "custom" and options.custom is not None:
        return options.custom
    if options.range_key == "all":
        first = series.first if series is not None else last
        return min(first, last), last
    return last - timedelta(days=int(options.range_key) - 1), last


def unit_factor(metric: Metric, options: ChartOptions) -> float:
    if metric == "gas":
        return gas_to_display(1.0, options.units)
    return liquid_to_display(1.0, options.units)


def unit_of(metric: Metric, options: ChartOptions) -> str:
    liquid, gas = display_labels(options.units)
    base = gas if metric == "gas" else liquid
    return base if options.cumulative or not options.rates else f"{base}/d"


def values(series: DailySeries, metric: Metric, options: ChartOptions) -> FloatArray:
    """The metric's values over the whole series in display units (see the module doc)."""
    volume: FloatArray = getattr(series, metric)
    if options.cumulative:
        out = np.cumsum(np.nan_to_num(volume, nan=0.0))
    elif options.rates:
        out = series.rate(metric).astype(np.float64, copy=True)
    else:
        out = np.where(series.status == DayStatus.PRODUCING, volume, np.nan)
    out = out * unit_factor(metric, options)
    if options.log_y:
        out = np.where(out > 0, out, np.nan)
    return out


def shut_in_spans(days: NDArray[np.int64], status: NDArray[np.int8]) -> list[tuple[float, float]]:
    """x spans (start of the first day, end of the last) of each run of shut-in days."""
    shut = np.concatenate(([False], status == DayStatus.SHUT_IN, [False]))
    edges = np.flatnonzero(np.diff(shut.astype(np.int8)))
    x = to_x(days)
    return [
        (x[a] - DAY_S / 2, x[b - 1] + DAY_S / 2)
        for a, b in zip(edges[::2], edges[1::2], strict=True)
    ]


def _slice(series: DailySeries | None, start: date, end: date) -> slice:
    if series is None or not len(series.days):
        return slice(0, 0)
    first = int(series.days[0])
    lo = max(0, start.toordinal() - first)
    hi = max(lo, min(len(series.days), end.toordinal() - first + 1))
    return slice(lo, hi)


def _band(found: MetricAnalysis, factor: float, options: ChartOptions) -> Band | None:
    fc = found.forecast
    if fc is None or options.cumulative or not options.rates:
        return None
    lower = fc.lower * factor
    if options.log_y:
        lower = np.where(lower > 0, lower, np.nan)
    label = f"{found.metric.capitalize()} forecast, 95 % interval ({fc.method})"  # tooltips
    return Band(to_x(fc.days), fc.mean * factor, lower, fc.upper * factor, label)


def _curve(
    found: MetricAnalysis, start: date, end: date, factor: float, options: ChartOptions
) -> Curve | None:
    fit = found.decline
    if fit is None or options.cumulative or not options.rates:
        return None
    first = max(start.toordinal(), fit.first_day.toordinal())
    days = np.arange(first, end.toordinal() + 1, dtype=np.int64)
    unit = display_labels(options.units)[1 if found.metric == "gas" else 0]
    return Curve(to_x(days), fit.rate_at(days) * factor, decline_words(fit, unit, factor))


def _points(found: MetricAnalysis, days: NDArray[np.int64], y: FloatArray, unit: str) -> Points:
    xs: list[float] = []
    ys: list[float] = []
    tips: list[str] = []
    if len(days):
        for a in found.anomalies:
            i = a.day.toordinal() - int(days[0])
            if 0 <= i < len(days) and np.isfinite(y[i]):
                xs.append(float(to_x(days[i : i + 1])[0]))
                ys.append(float(y[i]))
                tips.append(
                    f"{a.day:%a %d %b %Y}: {a.metric} {a.value:,.1f}, expected"
                    f" {a.expected:,.1f} (robust z {a.score:+.1f}) [{unit}]"
                )
    return Points(np.array(xs), np.array(ys), tuple(tips))


def build_view(
    source: SourceSeries,
    options: ChartOptions,
    today: date,
    analyses: dict[Metric, MetricAnalysis] | None = None,
) -> ChartView:
    """The chart of `source` under `options` (analyses: None while the fits are running)."""
    series = source.series
    start, end = window(series, options, today)
    cut = _slice(series, start, end)
    empty_days = np.zeros(0, dtype=np.int64)
    days = series.days[cut] if series is not None else empty_days
    status = series.status[cut] if series is not None else np.zeros(0, dtype=np.int8)
    views: list[MetricView] = []
    notes: list[str] = []
    complete, partial = complete_series(series) if series is not None else (None, 0)
    if complete is not None and partial:
        last = date.fromordinal(int(series.days[-1]))  # type: ignore[union-attr]
        reading = int(series.reading_wells[-1])  # type: ignore[union-attr, index]
        days_word = "day is" if partial == 1 else f"{partial} days are"
        notes.append(
            f"The last {days_word} partial ({reading} of {series.wells} wells on"  # type: ignore[union-attr]
            f" {last:%a %d %b}): marked apart (○), left out of the cards, trend and forecast."
        )
    x_end = float(to_x(np.array([end.toordinal()]))[0])
    for metric in options.metrics:
        unit = unit_of(metric, options)
        factor = unit_factor(metric, options)
        y = values(series, metric, options)[cut] if series is not None else np.zeros(0)
        held = Points(np.zeros(0), np.zeros(0), ())
        if partial and len(y) and not options.cumulative:
            kept = min(partial, len(y))
            tail = y[-kept:].copy()
            shown_x = to_x(days[-kept:])
            held = Points(shown_x, tail, tuple(f"partial day ({unit})" for _ in tail))
            y = y.copy()
            y[-kept:] = np.nan
        found = (analyses or {}).get(metric)
        band = curve = None
        points = Points(np.zeros(0), np.zeros(0), ())
        if found is not None:
            band = _band(found, factor, options)
            horizon_end = end
            if found.forecast is not None and len(found.forecast.days):
                horizon_end = max(end, date.fromordinal(int(found.forecast.days[-1])))
            curve = _curve(found, start, horizon_end, factor, options)
            points = _points(found, days, y, unit)
            if band is not None:
                x_end = max(x_end, float(band.x[-1]))
        labels = display_labels(options.units)
        card = metric_card(complete, metric, start, end, factor, labels, found)
        views.append(
            MetricView(
                metric, NAMES[metric], unit, _axis(metric), y, band, curve, points, card, held
            )
        )
    if series is None:
        notes.insert(0, "Nothing recorded for this selection yet.")
    elif analyses is None:
        notes.insert(0, "Fitting the forecast and decline…")
    elif options.cumulative or not options.rates:
        notes.insert(0, "Forecast and decline are drawn with daily rates.")
    return ChartView(
        selection=source.selection,
        label=source.label,
        options=options,
        start=start,
        end=end,
        x=to_x(days),
        days=days,
        status=status,
        metrics=tuple(views),
        shut_in=tuple(shut_in_spans(days, status)),
        notes=tuple(notes),
        analysed=analyses is not None,
        x_end=x_end,
        units=display_labels(options.units),
    )


def _axis(metric: Metric) -> str:
    return "gas" if metric == "gas" else "liquid"
