"""The Charts page on a real demo store: choosing, toggles, exports, opening a day's record."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.core.analytics_source import Selection
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.charts_page import PLOT_MIN_HEIGHT, ChartsPage
from fieldapp.ui.ops import OpRunner
from shared.contracts import ProductionRecorded
from shared.validation import org_today


@pytest.fixture
def page(qtbot: QtBot, runner: OpRunner) -> ChartsPage:
    charts = ChartsPage(runner)
    qtbot.addWidget(charts)
    charts.resize(1136, 700)
    charts.show()
    charts.refresh()
    settle(qtbot, charts)
    return charts


def settle(qtbot: QtBot, page: ChartsPage) -> None:
    """Wait for the load and the fit to be painted."""
    qtbot.waitUntil(lambda: not page.busy and page.state.view is not None, timeout=20_000)
    qtbot.waitUntil(
        lambda: page.state.view is not None and page.state.view.analysed, timeout=20_000
    )


def test_opens_on_the_first_well_with_cards_forecast_and_band(
    page: ChartsPage, wells: list[Well]
) -> None:
    view = page.state.view
    assert view is not None and view.selection == Selection("well", wells[0].well_id)
    assert page.heading.text().startswith(f"{wells[0].name} (")
    assert set(page.plot.curves) == {"oil", "gas", "water"}
    assert set(page.plot.bands) == {"oil", "gas", "water"}  # the 95 % band is drawn
    texts = page.cards.texts()
    assert len(texts) == 3 and texts[0].startswith("Oil rate (bbl/d). Now ")
    x, y = page.plot.curves["oil"].getData()
    assert len(x) == len(view.x)
    assert np.isfinite(y).sum() == np.isfinite(view.metrics[0].y).sum() > 30


def test_choosing_a_lease_then_a_well_by_search(
    qtbot: QtBot, page: ChartsPage, wells: list[Well]
) -> None:
    page.controls.scope.setCurrentIndex(page.controls.scope.findData("lease"))
    lease = wells[0].lease
    page.controls.picker.setCurrentIndex(page.controls.picker.findData(lease))
    settle(qtbot, page)
    view = page.state.view
    assert view is not None and view.selection == Selection("lease", str(lease))
    assert f"({'lease'}, " in view.label
    page.controls.scope.setCurrentIndex(page.controls.scope.findData("well"))
    target = wells[5]
    qtbot.keyClicks(page.controls.search, target.api_number[-5:])
    qtbot.keyClick(page.controls.search, "\r")
    settle(qtbot, page)
    assert page.state.view is not None
    assert page.state.view.selection == Selection("well", target.well_id)


def test_toggles_and_modes_redraw_what_is_asked(qtbot: QtBot, page: ChartsPage) -> None:
    page.controls.toggles["gas"].setChecked(False)
    settle(qtbot, page)
    assert set(page.plot.curves) == {"oil", "water"} and len(page.cards.texts()) == 2
    page.controls.mode.setCurrentIndex(page.controls.mode.findData("cumulative"))
    settle(qtbot, page)
    view = page.state.view
    assert view is not None and view.options.cumulative and page.plot.bands == {}
    _x, y = page.plot.curves["oil"].getData()
    assert np.all(np.diff(y[np.isfinite(y)]) >= 0)  # a running total never falls
    page.controls.mode.setCurrentIndex(page.controls.mode.findData("rates"))
    page.controls.log.setChecked(True)
    settle(qtbot, page)
    assert page.plot.item.ctrl.logYCheck.isChecked() and page.plot.bands
    page.controls.range.setCurrentIndex(page.controls.range.findData("30"))
    settle(qtbot, page)
    assert page.state.view is not None and len(page.state.view.days) <= 30


def test_exports_write_a_readable_png_and_the_shown_series_as_csv(
    page: ChartsPage, tmp_path: Path
) -> None:
    png = page.export_png(tmp_path / "chart.png")
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 1200
    written = page.export_csv(tmp_path / "chart.csv")
    with written.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    view = page.state.view
    assert view is not None
    assert rows[0][:5] == ["date", "status", "oil (bbl/d)", "gas (Mcf/d)", "water (bbl/d)"]
    assert len(rows) == 1 + len(view.days) + page.state.settings.horizon
    assert rows[1][0] == date.fromordinal(int(view.days[0])).isoformat()
    assert float(rows[-1][5]) > 0  # the forecast's last day, its mean


def test_a_click_on_a_day_opens_that_days_record(
    qtbot: QtBot, page: ChartsPage, wells: list[Well], store: Store
) -> None:
    seen: list[tuple[str, dict[str, Any]]] = []
    page.navigate.connect(lambda name, args: seen.append((name, args)))
    today = org_today(store.thresholds.timezone)
    day = today - timedelta(days=3)
    page.plot.click_day(day)
    assert seen == [("production", {"well_id": wells[0].well_id, "day": day})]
    page.plot.click_day(today + timedelta(days=3))  # the forecast: nothing to open
    assert len(seen) == 1


def test_a_new_record_changes_the_version_and_the_chart_follows(
    qtbot: QtBot, page: ChartsPage, wells: list[Well], store: Store
) -> None:
    view = page.state.view
    assert view is not None
    before = page.state.loaded.source.version  # type: ignore[union-attr]
    hits = page.state.cache.hits
    page.refresh()  # shown again, nothing changed: the fits come from the cache
    qtbot.waitUntil(lambda: page.state.cache.hits > hits, timeout=20_000)
    settle(qtbot, page)
    assert page.state.cache.hits > hits and page.state.loaded.source.version == before  # type: ignore[union-attr]
    today = org_today(store.thresholds.timezone)
    save_production(
        store,
        ProductionRecorded(
            well_id=wells[0].well_id,
            production_date=today,
            oil_bbl=1.0,
            gas_mcf=1.0,
            water_bbl=1.0,
            hours_on=2.0,
            downtime_hours=22.0,
            downtime_reason="POWER",
        ),
    )
    page.refresh()
    qtbot.waitUntil(
        lambda: page.state.loaded is not None and page.state.loaded.source.version != before,
        timeout=20_000,
    )
    settle(qtbot, page)
    oil = page.state.view.metric("oil")  # type: ignore[union-attr]
    assert oil is not None and oil.y[-1] == pytest.approx(12.0)  # 1 bbl in 2 h: 12 bbl/d


def test_in_big_type_on_a_short_screen_the_chart_keeps_its_height_and_the_page_scrolls(
    qtbot: QtBot, page: ChartsPage
) -> None:
    theme.apply_to_window(page, "sunlight")  # three cards in 16 pt bold, as in the sun
    try:
        page.resize(1136, 620)
        QApplication.processEvents()
        assert len(page.cards.texts()) == 3
        assert page.plot.height() >= PLOT_MIN_HEIGHT
        assert page.controls.isVisible()  # above the scrolled part: always in view
        bar = page.body_scroll.verticalScrollBar()
        assert bar.maximum() > 0  # what does not fit scrolls into view
    finally:
        theme.set_theme("standard")
