"""Robust rolling z-score anomalies of a well's rates and water cut (docs/analytics.md,
"Anomalies").

Each producing day is compared with the median and the scaled MAD of the producing days before
it — never with shut-ins or missing days, which are not production — so one outlier neither
hides itself nor flags its neighbours, and a steady decline is not an anomaly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from shared.analytics.robust import MAD_SCALE, median_mad
from shared.analytics.series import DailySeries

AnomalyMetric = Literal["oil", "gas", "water", "water_cut"]
METRICS: tuple[AnomalyMetric, ...] = ("oil", "gas", "water", "water_cut")

WINDOW = 30  # trailing producing days that set the expected value
MIN_HISTORY = 10  # producing days needed before a day can be judged
Z_LIMIT = 3.5  # |robust z| above this is an anomaly (Iglewicz & Hoaglin's usual cut-off)
FLOOR_FRACTION = 0.01  # the scale never counts as less than 1 % of the median


@dataclass(frozen=True, slots=True)
class Anomaly:
    day: date
    metric: AnomalyMetric  # oil/gas/water: rate per day on; water_cut: %
    value: float
    expected: float  # median of the trailing window
    score: float  # robust z: (value − expected) / max(scaled MAD, 1 % of |expected|)


def metric_values(series: DailySeries, metric: AnomalyMetric) -> NDArray[np.float64]:
    """The per-day values judged for ``metric``: the rate normalised to hours on for oil, gas
    and water, the water cut in % for water_cut; NaN where not producing (or no liquid)."""
    if metric != "water_cut":
        return series.rate(metric)
    liquid = series.oil + series.water
    has_liquid = series.producing() & (liquid > 0)
    cut = np.full(len(series.days), np.nan)
    cut[has_liquid] = series.water[has_liquid] / liquid[has_liquid] * 100.0
    return cut


def rolling_scores(
    values: NDArray[np.float64],
    *,
    window: int = WINDOW,
    min_history: int = MIN_HISTORY,
    floor_fraction: float = FLOOR_FRACTION,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(expected, score) per value of a gap-free array: the median of up to ``window`` values
    before it and the robust z against them; NaN where fewer than ``min_history`` precede."""
    n = values.size
    expected = np.full(n, np.nan)
    score = np.full(n, np.nan)
    if n <= min_history:
        return expected, score
    for i in range(min_history, min(window, n)):  # the first days: a shorter history
        center, spread = median_mad(values[:i].tolist())
        expected[i] = center
        score[i] = _z(values[i], center, spread, floor_fraction)
    if n > window:
        # row k: values k .. k+window-1; a contiguous copy sorts row by row with SIMD, far
        # faster than np.median's partition over a strided view
        history = np.ascontiguousarray(sliding_window_view(values[:-1], window))
        center_w = _row_medians(history)
        spread_w = _row_medians(np.abs(history - center_w[:, None])) * MAD_SCALE
        scale = np.maximum(spread_w, floor_fraction * np.abs(center_w))
        diff = values[window:] - center_w
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(scale > 0, diff / scale, np.where(diff == 0, 0.0, np.sign(diff) * np.inf))
        expected[window:] = center_w
        score[window:] = z
    return expected, score


def _row_medians(rows: NDArray[np.float64]) -> NDArray[np.float64]:
    ordered = np.sort(rows, axis=1)
    mid = rows.shape[1] // 2
    if rows.shape[1] % 2:
        return ordered[:, mid]
    return (ordered[:, mid - 1] + ordered[:, mid]) / 2.0


def _z(value: float, center: float, spread: float, floor_fraction: float) -> float:
    scale = max(spread, floor_fraction * abs(center))
    diff = float(value) - center
    if scale > 0:
        return diff / scale
    return 0.0 if diff == 0 else float(np.sign(diff)) * float("inf")


def anomalies(
    series: DailySeries,
    *,
    window: int = WINDOW,
    z_limit: float = Z_LIMIT,
    min_history: int = MIN_HISTORY,
    metrics: tuple[AnomalyMetric, ...] = METRICS,
) -> list[Anomaly]:
    """Producing days whose value lies more than ``z_limit`` robust z-scores from the median
    of the trailing ``window`` producing days (at least ``min_history`` of them), by day."""
    if window < 1 or min_history < 1 or min_history > window:
        raise ValueError("need 1 ≤ min_history ≤ window")
    found: list[Anomaly] = []
    for metric in metrics:
        values = metric_values(series, metric)
        at = np.flatnonzero(np.isfinite(values))
        kept = values[at]
        expected, score = rolling_scores(kept, window=window, min_history=min_history)
        with np.errstate(invalid="ignore"):
            flagged = np.flatnonzero(np.abs(score) > z_limit)
        for k in flagged.tolist():
            day = date.fromordinal(int(series.days[at[k]]))
            found.append(Anomaly(day, metric, float(kept[k]), float(expected[k]), float(score[k])))
    order = {m: i for i, m in enumerate(METRICS)}
    found.sort(key=lambda a: (a.day, order[a.metric]))
    return found
