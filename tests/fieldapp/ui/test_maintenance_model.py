"""MaintenanceModel: a correct Qt model; overdue entries highlighted and said in words."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from fieldapp.core.maintenance import MaintenanceEntry
from fieldapp.ui import theme
from fieldapp.ui.contrast import contrast_ratio
from fieldapp.ui.maintenance_model import MaintenanceModel
from fieldapp.ui.maintenance_state import ALL_COLUMNS

WELL, PUMP = str(uuid4()), str(uuid4())
LATE = MaintenanceEntry(
    str(uuid4()),
    WELL,
    PUMP,
    date(2026, 9, 1),
    "Lubrication",
    "Grease",
    "Ana",
    1250.5,
    date(2026, 10, 1),
    0,
    1,
)
FINE = MaintenanceEntry(
    str(uuid4()), WELL, None, date(2026, 8, 1), "Inspection", "", "", None, date(2027, 8, 1), 0, 2
)
KEYS = [k for k, _ in ALL_COLUMNS]


def model(show_equipment: bool = True) -> MaintenanceModel:
    shown = MaintenanceModel(show_equipment=show_equipment)
    shown.set_entries([LATE, FINE], frozenset({LATE.maintenance_id}), {PUMP: "Rod pump (RP-7)"})
    return shown


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    shown = model()
    qtmodeltester.check(shown, force_py=True)
    shown.set_filter(WELL, PUMP)
    shown.set_entries([FINE], frozenset())
    qtmodeltester.check(shown, force_py=True)


def test_timeline_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(model(show_equipment=False), force_py=True)


def test_rows_show_the_entries() -> None:
    shown = model()
    late = [shown.index(0, c).data() for c in range(len(KEYS))]
    assert late == [
        "2026-09-01",
        "Lubrication",
        "⚠ OVERDUE since 2026-10-01",
        "Rod pump (RP-7)",
        "Ana",
        "1,250.50",
        "Grease",
    ]
    fine = [shown.index(1, c).data() for c in range(len(KEYS))]
    assert fine == ["2026-08-01", "Inspection", "2027-08-01", "Whole well", "", "", ""]
    assert "Overdue" in shown.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    timeline = model(show_equipment=False)
    assert timeline.columnCount() == len(KEYS) - 1
    assert "Equipment" not in [
        timeline.headerData(c, Qt.Orientation.Horizontal) for c in range(timeline.columnCount())
    ]


def test_overdue_rows_are_highlighted_across_the_row() -> None:
    shown = model()
    ink, paper = theme.status_colours("error")
    for column in range(len(KEYS)):
        late = shown.index(0, column)
        assert late.data(Qt.ItemDataRole.BackgroundRole).color().name() == paper
        assert late.data(Qt.ItemDataRole.ForegroundRole).color().name() == ink
        assert late.data(Qt.ItemDataRole.FontRole).bold()
        assert shown.index(1, column).data(Qt.ItemDataRole.BackgroundRole) is None
    assert contrast_ratio(ink, paper) >= 7
