"""RoutePage against a real encrypted store: today's state per well, search, days, navigation."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.core.production import find_day, save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import list_wells
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import from_qdate, to_qdate
from fieldapp.ui.route_page import RoutePage
from fieldapp.ui.route_state import COLUMNS
from shared.contracts import ProductionRecorded
from shared.validation import org_today


@pytest.fixture
def page(qtbot: QtBot, runner: OpRunner) -> RoutePage:
    route = RoutePage(runner)
    qtbot.addWidget(route)
    route.resize(1200, 700)
    route.show()
    route.refresh()
    qtbot.waitUntil(lambda: route.model.rowCount() == 12, timeout=10_000)
    return route


def navigations(page: RoutePage) -> list[tuple[str, dict[str, Any]]]:
    seen: list[tuple[str, dict[str, Any]]] = []
    page.navigate.connect(lambda name, args: seen.append((name, args)))
    return seen


def test_opens_on_today_with_every_well_to_record(page: RoutePage, store: Store) -> None:
    today = org_today(store.thresholds.timezone)
    assert page.shown_day == today
    assert from_qdate(page.date_edit.date()) == today
    assert page.date_edit.maximumDate() == to_qdate(today)
    assert {r.state for r in page.model.state.rows} == {"not recorded"}
    assert page.progress.text() == "0 of 12 wells recorded"
    assert page.selected_row() is not None  # the route starts at its first well
    assert not page.today_button.isEnabled()


def test_a_record_saved_elsewhere_shows_recorded_and_flagged(
    qtbot: QtBot, page: RoutePage, store: Store
) -> None:
    today = org_today(store.thresholds.timezone)
    with store.read() as conn:
        first, second = list_wells(conn)[:2]
        yesterday = find_day(conn, first.well_id, today - timedelta(days=1))
    assert yesterday is not None
    values = {k: yesterday[k] for k in ("oil_bbl", "gas_mcf", "water_bbl", "hours_on")}
    save_production(
        store,
        ProductionRecorded(  # the same as yesterday: unremarkable
            well_id=first.well_id, production_date=today, **values
        ),
    )
    save_production(
        store,
        ProductionRecorded(  # 9000 bbl: far above its history
            well_id=second.well_id,
            production_date=today,
            oil_bbl=9000.0,
            gas_mcf=30.0,
            water_bbl=10.0,
            hours_on=24.0,
        ),
    )
    page.refresh()
    qtbot.waitUntil(lambda: page.model.state.counts()[0] == 2, timeout=10_000)
    states = {r.well_id: r.state for r in page.model.state.rows}
    assert states[str(first.well_id)] == "recorded"
    assert states[str(second.well_id)] == "flagged"
    assert page.progress.text() == "2 of 12 wells recorded, 1 flagged"
    row = page.model.state.index_of(str(second.well_id))
    assert row is not None
    assert page.model.index(row, 1).data() == "⚠ Flagged"


def test_search_by_name_or_api_number(qtbot: QtBot, page: RoutePage) -> None:
    qtbot.keyClicks(page.search, "spraberry")
    assert page.model.rowCount() == 6
    assert all(page.model.index(r, 0).data().startswith("Spraberry") for r in range(6))
    page.search.clear()
    qtbot.keyClicks(page.search, "4232940114")  # without the dashes
    assert page.model.rowCount() == 1
    assert page.selected_row().api_number == "42-329-40114"  # type: ignore[union-attr]
    page.search.clear()
    assert page.model.rowCount() == 12


def test_enter_in_search_opens_production_for_the_match(qtbot: QtBot, page: RoutePage) -> None:
    seen = navigations(page)
    qtbot.keyClicks(page.search, "42-329-40114")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert len(seen) == 1
    name, args = seen[0]
    assert name == "production"
    assert args["day"] == page.shown_day
    assert args["well_id"] == page.selected_row().well_id  # type: ignore[union-attr]


def test_record_button_and_incident_button_navigate(qtbot: QtBot, page: RoutePage) -> None:
    seen = navigations(page)
    well = page.selected_row()
    assert well is not None
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.incident_button, Qt.MouseButton.LeftButton)
    assert seen == [
        ("production", {"well_id": well.well_id, "day": page.shown_day}),
        ("incidents", {"well_id": well.well_id}),
    ]


def test_picking_a_past_day_shows_its_records(qtbot: QtBot, page: RoutePage) -> None:
    today = page.shown_day
    assert today is not None
    day = today - timedelta(days=2)
    page.date_edit.setDate(to_qdate(day))
    qtbot.waitUntil(lambda: page.shown_day == day, timeout=10_000)
    assert all(r.record_id is not None for r in page.model.state.rows)
    assert page.progress.text().startswith("12 of 12 wells recorded")
    assert page.today_button.isEnabled()
    page.today_button.click()
    qtbot.waitUntil(lambda: page.shown_day == today, timeout=10_000)


def test_show_context_moves_to_the_day_and_well(qtbot: QtBot, page: RoutePage) -> None:
    today = page.shown_day
    assert today is not None
    target = page.model.state.rows[5]
    page.show_context({"day": today - timedelta(days=1), "well_id": target.well_id})
    qtbot.waitUntil(lambda: page.shown_day == today - timedelta(days=1), timeout=10_000)
    assert page.selected_row() is not None
    assert page.selected_row().well_id == target.well_id  # type: ignore[union-attr]


def test_future_dates_cannot_be_picked(page: RoutePage) -> None:
    today = page.shown_day
    assert today is not None
    page.date_edit.setDate(to_qdate(today + timedelta(days=5)))
    assert from_qdate(page.date_edit.date()) == today  # clamped to the maximum


def test_clear_forgets_the_rows(page: RoutePage) -> None:
    page.clear()
    assert page.model.rowCount() == 0
    assert page.progress.text() == ""


def test_date_helpers_round_trip() -> None:
    day = date(2024, 2, 29)
    assert from_qdate(to_qdate(day)) == day


def test_every_column_shows_whole_in_a_1366_px_window(qtbot: QtBot, runner: OpRunner) -> None:
    route = RoutePage(runner)
    qtbot.addWidget(route)
    theme.apply_to_window(route)  # the app's big type: the test default font is smaller
    route.resize(1366 - 210 - 48, 700)  # the window less the navigation and the margins
    route.show()
    route.refresh()
    qtbot.waitUntil(lambda: route.model.rowCount() == 12, timeout=10_000)
    table, header = route.table, route.table.horizontalHeader()
    assert table.horizontalScrollBar().maximum() == 0  # nothing hidden to the right
    metrics = header.fontMetrics()
    for column, spec in enumerate(COLUMNS):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
        words = str(route.model.headerData(column, Qt.Orientation.Horizontal)).splitlines()
        if spec.numeric:  # no room kept for a sort arrow the column does not show
            need = max(max(metrics.horizontalAdvance(w) for w in words) + 20, 80)
            assert header.sectionSize(column) <= max(need, table.sizeHintForColumn(column))
