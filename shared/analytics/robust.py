"""Robust location and scale: the median and the median absolute deviation (MAD).

One outlier moves a mean and a standard deviation enough to hide itself and flag its
neighbours; the median and the MAD barely move. The MAD is scaled by 1.4826 so that, for
normally distributed data, it estimates the standard deviation and a robust z-score reads like
an ordinary one (docs/analytics.md, "Robust statistics").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MAD_SCALE = 1.4826  # 1 / Φ⁻¹(3/4): MAD × this estimates σ for normal data


def median(values: Sequence[float]) -> float:
    """The median of a non-empty sequence (the mean of the two middle values when even)."""
    if not values:
        raise ValueError("median of an empty sequence")
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return ordered[mid] if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def median_mad(values: Sequence[float]) -> tuple[float, float]:
    """(median, scaled MAD) of a non-empty sequence; the MAD is 0 when most values are equal."""
    center = median(values)
    spread = median([abs(v - center) for v in values]) * MAD_SCALE
    return center, spread


def robust_z(value: float, center: float, spread: float, *, floor: float = 0.0) -> float:
    """(value - median) / scaled MAD, with the scale floored at ``floor``.

    A zero scale (a flat history) gives 0 for the median itself and ±inf for anything else,
    unless ``floor`` > 0 sets the smallest deviation that counts (for example 1 % of the
    median, far finer than any meter).
    """
    scale = max(spread, floor)
    diff = value - center
    if scale > 0:
        return diff / scale
    if diff == 0:
        return 0.0
    return math.copysign(math.inf, diff)
