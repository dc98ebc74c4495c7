"""The selected rejected record on the Sync screen: what the server said, and what to do.

A record a person can fix shows the refused fields prefilled with what was sent (a line to
type in, or a list to choose from), the server's words beside each, and Fix and send again
(Ctrl+S); what was typed and not sent is kept per record across reloads (`drafts`). A refused
conflict resolution offers Resolve again instead, which takes the operator to the conflict.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.rejections import OpenRejection
from fieldapp.ui import theme
from fieldapp.ui.form_parts import fill_combo, message_label
from fieldapp.ui.keyboard import enter_moves_focus, save_shortcut
from fieldapp.ui.sync_fix_state import FixField, fix_fields, parse_fixes
from fieldapp.ui.sync_messages import error_text, show_message
from fieldapp.ui.sync_rejected_state import FIX_BUTTON, RESOLVE_BUTTON, action, rejection_heading
from shared.units import UnitSystem

Input = QLineEdit | QComboBox
NOTHING_SELECTED = "Select a rejected record in the list to fix it."


def _text(widget: Input) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else str(widget.currentData() or "")


def _field_input(field: FixField, typed: str) -> Input:
    widget: Input
    if field.choices:
        widget = QComboBox()
        fill_combo(widget, [(words, code) for code, words in field.choices], typed)
    else:
        widget = QLineEdit(typed)
        widget.setMaximumWidth(320)
    theme.size_input(widget, field.label)
    return widget


class RejectionPanel(QWidget):
    """The refused fields of one record, prefilled; errors inline; Fix and send again or
    Resolve again."""

    submit = Signal(int, object)  # rejected device_seq, fixes (stored units)
    resolve_again = Signal(str)  # the conflict whose refused resolution is shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: OpenRejection | None = None
        self.units = self._shown_units = UnitSystem.FIELD
        self.drafts: dict[int, tuple[UnitSystem, dict[str, str]]] = {}  # typed, not sent
        self.inputs: dict[str, Input] = {}
        self.problems: dict[str, QLabel] = {}
        self.prefilled: dict[str, tuple[str, Any]] = {}  # field: (text shown, stored value)
        self._filling = False
        self.heading = QLabel(NOTHING_SELECTED)
        self.heading.setWordWrap(True)
        self.fields = QWidget()
        self.grid = QGridLayout(self.fields)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(theme.SPACING)
        self.grid.setColumnStretch(2, 1)
        self.error = message_label("Send again problem")
        self.button = QPushButton(f"&{FIX_BUTTON}")
        self.button.setObjectName("primary")
        theme.size_button(self.button, FIX_BUTTON)
        self.button.clicked.connect(self.request_submit)
        self.resolve = QPushButton(f"&{RESOLVE_BUTTON}")
        self.resolve.setObjectName("primary")
        theme.size_button(self.resolve, RESOLVE_BUTTON)
        self.resolve.clicked.connect(self._resolve_again)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        for widget in (self.heading, self.fields, self.error):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.setSpacing(theme.SPACING)
        row.addWidget(self.button)
        row.addWidget(self.resolve)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        save_shortcut(self, self.request_submit)
        self.show_rejection(None, self.units)

    def show_rejection(self, shown: OpenRejection | None, units: UnitSystem) -> None:
        """Build the fields for `shown`; the same record again (a reload) keeps the fields,
        the focus and the messages as they are."""
        old = self.shown
        if (
            shown is not None
            and old is not None
            and units == self._shown_units
            and (shown.rejection.device_seq, shown.fixable, shown.conflict_open)
            == (old.rejection.device_seq, old.fixable, old.conflict_open)
        ):
            self.shown = shown
            return
        self.shown, self.units, self._shown_units = shown, units, units
        if shown is None or old is None or shown.rejection.device_seq != old.rejection.device_seq:
            show_message(self.error, "")
        self._clear_fields()
        doing = action(shown) if shown is not None else "fix"
        self.button.setVisible(doing != "resolve")
        self.resolve.setVisible(doing == "resolve")
        self.resolve.setEnabled(doing == "resolve")
        if shown is None:
            self.heading.setText(NOTHING_SELECTED)
            self.button.setEnabled(False)
            return
        draft_units, typed = self.drafts.get(shown.rejection.device_seq, (units, {}))
        self.heading.setText(rejection_heading(shown, units))
        self._filling = True
        self.prefilled.clear()
        for n, field in enumerate(fix_fields(shown, draft_units)):
            self._add_field(n, field, typed.get(field.name, field.text), shown)
        self._filling = False
        self.units = draft_units
        enter_moves_focus(self.fields)
        self.button.setEnabled(doing == "fix")

    def _clear_fields(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:  # hidden now: deleted when the event loop next runs
                widget.hide()
                widget.deleteLater()
        self.inputs, self.problems = {}, {}

    def _add_field(self, n: int, field: FixField, typed: str, shown: OpenRejection) -> None:
        self.prefilled[field.name] = (field.text, shown.values.get(field.name))
        label = QLabel(field.label)
        edit = _field_input(field, typed)
        label.setBuddy(edit)
        if isinstance(edit, QLineEdit):
            edit.textChanged.connect(self._edited)
        else:
            edit.currentIndexChanged.connect(self._edited)
        said = QLabel(f"Server: {field.reason}" if field.reason else "")
        said.setWordWrap(True)
        problem = message_label(f"{field.label} problem")
        for col, widget in enumerate((label, edit, said)):
            self.grid.addWidget(widget, n * 2, col)
        self.grid.addWidget(problem, n * 2 + 1, 1, 1, 2)
        self.inputs[field.name], self.problems[field.name] = edit, problem

    def _edited(self) -> None:
        if not self._filling and self.shown is not None:
            texts = {name: _text(edit) for name, edit in self.inputs.items()}
            self.drafts[self.shown.rejection.device_seq] = (self.units, texts)

    def request_submit(self) -> None:
        if self.shown is None or not self.shown.can_resubmit or not self.button.isEnabled():
            return
        texts = {n: _text(e) for n, e in self.inputs.items()}
        fixes, problems = parse_fixes(texts, self.units, self.prefilled)
        self.show_problems(problems, "" if not problems else "Correct the fields marked above.")
        if not problems:
            self.button.setEnabled(False)
            self.submit.emit(self.shown.rejection.device_seq, fixes)

    def _resolve_again(self) -> None:
        if self.shown is not None and self.shown.conflict_id:
            self.resolve_again.emit(self.shown.conflict_id)

    def show_problems(self, problems: dict[str, str], general: str) -> None:
        for name, label in self.problems.items():
            show_message(label, problems.get(name, ""))
        others = [text for name, text in problems.items() if name not in self.problems]
        show_message(self.error, "; ".join(filter(None, [general, *others])))

    def failed(self, exc: BaseException) -> None:
        """The worker refused the fix: say why next to the fields; the typing stays."""
        self.button.setEnabled(self.shown is not None and self.shown.can_resubmit)
        if isinstance(exc, ValidationFailedError):
            problems = {i.field: i.message for i in exc.issues if i.severity == "error"}
            self.show_problems(problems, "The fix was not accepted:")
        elif isinstance(exc, ValidationError):  # the record's contract refused a value
            problems = {".".join(map(str, e["loc"])): str(e["msg"]) for e in exc.errors()}
            self.show_problems(problems, "The fix was not accepted:")
        else:
            self.show_problems({}, f"The fix was not accepted: {error_text(exc)}")

    def keep_drafts(self, open_seqs: set[int], more: bool = False) -> None:
        """Forget the typing for records that are no longer rejected (fixed elsewhere): not
        among `open_seqs`, the rows loaded, nor after them when `more` rows wait."""
        last = max(open_seqs, default=0) if more else None
        self.drafts = {
            seq: draft
            for seq, draft in self.drafts.items()
            if seq in open_seqs or (last is not None and seq > last)
        }

    def unsaved(self) -> int:
        return len(self.drafts)
