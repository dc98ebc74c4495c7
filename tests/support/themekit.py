"""Helpers for the theme tests: a small themed window and the colour of one of its pixels."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.ui import theme


def themed_window(qtbot: QtBot, look: str | None = None) -> tuple[QWidget, QLineEdit]:
    """A shown window of two line edits with the theme `look` (None: the current one)."""
    window = QWidget()
    edit = QLineEdit("1,250")
    other = QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(edit)
    layout.addWidget(other)
    theme.apply_to_window(window, look)
    qtbot.addWidget(window)
    window.resize(400, 200)
    window.show()
    qtbot.waitExposed(window)
    return window, edit


def pixel(widget: QWidget, x: int, y: int) -> str:
    return str(widget.grab().toImage().pixelColor(x, y).name())
