"""Arps decline curves, modified to a terminal exponential, with EUR (docs/forecast.md).

The curve, with t in calendar days since the first producing day, qi in the rates' unit per
day (bbl/day for oil), Di the nominal decline per day at t = 0 and 0 <= b <= 2:

    q(t) = qi / (1 + b·Di·t)^(1/b)        (hyperbolic; exponential qi·e^(-Di·t) at b = 0)

until its instantaneous decline D(t) = Di / (1 + b·Di·t) falls to the terminal decline Dt, at
t_s = (Di/Dt - 1) / (b·Di); from there on the rate declines exponentially at Dt (Dt is a floor:
when Di <= Dt the whole curve is exponential at Dt). ``terminal_decline`` is the *annual
effective* decline (0.06: the rate falls 6 % a year), the usual way a reserves engineer states
it; it is converted to a nominal rate per day, Dt = -ln(1 - De) / 365.25.

The three parameters are fitted to the producing days (shut-in and missing days left out, t
still in calendar days) with ``scipy.optimize.least_squares`` (trust-region reflective, plain
squared rate residuals: the efficient choice for Gaussian noise, no robust loss), over
(ln qi, ln Di, b) with an analytic Jacobian, from the best of a linearised grid over b.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from shared.analytics.decline_math import (
    B_MAX,
    DAYS_PER_YEAR,
    Curve,
    initial_guess,
    log_rate,
)

MIN_DECLINE_DAYS = 30  # fewer producing days: refused
MIN_R_SQUARED = 0.5  # a fit explaining less than half the variance of the rates: refused
MIN_FITTED_DROP = 0.01  # a line or curve falling less than 1 % over the data: not declining
MIN_SLOPE_T = 2.0  # the straight-line slope must be this many standard errors below 0
LN_DI_BOUNDS = (math.log(1e-6), math.log(5.0))  # nominal decline per day at t = 0


@dataclass(frozen=True)
class DeclineRefusal:
    """The data cannot support a decline fit; ``reason`` says why in words."""

    reason: str


@dataclass(frozen=True)
class DeclineFit:
    """A fitted curve and the reserves it implies (volumes in the rates' unit times days)."""

    qi: float  # rate at the first producing day, per day
    di: float  # nominal decline per day at the first producing day
    b: float
    terminal_decline: float  # annual effective, as given
    r_squared: float
    rmse: float
    n_obs: int
    first_day: date
    cumulative: float  # sum of the given rates, one per producing day
    eur: float  # cumulative + remaining
    remaining: float  # integral of q from the last producing day to the economic limit
    limit_day: date | None  # first day at or below the economic limit; None past year 9999

    @property
    def terminal_per_day(self) -> float:
        """Dt, the nominal terminal decline per day."""
        return nominal_per_day(self.terminal_decline)

    def rate_at(self, days: NDArray[np.int64]) -> NDArray[np.float64]:
        """The fitted rate on the given date ordinals (qi before the first producing day)."""
        t = np.maximum(np.asarray(days, dtype=np.float64) - self.first_day.toordinal(), 0.0)
        return self._curve().rate(t)

    def _curve(self) -> Curve:
        return Curve(self.qi, self.di, self.b, self.terminal_per_day)


def nominal_per_day(annual_effective: float) -> float:
    """Dt = -ln(1 - De) / 365.25: the nominal daily decline of an annual effective one."""
    return -math.log1p(-annual_effective) / DAYS_PER_YEAR


def fit_decline(
    days: NDArray[np.int64],
    rates: NDArray[np.float64],
    *,
    terminal_decline: float = 0.06,
    economic_limit: float = 2.0,
) -> DeclineFit | DeclineRefusal:
    """Fit the modified hyperbolic curve to producing days (date ordinals, oldest first)."""
    day_arr, q = _checked(days, rates, terminal_decline, economic_limit)
    n = len(q)
    if n < MIN_DECLINE_DAYS:
        return DeclineRefusal(
            f"{n} producing days; a decline fit needs at least {MIN_DECLINE_DAYS}"
        )
    t = (day_arr - day_arr[0]).astype(np.float64)
    not_declining = _not_declining(t, q)
    if not_declining:
        return DeclineRefusal(f"the rates are not declining: {not_declining}")
    dt = nominal_per_day(terminal_decline)
    x0 = initial_guess(t, q, dt)
    x0[1] = min(max(x0[1], LN_DI_BOUNDS[0]), LN_DI_BOUNDS[1])

    def residuals(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(log_rate(t, x, dt)[0]) - q

    def jacobian(x: NDArray[np.float64]) -> NDArray[np.float64]:
        ln_q, grad = log_rate(t, x, dt)
        return np.exp(ln_q)[:, None] * grad

    solved = least_squares(
        residuals,
        x0,
        jac=jacobian,
        bounds=([-np.inf, LN_DI_BOUNDS[0], 0.0], [np.inf, LN_DI_BOUNDS[1], B_MAX]),
        method="trf",
    )
    if solved.status <= 0:
        return DeclineRefusal(f"the fit did not converge ({solved.message})")
    curve = Curve(math.exp(solved.x[0]), math.exp(solved.x[1]), float(solved.x[2]), dt)
    return _judged(curve, day_arr, t, q, terminal_decline, economic_limit)


def _not_declining(t: NDArray[np.float64], q: NDArray[np.float64]) -> str | None:
    """Why a straight line through the rates does not show a decline, or None when it does:
    the slope must be negative by at least MIN_SLOPE_T standard errors and the line must fall
    by MIN_FITTED_DROP of its starting value over the data."""
    n = len(q)
    centered = t - t.mean()
    sxx = float(np.dot(centered, centered))
    if sxx == 0:
        return "all rates are on one day"
    slope = float(np.dot(centered, q - q.mean())) / sxx
    start = float(q.mean()) - slope * float(t.mean())
    residual = q - (start + slope * t)
    se = math.sqrt(float(np.dot(residual, residual)) / (n - 2) / sxx)
    if slope >= 0 or (se > 0 and slope / se > -MIN_SLOPE_T):
        return f"the straight-line slope over {n} producing days is {slope:+.4g} ± {se:.2g} per day"
    drop = -slope * float(t[-1]) / start if start > 0 else 1.0
    if drop < MIN_FITTED_DROP:
        return f"a straight line through them falls only {drop:.2%} over {t[-1]:.0f} days"
    return None


def _judged(
    curve: Curve,
    day_arr: NDArray[np.int64],
    t: NDArray[np.float64],
    q: NDArray[np.float64],
    terminal_decline: float,
    economic_limit: float,
) -> DeclineFit | DeclineRefusal:
    """The fit's quality, refusals on it, and the reserves it implies."""
    fitted = curve.rate(t)
    sse = float(np.sum((q - fitted) ** 2))
    sst = float(np.sum((q - q.mean()) ** 2))
    r_squared = 1.0 - sse / sst if sst > 0 else 0.0
    span = float(t[-1])
    q_last = float(curve.rate(np.array([span]))[0])
    drop = 1.0 - q_last / curve.qi
    if drop < MIN_FITTED_DROP:
        return DeclineRefusal(
            f"the fitted curve falls only {drop:.2%} over {span:.0f} days: not declining"
        )
    if r_squared < MIN_R_SQUARED:
        return DeclineRefusal(
            f"poor fit: R² {r_squared:.3f} is below {MIN_R_SQUARED} (the curve explains too "
            "little of the rates' variation)"
        )
    if q_last <= economic_limit:
        return DeclineRefusal(
            f"the fitted rate on the last producing day, {q_last:.3g} per day, is already at "
            f"or below the economic limit of {economic_limit:g}"
        )
    t_limit = curve.time_to(economic_limit)
    remaining = curve.volume_between(q_last, economic_limit)
    cumulative = float(q.sum())
    limit_ordinal = int(day_arr[0]) + math.ceil(t_limit)
    limit_day = date.fromordinal(limit_ordinal) if limit_ordinal <= date.max.toordinal() else None
    return DeclineFit(
        qi=curve.qi,
        di=curve.di,
        b=curve.b,
        terminal_decline=terminal_decline,
        r_squared=r_squared,
        rmse=math.sqrt(sse / len(q)),
        n_obs=len(q),
        first_day=date.fromordinal(int(day_arr[0])),
        cumulative=cumulative,
        eur=cumulative + remaining,
        remaining=remaining,
        limit_day=limit_day,
    )


def _checked(
    days: NDArray[np.int64],
    rates: NDArray[np.float64],
    terminal_decline: float,
    economic_limit: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    if not 0.0 < terminal_decline < 1.0:
        raise ValueError(
            f"terminal_decline is an annual effective fraction between 0 and 1 (0.06 for "
            f"6 %/year), not {terminal_decline}"
        )
    if not (economic_limit > 0 and math.isfinite(economic_limit)):
        raise ValueError(f"economic_limit must be a positive rate per day, not {economic_limit}")
    day_arr = np.asarray(days, dtype=np.int64)
    q = np.asarray(rates, dtype=np.float64)
    if day_arr.ndim != 1 or q.shape != day_arr.shape:
        raise ValueError(
            f"days and rates must be 1-D and the same length ({day_arr.shape} vs {q.shape})"
        )
    if not np.all(np.isfinite(q)):
        raise ValueError("rates contain NaN or infinity: pass producing days only")
    if np.any(q < 0):
        raise ValueError("rates cannot be negative")
    if np.any(np.diff(day_arr) <= 0):
        raise ValueError("days must be strictly increasing (oldest first, one rate per day)")
    return day_arr, q
