"""WeekModel: a correct Qt model over WeekState; WeekGrid's Save all and its messages."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from fieldapp.core.production_days import production_week
from fieldapp.core.store import Store
from fieldapp.core.wells import list_wells
from fieldapp.ui.week_grid import ReasonDelegate, WeekGrid, WeekModel
from fieldapp.ui.week_state import WeekState
from shared.units import UnitSystem
from shared.validation import org_today

DISPLAY = Qt.ItemDataRole.DisplayRole


def demo_state(store: Store, units: UnitSystem = UnitSystem.FIELD) -> WeekState:
    with store.read() as conn:
        well = list_wells(conn)[0]
    state = WeekState(units)
    state.load(production_week(store, well.well_id, org_today(store.thresholds.timezone)))
    return state


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester, store: Store) -> None:
    model = WeekModel(demo_state(store))
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 7
    assert model.columnCount() == 7  # 5 values, the reason, the status
    model.setData(model.index(6, 0), "12")
    model.setData(model.index(5, 0), "-4")
    qtmodeltester.check(model, force_py=True)
    empty = WeekModel()
    qtmodeltester.check(empty, force_py=True)
    assert empty.rowCount() == 0


def test_headers_show_days_and_units(store: Store) -> None:
    model = WeekModel(demo_state(store))
    today = org_today(store.thresholds.timezone)
    assert model.headerData(6, Qt.Orientation.Vertical, DISPLAY) == f"{today:%a %d %b}"
    assert model.headerData(0, Qt.Orientation.Horizontal, DISPLAY) == "Oil\n(bbl)"
    assert model.headerData(6, Qt.Orientation.Horizontal, DISPLAY) == "Status"
    model.set_units(UnitSystem.METRIC)
    assert model.headerData(1, Qt.Orientation.Horizontal, DISPLAY) == "Gas\n(m³)"


def test_cells_show_status_in_words_and_edits_change_it(store: Store) -> None:
    model = WeekModel(demo_state(store))
    status = model.status_column
    assert model.index(6, status).data() == "Not recorded"  # today, in the demo
    assert model.index(5, status).data() in ("Recorded", "Saved")
    assert model.index(5, 0).data() != ""
    assert not model.flags(model.index(5, status)) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(5, 0)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(5, 0), "-1")
    assert model.index(5, status).data().startswith("Fix before saving: Oil -1 bbl is negative")
    assert "negative" in model.index(5, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(5, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_the_reason_is_picked_from_the_codes(qtbot: QtBot, store: Store) -> None:
    grid = WeekGrid()
    qtbot.addWidget(grid)
    grid.state.load(demo_state(store).data)
    grid.model.reset()
    delegate = ReasonDelegate()
    index = grid.model.index(6, 5)
    editor = delegate.createEditor(grid, QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox) and editor.accessibleName() == "Downtime reason"
    delegate.setEditorData(editor, index)
    editor.setCurrentIndex(editor.findData("POWER"))
    delegate.setModelData(editor, grid.model, index)
    assert grid.state.text(6, 5) == "POWER"
    assert index.data() == "Power outage"


def test_save_all_with_nothing_to_save_says_so(qtbot: QtBot, store: Store) -> None:
    grid = WeekGrid()
    qtbot.addWidget(grid)
    grid.state.load(demo_state(store).data)
    grid.model.reset()
    with qtbot.assertNotEmitted(grid.save_requested):
        grid.request_save()
    assert grid.summary.text() == "Nothing changed to save."
    grid.model.setData(grid.model.index(6, 0), "abc")
    assert "Fix the marked days before saving" in grid.summary.text()
    for column, text in enumerate(("10", "12", "5", "24")):
        grid.model.setData(grid.model.index(5, column), text)
    with qtbot.waitSignal(grid.save_requested):
        grid.request_save()
    assert [r.day for r in grid.state.rows_to_save()] == [
        org_today(store.thresholds.timezone) - timedelta(days=1)
    ]
    assert isinstance(grid.state.days[0], date)


def test_a_cell_being_typed_in_keeps_its_text_when_the_grid_reloads(
    qtbot: QtBot, store: Store
) -> None:
    grid = WeekGrid()
    qtbot.addWidget(grid)
    with store.read() as conn:
        well = list_wells(conn)[0]
    week = production_week(store, well.well_id, org_today(store.thresholds.timezone))
    grid.load(week)
    grid.show()
    qtbot.waitExposed(grid)
    today_oil = grid.model.index(6, 0)
    grid.table.setCurrentIndex(today_oil)
    grid.table.edit(today_oil)
    editor = grid.table.focusWidget()
    assert editor is not None and editor is not grid.table
    qtbot.keyClicks(editor, "77")
    grid.load(week)  # a sync pulled: the same days come back under the open editor
    assert grid.model.index(6, 0).data(Qt.ItemDataRole.EditRole) == "77"  # as typed
    assert grid.model.index(6, 0).data() == "77.0"  # shown with the column's decimals
    assert grid.state.dirty_count() == 1
