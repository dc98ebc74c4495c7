"""MainWindow against a real encrypted store: record, refuse invalid input, filter, pick a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.core.production import find_day
from fieldapp.core.store import Store
from fieldapp.ui.main_window import MainWindow, from_qdate, to_qdate
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.route_state import RouteRow, load_route
from shared.validation import org_today


@pytest.fixture
def window(qtbot: QtBot, runner: OpRunner) -> MainWindow:
    main = MainWindow(runner)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.refresh()
    qtbot.waitUntil(lambda: main.model.rowCount() == 12, timeout=10_000)
    return main


def shown(window: MainWindow, well_id: str) -> RouteRow:
    return next(r for r in window.model.state.rows if r.well_id == well_id)


def type_into(qtbot: QtBot, window: MainWindow, **values: str) -> None:
    for field, text in values.items():
        edit = window.form.inputs[field]
        edit.clear()
        qtbot.keyClicks(edit, text)


def events(store: Store) -> int:
    return store.status().events


def test_opens_on_today_with_every_well_to_record(window: MainWindow, store: Store) -> None:
    today = org_today(store.thresholds.timezone)
    assert window.shown_day == today
    assert from_qdate(window.date_edit.date()) == today
    assert window.date_edit.maximumDate() == to_qdate(today)
    assert {r.state for r in window.model.state.rows} == {"not recorded"}
    assert window.progress.text() == "0 of 12 wells recorded"
    status = window.store_status.text()
    assert f"Pending sync: {store.status().pending}" in status
    assert f"Events: {store.status().events}" in status
    assert "Store: local" in status
    assert window.selected_row() is not None  # the route starts at its first well
    assert window.form.title.text() == window.selected_row().name  # type: ignore[union-attr]


def test_typing_a_record_and_saving_shows_it_recorded(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    today = org_today(store.thresholds.timezone)
    well = next(r for r in window.model.state.rows if r.name == "Wolfcamp 1")
    yesterday = next(
        r for r in load_route(store, today - timedelta(days=1)) if r.well_id == well.well_id
    )
    before = events(store)
    assert window.select_well(well.well_id)
    type_into(
        qtbot,
        window,
        oil_bbl=f"{yesterday.oil_bbl}",
        gas_mcf=f"{yesterday.gas_mcf}",
        water_bbl=f"{yesterday.water_bbl}",
        hours_on="24",  # no downtime typed: no hours-sum check on a daylight-saving day
    )
    qtbot.keyClicks(window.form.notes, "Gauged at 7:10")
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: shown(window, well.well_id).state == "recorded", timeout=10_000)
    row = window.model.state.index_of(well.well_id)
    assert row is not None
    assert window.model.index(row, 1).data() == "✓ Recorded"
    assert window.model.index(row, 2).data() == f"{yesterday.oil_bbl:,.1f}"
    assert window.progress.text() == "1 of 12 wells recorded"
    assert window.form.issues.text().startswith("Saved for Wolfcamp 1.")
    with store.read() as conn:
        saved = find_day(conn, well.well_id, today)
    assert saved is not None
    assert saved["oil_bbl"] == yesterday.oil_bbl
    assert saved["notes"] == "Gauged at 7:10"
    assert events(store) == before + 1
    qtbot.waitUntil(lambda: f"Events: {before + 1}" in window.store_status.text())
    assert "Save correction" in window.form.save_button.text()


def test_negative_oil_shows_the_error_and_saves_nothing(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    well = window.selected_row()
    assert well is not None
    before = events(store)
    type_into(qtbot, window, oil_bbl="-5", gas_mcf="100", water_bbl="50", hours_on="24")
    qtbot.mouseClick(window.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not saved" in window.form.issues.text(), timeout=10_000)
    assert "Oil -5 bbl is negative" in window.form.issues.text()
    assert window.form.inputs["oil_bbl"].property("issue") == "error"
    assert window.form.save_button.isEnabled()  # fix it and save again
    assert window.form.inputs["oil_bbl"].text() == "-5"  # the typing is kept
    assert events(store) == before
    with store.read() as conn:
        assert find_day(conn, well.well_id, window.shown_day) is None  # type: ignore[arg-type]
    assert shown(window, well.well_id).state == "not recorded"


def test_downtime_without_reason_is_refused(qtbot: QtBot, window: MainWindow, store: Store) -> None:
    well = window.selected_row()
    assert well is not None
    before = events(store)
    type_into(
        qtbot, window, oil_bbl="80", gas_mcf="90", water_bbl="40", hours_on="21",
        downtime_hours="3",
    )  # fmt: skip
    window.form.request_save()
    qtbot.waitUntil(lambda: "Not saved" in window.form.issues.text(), timeout=10_000)
    assert "needs a downtime reason" in window.form.issues.text()
    assert window.form.reason.property("issue") == "error"
    assert events(store) == before

    window.form.reason.setCurrentIndex(window.form.reason.findData("POWER"))
    window.form.request_save()
    qtbot.waitUntil(lambda: shown(window, well.well_id).record_id is not None, timeout=10_000)
    assert shown(window, well.well_id).downtime_reason == "POWER"
    assert events(store) == before + 1


def test_filter_narrows_the_rows(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "spraberry")
    assert window.model.rowCount() == 6
    assert all(window.model.index(r, 0).data().startswith("Spraberry") for r in range(6))
    window.search.clear()
    qtbot.keyClicks(window.search, "42-329-40114")
    assert window.model.rowCount() == 1
    assert window.selected_row() is not None
    assert window.selected_row().api_number == "42-329-40114"  # type: ignore[union-attr]
    assert window.form.subtitle.text().startswith("API 42-329-40114")
    window.search.clear()
    assert window.model.rowCount() == 12


def test_picking_a_past_day_shows_its_records_and_corrects_them(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    day = window.shown_day - timedelta(days=2)  # type: ignore[operator]
    window.date_edit.setDate(to_qdate(day))
    qtbot.waitUntil(lambda: window.shown_day == day, timeout=10_000)
    assert all(r.record_id is not None for r in window.model.state.rows)
    assert "12 of 12 wells recorded" in window.progress.text()
    assert window.today_button.isEnabled()

    well = window.selected_row()
    assert well is not None and well.oil_bbl is not None
    assert window.form.inputs["oil_bbl"].text() != ""
    type_into(qtbot, window, oil_bbl=f"{well.oil_bbl + 1:.1f}")
    window.form.request_save()
    qtbot.waitUntil(lambda: "Correction saved" in window.form.issues.text(), timeout=10_000)
    qtbot.waitUntil(lambda: shown(window, well.well_id).oil_bbl == pytest.approx(well.oil_bbl + 1))
    with store.read() as conn:
        saved = find_day(conn, well.well_id, day)
    assert saved is not None
    assert saved["record_id"] == well.record_id  # the same record, corrected

    window.today_button.click()
    qtbot.waitUntil(lambda: window.shown_day == org_today(store.thresholds.timezone))
    assert not window.today_button.isEnabled()


def test_future_dates_cannot_be_picked(qtbot: QtBot, window: MainWindow) -> None:
    today = window.shown_day
    assert today is not None
    window.date_edit.setDate(to_qdate(today + timedelta(days=5)))
    assert from_qdate(window.date_edit.date()) == today  # clamped to the maximum


def test_clear_forgets_the_rows(window: MainWindow) -> None:
    window.clear()
    assert window.model.rowCount() == 0
    assert window.store_status.text() == "Locked"
    assert window.progress.text() == ""


def test_date_helpers_round_trip() -> None:
    day = date(2024, 2, 29)
    assert from_qdate(to_qdate(day)) == day


def test_closing_with_unsaved_typing_asks_once(qtbot: QtBot, window: MainWindow) -> None:
    type_into(qtbot, window, oil_bbl="12")
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    assert window.isVisible()
    assert closed == []
    assert "not saved" in window.form.issues.text()
    assert "close the window again" in window.form.issues.text()
    window.close()
    assert not window.isVisible()
    assert closed == [True]


def test_moving_to_another_well_and_back_keeps_the_typing(qtbot: QtBot, window: MainWindow) -> None:
    first, second = window.model.state.visible[:2]
    window.select_well(first.well_id)
    type_into(qtbot, window, oil_bbl="33.3")
    qtbot.mouseClick(
        window.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.table.visualRect(window.model.index(1, 0)).center(),
    )
    assert window.form.title.text() == second.name
    assert window.form.inputs["oil_bbl"].text() == ""
    window.select_well(first.well_id)
    assert window.form.inputs["oil_bbl"].text() == "33.3"


def test_a_save_answered_after_moving_on_is_reported_for_its_well(
    qtbot: QtBot, window: MainWindow, store: Store
) -> None:
    first, second = window.model.state.visible[:2]
    window.select_well(first.well_id)
    yesterday = {
        r.well_id: r
        for r in load_route(store, window.shown_day - timedelta(days=1))  # type: ignore[operator]
    }[first.well_id]
    type_into(
        qtbot, window, oil_bbl=f"{yesterday.oil_bbl}", gas_mcf=f"{yesterday.gas_mcf}",
        water_bbl=f"{yesterday.water_bbl}",
    )  # fmt: skip
    window.form.request_save()
    window.select_well(second.well_id)  # before the worker answers
    qtbot.waitUntil(lambda: shown(window, first.well_id).record_id is not None, timeout=10_000)
    assert window.statusBar().currentMessage() == f"Saved for {first.name}."
    assert window.form.title.text() == second.name
    assert window.form.issues.isHidden()  # no "Saved" message on the wrong well
    assert window.form.unsaved == 0  # the saved typing is not kept as a draft
    window.select_well(first.well_id)
    assert window.form.inputs["oil_bbl"].text() == f"{yesterday.oil_bbl}"
    assert not window.form.dirty
