"""The production form's fields: oil, gas, water and hours on side by side, all in view on a
1366×768 laptop even with a warning under every one of them, in both themes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.ui import theme
from fieldapp.ui.production_fields import FORM_COLUMNS, build_fields
from fieldapp.ui.production_form import ProductionForm
from fieldapp.ui.route_state import RouteRow
from shared.validation import Issue, Severity

FIRST_ROW = ("oil_bbl", "gas_mcf", "water_bbl", "hours_on")
# what the form gets in a 1366×768 window: the window less navigation, margins, the tabs,
# the record's history beside it, and the status bar
FORM_SIZE = (800, 500)
WELL = RouteRow("6f1c1e5e-8d1d-4a8e-9a51-2d5b8f0f7a11", "42-329-40100", "Wolfcamp 1", "F", "L")
LONG = "Oil 120 bbl is 19.4 standard deviations above the 30-day average (63.9 bbl)."


@pytest.fixture(params=["standard", "sunlight"])
def look(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param
    theme.set_theme("standard")


def grid_cell(fields_grid: object, widget: QWidget) -> tuple[int, int, int]:
    """(row, column, column span) of the cell holding `widget`."""
    grid = fields_grid
    for i in range(grid.count()):  # type: ignore[attr-defined]
        box = grid.itemAt(i).layout()  # type: ignore[attr-defined]
        if box is not None and any(box.itemAt(j).widget() is widget for j in range(box.count())):
            row, column, _, span = grid.getItemPosition(i)  # type: ignore[attr-defined]
            return row, column, span
    raise AssertionError("widget not in the grid")


def test_the_first_row_holds_the_four_daily_values_and_every_edit_is_reported(
    qtbot: QtBot,
) -> None:
    edits: list[object] = []
    fields = build_fields(lambda *args: edits.append(args))
    holder = QWidget()
    holder.setLayout(fields.grid)
    qtbot.addWidget(holder)
    assert [grid_cell(fields.grid, fields.inputs[k]) for k in FIRST_ROW] == [
        (0, column, 1) for column in range(FORM_COLUMNS)
    ]
    assert grid_cell(fields.grid, fields.reason)[2] == 2
    assert grid_cell(fields.grid, fields.notes)[1:] == (0, FORM_COLUMNS)
    fields.inputs["oil_bbl"].setText("12")
    fields.reason.setCurrentIndex(2)
    fields.notes.setPlainText("x")
    assert len(edits) == 3
    assert (
        set(fields.captions)
        == set(fields.messages)
        == {
            *fields.inputs,
            "downtime_reason",
            "notes",
        }
    )


def test_all_four_inputs_are_in_view_with_a_long_warning_under_each(
    qtbot: QtBot, look: str
) -> None:
    form = ProductionForm()
    qtbot.addWidget(form)
    theme.apply_to_window(form, look)  # the big type of the app, not the test default
    form.resize(*FORM_SIZE)
    form.show()
    qtbot.waitExposed(form)
    warnings = [Issue("oil_zscore", key, Severity.WARNING, LONG) for key in FIRST_ROW]
    form.set_target(WELL, date(2026, 12, 7))
    form.check = lambda: warnings  # type: ignore[method-assign]  # the rules' words, as typed
    form.validate_now()
    QApplication.processEvents()
    assert form.issues.isVisible()  # "Unusual values: 4 warnings, each shown by its field"
    viewport = form.fields_scroll.viewport()
    seen = QRect(QPoint(0, 0), viewport.size())
    for key in FIRST_ROW:
        edit = form.inputs[key]
        place = QRect(edit.mapTo(viewport, QPoint(0, 0)), edit.size())
        assert seen.contains(place), (look, key, place, seen)
        assert form.messages[key].isVisible()
    widths = {form.inputs[k].width() for k in FIRST_ROW}
    assert max(widths) - min(widths) <= 2, widths  # equal columns: no message widens one
    assert form.fields_scroll.verticalScrollBar().value() == 0
