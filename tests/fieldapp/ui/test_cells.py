"""Shared cell looks, and repainting tables without losing references to None.

PySide6 6.12.0 drops a reference to None on every void call (QFont.setBold in a model's
data(), setText, processEvents...), and Python aborts with "none_dealloc" within minutes of
use; pyproject.toml excludes that release and these tests fail on a build that does it."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableView
from pytestqt.qtbot import QtBot

from fieldapp.ui.cells import alignment, brush, cell_font
from fieldapp.ui.route_model import RouteModel
from fieldapp.ui.route_state import RouteRow


def test_fonts_and_brushes_are_made_once() -> None:
    assert cell_font(True) is cell_font(True)
    assert cell_font(True).bold() and not cell_font(False).bold()
    assert brush("#8b0000") is brush("#8b0000")
    assert brush("#8b0000").color().name() == "#8b0000"
    assert alignment(True) & Qt.AlignmentFlag.AlignRight
    assert alignment(False) & Qt.AlignmentFlag.AlignLeft


def test_repainting_a_table_keeps_none_alive(qtbot: QtBot) -> None:
    rows = [
        RouteRow(
            f"w{i}",
            f"42-501-{i:05d}",
            f"Well {i}",
            "Field",
            "Lease",
            record_id=f"r{i}" if i % 2 else None,
            oil_bbl=10.0 if i % 2 else None,
        )
        for i in range(60)
    ]
    model = RouteModel()
    model.set_rows(rows)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    before = sys.getrefcount(None)
    for _ in range(50):  # every cell's FontRole asked each time
        view.viewport().repaint()
        QApplication.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < 500, f"{lost} references to None lost in 50 repaints"  # broken: ~3,000


def test_the_installed_qt_binding_keeps_none_alive(qtbot: QtBot) -> None:
    """PySide6 6.12.0 loses a reference to None on every void call (pyproject excludes it)."""
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for n in range(2000):
        label.setText(str(n))
        QApplication.processEvents()
    lost = before - sys.getrefcount(None)
    assert lost < 500, f"{lost} references to None lost in 2000 calls: a broken PySide6 build"
