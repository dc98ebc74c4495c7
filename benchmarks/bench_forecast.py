"""Forecast + interval and Arps fit per well, over 1,000 synthetic wells of two years each.

Baselines in the same run, well by well, alternating which goes first:
- forecast: the bare statsmodels calls our `forecast` makes (three `ETSModel(...).fit` that
  stop at the parameters, the log-likelihood and AIC of each, the chosen one's results without
  the Hessian, `get_prediction(...)`'s mean and `pred_int`), on the same producing days: the
  ratio is our overhead (checks, note, clipping). Also, for comparison, the textbook calls
  (three full `ETSModel(...).fit` results, the lowest `.aic`, its prediction), which our
  `forecast` made until it skipped the unused results;
- Arps: `scipy.optimize.curve_fit` of the plain hyperbola with its default numeric Jacobian
  from a fixed start, the textbook way.
For what it costs with statsmodels' default initial states ('estimated') the script also times
the three fits that way on the first 100 wells.

OpenBLAS's thread pool makes L-BFGS-B (statsmodels' optimiser) many times slower when the cores
are busy, so each configuration runs in its own process: the BLAS as installed, and with
OPENBLAS_NUM_THREADS=1. Last line of each: the ratios.

    python benchmarks/bench_forecast.py [--wells N] [--days N] [--blas default|1|both]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from _common import describe
from numpy.typing import NDArray
from scipy.optimize import curve_fit
from statsmodels.tools.eval_measures import aic
from statsmodels.tools.sm_exceptions import ModelWarning
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from shared.analytics.decline import fit_decline
from shared.analytics.forecast import _ParamsOnlyETS, forecast

FIRST = 739_000
SPECS = ({"trend": "add", "damped_trend": True}, {"trend": "add"}, {"trend": None})

Well = tuple[NDArray[np.int64], NDArray[np.float64]]


def synthetic_wells(count: int, days: int, seed: int = 2026) -> list[Well]:
    """Arps declines with 3-8 % noise, 5 % random shut-in days and now and then a workover."""
    rng = np.random.default_rng(seed)
    wells = []
    for _ in range(count):
        qi, di, b = rng.uniform(50, 1500), rng.uniform(0.0005, 0.008), rng.uniform(0, 1.6)
        t = np.arange(days, dtype=np.float64)
        rate = qi / (1 + b * di * t) ** (1 / b) if b > 1e-6 else qi * np.exp(-di * t)
        rate *= 1 + rng.uniform(0.03, 0.08) * rng.standard_normal(days)
        producing = rng.random(days) > 0.05
        if rng.random() < 0.3:
            start = int(rng.integers(30, days - 60))
            producing[start : start + int(rng.integers(5, 40))] = False
        wells.append(((FIRST + t[producing]).astype(np.int64), np.maximum(rate[producing], 0.0)))
    return wells


def bare_forecast(values: NDArray[np.float64], init: str = "heuristic") -> Any:
    endog = pd.Series(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        fits = [
            ETSModel(endog, error="add", initialization_method=init, **spec).fit(disp=False)
            for spec in SPECS
        ]
        best = min(fits, key=lambda r: r.aic)
        n = len(values)
        return best.get_prediction(start=n, end=n + 6).summary_frame(alpha=0.05)


def lean_forecast(values: NDArray[np.float64]) -> Any:
    """The same statsmodels calls as `forecast` makes, without its checks, note and clipping."""
    endog = pd.Series(values)
    n = len(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        fits = []
        for spec in SPECS:
            model = _ParamsOnlyETS(endog, error="add", initialization_method="heuristic", **spec)
            params = model.fit(disp=False).params
            fits.append((aic(model.loglike(params), n, len(params) + 1), model, params))
        _, model, params = min(fits, key=lambda f: f[0])
        predicted = model.results(params).get_prediction(start=n, end=n + 6)
        return np.asarray(predicted.predicted_mean), np.asarray(predicted.pred_int(alpha=0.05))


def hyperbola(t: NDArray[np.float64], qi: float, di: float, b: float) -> NDArray[np.float64]:
    return qi / (1.0 + b * di * t) ** (1.0 / b)


def bare_arps(days: NDArray[np.int64], rates: NDArray[np.float64]) -> Any:
    t = (days - days[0]).astype(np.float64)
    p0 = (float(rates[:7].mean()), 0.003, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return curve_fit(hyperbola, t, rates, p0=p0, bounds=([0, 1e-6, 1e-6], [np.inf, 5, 2]))


def timed(call: Callable[[], object], cpu: list[float]) -> float:
    """Wall seconds of one call; its process CPU seconds go to `cpu`."""
    began, cpu_began = time.perf_counter(), time.process_time()
    call()
    cpu.append(time.process_time() - cpu_began)
    return time.perf_counter() - began


class Side:
    def __init__(self, label: str, call: Callable[[Well], object]) -> None:
        self.label, self.call = label, call
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self, well: Well) -> None:
        self.wall.append(timed(lambda: self.call(well), self.cpu))

    def mean(self) -> float:
        return statistics.fmean(self.wall)

    def cpu_mean(self) -> float:
        return statistics.fmean(self.cpu)

    def line(self, extra: str = "") -> str:
        return (
            f"  {describe(self.label, self.wall)}, mean {self.mean() * 1e3:.2f} ms"
            f" (process CPU {self.cpu_mean() * 1e3:.2f} ms){extra}"
        )


def pair(wells: list[Well], ours: Side, *theirs: Side) -> None:
    """Each well through every side, the order reversed on every other well."""
    for i, well in enumerate(wells):
        for side in (ours, *theirs) if i % 2 else (*theirs[::-1], ours):
            side.run(well)


def child(wells_count: int, days: int) -> None:
    wells = synthetic_wells(wells_count, days)
    producing = statistics.fmean(len(w[0]) for w in wells)
    print(f"{wells_count} wells, {days} days, {producing:.0f} producing days each on average")
    for well in wells[:20]:  # the lean calls give the textbook answer, to the last bit
        frame, (mean, interval) = bare_forecast(well[1]), lean_forecast(well[1])
        assert np.array_equal(frame["mean"], mean)
        assert np.array_equal(frame[["pi_lower", "pi_upper"]], interval)
    ours = Side("forecast + 95 % interval", lambda w: forecast(w[0], w[1], horizon=7))
    bare = Side("bare statsmodels calls, as forecast makes them", lambda w: lean_forecast(w[1]))
    full = Side("textbook statsmodels calls (full results)", lambda w: bare_forecast(w[1]))
    pair(wells, ours, bare, full)
    print(ours.line())
    print(bare.line())
    print(full.line(f", ours / textbook {ours.cpu_mean() / full.cpu_mean():.3f} CPU"))
    estimated = Side("bare, initial states estimated", lambda w: bare_forecast(w[1], "estimated"))
    for well in wells[:100]:
        estimated.run(well)
    print(estimated.line())
    arps = Side("fit_decline (Arps + EUR)", lambda w: fit_decline(w[0], w[1]))
    fit = Side("bare curve_fit hyperbola", lambda w: bare_arps(w[0], w[1]))
    pair(wells, arps, fit)
    refused = sum(not hasattr(fit_decline(w[0], w[1]), "eur") for w in wells)
    print(arps.line(f", {refused} refused"))
    print(fit.line())
    print(
        f"  forecast mean {ours.mean() * 1e3:.2f} ms/well wall, {ours.cpu_mean() * 1e3:.2f} ms"
        f" CPU (target <= 10), ratio to bare statsmodels {ours.mean() / bare.mean():.3f}"
        f" ({ours.cpu_mean() / bare.cpu_mean():.3f} CPU, target <= 1.2);"
        f" Arps mean {arps.mean() * 1e3:.2f} ms/well wall,"
        f" {arps.cpu_mean() * 1e3:.2f} ms CPU (target <= 10), ratio to curve_fit"
        f" {arps.mean() / fit.mean():.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wells", type=int, default=1000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--blas", choices=("default", "1", "both"), default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.wells, args.days)
        return
    configs = ["default", "1"] if args.blas == "both" else [args.blas]
    for config in configs:
        env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
        if config == "1":
            env["OPENBLAS_NUM_THREADS"] = "1"
        print(
            f"OPENBLAS_NUM_THREADS={env.get('OPENBLAS_NUM_THREADS', 'unset')} (cores: "
            f"{os.cpu_count()})",
            flush=True,
        )
        command = [
            sys.executable,
            __file__,
            "--child",
            f"--wells={args.wells}",
            f"--days={args.days}",
        ]
        subprocess.run(command, env=env, check=True)


if __name__ == "__main__":
    main()
