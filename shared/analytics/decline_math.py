"""The modified hyperbolic Arps curve in closed form (docs/forecast.md, "Decline curve").

q(t) = qi·(1 + b·Di·t)^(-1/b) while the instantaneous decline Di/(1 + b·Di·t) is above the
terminal Dt, then exponential at Dt from the switch time t_s = (1/Dt - 1/Di)/b, where the rate
is q_s = qi·(Dt/Di)^(1/b). Taking logs, with u = ln Di:

    hyperbolic   ln q = ln qi - ln(1 + b·Di·t)/b
    exponential  ln q = ln qi - Dt·t + (1 - Dt/Di - ln(Di/Dt))/b

Volumes (the integral of q; rates per day × days):

    hyperbolic   N(q1 → q2) = qi^b·q2^(1-b)/Di · (e^((1-b)·L) - 1)/(1-b),  L = ln(q1/q2)
                 (b = 1: qi/Di·L; b = 0: (q1 - q2)/Di — the same expression's limits)
    exponential  N(q1 → q2) = (q1 - q2)/Dt

and the time a rate is reached: hyperbolic t(q) = ((qi/q)^b - 1)/(b·Di), exponential
t(q) = t_s + ln(q_s/q)/Dt. b at or below 1e-8 is the exponential qi·e^(-Di·t), which never
reaches Dt when Di > Dt (its decline is constant).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

B_MAX = 2.0
B_FLOOR = 1e-8
DAYS_PER_YEAR = 365.25
GRID_B = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)  # the starting-point grid


def _expm1_over(c: float, x: float) -> float:
    """(e^(c·x) - 1)/c, and its limit x at c = 0, without cancellation."""
    cx = c * x
    if abs(cx) < 1e-12:
        return x
    return math.expm1(cx) / c


@dataclass(frozen=True)
class Curve:
    """qi per day, di and dt nominal per day, 0 <= b <= 2."""

    qi: float
    di: float
    b: float
    dt: float

    @property
    def switches(self) -> bool:
        """False when the decline starts at or below Dt (exponential at Dt throughout)."""
        return self.di > self.dt

    @property
    def switch_rate(self) -> float:
        """q_s, the rate where the curve turns exponential (qi when it starts so)."""
        if not self.switches:
            return self.qi
        return math.exp(math.log(self.qi) - math.log(self.di / self.dt) / max(self.b, B_FLOOR))

    def rate(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.array([math.log(self.qi), math.log(self.di), self.b])
        return np.exp(log_rate(t, x, self.dt)[0])

    def time_to(self, q: float) -> float:
        """Days from the first producing day until the rate falls to q (q < qi)."""
        if not self.switches:
            return math.log(self.qi / q) / self.dt
        q_s = self.switch_rate
        b = max(self.b, B_FLOOR)
        if q >= q_s:
            return _expm1_over(self.b if self.b > B_FLOOR else 0.0, math.log(self.qi / q)) / self.di
        t_s = (1.0 / self.dt - 1.0 / self.di) / b
        return t_s + math.log(q_s / q) / self.dt

    def volume_between(self, q1: float, q2: float) -> float:
        """The integral of q from where the rate is q1 to where it is q2 (q1 >= q2 > 0)."""
        q_s = self.switch_rate
        hyper_from, hyper_to = (max(q1, q_s), max(q2, q_s)) if self.switches else (q1, q1)
        exp_from, exp_to = min(q1, q_s), min(q2, q_s)
        volume = (exp_from - exp_to) / self.dt
        if hyper_from > hyper_to:
            b = self.b if self.b > B_FLOOR else 0.0
            ln_ratio = math.log(hyper_from / hyper_to)
            scale = math.exp(b * math.log(self.qi) + (1.0 - b) * math.log(hyper_to)) / self.di
            volume += scale * _expm1_over(1.0 - b, ln_ratio)
        return volume


def log_rate(
    t: NDArray[np.float64], x: NDArray[np.float64], dt: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """ln q(t) at x = (ln qi, ln Di, b) and its gradient, one row per t (columns: x)."""
    ln_qi, ln_di, b_raw = float(x[0]), float(x[1]), float(x[2])
    di = math.exp(ln_di)
    b = max(b_raw, B_FLOOR)
    grad = np.zeros((len(t), 3), dtype=np.float64)
    grad[:, 0] = 1.0
    if di <= dt:
        return ln_qi - dt * t, grad
    if b_raw <= B_FLOOR:  # exponential at Di (its decline never falls to Dt); d/db at b = 0
        y = di * t
        grad[:, 1] = -y
        grad[:, 2] = 0.5 * y * y
        return ln_qi - y, grad
    t_s = (1.0 / dt - 1.0 / di) / b
    hyper = t < t_s
    th = t[hyper]
    y = di * th
    x_b = b * y
    log1p = np.log1p(x_b)
    ln_q = np.empty(len(t), dtype=np.float64)
    ln_q[hyper] = ln_qi - log1p / b
    grad[hyper, 1] = -y / (1.0 + x_b)
    grad[hyper, 2] = log1p / b**2 - y / (b * (1.0 + x_b))
    tail = ~hyper
    if np.any(tail):
        excess = 1.0 - dt / di - math.log(di / dt)  # <= 0
        ln_q[tail] = ln_qi - dt * t[tail] + excess / b
        grad[tail, 1] = (dt / di - 1.0) / b
        grad[tail, 2] = -excess / b**2
    return ln_q, grad


def initial_guess(t: NDArray[np.float64], q: NDArray[np.float64], dt: float) -> NDArray[np.float64]:
    """(ln qi, ln Di, b) from a grid over b: for each b, q^(-b) = qi^(-b)·(1 + b·Di·t) is a
    straight line in t (ln q is, at b = 0); the b whose line fits the rates best wins."""
    keep = q > 0
    tk, qk = t[keep], q[keep]
    if len(qk) < 3:  # nothing to draw a line through: a gentle start near the data
        return np.array([math.log(float(qk[0]) if len(qk) else 1.0), math.log(1e-3), 0.5])
    best: tuple[float, NDArray[np.float64]] | None = None
    scale = float(np.median(qk))
    for b in GRID_B:
        if b == 0.0:
            slope, intercept = np.polyfit(tk, np.log(qk / scale), 1)
            if slope >= 0:
                continue
            qi, di = scale * math.exp(intercept), -slope
        else:
            slope, intercept = np.polyfit(tk, (qk / scale) ** -b, 1)
            if slope <= 0 or intercept <= 0:
                continue
            qi, di = scale * intercept ** (-1.0 / b), slope / (intercept * b)
        guess = np.array([math.log(qi), math.log(di), b])
        model = np.exp(log_rate(tk, guess, dt)[0])
        sse = float(np.sum((model - qk) ** 2))
        if best is None or sse < best[0]:
            best = (sse, guess)
    if best is None:  # no line declines: a gentle start at the first rate
        return np.array([math.log(float(qk[0])), math.log(1e-3), 0.5])
    return best[1]
