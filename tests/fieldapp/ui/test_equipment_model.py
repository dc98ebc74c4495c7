"""EquipmentModel: a correct Qt model whose status is shown in colour and in words."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester

from fieldapp.core.equipment import Equipment
from fieldapp.ui import theme
from fieldapp.ui.contrast import contrast_ratio
from fieldapp.ui.equipment_model import ROW_ROLE, EquipmentModel
from fieldapp.ui.equipment_state import COLUMNS

WELL = str(uuid4())
ITEMS = [
    Equipment(
        str(uuid4()),
        WELL,
        "Rod pump",
        "Weatherford",
        "RHAC",
        "RP-77",
        date(2024, 5, 1),
        "operational",
        "Pulled 2025",
        0,
        1,
    ),
    Equipment(str(uuid4()), WELL, "Separator", "", "", "SEP-9", None, "maintenance", "", 0, 2),
    Equipment(str(uuid4()), WELL, "ESP", "Baker", "", "", None, "failed", "", 0, 3),
    Equipment(str(uuid4()), WELL, "Tank", "", "", "T-1", None, "removed", "", 0, 4),
]
STATUS = [k for k, _ in COLUMNS].index("status")


def model() -> EquipmentModel:
    shown = EquipmentModel()
    shown.set_rows(ITEMS, {WELL: "Wolfcamp 1"})
    return shown


def test_model_passes_qt_model_tester(qtmodeltester: ModelTester) -> None:
    shown = model()
    qtmodeltester.check(shown, force_py=True)
    shown.set_filter(WELL, "rp")
    shown.set_rows([], {})
    shown.set_rows(ITEMS, {})
    qtmodeltester.check(shown, force_py=True)


def test_each_column_shows_the_equipment() -> None:
    shown = model()
    first = [shown.index(0, c).data() for c in range(len(COLUMNS))]
    assert first == [
        "Rod pump",
        "✓ Operational",
        "RP-77",
        "Weatherford / RHAC",
        "2024-05-01",
        "Wolfcamp 1",
    ]
    assert shown.headerData(STATUS, Qt.Orientation.Horizontal) == "Status"
    assert shown.index(0, 0).data(ROW_ROLE) == ITEMS[0]
    assert "Pulled 2025" in shown.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert shown.index(0, 2).data(Qt.ItemDataRole.AccessibleTextRole) == "Serial: RP-77"


@pytest.mark.parametrize(
    ("row", "status", "words"),
    [
        (0, "operational", "✓ Operational"),
        (1, "maintenance", "⚠ In maintenance"),
        (2, "failed", "✗ Failed"),
        (3, "removed", "– Removed"),
    ],
)
@pytest.mark.parametrize("theme_name", ["standard", "sunlight"])
def test_status_is_coloured_readably_and_worded(
    row: int, status: str, words: str, theme_name: str
) -> None:
    theme.set_theme(theme_name)
    try:
        shown = model()
        index = shown.index(row, STATUS)
        ink: QBrush = index.data(Qt.ItemDataRole.ForegroundRole)
        paper: QBrush = index.data(Qt.ItemDataRole.BackgroundRole)
        assert index.data() == words
        assert (ink.color().name(), paper.color().name()) == theme.status_colours(status)
        assert contrast_ratio(ink.color().name(), paper.color().name()) >= 7
    finally:
        theme.set_theme("standard")
    colours = {theme.status_colours(s)[1] for s in ("operational", "maintenance", "failed")}
    assert len(colours) == 3  # green, amber and red differ
    assert shown.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is None
