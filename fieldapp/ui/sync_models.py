"""The Qt pieces under the Sync page: thin table models over `fieldapp.ui.sync_tables`'
states, the table view they are shown in, and the fix-and-resubmit editor.

One model class serves every table: the state says what each cell shows and its tone; the
model only adds the colours for the tones (every tone is also in the cell's words), tooltips,
accessible text and the item behind a row (`ITEM_ROLE`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import ValidationFailedError
from fieldapp.core.sync_overview import OpenConflict, OpenRejection, PendingItem, RecordOutcome
from fieldapp.ui import theme
from fieldapp.ui.cells import brush, cell_font
from fieldapp.ui.form_parts import message_label
from fieldapp.ui.keyboard import enter_moves_focus, save_shortcut
from fieldapp.ui.sync_tables import (
    Comparison,
    ComparisonTable,
    ConflictsTable,
    OutcomesTable,
    PendingTable,
    RejectionsTable,
    TableState,
    Tone,
    fix_fields,
    parse_fixes,
    record_text,
)
from fieldapp.ui.table_model import Index, ListTableModel
from shared.units import UnitSystem

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
T = TypeVar("T")

_TONES: dict[Tone, tuple[str, str]] = {
    "ok": (theme.RECORDED_INK, theme.RECORDED_PAPER),
    "warning": (theme.WARNING_INK, theme.WARNING_PAPER),
    "error": (theme.ERROR_INK, theme.ERROR_PAPER),
    "changed": (theme.WARNING_INK, theme.WARNING_PAPER),
}


class StateTableModel(ListTableModel[T]):
    """Rows are `state.items`; `set_items` and `set_units` refresh the view."""

    def __init__(self, state: TableState[T], parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self.state.set_items(items)
        self.endResetModel()

    def set_units(self, units: UnitSystem) -> None:
        if units == self.state.units:
            return
        self.beginResetModel()
        self.state.units = units
        self.endResetModel()

    def item(self, row: int) -> T | None:
        return self.row_at(row)

    # --- ListTableModel ----------------------------------------------------------------------

    def rows(self) -> Sequence[T]:
        return self.state.items

    def titles(self) -> Sequence[str]:
        return self.state.headers

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.cell(index)
        if found is None:
            return None
        row, column = index.row(), found[1]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.state.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.state.tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.state.headers[column]}: {self.state.text(row, column)}"
        if role == ITEM_ROLE:
            return self.state.items[row]
        tone = self.state.tone(row, column)
        if not tone:
            return None
        ink, paper = _TONES[tone]
        if role == Qt.ItemDataRole.ForegroundRole:
            return brush(ink)
        if role == Qt.ItemDataRole.BackgroundRole:
            return brush(paper)
        if role == Qt.ItemDataRole.FontRole:
            return cell_font(True)
        return None


class PendingModel(StateTableModel[PendingItem]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(PendingTable(), parent)


class OutcomesModel(StateTableModel[RecordOutcome]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(OutcomesTable(), parent)


class ConflictsModel(StateTableModel[OpenConflict]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(ConflictsTable(), parent)


class ComparisonModel(StateTableModel[Comparison]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(ComparisonTable(), parent)


class RejectionsModel(StateTableModel[OpenRejection]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(RejectionsTable(), parent)


# --- views ---------------------------------------------------------------------------------


def error_text(exc: BaseException) -> str:
    """One line for a failed operation (a pydantic error: each field and why)."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc) or type(exc).__name__


def show_message(label: QLabel, text: str, severity: str = "error") -> None:
    label.setText(text)
    label.setVisible(bool(text))
    if label.property("severity") != severity:
        label.setProperty("severity", severity)
        theme.repolish(label)


class FixEditor(QWidget):
    """The rejected fields of one record, prefilled with what was refused; errors inline."""

    submit = Signal(int, object)  # rejected device_seq, fixes (stored units)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: OpenRejection | None = None
        self.units = self._shown_units = UnitSystem.FIELD
        self.drafts: dict[int, tuple[UnitSystem, dict[str, str]]] = {}  # typed, not resubmitted
        self.inputs: dict[str, QLineEdit] = {}
        self.problems: dict[str, QLabel] = {}
        self.prefilled: dict[str, tuple[str, Any]] = {}  # field: (text shown, stored value)
        self._filling = False
        self.heading = QLabel("Select a rejected record in the list to fix it.")
        self.heading.setWordWrap(True)
        self.fields = QWidget()
        self.grid = QGridLayout(self.fields)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(theme.SPACING)
        self.error = message_label("Resubmit problem")
        self.button = QPushButton("&Fix and resubmit")
        self.button.setObjectName("primary")
        theme.size_button(self.button, "Fix and resubmit")
        self.button.clicked.connect(self.request_submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        self.grid.setColumnStretch(2, 1)
        for widget in (self.heading, self.fields, self.error):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addWidget(self.button)
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
            and (shown.rejection.device_seq, shown.fixable)
            == (old.rejection.device_seq, old.fixable)
        ):
            self.shown = shown
            return
        self.shown, self.units, self._shown_units = shown, units, units
        if shown is None or old is None or shown.rejection.device_seq != old.rejection.device_seq:
            show_message(self.error, "")
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.inputs, self.problems = {}, {}
        if shown is None:
            self.heading.setText("Select a rejected record in the list to fix it.")
            self.button.setEnabled(False)
            return
        draft_units, typed = self.drafts.get(shown.rejection.device_seq, (units, {}))
        record = record_text(shown.well_name, shown.day)
        if not shown.can_resubmit:
            self.heading.setText(
                f"{record}: this kind of record cannot be resubmitted here;"
                " record it again on its own screen."
            )
        else:
            self.heading.setText(
                f"{record}: correct the values the server refused, then press"
                " Fix and resubmit (Ctrl+S)."
            )
        self._filling = True
        self.prefilled.clear()
        for n, field in enumerate(fix_fields(shown, draft_units)):
            self.prefilled[field.name] = (field.text, shown.values.get(field.name))
            label = QLabel(f"{field.label}")
            edit = QLineEdit(typed.get(field.name, field.text))
            theme.size_input(edit, field.label)
            edit.setMaximumWidth(320)
            label.setBuddy(edit)
            edit.textChanged.connect(self._edited)
            said = QLabel(f"Server: {field.reason}" if field.reason else "")
            said.setWordWrap(True)
            problem = message_label(f"{field.label} problem")
            for col, widget in enumerate((label, edit, said)):
                self.grid.addWidget(widget, n * 2, col)
            self.grid.addWidget(problem, n * 2 + 1, 1, 1, 2)
            self.inputs[field.name], self.problems[field.name] = edit, problem
        self._filling = False
        self.units = draft_units
        enter_moves_focus(self.fields)
        self.button.setEnabled(shown.can_resubmit)

    def _edited(self) -> None:
        if not self._filling and self.shown is not None:
            texts = {name: edit.text() for name, edit in self.inputs.items()}
            self.drafts[self.shown.rejection.device_seq] = (self.units, texts)

    def request_submit(self) -> None:
        if self.shown is None or not self.shown.can_resubmit or not self.button.isEnabled():
            return
        texts = {n: e.text() for n, e in self.inputs.items()}
        fixes, problems = parse_fixes(texts, self.units, self.prefilled)
        self.show_problems(problems, "" if not problems else "Correct the fields marked above.")
        if not problems:
            self.button.setEnabled(False)
            self.submit.emit(self.shown.rejection.device_seq, fixes)

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
        else:
            self.show_problems({}, f"The fix was not accepted: {error_text(exc)}")

    def keep_drafts(self, open_seqs: set[int]) -> None:
        """Forget the typing for records that are no longer rejected (fixed elsewhere)."""
        self.drafts = {seq: draft for seq, draft in self.drafts.items() if seq in open_seqs}

    def unsaved(self) -> int:
        return len(self.drafts)
