"""The Charts screen's state, Qt-free: what is chosen, what is shown, and the worker's ops.

The page holds one `ChartsState`. The operator's choices (`selection`, `options`) change on
the GUI thread; each change makes a new *request* number, and a view computed for an older
request is dropped (`accept`). The slow parts run on the OpRunner's worker in two steps:

1. `load(store, request)` reads the selection's series (`analytics_source.load_series`) and
   builds the view with whatever analyses the cache already holds — the chart paints at once;
2. if some were missing, `analyse(request)` fits them (forecast, decline, anomalies), puts
   them in the cache under (selection, data version, metric, settings) and builds the full
   view. The GUI thread stays free while it fits.

A change of range, mode or units only rebuilds the view from the series already read
(`rebuild`). `hover_text`, `clicked_day` and `csv_rows` answer the widgets' questions.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

import numpy as np

from fieldapp.core.analytics_source import GroupCache, Selection, SourceSeries, load_series
from fieldapp.core.store import Store
from fieldapp.ui.charts_analysis import (
    AnalysisCache,
    AnalysisSettings,
    Metric,
    MetricAnalysis,
    analyse,
)
from fieldapp.ui.charts_options import ChartOptions
from fieldapp.ui.charts_view import ChartView, build_view, day_of_x
from shared.analytics.series import DayStatus
from shared.validation import org_today

STATUS_WORDS = {
    DayStatus.MISSING: "no reading",
    DayStatus.SHUT_IN: "shut in",
    DayStatus.PRODUCING: "",
}


@dataclass(frozen=True, slots=True)
class Request:
    """One question to the worker: this selection under these options (number: newest wins)."""

    number: int
    selection: Selection
    options: ChartOptions
    settings: AnalysisSettings


@dataclass(frozen=True, slots=True)
class Loaded:
    request: Request
    source: SourceSeries
    today: date
    view: ChartView
    complete: bool  # every analysis was cached: no second step


class ChartsState:
    def __init__(self, cache: AnalysisCache | None = None) -> None:
        self.selection: Selection | None = None
        self.options = ChartOptions()
        self.settings = AnalysisSettings()
        self.cache = cache or AnalysisCache()
        self.groups: GroupCache = {}  # group series by change token (worker side)
        self.number = 0
        self.loaded: Loaded | None = None  # the last series read (GUI side)
        self.view: ChartView | None = None  # what is on screen

    # --- GUI side: choices ----------------------------------------------------------------

    def request(self) -> Request | None:
        """A new request for the current choices (None: nothing chosen yet)."""
        if self.selection is None:
            return None
        self.number += 1
        return Request(self.number, self.selection, self.options, self.settings)

    def choose(self, selection: Selection) -> Request | None:
        self.selection = selection
        return self.request()

    def set_options(self, options: ChartOptions) -> Request | None:
        self.options = options
        return self.request()

    def accept(self, loaded: Loaded) -> bool:
        """Take a worker result if it answers the newest request (False: stale, dropped)."""
        if loaded.request.number != self.number:
            return False
        self.loaded, self.view = loaded, loaded.view
        return True

    def clear(self) -> None:
        self.number += 1  # whatever is still on its way is stale
        self.loaded = self.view = None

    # --- worker side -----------------------------------------------------------------------

    def _key(self, source: SourceSeries, metric: Metric, settings: AnalysisSettings) -> Hashable:
        return (source.selection, source.version, metric, settings)

    def cached(self, source: SourceSeries, request: Request) -> dict[Metric, MetricAnalysis] | None:
        """Every shown metric's analysis from the cache, or None when one is missing."""
        if source.series is None:
            return {}
        found: dict[Metric, MetricAnalysis] = {}
        for metric in request.options.metrics:
            hit = self.cache.get(self._key(source, metric, request.settings))
            if hit is None:
                return None
            found[metric] = hit
        return found

    def load(self, store: Store, request: Request) -> Loaded:
        """Read the series and build the view from cached analyses (worker thread)."""
        source = load_series(store, request.selection, self.groups)
        today = org_today(store.thresholds.timezone)
        return self.rebuild(source, today, request)

    def rebuild(self, source: SourceSeries, today: date, request: Request) -> Loaded:
        """The view of an already read series under the request's options (worker thread)."""
        analyses = self.cached(source, request)
        view = build_view(source, request.options, today, analyses)
        return Loaded(request, source, today, view, analyses is not None)

    def analyse(self, loaded: Loaded, request: Request | None = None) -> Loaded:
        """Fit what the cache lacks and build the full view (worker thread; slow)."""
        request = request or loaded.request
        source, series = loaded.source, loaded.source.series
        analyses: dict[Metric, MetricAnalysis] = {}
        if series is not None:
            for metric in request.options.metrics:
                key = self._key(source, metric, request.settings)
                hit = self.cache.get(key)
                if hit is None:
                    hit = analyse(series, metric, request.settings)
                    self.cache.put(key, hit)
                analyses[metric] = hit
        view = build_view(source, request.options, loaded.today, analyses)
        return Loaded(request, source, loaded.today, view, True)


# --- questions from the widgets -----------------------------------------------------------


def day_index(view: ChartView, x: float) -> int | None:
    """The index in `view.days` of the day under x (None: outside the recorded range)."""
    if view.empty:
        return None
    i = day_of_x(x).toordinal() - int(view.days[0])
    return i if 0 <= i < len(view.days) else None


def _value(value: float, unit: str) -> str:
    return "–" if not math.isfinite(value) else f"{value:,.1f} {unit}"


def hover_text(view: ChartView, x: float) -> str | None:
    """'Tue 03 Nov 2026 — Oil 142.3 bbl/d · Gas 310.0 Mcf/d', or the forecast on that day."""
    day = day_of_x(x)
    i = day_index(view, x)
    parts: list[str] = []
    if i is not None:
        status = STATUS_WORDS[DayStatus(int(view.status[i]))]
        parts = [f"{m.name} {_value(float(m.y[i]), m.unit)}" for m in view.metrics]
        if status:
            parts.insert(0, status.capitalize())
    for m in view.metrics:
        band = m.forecast
        if band is None:
            continue
        k = np.flatnonzero(np.isclose(band.x, x - (x % 86400.0) + 43200.0))
        if len(k):
            j = int(k[0])
            parts.append(
                f"{m.name} forecast {band.mean[j]:,.1f} ({band.lower[j]:,.1f}–{band.upper[j]:,.1f})"
            )
    if not parts:
        return None
    return f"{day:%a %d %b %Y} — " + " · ".join(parts)


def clicked_day(view: ChartView, x: float) -> date | None:
    """The recorded range's day under a click (a day of the forecast opens nothing)."""
    i = day_index(view, x)
    return None if i is None else date.fromordinal(int(view.days[i]))


def open_args(view: ChartView, day: date) -> tuple[str, dict[str, object]]:
    """Where a click on `day` sends the operator: the well's record on the Production screen;
    for a group, the Route screen on that day (every well's record)."""
    if view.selection.scope == "well":
        return "production", {"well_id": view.selection.key, "day": day}
    return "route", {"day": day}


def csv_rows(view: ChartView) -> list[list[str]]:
    """The shown series as CSV rows (header first): one row per day of the range, then the
    forecast's days with their 95 % interval."""
    header = ["date", "status"]
    for m in view.metrics:
        header.append(f"{m.metric} ({m.unit})")
    banded = [m for m in view.metrics if m.forecast is not None]
    for m in banded:
        header += [f"{m.metric} forecast", f"{m.metric} lower 95%", f"{m.metric} upper 95%"]
    rows = [header]
    for i, ordinal in enumerate(view.days):
        status = STATUS_WORDS[DayStatus(int(view.status[i]))] or "producing"
        row = [date.fromordinal(int(ordinal)).isoformat(), status]
        row += ["" if not math.isfinite(v) else f"{v:.3f}" for v in (m.y[i] for m in view.metrics)]
        rows.append(row + [""] * (3 * len(banded)))
    forecast_days = sorted({float(x) for m in banded for x in m.forecast.x})  # type: ignore[union-attr]
    for x in forecast_days:
        row = [day_of_x(x).isoformat(), "forecast"] + [""] * len(view.metrics)
        for m in banded:
            band = m.forecast
            assert band is not None
            k = np.flatnonzero(band.x == x)
            if len(k):
                j = int(k[0])
                row += [f"{band.mean[j]:.3f}", f"{band.lower[j]:.3f}", f"{band.upper[j]:.3f}"]
            else:
                row += ["", "", ""]
        rows.append(row)
    return rows
