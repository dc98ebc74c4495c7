"""The trend cards above the chart, Qt-free: one card per shown metric, in words.

Each card reads the metric's *rates* (per full day on, display units) whatever the chart
shows, so "current rate" means the same on every mode:

- **current**: the last producing day's rate and its date;
- **averages** ("Avg 7 d … · 30 d …"): the mean rate of the producing days among the last
  7 and 30 calendar days of the series;
- **trend**: `shared.analytics.trends.trend` over the producing days of the range shown:
  the direction (declining / flat / increasing, with an arrow *and* the word: colour is
  never the only sign) and slope per day; then the % change over the range and R²;
- **next 7 days** ("In 7 d 283.9 (250.7–317.1)"): the forecast's rate on its 7th day and
  that day's 95 % interval (or what is still being fitted, or why there is none);
- **fit** (the card's tooltip): the forecast's method and the Arps parameters (b, nominal
  Di, R²), or why the data support no decline fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from fieldapp.ui.charts_analysis import Metric, MetricAnalysis, fit_words
from shared.analytics.series import DailySeries
from shared.analytics.trends import trend

ARROWS = {"declining": "↘", "flat": "→", "increasing": "↗"}
NAMES: dict[Metric, str] = {"oil": "Oil", "gas": "Gas", "water": "Water"}


@dataclass(frozen=True, slots=True)
class Card:
    metric: Metric
    title: str  # "Oil rate (bbl/d)"
    current: str
    averages: str
    trend: str
    direction: str  # "declining" | "flat" | "increasing" | "" (no trend)
    arrow: str
    forecast: str
    fit: str = ""  # the forecast's method and the Arps fit (or why there is none): tooltip
    r_squared: str = ""  # "-29.7% over 88 d, R² 0.87": the change and the fit's R²

    def lines(self) -> tuple[str, ...]:
        """What the card shows, each line short enough for a third of a 1366 px screen."""
        return (self.current, self.averages, self.trend, self.r_squared, self.forecast)

    def spoken(self) -> str:
        """The whole card as one sentence for screen readers (its tooltip's fit included)."""
        return ". ".join(part for part in (self.title, *self.lines(), self.fit) if part)


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.1f}"


def metric_card(
    series: DailySeries | None,
    metric: Metric,
    start: date,
    end: date,
    factor: float,
    labels: tuple[str, str],
    found: MetricAnalysis | None,
) -> Card:
    unit = f"{labels[1] if metric == 'gas' else labels[0]}/d"
    title = f"{NAMES[metric]} rate ({unit})"
    if series is None or not series.producing().any():
        return Card(metric, title, "No producing day recorded", "", "", "", "", "")
    rate = series.rate(metric) * factor
    ok = series.producing() & np.isfinite(rate)
    days, rates = series.days[ok], rate[ok]
    if not len(days):
        return Card(metric, title, "No producing day recorded", "", "", "", "", "")
    last_day = date.fromordinal(int(days[-1]))
    current = f"Now {number(float(rates[-1]))} ({last_day:%a %d %b})"
    top = int(series.days[-1])
    avg = []
    for span in (7, 30):
        recent = rates[days > top - span]
        avg.append(number(float(recent.mean())) if len(recent) else "–")
    averages = f"Avg 7 d {avg[0]} · 30 d {avg[1]}"
    inside = (days >= start.toordinal()) & (days <= end.toordinal())
    found_trend = trend(days[inside], rates[inside], window=None) if inside.sum() >= 3 else None
    if found_trend is None:
        trend_words, direction, arrow = "Too few days for a trend", "", ""
        r_squared = ""
    else:
        direction = found_trend.direction
        arrow = ARROWS.get(direction, "")
        pct = found_trend.pct_change
        trend_words = f"{arrow} {direction.capitalize()} {found_trend.slope_per_day:+,.2f}/d"
        change = "" if pct is None else f"{pct:+.1f}% "
        r_squared = f"{change}over {found_trend.n} d, R² {found_trend.r_squared:.2f}"
    return Card(
        metric,
        title,
        current,
        averages,
        trend_words,
        direction,
        arrow,
        _forecast(found, factor),
        fit_line(found),
        r_squared,
    )


def fit_line(found: MetricAnalysis | None) -> str:
    """'ETS(A,N,N) · Arps b 0.51, Di 42 %/yr, R² 0.86' or '… · no Arps fit (poor fit)'."""
    if found is None:
        return ""
    method = found.forecast.method if found.forecast is not None else "no forecast"
    if found.decline is not None:
        return f"{method} · {fit_words(found.decline)}"
    reason = found.decline_note.split(" (")[0].split(":")[0]
    return f"{method} · no Arps fit ({reason})"


def _forecast(found: MetricAnalysis | None, factor: float) -> str:
    if found is None:
        return "In 7 d: fitting…"
    fc = found.forecast
    if fc is None or not len(fc.mean):
        return found.forecast_note or "No forecast"
    week = min(7, len(fc.mean))
    mean = float(fc.mean[week - 1]) * factor
    low, high = float(fc.lower[week - 1]) * factor, float(fc.upper[week - 1]) * factor
    return f"In {week} d {number(mean)} ({number(max(low, 0.0))}–{number(high)})"
