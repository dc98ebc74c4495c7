"""Field ergonomics: big type and big targets for gloved fingers on rugged laptops outdoors.

Every window applies these sizes itself (not only the application: see `theme.apply_to_window`).
The sizes hold in both themes; the sunlight theme only makes the type larger and bold.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QComboBox, QWidget

BASE_FONT_PT = 14
SUNLIGHT_FONT_PT = 16
TITLE_FONT_PT = BASE_FONT_PT + 4
INPUT_MIN_HEIGHT = 50
BUTTON_MIN_HEIGHT = 60
ROW_HEIGHT = 48
SPACING = 20  # between controls: room for a gloved fingertip
COMBO_MIN_CHARS = 14  # a drop-down is at least this many characters wide, however long its items


def field_font(base: QFont | None = None, point_size: int = BASE_FONT_PT) -> QFont:
    font = QFont(base) if base is not None else QFont()
    if font.pointSizeF() < point_size:
        font.setPointSize(point_size)
    return font


def size_input(widget: QWidget, accessible_name: str) -> QWidget:
    """An input at least INPUT_MIN_HEIGHT tall, with a screen-reader name; a drop-down is
    not widened to its longest item (that would push a 1366 px window off the screen)."""
    widget.setMinimumHeight(INPUT_MIN_HEIGHT)
    widget.setAccessibleName(accessible_name)
    if isinstance(widget, QComboBox):
        widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        widget.setMinimumContentsLength(COMBO_MIN_CHARS)
    return widget


def size_button(button: QAbstractButton, accessible_name: str | None = None) -> QAbstractButton:
    button.setMinimumHeight(BUTTON_MIN_HEIGHT)
    button.setMinimumWidth(BUTTON_MIN_HEIGHT * 2)
    button.setAccessibleName(accessible_name or button.text().replace("&", ""))
    return button


def nav_button(button: QAbstractButton, accessible_name: str | None = None) -> QAbstractButton:
    """A checkable left-navigation button (QPushButton[nav="true"]: checked has a thick bar)."""
    button.setCheckable(True)
    button.setProperty("nav", "true")
    return size_button(button, accessible_name)
