"""Ordinary least squares trend of a daily quantity over a window of calendar days
(docs/analytics.md, "Trends").

The fit is a straight line ``value = intercept + slope × day`` through the days with a value
(NaN days — shut-ins and missing days of a rate — are skipped). The direction says whether the
line is worth believing: "flat" unless the slope is significant *and* the change is big enough
to matter to an engineer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

Direction = Literal["declining", "flat", "increasing"]

WINDOWS = (30, 90, 365)  # the windows the screens offer; any positive number of days works
P_LIMIT = 0.05  # a slope with a two-sided p-value at or above this is "flat"
FLAT_PCT = 5.0  # a fitted change smaller than ±5 % over the window is "flat"
MIN_POINTS = 3


@dataclass(frozen=True, slots=True)
class Trend:
    slope_per_day: float  # units of the values per day
    intercept: float  # fitted value at ``first_day`` (the fit is centred there)
    pct_change: float | None  # fitted end vs fitted start, % of fitted start (None if ≤ 0)
    r_squared: float
    p_value: float  # two-sided, H0: slope = 0
    direction: Direction
    n: int  # points fitted
    window: int | None  # calendar days asked for (None: all)
    first_day: date  # first and last day with a value in the window
    last_day: date
    fitted_start: float  # the line at first_day and at last_day
    fitted_end: float


def trend(
    days: NDArray[np.int64],
    values: NDArray[np.float64],
    *,
    window: int | None = 30,
    end: date | None = None,
    p_limit: float = P_LIMIT,
    flat_pct: float = FLAT_PCT,
) -> Trend | None:
    """OLS over the last ``window`` calendar days ending at ``end`` (default: the last day in
    ``days``) of a values-per-day array, skipping NaN. None with fewer than 3 points.

    ``days`` are date ordinals (``date.toordinal()``) aligned with ``values``.
    """
    if window is not None and window < 1:
        raise ValueError("window must be a positive number of days")
    x_all = np.asarray(days, dtype=np.int64)
    y_all = np.asarray(values, dtype=np.float64)
    if x_all.shape != y_all.shape:
        raise ValueError("days and values must have the same length")
    if x_all.size == 0:
        return None
    last = int(x_all.max()) if end is None else end.toordinal()
    keep = np.isfinite(y_all) & (x_all <= last)
    if window is not None:
        keep &= x_all > last - window
    x = x_all[keep]
    y = y_all[keep]
    if x.size < MIN_POINTS or x.min() == x.max():
        return None
    x0 = int(x.min())
    slope, intercept, r_squared, p_value = _ols((x - x0).astype(np.float64), y)
    span = float(x.max() - x0)
    start_fit, end_fit = intercept, intercept + slope * span
    pct = (end_fit - start_fit) / start_fit * 100.0 if start_fit > 0 else None
    return Trend(
        slope_per_day=slope,
        intercept=intercept,
        pct_change=pct,
        r_squared=r_squared,
        p_value=p_value,
        direction=_direction(slope, pct, p_value, p_limit, flat_pct),
        n=int(x.size),
        window=window,
        first_day=date.fromordinal(x0),
        last_day=date.fromordinal(int(x.max())),
        fitted_start=start_fit,
        fitted_end=end_fit,
    )


def _ols(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float, float, float]:
    """(slope, intercept, R², two-sided p-value of the slope), as scipy.stats.linregress."""
    n = x.size
    xm, ym = float(x.mean()), float(y.mean())
    dx, dy = x - xm, y - ym
    sxx, syy, sxy = float(dx @ dx), float(dy @ dy), float(dx @ dy)
    slope = sxy / sxx
    intercept = ym - slope * xm
    if syy == 0.0:  # a constant series: no correlation, like linregress
        return slope, intercept, 0.0, 1.0
    r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    if abs(r) == 1.0:  # a perfect line
        return slope, intercept, 1.0, 0.0
    dof = n - 2  # ≥ 1: at least three points
    t = r * math.sqrt(dof / ((1.0 - r) * (1.0 + r)))
    return slope, intercept, r * r, float(2.0 * stats.t.sf(abs(t), dof))


def _direction(
    slope: float, pct: float | None, p_value: float, p_limit: float, flat_pct: float
) -> Direction:
    if p_value >= p_limit or pct is None or abs(pct) < flat_pct:
        return "flat"
    return "declining" if slope < 0 else "increasing"
