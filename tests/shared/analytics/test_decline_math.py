from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from shared.analytics.decline_math import Curve, _expm1_over, initial_guess, log_rate

DT = -math.log(1 - 0.06) / 365.25
CURVES = [
    Curve(500.0, 0.004, 0.8, DT),
    Curve(300.0, 0.002, 0.0, DT),
    Curve(120.0, 0.003, 1.0, DT),
    Curve(800.0, 0.01, 2.0, DT),
    Curve(200.0, 0.0001, 0.5, DT),  # starts below Dt: exponential at Dt throughout
]


def switch_time(c: Curve) -> float:
    return (1.0 / c.dt - 1.0 / c.di) / max(c.b, 1e-8) if c.switches else 0.0


@pytest.mark.parametrize("curve", CURVES)
def test_the_curve_is_the_hyperbola_then_the_terminal_exponential(curve: Curve) -> None:
    t = np.linspace(0.0, 60_000.0, 2001)
    t_s = switch_time(curve)
    b = max(curve.b, 1e-8)
    hyper = t < t_s
    expected = np.empty_like(t)
    if curve.b == 0.0:
        expected[hyper] = curve.qi * np.exp(-curve.di * t[hyper])
    else:
        expected[hyper] = curve.qi * (1.0 + b * curve.di * t[hyper]) ** (-1.0 / b)
    expected[~hyper] = curve.switch_rate * np.exp(-curve.dt * (t[~hyper] - t_s))
    np.testing.assert_allclose(curve.rate(t), expected, rtol=1e-9)
    if curve.switches:  # continuous, and the decline there is Dt
        before, after = curve.rate(np.array([t_s * (1 - 1e-9), t_s * (1 + 1e-9)]))
        assert before == pytest.approx(after, rel=1e-7)
        assert curve.di / (1.0 + b * curve.di * t_s) == pytest.approx(curve.dt, rel=1e-12)


@pytest.mark.parametrize("curve", CURVES)
def test_the_gradient_matches_finite_differences(curve: Curve) -> None:
    t = np.array([0.0, 10.0, 300.0, 5_000.0, 40_000.0, 90_000.0])
    x = np.array([math.log(curve.qi), math.log(curve.di), max(curve.b, 1e-3)])
    _, grad = log_rate(t, x, curve.dt)
    for k in range(3):
        step = np.zeros(3)
        step[k] = 1e-6
        up, down = log_rate(t, x + step, curve.dt)[0], log_rate(t, x - step, curve.dt)[0]
        np.testing.assert_allclose(grad[:, k], (up - down) / 2e-6, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("curve", CURVES)
def test_volumes_match_a_numeric_integral_on_both_segments(curve: Curve) -> None:
    def q(x: float) -> float:
        return float(curve.rate(np.array([x]))[0])

    t_s = switch_time(curve)
    for t1, t2 in [(0.0, 400.0), (100.0, 20_000.0), (300.0, 80_000.0)]:
        q1, q2 = q(t1), q(t2)
        breaks = [x for x in (t_s,) if t1 < x < t2]
        numeric = quad(q, t1, t2, points=breaks or None, limit=500)[0]
        assert curve.volume_between(q1, q2) == pytest.approx(numeric, rel=1e-7)
        assert curve.time_to(q2) == pytest.approx(t2, rel=1e-9)


def test_expm1_over_handles_its_limit() -> None:
    assert _expm1_over(0.0, 3.0) == 3.0
    assert _expm1_over(1e-15, 3.0) == pytest.approx(3.0, rel=1e-12)
    assert _expm1_over(0.5, 2.0) == pytest.approx((math.e - 1) / 0.5, rel=1e-14)
    assert _expm1_over(-1.0, 2.0) == pytest.approx((1 - math.exp(-2.0)), rel=1e-14)


def test_the_starting_point_finds_the_right_b_on_clean_data() -> None:
    t = np.arange(730.0)
    for b in (0.0, 0.5, 1.0, 1.5):
        rates = Curve(400.0, 0.005, b, DT).rate(t)
        ln_qi, ln_di, b0 = initial_guess(t, rates, DT)
        assert b0 == b
        assert math.exp(ln_qi) == pytest.approx(400.0, rel=1e-6)
        assert math.exp(ln_di) == pytest.approx(0.005, rel=1e-6)
