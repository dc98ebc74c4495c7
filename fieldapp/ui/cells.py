"""What table models hand Qt for a cell's look: shared fonts and brushes, made once.

`data()` is asked for every visible cell's font and colours on every repaint (typing in a
500-well search repaints thousands of cells a second), so the models return one shared
instance per look instead of building a QFont or QBrush per cell.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont


@functools.cache
def cell_font(bold: bool) -> QFont:
    """The FontRole value: the view's font, bold or not (made once per application)."""
    font = QFont()
    font.setBold(bold)
    return font


@functools.cache
def brush(colour: str) -> QBrush:
    """The ForegroundRole/BackgroundRole value for a colour such as "#8b0000"."""
    return QBrush(QColor(colour))


def alignment(numeric: bool) -> Qt.AlignmentFlag:
    """Numbers right-aligned (their digits line up), text left; both centred vertically."""
    horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
    return horizontal | Qt.AlignmentFlag.AlignVCenter
