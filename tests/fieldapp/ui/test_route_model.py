"""RouteModel: a correct Qt model (qtmodeltester) that shows the route state faithfully."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester

from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.route_model import ROW_ROLE, RouteModel
from fieldapp.ui.route_state import COLUMNS, Flag, RouteRow, load_snapshot
from shared.units import UnitSystem

DISPLAY = Qt.ItemDataRole.DisplayRole


def column(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


def rows() -> list[RouteRow]:
    return [
        RouteRow("w1", "42-329-40100", "Wolfcamp 1", "Wolfcamp North", "Wolfcamp Unit"),
        RouteRow(
            "w2",
            "42-317-40107",
            "Spraberry 1H",
            "Spraberry East",
            "Spraberry Unit",
            record_id="r2",
            oil_bbl=1250.25,
            gas_mcf=300.0,
            water_bbl=80.0,
            hours_on=23.5,
            flags=(Flag("oil_day_change", "oil_bbl", "warning", "Oil is up 60% from yesterday."),),
        ),
        RouteRow(
            "w3",
            "42-329-40114",
            "Wolfcamp 2H",
            "Wolfcamp North",
            "Wolfcamp Unit",
            record_id="r3",
            oil_bbl=98.0,
            gas_mcf=120.0,
            water_bbl=40.0,
            hours_on=24.0,
            downtime_hours=0.0,
            notes="Replaced stuffing box",
        ),
    ]


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    model = RouteModel()
    model.set_rows(rows())
    qtmodeltester.check(model, force_py=True)
    model.set_filter("wolf")
    model.sort(column("oil_bbl"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)


def test_model_over_a_real_store_day(qtmodeltester: ModelTester, store: Store) -> None:
    model = RouteModel()
    model.set_rows(load_snapshot(store).rows)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 12
    assert model.columnCount() == len(COLUMNS)
    assert {model.index(r, column("state")).data() for r in range(12)} == {"○ Not recorded"}


def test_display_text_of_each_column() -> None:
    model = RouteModel()
    model.set_rows(rows())
    flagged = next(r for r in range(3) if model.index(r, 0).data() == "Spraberry 1H")
    shown = {c.key: model.index(flagged, i).data(DISPLAY) for i, c in enumerate(COLUMNS)}
    assert shown == {
        "name": "Spraberry 1H",
        "state": "⚠ Flagged",
        "oil_bbl": "1,250.2",  # fixed one decimal so the column's points line up
        "gas_mcf": "300.0",
        "water_bbl": "80.0",
        "hours_on": "23.5",
        "api_number": "42-317-40107",
        "field": "Spraberry East",
    }
    unrecorded = next(r for r in range(3) if model.index(r, 0).data() == "Wolfcamp 1")
    assert model.index(unrecorded, column("oil_bbl")).data() == ""
    assert model.index(unrecorded, column("state")).data() == "○ Not recorded"


def test_flagged_rows_are_coloured_and_explained() -> None:
    model = RouteModel()
    model.set_rows(rows())
    r = next(r for r in range(3) if model.index(r, 0).data() == "Spraberry 1H")
    state = model.index(r, column("state"))
    background = state.data(Qt.ItemDataRole.BackgroundRole)
    foreground = state.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(background, QBrush)
    assert isinstance(foreground, QBrush)
    assert background.color().name() == theme.WARNING_PAPER
    assert foreground.color().name() == theme.WARNING_INK
    tooltip = model.index(r, column("oil_bbl")).data(Qt.ItemDataRole.ToolTipRole)
    assert "Oil is up 60% from yesterday." in tooltip
    assert "42-317-40107" in tooltip
    spoken = state.data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Status: ⚠ Flagged"
    blank = model.index(r, column("field")).data(Qt.ItemDataRole.BackgroundRole)
    assert blank is None  # only the status cell is tinted: the numbers stay black on white


def test_numbers_are_right_aligned_and_headers_spoken_with_units() -> None:
    model = RouteModel()
    oil = column("oil_bbl")
    align = model.headerData(oil, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight
    assert model.headerData(oil, Qt.Orientation.Horizontal, DISPLAY) == "Oil\nbbl"
    spoken = model.headerData(oil, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Oil (bbl)"
    assert model.headerData(0, Qt.Orientation.Vertical, DISPLAY) is None


def test_sort_keeps_persistent_indexes_on_their_well() -> None:
    model = RouteModel()
    model.set_rows(rows())
    r = next(r for r in range(3) if model.index(r, 0).data() == "Wolfcamp 2H")
    persistent = QPersistentModelIndex(model.index(r, column("oil_bbl")))
    model.sort(column("oil_bbl"), Qt.SortOrder.DescendingOrder)
    assert [model.index(i, 0).data() for i in range(3)] == [
        "Spraberry 1H",
        "Wolfcamp 2H",
        "Wolfcamp 1",
    ]
    assert persistent.row() == 1
    assert persistent.data(ROW_ROLE).name == "Wolfcamp 2H"


def test_filter_narrows_rows() -> None:
    model = RouteModel()
    model.set_rows(rows())
    model.set_filter("40114")
    assert model.rowCount() == 1
    assert model.row_at(0) is not None
    assert model.row_at(0).name == "Wolfcamp 2H"  # type: ignore[union-attr]
    assert model.row_at(5) is None
    model.set_filter("")
    assert model.rowCount() == 3


def test_metric_units_convert_volumes_and_headers() -> None:
    model = RouteModel()
    model.set_rows(rows())
    changed: list[int] = []
    model.headerDataChanged.connect(lambda *_: changed.append(1))
    model.set_units(UnitSystem.METRIC)
    well = next(i for i, r in enumerate(model.state.visible) if r.well_id == "w2")
    oil = model.index(well, column("oil_bbl"))
    gas = model.index(well, column("gas_mcf"))
    assert model.data(oil, DISPLAY) == "198.8"  # 1250.25 bbl
    assert model.data(gas, DISPLAY) == "8,495.1"  # 300 Mcf
    assert model.headerData(column("oil_bbl"), Qt.Orientation.Horizontal) == "Oil\nm³"
    tooltip = Qt.ItemDataRole.ToolTipRole
    assert model.headerData(column("gas_mcf"), Qt.Orientation.Horizontal, tooltip) == "Gas (m³)"
    assert changed
