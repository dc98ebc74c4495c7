"""The production form's fields: a captioned input per value with its message under it, four
to a row so that oil, gas, water and hours on are side by side and in view on a 1366×768
screen, the downtime reason over two cells (its longest choice reads whole), notes across.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QPlainTextEdit

from fieldapp.ui import theme
from fieldapp.ui.form_parts import captioned_cell
from fieldapp.ui.week_state import DOWNTIME_REASONS, NUMBER_FIELDS

FORM_COLUMNS = 4


@dataclass(frozen=True)
class ProductionFields:
    grid: QGridLayout
    inputs: dict[str, QLineEdit]
    captions: dict[str, QLabel]  # by field key, "downtime_reason" and "notes" included
    messages: dict[str, QLabel]
    reason: QComboBox
    notes: QPlainTextEdit


def _reason_box(on_edit: Callable[..., None]) -> QComboBox:
    reason = QComboBox()
    for code, text in DOWNTIME_REASONS:
        reason.addItem(text, code)
    reason.setMinimumContentsLength(10)
    reason.currentIndexChanged.connect(on_edit)
    theme.size_input(reason, "Downtime reason")
    return reason


def _notes_box(on_edit: Callable[..., None]) -> QPlainTextEdit:
    notes = QPlainTextEdit()
    notes.setTabChangesFocus(True)
    notes.setPlaceholderText("Anything the office should know about this day")
    notes.textChanged.connect(on_edit)
    theme.size_input(notes, "Notes")
    notes.setFixedHeight(theme.INPUT_MIN_HEIGHT + 24)
    return notes


def build_fields(on_edit: Callable[..., None]) -> ProductionFields:
    """The fields, laid out in a new grid; every edit calls `on_edit`."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(theme.SPACING)
    grid.setVerticalSpacing(theme.SPACING)
    for column in range(FORM_COLUMNS):
        grid.setColumnStretch(column, 1)
    captions: dict[str, QLabel] = {}
    messages: dict[str, QLabel] = {}
    inputs: dict[str, QLineEdit] = {}
    reason = _reason_box(on_edit)
    slot = 0
    for spec in NUMBER_FIELDS:
        edit = QLineEdit()
        edit.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setMinimumWidth(110)
        edit.textChanged.connect(on_edit)
        theme.size_input(edit, spec.label)
        inputs[spec.key] = edit
        captions[spec.key], messages[spec.key] = captioned_cell(
            grid, slot, spec.caption, edit, columns=FORM_COLUMNS
        )
        slot += 1
        if spec.key == "downtime_hours":
            placed = captioned_cell(grid, slot, "&Reason", reason, span=2, columns=FORM_COLUMNS)
            captions["downtime_reason"], messages["downtime_reason"] = placed
            slot += 2
    notes = _notes_box(on_edit)
    notes_slot = slot + (-slot % FORM_COLUMNS)  # the next row's first cell
    placed = captioned_cell(
        grid, notes_slot, "&Notes", notes, span=FORM_COLUMNS, columns=FORM_COLUMNS
    )
    captions["notes"], messages["notes"] = placed
    return ProductionFields(grid, inputs, captions, messages, reason, notes)
