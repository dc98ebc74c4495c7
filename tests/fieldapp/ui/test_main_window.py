"""MainWindow over every real page and a real encrypted store: navigation, the status strip,
a record typed in the Production page showing in the Route, preferences, locking, closing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.core.preferences import Preferences
from fieldapp.core.production import find_day
from fieldapp.core.store import Store
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import PAGE_NAMES
from fieldapp.ui.production_page import ProductionPage
from fieldapp.ui.route_page import RoutePage
from fieldapp.ui.settings_page import SettingsPage
from shared.units import UnitSystem

_LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot: QtBot, runner: OpRunner) -> MainWindow:
    main = MainWindow(runner)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.refresh()
    qtbot.waitUntil(lambda: route(main).model.rowCount() == 12, timeout=10_000)
    qtbot.waitUntil(lambda: "Pending sync" in main.store_status.text(), timeout=10_000)
    return main


def route(window: MainWindow) -> RoutePage:
    page = window.pages["route"]
    assert isinstance(page, RoutePage)
    return page


def production(window: MainWindow) -> ProductionPage:
    page = window.pages["production"]
    assert isinstance(page, ProductionPage)
    return page


def test_every_screen_has_a_navigation_button_in_order(qtbot: QtBot, window: MainWindow) -> None:
    assert tuple(window.pages) == PAGE_NAMES
    titles = [window.nav_buttons[name].text() for name in PAGE_NAMES]
    assert titles == [
        "Route",
        "Production",
        "Charts",
        "Equipment",
        "Maintenance",
        "Incidents",
        "Photos",
        "Sync",
        "Settings",
    ]
    assert window.current_page().name == "route"
    for name in PAGE_NAMES:
        qtbot.mouseClick(window.nav_buttons[name], _LEFT)
        assert window.current_page() is window.pages[name]
        assert window.nav_buttons[name].isChecked()
        assert sum(b.isChecked() for b in window.nav_buttons.values()) == 1
        assert window.sync_panel.isVisible()  # the status strip stays on every screen


def test_ctrl_and_a_number_switches_screens(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().name == "sync"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().name == "charts"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().name == "route"
    assert QKeySequence("Ctrl+9").toString() in window.nav_buttons["settings"].toolTip()


def test_a_record_typed_in_production_shows_in_the_route_and_its_history(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    first = route(window).selected_row()
    assert first is not None and first.state == "not recorded"
    qtbot.mouseClick(route(window).record_button, _LEFT)  # the route sends the operator there
    page = production(window)
    assert window.current_page() is page
    qtbot.waitUntil(
        lambda: page.form.target == (first.well_id, route(window).shown_day), timeout=10_000
    )
    qtbot.mouseClick(page.same_button, _LEFT)  # yesterday's figures are typical for the well
    qtbot.waitUntil(lambda: page.form.inputs["oil_bbl"].text() != "", timeout=10_000)
    edit = page.form.inputs["oil_bbl"]
    typed = f"{float(edit.text()) + 0.5:.1f}"
    edit.clear()
    qtbot.keyClicks(edit, typed)
    with qtbot.waitSignal(window.saved, timeout=10_000):
        qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.result.text().startswith("Saved")
    first_version = lambda: page.history.count() == 1 and "Version 1" in page.history.item(0).text()  # noqa: E731
    qtbot.waitUntil(first_version, timeout=10_000)
    qtbot.waitUntil(lambda: "Pending sync: " in window.store_status.text(), timeout=10_000)

    qtbot.mouseClick(window.nav_buttons["route"], _LEFT)
    shown = lambda: next(r for r in route(window).model.state.rows if r.well_id == first.well_id)  # noqa: E731
    qtbot.waitUntil(lambda: shown().record_id is not None, timeout=10_000)
    assert shown().oil_bbl == pytest.approx(float(typed))
    assert route(window).progress.text().startswith("1 of 12 wells recorded")
    with store.read() as conn:
        saved = find_day(conn, first.well_id, route(window).shown_day)  # type: ignore[arg-type]
    assert saved is not None and saved["oil_bbl"] == pytest.approx(float(typed))


def test_settings_saved_change_the_units_everywhere(qtbot: QtBot, window: MainWindow) -> None:
    changed: list[Preferences] = []
    window.preferences_changed.connect(changed.append)
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    window.show_page("settings")
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    chosen = Preferences(units=UnitSystem.METRIC, autolock_minutes=30)
    settings.preferences_changed.emit(chosen)  # what Save emits (tested in test_settings_page)
    assert changed == [chosen]
    assert window.preferences == chosen
    assert route(window).model.units == UnitSystem.METRIC
    assert production(window).form.inputs["oil_bbl"].accessibleName().endswith("(m³)")
    assert "Settings saved" in window.statusBar().currentMessage()


def test_a_new_server_url_is_passed_on_so_the_sync_restarts(window: MainWindow) -> None:
    urls: list[str] = []
    window.server_url_changed.connect(urls.append)
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    settings.server_url_changed.emit("https://office.example:8443")
    assert urls == ["https://office.example:8443"]


def test_clear_forgets_what_every_screen_shows(window: MainWindow) -> None:
    window.clear()
    assert route(window).model.rowCount() == 0
    assert window.store_status.text() == "Locked"


def test_closing_with_unsaved_typing_asks_once(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("production", {"well_id": route(window).model.state.rows[0].well_id})
    page = production(window)
    qtbot.waitUntil(lambda: page.form.target is not None, timeout=10_000)
    qtbot.keyClicks(page.form.inputs["oil_bbl"], "12")
    window.show_page("route")
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    assert window.isVisible() and closed == []
    assert window.current_page() is page  # the window shows where the typing is
    assert "not saved on Production" in window.statusBar().currentMessage()
    window.close()
    QApplication.processEvents()
    assert closed == [True]
