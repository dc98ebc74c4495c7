"""shared.analytics on synthetic wells: build one well's 10-year series, sum 500 wells × 365
days, aggregate, trend and flag anomalies.

Baselines in the same run: the bare numpy or scipy work each step cannot do without (an array
from the rows, a stacked nansum of the volumes, a month bincount, scipy.stats.linregress, a
sorted sliding-window median). Prints the best of several runs and the ratio to its baseline.

    python benchmarks/bench_analytics.py [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import stats

from shared.analytics.aggregates import aggregate, aggregate_columns, period_keys
from shared.analytics.anomalies import anomalies
from shared.analytics.series import DailyRow, DailySeries, daily_series, sum_series
from shared.analytics.trends import trend

TZ = "America/Chicago"


def rows(seed: int, first: date, days: int) -> list[DailyRow]:
    """A declining well with noise, shut-ins, partial days and a few missing days."""
    rng = random.Random(seed)
    qi = rng.uniform(50, 800)
    out: list[DailyRow] = []
    for i in range(days):
        roll = rng.random()
        d = first + timedelta(days=i)
        if roll < 0.03:
            continue
        if roll < 0.08:
            out.append(DailyRow(d, 0.0, 0.0, 0.0, 0.0, 24.0, "workover"))
            continue
        hours = 24.0 if roll > 0.15 else 12.0
        oil = qi * 0.999**i * rng.uniform(0.9, 1.1) * hours / 24
        out.append(DailyRow(d, oil, oil * 1.4, oil * 0.7, hours, 24.0 - hours, "pump"))
    return out


def best(fn: Callable[[], object], repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return min(samples)


def line(label: str, took: float, base: float, target: str) -> None:
    ratio = took / base if base > 0 else float("inf")
    print(f"{label}: {took * 1e3:.2f} ms; baseline {base * 1e3:.2f} ms; ratio {ratio:.1f}{target}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    r = args.repeat

    ten_years = rows(1, date(2016, 1, 1), 3653)
    line(
        "daily_series, 1 well x 10 years",
        best(lambda: daily_series(ten_years, tz=TZ), r),
        best(lambda: np.array([row.oil_bbl for row in ten_years]), r),
        " (target: a few ms)",
    )

    first = date(2025, 1, 1)
    wells = [daily_series(rows(100 + i, first, 365), tz=TZ) for i in range(500)]
    oils = [w.oil for w in wells]

    def bare_sum() -> object:
        matrix = np.full((len(oils), 366), np.nan)
        for k, oil in enumerate(oils):
            matrix[k, : len(oil)] = oil
        return np.nansum(matrix, axis=0)

    line(
        "sum_series, 500 wells x 365 days",
        best(lambda: sum_series(wells), r),
        best(bare_sum, r),
        " (target: well under 50 ms)",
    )

    s: DailySeries = daily_series(ten_years, tz=TZ)
    keys = period_keys(s.days, "month")

    def bare_month() -> object:
        _, inverse = np.unique(keys, return_inverse=True)
        return np.bincount(inverse, np.nan_to_num(s.oil))

    line(
        "aggregate_columns month, 10 years",
        best(lambda: aggregate_columns(s, "month"), r),
        best(bare_month, r),
        "",
    )
    line(
        "aggregate month (Period objects), 10 years",
        best(lambda: aggregate(s, "month"), r),
        best(bare_month, r),
        "",
    )

    rate = s.rate("oil")
    keep = np.isfinite(rate)
    x, y = s.days[keep].astype(float), rate[keep]
    line(
        "trend, all 10 years",
        best(lambda: trend(s.days, rate, window=None), r),
        best(lambda: stats.linregress(x, y), r),
        "",
    )

    def bare_median() -> object:
        windows = np.ascontiguousarray(sliding_window_view(y[:-1], 30))
        return np.sort(windows, axis=1)[:, 15]

    line(
        "anomalies (4 metrics), 10 years",
        best(lambda: anomalies(s), r),
        best(bare_median, r),
        " (target < 20 ms; baseline: one metric's sorted window median)",
    )


if __name__ == "__main__":
    main()
