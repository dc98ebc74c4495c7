"""Field ergonomics: big type, big targets, high-contrast colours readable in sunlight.

Operators work with gloves on rugged laptops outdoors, so every window applies these sizes
itself (not only the application) and every state shown in colour is also shown in words.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

BASE_FONT_PT = 14
INPUT_MIN_HEIGHT = 50
BUTTON_MIN_HEIGHT = 60
ROW_HEIGHT = 48
SPACING = 20  # between controls: room for a gloved fingertip

# Text colours all reach a contrast ratio of at least 7:1 on their background (WCAG AAA).
INK = "#111111"
PAPER = "#ffffff"
ERROR_INK = "#8b0000"
ERROR_PAPER = "#fde8e8"
WARNING_INK = "#5c3b00"
WARNING_PAPER = "#ffe8a3"
RECORDED_INK = "#0b4a1f"
RECORDED_PAPER = "#e3f4e6"
OFFLINE_PAPER = "#dcdcdc"
ACCENT = "#0b4f8a"

TITLE_FONT_PT = BASE_FONT_PT + 4

# Font sizes live in the style sheet: once a window has a style sheet, Qt does not pass a
# parent's setFont() on to its children, so the size has to be a style rule to reach them.
STYLE_SHEET = f"""
QWidget {{
    font-size: {BASE_FONT_PT}pt;
}}
QLabel#title {{
    font-size: {TITLE_FONT_PT}pt;
    font-weight: bold;
}}
QLineEdit, QComboBox, QDateEdit, QPlainTextEdit {{
    padding: 4px 8px;
}}
QLineEdit[issue="error"], QComboBox[issue="error"], QPlainTextEdit[issue="error"] {{
    border: 3px solid {ERROR_INK};
    background: {ERROR_PAPER};
}}
QLineEdit[issue="warning"], QComboBox[issue="warning"], QPlainTextEdit[issue="warning"] {{
    border: 3px solid #b36b00;
    background: {WARNING_PAPER};
}}
QPushButton {{
    padding: 6px 18px;
}}
QPushButton#primary {{
    background: {ACCENT};
    color: {PAPER};
    font-weight: bold;
    border-radius: 6px;
}}
QPushButton#primary:disabled {{
    background: #7a8fa3;
}}
QLabel#issues[severity="error"] {{
    color: {ERROR_INK};
    background: {ERROR_PAPER};
}}
QLabel#issues[severity="warning"] {{
    color: {WARNING_INK};
    background: {WARNING_PAPER};
}}
QLabel#issues[severity="ok"] {{
    color: {RECORDED_INK};
    background: {RECORDED_PAPER};
}}
QLabel#connection, QLabel#syncBadge {{
    padding: 2px 10px;
    border-radius: 4px;
    font-weight: bold;
}}
QLabel#connection[online="yes"] {{
    color: {RECORDED_INK};
    background: {RECORDED_PAPER};
}}
QLabel#connection[online="no"] {{
    color: {INK};
    background: {OFFLINE_PAPER};
}}
QLabel#syncBadge {{
    color: {WARNING_INK};
    background: {WARNING_PAPER};
}}
QHeaderView {{
    font-weight: bold;
}}
QTableView {{
    gridline-color: #c8c8c8;
    selection-background-color: {ACCENT};
    selection-color: {PAPER};
}}
"""


def field_font(base: QFont | None = None, point_size: int = BASE_FONT_PT) -> QFont:
    font = QFont(base) if base is not None else QFont()
    if font.pointSizeF() < point_size:
        font.setPointSize(point_size)
    return font


def apply_to_window(window: QWidget) -> None:
    """Big type and the field style sheet on one top-level window and its children."""
    window.setFont(field_font(window.font()))
    window.setStyleSheet(STYLE_SHEET)


def size_input(widget: QWidget, accessible_name: str) -> QWidget:
    """An input at least INPUT_MIN_HEIGHT tall, with a screen-reader name."""
    widget.setMinimumHeight(INPUT_MIN_HEIGHT)
    widget.setAccessibleName(accessible_name)
    return widget


def size_button(button: QAbstractButton, accessible_name: str | None = None) -> QAbstractButton:
    button.setMinimumHeight(BUTTON_MIN_HEIGHT)
    button.setMinimumWidth(BUTTON_MIN_HEIGHT * 2)
    button.setAccessibleName(accessible_name or button.text().replace("&", ""))
    return button


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used in selectors changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def apply_to_application(app: QApplication) -> None:
    """Fusion with a light, high-contrast palette: the same look on every laptop."""
    app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#f2f2f2"),
        (QPalette.ColorRole.WindowText, INK),
        (QPalette.ColorRole.Base, PAPER),
        (QPalette.ColorRole.AlternateBase, "#f4f6f8"),
        (QPalette.ColorRole.Text, INK),
        (QPalette.ColorRole.Button, "#e4e4e4"),
        (QPalette.ColorRole.ButtonText, INK),
        (QPalette.ColorRole.Highlight, ACCENT),
        (QPalette.ColorRole.HighlightedText, PAPER),
        (QPalette.ColorRole.ToolTipBase, "#ffffdc"),
        (QPalette.ColorRole.ToolTipText, INK),
        (QPalette.ColorRole.PlaceholderText, "#555555"),
    ):
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    app.setFont(field_font(app.font()))
