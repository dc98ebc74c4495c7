"""Render every main screen of WellPulse Field, with demo data, into PNG files for review.

Run through `scripts/screenshots` (which sets up the venv and the offscreen platform):

    scripts/screenshots [--out DIR] [--database-url URL]

The data is real: see `screenshot_scenario.py`. The window is the app's own `MainWindow` over
an `OpRunner` holding operator1's store, and it syncs once, for real, before the shots.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import screenshot_photos as photos
import screenshot_scenario as scenario
from PySide6.QtWidgets import QApplication, QWidget

from fieldapp.core.preferences import Preferences
from fieldapp.core.startup_flow import StartupFlow
from fieldapp.core.store import Store
from fieldapp.sync.connect import engine_for
from fieldapp.ui import theme
from fieldapp.ui.charts_page import ChartsPage
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_fetch import PhotoFetcher
from fieldapp.ui.photos_page import PhotosPage
from fieldapp.ui.setup_dialog import SetupDialog
from fieldapp.ui.sync_status import SyncBridge
from fieldapp.ui.unlock import AFTER_AUTO_LOCK, UnlockDialog

SIZE = (1366, 768)  # a common rugged-laptop screen


def settle(app: QApplication, runner: OpRunner, done: Callable[[], bool] = lambda: True) -> None:
    """Let the worker answer and the window paint what it answered."""
    deadline = time.monotonic() + 60
    while (runner.busy or not done()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()
        time.sleep(0.02)


def shoot(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(f"  {path}")


def open_runner(app: QApplication, data: Path) -> OpRunner:
    runner = OpRunner()
    runner.open(lambda: Store.open(data, scenario.no_keystore(), lambda: scenario.PASSPHRASE))
    settle(app, runner)
    return runner


def sync_once(runner: OpRunner, http: httpx.Client, bridge: SyncBridge) -> None:
    def op(store: Store) -> object:
        engine = engine_for(store, scenario.no_keystore(), http=http)
        engine.listeners.append(bridge.listener)
        return engine.sync()

    runner.run(op)


def main_screens(
    app: QApplication, window: MainWindow, runner: OpRunner, out: Path, suffix: str = ""
) -> None:
    route = window.show_page("route")
    settle(app, runner, lambda: route.model.rowCount() > 0)  # type: ignore[attr-defined]
    shoot(window, out, f"01-route{suffix}")

    target = route.model.state.rows[5]  # type: ignore[attr-defined]
    production = window.show_page("production", {"well_id": target.well_id, "day": route.shown_day})  # type: ignore[attr-defined]
    settle(app, runner)
    form = production.form  # type: ignore[attr-defined]
    usual = target.oil_bbl or 0.0
    for field, text in (
        ("oil_bbl", f"{max(usual, 40) * 3:.1f}"),
        ("gas_mcf", "61"),
        ("water_bbl", "35"),
        ("hours_on", "24"),
    ):
        form.inputs[field].setText(text)
    form.validate_now()
    settle(app, runner)
    shoot(window, out, f"02-production-warning{suffix}")
    form.revert()
    charts_screens(app, window, runner, out, suffix)

    corrected = route.model.state.rows[2]  # type: ignore[attr-defined]
    day = route.shown_day - timedelta(days=1)  # type: ignore[attr-defined]
    window.show_page("production", {"well_id": corrected.well_id, "day": day})
    settle(app, runner)
    shoot(window, out, f"03-production-history{suffix}")
    production.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
    settle(app, runner)
    shoot(window, out, f"04-production-7-days{suffix}")
    production.tabs.setCurrentIndex(0)  # type: ignore[attr-defined]

    equipment = window.show_page("equipment")
    settle(app, runner)
    table = equipment.table  # type: ignore[attr-defined]
    if table.model().rowCount() > 5:
        table.selectRow(5)
    settle(app, runner)
    shoot(window, out, f"05-equipment{suffix}")

    maintenance = window.show_page("maintenance")
    settle(app, runner)
    maintenance.table.selectRow(0)  # type: ignore[attr-defined]  # the entry with photos
    settle(app, runner)
    settle(app, runner)  # the other laptop's thumbnail, fetched
    shoot(window, out, f"06-maintenance{suffix}")

    incidents = window.show_page("incidents")
    settle(app, runner)
    if incidents.table.model().rowCount():  # type: ignore[attr-defined]
        incidents.table.selectRow(0)  # type: ignore[attr-defined]
    settle(app, runner)
    shoot(window, out, f"07-incidents{suffix}")
    photo_screens(app, window, runner, out, suffix)

    for tab, name in (
        (0, "08-sync-pending"),
        (1, "09-sync-results"),
        (2, "10-sync-conflict"),
        (3, "11-sync-rejected"),
    ):
        sync_page = window.show_page(
            "sync", {"show": ("pending", "results", "conflicts", "rejected")[tab]}
        )
        settle(app, runner)
        del sync_page
        shoot(window, out, f"{name}{suffix}")

    window.show_page("settings")
    settle(app, runner)
    shoot(window, out, f"12-settings{suffix}")


def photo_screens(
    app: QApplication, window: MainWindow, runner: OpRunner, out: Path, suffix: str = ""
) -> None:
    """The Photos page, and the viewer over its first photo."""
    page = window.show_page("photos")
    assert isinstance(page, PhotosPage)
    settle(app, runner, lambda: page.loaded)
    shoot(window, out, f"18-photos{suffix}")
    viewer = page.open_at(0)
    if viewer is None:
        return
    viewer.resize(*SIZE)
    settle(app, runner, lambda: viewer.pixmap is not None)
    shoot(viewer, out, f"19-photo-viewer{suffix}")
    viewer.close()


def charts_screens(
    app: QApplication, window: MainWindow, runner: OpRunner, out: Path, suffix: str = ""
) -> None:
    """A well over a year with its forecast band and Arps curve; a field's total on a log
    axis since the history began."""
    charts = window.show_page("charts")
    assert isinstance(charts, ChartsPage)
    fitted = lambda: charts.state.view is not None and charts.state.view.analysed  # noqa: E731
    settle(app, runner, lambda: not charts.busy and fitted())
    controls = charts.controls
    controls.range.setCurrentIndex(controls.range.findData("365"))
    controls.toggles["gas"].setChecked(False)
    settle(app, runner, lambda: not charts.busy and fitted())
    shoot(window, out, f"16-charts-well{suffix}")
    controls.scope.setCurrentIndex(controls.scope.findData("field"))
    controls.range.setCurrentIndex(controls.range.findData("all"))
    controls.toggles["gas"].setChecked(True)
    controls.log.setChecked(True)
    settle(app, runner, lambda: not charts.busy and fitted())
    shoot(window, out, f"17-charts-field-log{suffix}")
    controls.log.setChecked(False)
    controls.scope.setCurrentIndex(controls.scope.findData("well"))
    controls.range.setCurrentIndex(controls.range.findData("90"))
    settle(app, runner, lambda: not charts.busy)


def dialogs(app: QApplication, out: Path, suffix: str = "") -> None:
    unlock = UnlockDialog(AFTER_AUTO_LOCK)
    unlock.resize(640, 360)
    unlock.show()
    app.processEvents()
    shoot(unlock, out, f"13-unlock-after-auto-lock{suffix}")
    unlock.close()
    flow = StartupFlow(None)
    flow.start(False)
    setup = SetupDialog(flow)
    setup.show_step()
    setup.resize(760, 560)
    setup.show()
    app.processEvents()
    shoot(setup, out, f"14-first-run{suffix}")
    flow.choose_server()
    setup.show_step()
    app.processEvents()
    shoot(setup, out, f"15-first-run-register{suffix}")
    setup.close()


def main() -> int:
    parser = argparse.ArgumentParser(prog="scripts/screenshots")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--database-url", default=os.environ.get("SCREENSHOTS_DATABASE_URL"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    theme.apply_to_application(app)
    with tempfile.TemporaryDirectory(prefix="wellpulse-shots-") as tmp:
        folder = Path(tmp)
        print("seeding the demo server and two laptops…")
        with scenario.demo_server(folder, args.database_url) as http:
            data = scenario.build(folder, http)
            runner = open_runner(app, data)
            bridge = SyncBridge()
            fetcher = PhotoFetcher(
                scenario.no_keystore(),
                runner,
                lambda store, keys: engine_for(store, keys, http=http).client,
            )
            bridge.happened.connect(fetcher.sync_event)
            window = MainWindow(runner, bridge)
            window.resize(*SIZE)
            window.show()
            window.refresh()
            sync_once(runner, http, bridge)
            runner.run(scenario.today_records)
            runner.run(photos.unsent_photos)
            settle(app, runner)
            window.refresh()
            print(f"writing screenshots to {args.out}/")
            main_screens(app, window, runner, args.out)
            theme.set_theme("sunlight")
            window.set_preferences(Preferences(theme="sunlight"))
            main_screens(app, window, runner, args.out, "-sunlight")
            dialogs(app, args.out, "-sunlight")
            theme.set_theme("standard")
            dialogs(app, args.out)
            window.hide()
            runner.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
