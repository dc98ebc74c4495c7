"""The Charts screen's slow part, Qt-free: forecast, Arps decline and anomalies of a series.

Everything here runs on the worker (`charts_state.ChartsState.analyse`) and is cached by
(selection, data version, metric, settings) in an `AnalysisCache`, so switching back to a well
whose records did not change shows its forecast at once. What is fitted:

- **forecast** (`shared.analytics.forecast`): the rates of the last `FORECAST_FIT_DAYS`
  producing days (shut-in and missing days never enter), `horizon` days ahead, 95 % interval;
- **decline** (`shared.analytics.decline`): an Arps fit on every producing day's rate; a
  refusal keeps its reason for the legend;
- **anomalies** (`shared.analytics.anomalies`): the series' flagged days of this metric.

A fit that raises (too little data for the method) is reported as a note, never as an error
dialog: the chart without a forecast is still the chart.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np

from shared.analytics.anomalies import Anomaly, anomalies
from shared.analytics.answers import producing_rates
from shared.analytics.decline import DeclineFit, DeclineRefusal, fit_decline
from shared.analytics.forecast import Forecast, forecast
from shared.analytics.series import DailySeries

Metric = Literal["oil", "gas", "water"]
METRICS: tuple[Metric, ...] = ("oil", "gas", "water")
PARTIAL_LOOKBACK = 30  # days whose usual number of reporting wells sets "complete"
PARTIAL_MAX = 7  # at most this many trailing days are set aside as partial
FORECAST_FIT_DAYS = 365  # producing days the forecast is fitted on (the latest ones)
CACHE_ENTRIES = 256  # analyses kept (a metric of a selection at a data version each)


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    horizon: int = 7  # forecast days ahead (1-90)
    terminal_decline: float = 0.06  # per year: the Arps curve turns exponential there
    economic_limit: float = 2.0  # bbl/d (Mcf/d for gas): EUR is counted to this rate


@dataclass(frozen=True, slots=True)
class MetricAnalysis:
    metric: Metric
    forecast: Forecast | None
    forecast_note: str  # the method used, or why there is no forecast
    decline: DeclineFit | None
    decline_note: str  # "" when fitted, else the refusal's reason
    anomalies: tuple[Anomaly, ...]


def complete_series(series: DailySeries) -> tuple[DailySeries, int]:
    """A group's series without its trailing *partial* days — days on which fewer wells
    reported than usually do (the median over the last `PARTIAL_LOOKBACK` days with a
    reading): today's total while the route is half done is not a rate drop. Returns the
    series kept and how many days were set aside (at most `PARTIAL_MAX`; a well: none)."""
    reading = series.reading_wells
    if series.wells <= 1 or reading is None or not len(reading):
        return series, 0
    recent = reading[-PARTIAL_LOOKBACK:]
    recent = recent[recent > 0]
    if not len(recent):
        return series, 0
    usual = float(np.median(recent))
    dropped = 0
    while dropped < min(PARTIAL_MAX, len(reading) - 1) and reading[-1 - dropped] < usual:
        dropped += 1
    if not dropped:
        return series, 0
    return series.window(last=date.fromordinal(int(series.days[-1 - dropped]))), dropped


def analyse(
    series: DailySeries, metric: Metric, settings: AnalysisSettings = AnalysisSettings()
) -> MetricAnalysis:
    """Forecast, decline and anomalies of one metric (slow: seconds for a long series at worst),
    on the series without its trailing partial days (`complete_series`)."""
    series, _partial = complete_series(series)
    days, rates = producing_rates(series, metric)
    fitted: Forecast | None = None
    if len(rates) == 0:
        forecast_note = "No forecast: no producing day yet."
    else:
        try:
            fitted = forecast(
                days[-FORECAST_FIT_DAYS:], rates[-FORECAST_FIT_DAYS:], horizon=settings.horizon
            )
        except (ValueError, ArithmeticError) as exc:
            forecast_note = f"No forecast: {exc}"
        else:
            forecast_note = f"{fitted.method} forecast on {fitted.n_obs} producing days"
    decline: DeclineFit | None = None
    if len(rates) == 0:
        decline_note = "no producing day yet"
    else:
        try:
            result = fit_decline(
                days,
                rates,
                terminal_decline=settings.terminal_decline,
                economic_limit=settings.economic_limit,
            )
        except (ValueError, ArithmeticError) as exc:
            result = DeclineRefusal(str(exc))
        if isinstance(result, DeclineRefusal):
            decline_note = result.reason
        else:
            decline, decline_note = result, ""
    found = tuple(a for a in anomalies(series) if a.metric == metric)
    return MetricAnalysis(metric, fitted, forecast_note, decline, decline_note, found)


BIG_UNITS = {  # a volume's unit -> (its thousands, its millions), as reserves are quoted
    "bbl": ("Mbbl", "MMbbl"),
    "Mcf": ("MMcf", "Bcf"),
}


def volume_words(value: float, unit: str) -> str:
    """653,497 bbl -> "653 Mbbl"; 4,265,755 bbl -> "4.27 MMbbl"; 13,298,207 Mcf -> "13.3 Bcf"."""
    thousands, millions = BIG_UNITS.get(unit, (f"10³ {unit}", f"10⁶ {unit}"))
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.3g} {millions}"
    if abs(value) >= 1e4:
        return f"{value / 1e3:,.0f} {thousands}"
    return f"{value:,.0f} {unit}"


def decline_words(fit: DeclineFit, unit: str, factor: float = 1.0) -> str:
    """The legend of an Arps curve: EUR and remaining reserves in `unit` (short)."""
    eur, left = volume_words(fit.eur * factor, unit), volume_words(fit.remaining * factor, unit)
    return f"Arps: EUR {eur}, remaining {left}"


def fit_words(fit: DeclineFit) -> str:
    """The fit's parameters and quality, for the notes line."""
    return f"Arps b {fit.b:.2f}, Di {fit.di * 365.25 * 100:.0f} %/yr, R² {fit.r_squared:.2f}"


class AnalysisCache:
    """Analyses by (selection, data version, metric, settings); the oldest leave first.

    Used from the worker thread; the lock only guards against a test or a second runner."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self._entries = entries
        self._items: OrderedDict[Hashable, MetricAnalysis] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> MetricAnalysis | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: MetricAnalysis) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
