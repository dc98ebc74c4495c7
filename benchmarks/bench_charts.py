"""The Charts screen's speed targets (issue 16 §6), each against a bare pyqtgraph baseline.

1. Render 10 years of daily data for one well (target <= 50 ms): `ChartsPlot.show_view` of
   a 3,650-day view (oil, gas, water, forecast band, Arps curve, shut-in shading) and a
   repaint (`grab()`). Baseline: a bare `pg.PlotWidget` plotting the same three arrays and
   repainting.
2. The sum of 500 wells x 365 days (target <= 100 ms): read the total from a real SQLCipher
   store (`load_series` of "all wells"), build the view and paint it. Baseline: the bare
   PlotWidget drawing the same arrays. The read alone is printed too.
3. Switching wells with the forecast cached (target <= 100 ms): on the real `ChartsPage`
   over an `OpRunner`, from choosing the well to its chart painted with forecast and decline
   (the worker reads the well's series and version, the analyses come from the cache).
   Baseline: the bare PlotWidget drawing the same arrays.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_charts.py [--runs N] [--wells N]

Last line: the three figures (wall and CPU p50) and their ratios to the baselines.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pyqtgraph as pg
from _common import PASSPHRASE, describe, no_keystore, temp_dir
from PySide6.QtWidgets import QApplication

from fieldapp.core.analytics_source import Selection, SourceSeries, load_series
from fieldapp.core.importer import CSV_COLUMNS, import_production
from fieldapp.core.store import Store
from fieldapp.core.wells import list_wells, register_well
from fieldapp.ui.charts_analysis import METRICS, analyse
from fieldapp.ui.charts_options import ChartOptions
from fieldapp.ui.charts_page import ChartsPage
from fieldapp.ui.charts_plot import ChartsPlot
from fieldapp.ui.charts_view import ChartView, build_view
from fieldapp.ui.ops import OpRunner
from shared.analytics.series import DailyRow, daily_series
from shared.contracts import WellRegistered
from shared.validation import org_today

SIZE = (1136, 520)  # the chart's share of a 1366x768 window


CPU: dict[int, list[float]] = {}  # id of a wall-time sample list -> the same runs' CPU times


def timed(runs: int, work: Callable[[], object]) -> list[float]:
    """Wall times of `runs` calls (after one to warm); their process CPU times (every thread:
    the worker's reads count) go to CPU, since wall time moves 2-3x with the machine's load."""
    work()  # warm
    samples, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        work()
        samples.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    CPU[id(samples)] = cpu
    return samples


def cpu_p50(samples: list[float]) -> float:
    return statistics.median(CPU[id(samples)])


def medians(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), cpu_p50(samples)


def report(label: str, samples: list[float]) -> str:
    return f"{describe(label, samples)}; cpu p50 {cpu_p50(samples) * 1e3:.3f} ms"


def bare_plot() -> pg.PlotWidget:
    widget = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
    widget.resize(*SIZE)
    widget.show()
    return widget


def bare_draw(widget: pg.PlotWidget, view: ChartView) -> None:
    widget.clear()
    for metric in view.metrics:
        widget.plot(view.x, metric.y, connect="finite")
    widget.grab()


def ten_year_rows(today: date) -> list[DailyRow]:
    rng = random.Random(3)
    rows = []
    for age in range(3650, 0, -1):
        t = (3650 - age) / 365.25
        oil = 400 / (1 + 0.8 * 0.5 * t) ** (1 / 0.8) * rng.uniform(0.95, 1.05)
        hours = 0.0 if rng.random() < 0.02 else 24.0
        rows.append(
            DailyRow(
                today - timedelta(days=age),
                oil if hours else 0.0,
                oil * 1.4 if hours else 0.0,
                oil * 0.8 if hours else 0.0,
                hours,
            )
        )
    return rows


def full_view(source: SourceSeries, today: date, options: ChartOptions) -> ChartView:
    assert source.series is not None
    analyses = {m: analyse(source.series, m) for m in METRICS}
    return build_view(source, options, today, analyses)


def build_store(folder: Path, wells: int, days: int) -> Store:
    store = Store.create(folder / "store", PASSPHRASE, no_keystore())
    apis = []
    for i in range(wells):
        api = f"42-501-{20001 + i:05d}"
        register_well(
            store, WellRegistered(api_number=api, name=f"Bench {i:03d}", lease=f"L{i % 10}")
        )
        apis.append(api)
    today = org_today(store.thresholds.timezone)
    path = folder / "history.csv"
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(CSV_COLUMNS)
        for i, api in enumerate(apis):
            qi = 80 + (i * 37) % 300
            for d in range(days, 0, -1):
                oil = round(
                    qi * math.exp(-(days - d) / 700) * (1 + ((i * 7 + d * 13) % 11 - 5) / 200), 1
                )
                out.writerow(
                    [api, today - timedelta(days=d), oil, oil * 1.2, oil * 0.5, 24, "", "", ""]
                )
    import_production(store, path, today=today)
    return store


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench_charts")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--wells", type=int, default=500)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    figures: list[tuple[str, float, float, float, float]] = []

    # 1. ten years of one well
    today = date.today()
    series = daily_series(ten_year_rows(today), tz="America/Chicago")
    source = SourceSeries(Selection("well", "w"), "Ten years", ("w",), series, (1, 1, 1, 1))
    view = full_view(source, today, ChartOptions(range_key="all"))
    plot = ChartsPlot()
    plot.resize(*SIZE)
    plot.show()
    bare = bare_plot()
    ours = timed(args.runs, lambda: (plot.show_view(view), plot.grab()))
    base = timed(args.runs, lambda: bare_draw(bare, view))
    print(report("10 years, one well: show_view + repaint", ours))
    print(report("10 years, one well: bare PlotWidget", base))
    figures.append(("10y well", *medians(ours), *medians(base)))

    with temp_dir() as folder:
        began = time.perf_counter()
        store = build_store(folder, args.wells, 365)
        print(f"store: {args.wells} wells x 365 days built in {time.perf_counter() - began:.1f} s")
        # 2. the sum of every well
        total = load_series(store, Selection("all"))
        today = org_today(store.thresholds.timezone)
        options = ChartOptions(range_key="365")
        summed = full_view(total, today, options)
        reads = timed(args.runs, lambda: load_series(store, Selection("all")))

        def sum_and_paint() -> None:
            loaded = load_series(store, Selection("all"))
            plot.show_view(build_view(loaded, options, today, None))
            plot.grab()

        ours = timed(args.runs, sum_and_paint)
        base = timed(args.runs, lambda: bare_draw(bare, summed))
        print(report(f"sum of {args.wells} wells: read only", reads))
        print(report(f"sum of {args.wells} wells: read + view + paint", ours))
        print(report(f"sum of {args.wells} wells: bare PlotWidget", base))
        figures.append(("sum", *medians(ours), *medians(base)))
        with store.read() as conn:
            wells = list_wells(conn)[:2]
        store.close()

        # 3. switching wells on the real page, forecasts cached
        runner = OpRunner()
        opened: list[object] = []
        runner.open(
            lambda: Store.open(folder / "store", no_keystore(), lambda: PASSPHRASE), opened.append
        )
        while not opened:
            app.processEvents()
        page = ChartsPage(runner)
        page.resize(1136, 700)
        page.show()

        def show(well_id: str) -> None:
            page.choose(Selection("well", well_id))
            while page.busy or not (page.state.view and page.state.view.analysed):
                app.processEvents()
            page.grab()

        for well in wells:  # fit once: the cache holds both wells' analyses
            show(well.well_id)
        turn = iter(range(10**9))
        ours = timed(args.runs, lambda: show(wells[next(turn) % 2].well_id))
        shown = page.state.view
        assert shown is not None
        base = timed(args.runs, lambda: bare_draw(bare, shown))
        print(report("switching wells (cached forecast), page + worker", ours))
        print(report("switching wells: bare PlotWidget", base))
        figures.append(("switch", *medians(ours), *medians(base)))
        runner.shutdown()

    print(
        "charts: "
        + ", ".join(
            f"{name} {ours * 1e3:.1f} ms (bare {base * 1e3:.1f} ms, x{ours / base:.2f};"
            f" cpu {ours_cpu * 1e3:.1f} ms, bare {base_cpu * 1e3:.1f} ms)"
            for name, ours, ours_cpu, base, base_cpu in figures
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
