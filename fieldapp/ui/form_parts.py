"""Pieces of the record forms (Equipment, Maintenance): captioned inputs sized for gloves,
the form column with its messages and buttons, issues marked on the fields, combo filling.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldapp.ui import theme
from fieldapp.ui.equipment_state import WellChoice
from fieldapp.ui.keyboard import enter_moves_focus
from fieldapp.ui.week_state import field_marks
from shared.validation import Issue, Severity


def message_label(name: str) -> QLabel:
    """A hidden, word-wrapped label for messages (styled by its "severity" property)."""
    label = QLabel("")
    label.setObjectName("issues")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    label.hide()
    return label


def captioned_cell(
    grid: QGridLayout, slot: int, caption: str, widget: QWidget, span: int = 1, columns: int = 2
) -> tuple[QLabel, QLabel]:
    """Caption, input and the input's message stacked in cell `slot` of a grid of `columns`
    columns (filled row by row); returns (caption, message)."""
    row, col = divmod(slot, columns)
    label = QLabel(caption)
    label.setBuddy(widget)
    message = message_label(f"{widget.accessibleName()} message")
    # a long message wraps to the cell's width instead of widening its column (and the form)
    message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    box = QVBoxLayout()
    box.setSpacing(theme.SPACING)
    for part in (label, widget, message):
        box.addWidget(part)
    box.addStretch(1)  # the pair beside a longer message stays at the top
    grid.addLayout(box, row, col, 1, span)
    return label, message


def mark_fields(
    widgets: Mapping[str, QWidget], messages: Mapping[str, QLabel], issues: Sequence[Issue]
) -> None:
    """Each field outlined by its worst issue, with the issues' words under it (and spoken)."""
    for field, widget in widgets.items():
        worst, text = field_marks(issues, field)
        widget.setProperty("issue", worst)
        widget.setAccessibleDescription(text)
        theme.repolish(widget)
        label = messages[field]
        label.setText(text)
        label.setProperty("severity", worst)
        label.setVisible(bool(text))
        theme.repolish(label)


def hold_inputs(widgets: Iterable[QWidget], held: bool) -> None:
    """While a save runs, what is typed would be replaced by the saved record: text fields
    turn read-only (the cursor stays), the other inputs are disabled; `held=False` undoes it."""
    for widget in widgets:
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.setReadOnly(held)
        else:
            widget.setEnabled(not held)


def captioned_inputs(fields: Mapping[str, QWidget], captions: Sequence[str]) -> QFormLayout:
    """One row per field: its caption (with its Alt key) and the input, sized and named."""
    grid = QFormLayout()
    grid.setSpacing(theme.SPACING)
    for caption, widget in zip(captions, fields.values(), strict=True):
        theme.size_input(widget, caption.replace("&", ""))
        grid.addRow(caption, widget)
    return grid


def form_column(
    form: QWidget,
    heading: QLabel,
    grid: QFormLayout,
    messages: QLabel,
    left: Sequence[QPushButton],
    save: QPushButton,
) -> QWidget:
    """Lay `form` out: heading, inputs, messages, then the buttons (Save on the right);
    Enter moves from field to field. On a short screen (1366 x 768) the inputs scroll, as the
    production form's do; the heading, the messages and Save stay in view."""
    buttons = QHBoxLayout()
    buttons.setSpacing(theme.SPACING)
    for button in left:
        buttons.addWidget(button)
    buttons.addStretch(1)
    buttons.addWidget(save)
    fields = QWidget()
    fields.setAccessibleName(f"{heading.text()} fields")
    inner = QVBoxLayout(fields)
    inner.setContentsMargins(0, 0, 8, 0)  # room for the scroll bar
    inner.addLayout(grid)
    inner.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidget(fields)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    column = QVBoxLayout(form)
    column.setSpacing(theme.SPACING)
    column.addWidget(heading)
    column.addWidget(scroll, 1)
    column.addWidget(messages)
    column.addLayout(buttons)
    enter_moves_focus(form)
    return form


def fill_combo(
    combo: QComboBox, items: Sequence[tuple[str, str | None]], selected: str | None
) -> None:
    """Replace the items (text, data) keeping `selected` (data) when it is still there."""
    with QSignalBlocker(combo):
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        found = combo.findData(selected) if selected is not None else 0
        combo.setCurrentIndex(max(found, 0))


def well_items(wells: Sequence[WellChoice], first: str | None) -> list[tuple[str, str | None]]:
    items: list[tuple[str, str | None]] = [(first, None)] if first else []
    return items + [(w.name, w.well_id) for w in wells]


def show_issues(
    label: QLabel,
    widgets: Mapping[str, QWidget],
    head: str | None,
    issues: Sequence[Issue] = (),
    tone: str = "error",
) -> None:
    """Messages under the form, and each field with an issue marked (colour and description)."""
    for field, widget in widgets.items():
        mine = [i for i in issues if i.field == field]
        worst = "error" if any(i.severity == Severity.ERROR for i in mine) else "warning"
        widget.setProperty("issue", worst if mine else "")
        widget.setAccessibleDescription(" ".join(i.message for i in mine))
        theme.repolish(widget)
    if head is None:
        label.hide()
        label.setText("")
        return
    label.setText("\n".join([head, *(f"•  {i.message}" for i in issues)]))
    label.setProperty("severity", tone)
    theme.repolish(label)
    label.show()


def issues_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("issues")
    label.setWordWrap(True)
    label.setMargin(8)
    label.setAccessibleName("Form messages")
    label.hide()
    return label


def watch(widgets: Sequence[QWidget], edited: Callable[..., None]) -> None:
    for widget in widgets:
        if isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(edited)
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(edited)
