"""In-process parts of bench_ui.py: filtering the Route page and saving on the Production page.

Both drive the real pages over a real OpRunner (the store on its worker thread) and measure
what the operator waits for: from the key press or the Save click until the screen shows it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from _common import PASSPHRASE, describe
from PySide6.QtWidgets import QApplication

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.ui.ops import OpRunner

QUERIES = ("b", "be", "ben", "benc", "bench", "bench ", "bench 4", "bench 42", "bench 421")


def wait(app: QApplication, done: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the page did not answer")
        app.processEvents()


def open_runner(app: QApplication, data: Path, keystore: Keystore) -> OpRunner:
    runner = OpRunner()
    opened: list[object] = []
    runner.open(lambda: Store.open(data, keystore, lambda: PASSPHRASE), opened.append)
    wait(app, lambda: bool(opened))
    return runner


def bench_filter(app: QApplication, data: Path, keystore: Keystore) -> tuple[float, float]:
    """Median ms per keystroke typing and erasing QUERIES, vs a plain-Python name filter."""
    from fieldapp.ui.route_page import RoutePage

    runner = open_runner(app, data, keystore)
    page = RoutePage(runner)
    page.resize(1366, 700)
    page.show()
    page.refresh()
    wait(app, lambda: page.model.rowCount() == 500)
    names = [row.name for row in page.model.state.rows]
    samples: list[float] = []
    for _ in range(10):
        for text in (*QUERIES, *reversed(QUERIES[:-1]), ""):
            began = time.perf_counter()
            page.search.setText(text)
            page.table.viewport().repaint()  # the rows are painted before the next key
            app.processEvents()
            samples.append(time.perf_counter() - began)
    base: list[float] = []
    for _ in range(10):
        for text in (*QUERIES, *reversed(QUERIES[:-1]), ""):
            began = time.perf_counter()
            query = text.casefold()
            shown = [n for n in names if query in n.casefold()]
            base.append(time.perf_counter() - began)
    assert shown == names
    print(describe("filter 500 wells, per keystroke", samples))
    print(describe("plain Python filter of 500 names", base))
    page.close()
    runner.shutdown()
    return statistics.median(samples), statistics.median(base)


def bench_save(
    app: QApplication, data: Path, keystore: Keystore, day: date, runs: int = 20
) -> tuple[float, float]:
    """Median s from the Save click to "Saved" on the Production page, for `runs` well-days
    not recorded yet, vs `save_production` of the same values on other wells."""
    from fieldapp.core.production import save_production
    from fieldapp.core.wells import list_wells
    from fieldapp.ui.production_page import ProductionPage
    from shared.contracts import ProductionRecorded

    values = {"oil_bbl": 105.0, "gas_mcf": 126.0, "water_bbl": 52.5, "hours_on": 24.0}
    runner = open_runner(app, data, keystore)
    page = ProductionPage(runner)
    page.resize(1366, 700)
    page.show()
    page.refresh()
    wait(app, lambda: page.well_combo.count() == 500)
    with Store.open(data, keystore) as store, store.read() as conn:
        wells = [w.well_id for w in list_wells(conn)]
    samples: list[float] = []
    for well_id in wells[:runs]:
        page.show_context({"well_id": well_id, "day": day})
        target = (well_id, day)
        wait(app, lambda: page.form.target == target and not runner.busy)  # noqa: B023
        for field, value in values.items():
            page.form.inputs[field].setText(f"{value:g}")
        page.form.validate_now()
        began = time.perf_counter()
        page.form.save_button.click()
        wait(app, lambda: page.result.text().startswith("Saved"))
        samples.append(time.perf_counter() - began)
    page.close()
    runner.shutdown()
    base: list[float] = []
    with Store.open(data, keystore) as store:
        for well_id in wells[runs : 2 * runs]:
            record = ProductionRecorded(well_id=well_id, production_date=day, **values)
            began = time.perf_counter()
            save_production(store, record)
            base.append(time.perf_counter() - began)
    print(describe("save on the Production page, click to Saved", samples))
    print(describe("save_production called directly", base))
    return statistics.median(samples), statistics.median(base)
