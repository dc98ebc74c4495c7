import math
from datetime import date

import numpy as np
import pytest
from scipy import stats

from shared.analytics.trends import trend

START = date(2026, 1, 1).toordinal()


def decline(n: int, rate: float, *, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=np.float64)
    return 500.0 * np.exp(-rate * t) * (1.0 + noise * rng.standard_normal(n))


def days(n: int) -> np.ndarray:
    return np.arange(START, START + n, dtype=np.int64)


@pytest.mark.parametrize("window", [30, 90, 365, None])
def test_trend_equals_linregress_on_the_same_points(window: int | None):
    n = 500
    x = days(n)
    y = decline(n, 0.002, noise=0.08, seed=window or 1)
    y[np.random.default_rng(5).random(n) < 0.1] = np.nan  # shut-ins and missing days
    t = trend(x, y, window=window)
    assert t is not None
    keep = np.isfinite(y) & (x > x[-1] - (window or n + 1))
    ref = stats.linregress(x[keep].astype(float), y[keep])
    assert t.n == int(keep.sum())
    assert t.slope_per_day == pytest.approx(ref.slope, rel=1e-9)
    assert t.r_squared == pytest.approx(ref.rvalue**2, rel=1e-9, abs=1e-12)
    assert t.p_value == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-300)
    first, last = x[keep][0], x[keep][-1]
    assert t.first_day.toordinal() == first and t.last_day.toordinal() == last
    fit_start = ref.intercept + ref.slope * first
    fit_end = ref.intercept + ref.slope * last
    assert t.fitted_start == pytest.approx(fit_start, rel=1e-9)
    assert t.fitted_end == pytest.approx(fit_end, rel=1e-9)
    assert t.pct_change == pytest.approx((fit_end - fit_start) / fit_start * 100, rel=1e-9)
    assert t.window == window


def test_a_clear_decline_declines_and_a_rise_increases():
    x = days(90)
    down = trend(x, decline(90, 0.01, noise=0.02), window=90)
    up = trend(x, decline(90, -0.01, noise=0.02), window=90)
    assert down is not None and down.direction == "declining" and down.slope_per_day < 0
    assert up is not None and up.direction == "increasing"


def test_noise_without_a_slope_is_flat():
    t = trend(days(30), decline(30, 0.0, noise=0.1, seed=3))
    assert t is not None
    assert t.p_value >= 0.05
    assert t.direction == "flat"


def test_a_significant_but_small_change_is_flat_unless_the_threshold_is_lowered():
    y = decline(365, 0.0001, noise=0.001)  # about -3.6 % a year, very clean
    t = trend(days(365), y, window=365)
    assert t is not None and t.p_value < 0.05 and abs(t.pct_change or 0) < 5
    assert t.direction == "flat"
    lower = trend(days(365), y, window=365, flat_pct=2.0)
    assert lower is not None and lower.direction == "declining"
    strict = trend(days(365), y, window=365, flat_pct=2.0, p_limit=0.0)
    assert strict is not None and strict.direction == "flat"


def test_window_counts_calendar_days_back_from_the_end():
    x = days(100)
    y = np.r_[np.full(70, 10.0), np.arange(30, dtype=np.float64)]
    t = trend(x, y, window=30)
    assert t is not None and t.n == 30 and t.slope_per_day == pytest.approx(1.0)
    at = trend(x, y, window=30, end=date.fromordinal(START + 69))
    assert at is not None and at.slope_per_day == pytest.approx(0.0) and at.r_squared == 0.0


def test_fewer_than_three_points_gives_none():
    y = np.full(30, np.nan)
    y[[3, 20]] = [5.0, 6.0]
    assert trend(days(30), y) is None
    assert trend(days(0), np.zeros(0)) is None
    y[25] = 7.0
    t = trend(days(30), y)
    assert t is not None and t.n == 3


def test_constant_and_perfect_lines():
    flat = trend(days(10), np.full(10, 42.0))
    assert flat is not None
    assert (flat.slope_per_day, flat.r_squared, flat.p_value) == (0.0, 0.0, 1.0)
    assert flat.direction == "flat" and flat.pct_change == 0.0
    line = trend(days(10), 100.0 - 2.0 * np.arange(10))
    assert line is not None
    assert line.r_squared == 1.0 and line.p_value == 0.0 and line.direction == "declining"
    assert line.pct_change == pytest.approx(-18.0)


def test_pct_change_is_none_from_a_zero_start():
    t = trend(days(5), np.arange(5, dtype=np.float64))
    assert t is not None and t.pct_change is None and t.direction == "flat"
    assert not math.isnan(t.slope_per_day)


def test_bad_arguments():
    with pytest.raises(ValueError, match="window"):
        trend(days(5), np.ones(5), window=0)
    with pytest.raises(ValueError, match="same length"):
        trend(days(5), np.ones(4))
