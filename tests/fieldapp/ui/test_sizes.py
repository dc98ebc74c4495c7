"""Field ergonomics: every window has big type, big targets and names."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from fieldapp.ui import sizes, theme
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.unlock import UnlockDialog

INPUTS = (QLineEdit, QComboBox, QDateEdit, QPlainTextEdit)


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
    route = window.pages["route"]
    model = getattr(route, "model")  # noqa: B009 - the route page's table model
    qtbot.waitUntil(lambda: model.rowCount() == 12, timeout=10_000)
    check_window(window)
    table = getattr(route, "table")  # noqa: B009
    assert table.verticalHeader().defaultSectionSize() >= theme.ROW_HEIGHT
    title = getattr(route, "progress")  # noqa: B009 - the page's title line
    assert title.font().pointSize() == theme.TITLE_FONT_PT
    assert title.font().bold()
    names = {w.accessibleName() for w in controls(window)}
    assert {"Search wells", "Show today", "Settings screen (Ctrl+9)"} <= names


def test_unlock_dialog_controls_are_big_and_named(qtbot: QtBot) -> None:
    dialog = UnlockDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    check_window(dialog)


def test_field_font_never_shrinks() -> None:
    big = theme.field_font(point_size=14)
    assert big.pointSize() == 14
    bigger = QFont(big)
    bigger.setPointSize(20)
    assert theme.field_font(bigger).pointSize() == 20


def test_a_drop_down_is_tall_named_and_not_as_wide_as_its_longest_item(qtbot: QtBot) -> None:
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItems(["A", "A well name far longer than any drop-down should ever be made"])
    assert sizes.size_input(combo, "Well") is combo
    assert combo.minimumHeight() == sizes.INPUT_MIN_HEIGHT
    assert combo.accessibleName() == "Well"
    assert combo.minimumContentsLength() == sizes.COMBO_MIN_CHARS
    policy = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
    assert combo.sizeAdjustPolicy() == policy


def test_a_button_is_named_by_its_text_without_the_mnemonic(qtbot: QtBot) -> None:
    button = QPushButton("&Save")
    qtbot.addWidget(button)
    sizes.size_button(button)
    assert button.accessibleName() == "Save"
    assert button.minimumHeight() == sizes.BUTTON_MIN_HEIGHT
    assert button.minimumWidth() == 2 * sizes.BUTTON_MIN_HEIGHT
    assert not button.isCheckable()
    sizes.nav_button(button, "Save screen")
    assert button.isCheckable() and button.property("nav") == "true"
    assert button.accessibleName() == "Save screen"
