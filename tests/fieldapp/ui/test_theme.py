"""Field ergonomics: every window has big type, big targets, names and readable colours."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from fieldapp.ui import theme
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.unlock import UnlockDialog

INPUTS = (QLineEdit, QComboBox, QDateEdit, QPlainTextEdit)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(colour)
    return 0.2126 * channel(q.red()) + 0.7152 * channel(q.green()) + 0.0722 * channel(q.blue())


def contrast(ink: str, paper: str) -> float:
    hi, lo = sorted((luminance(ink), luminance(paper)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def controls(window: QWidget) -> list[QWidget]:
    """Interactive controls an operator reaches (the line edit inside QDateEdit excluded)."""
    found: list[QWidget] = []
    for kind in (*INPUTS, QAbstractButton, QTableView):
        for widget in window.findChildren(kind):
            parent = widget.parentWidget()
            if isinstance(widget, QLineEdit) and isinstance(parent, QDateEdit | QComboBox):
                continue
            if type(widget).__name__ in ("QToolButton",) or not widget.isVisibleTo(window):
                continue  # the search box's clear button and hidden helpers
            found.append(widget)
    return found


def check_window(window: QWidget) -> None:
    found = controls(window)
    assert found
    for widget in found:
        name = widget.accessibleName() or type(widget).__name__
        assert widget.accessibleName(), f"{type(widget).__name__} has no accessible name"
        assert widget.font().pointSizeF() >= theme.BASE_FONT_PT, name
        if isinstance(widget, INPUTS):
            assert widget.height() >= theme.INPUT_MIN_HEIGHT, f"{name}: {widget.height()} px"
        if isinstance(widget, QAbstractButton):
            assert widget.height() >= theme.BUTTON_MIN_HEIGHT, f"{name}: {widget.height()} px"


def test_main_window_controls_are_big_and_named(qtbot: QtBot, runner: OpRunner) -> None:
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 12, timeout=10_000)
    check_window(window)
    assert window.table.verticalHeader().defaultSectionSize() >= theme.ROW_HEIGHT
    assert window.form.title.font().pointSize() == theme.TITLE_FONT_PT
    assert window.form.title.font().bold()
    names = {w.accessibleName() for w in controls(window)}
    assert {"Search wells", "Production date", "Oil", "Save production", "Notes"} <= names


def test_unlock_dialog_controls_are_big_and_named(qtbot: QtBot) -> None:
    dialog = UnlockDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    check_window(dialog)


@pytest.mark.parametrize(
    ("ink", "paper"),
    [
        (theme.INK, theme.PAPER),
        (theme.ERROR_INK, theme.ERROR_PAPER),
        (theme.WARNING_INK, theme.WARNING_PAPER),
        (theme.RECORDED_INK, theme.RECORDED_PAPER),
        (theme.INK, theme.OFFLINE_PAPER),  # the status bar's "Offline"
        (theme.PAPER, theme.ACCENT),  # selected rows and the Save button
    ],
)
def test_colour_pairs_are_readable_in_sunlight(ink: str, paper: str) -> None:
    assert contrast(ink, paper) >= 7.0


def test_apply_to_application_sets_the_palette_and_font(qapp: QApplication) -> None:
    font, palette = qapp.font(), qapp.palette()
    try:
        theme.apply_to_application(qapp)
        assert qapp.font().pointSize() >= theme.BASE_FONT_PT
        assert qapp.palette().color(QPalette.ColorRole.Text) == QColor(theme.INK)
        assert qapp.palette().color(QPalette.ColorRole.Base) == QColor(theme.PAPER)
    finally:
        qapp.setFont(font)
        qapp.setPalette(palette)


def test_field_font_never_shrinks() -> None:
    big = theme.field_font(point_size=14)
    assert big.pointSize() == 14
    bigger = QFont(big)
    bigger.setPointSize(20)
    assert theme.field_font(bigger).pointSize() == 20
