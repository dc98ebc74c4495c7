"""The 7-day bulk entry grid: a thin Qt model over `WeekState`, its view and "Save all"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.production_days import DayOutcome, ProductionWeek
from fieldapp.ui import theme
from fieldapp.ui.cells import alignment, brush
from fieldapp.ui.form_parts import message_label
from fieldapp.ui.week_cells import column_texts
from fieldapp.ui.week_state import (
    DOWNTIME_REASONS,
    FIELDS,
    REASON_LABELS,
    WeekState,
    unit_label,
)
from shared.units import UnitSystem

Index = QModelIndex | QPersistentModelIndex
_ROLE = Qt.ItemDataRole
_TONES = {
    "error": theme.ERROR_PAPER,
    "failed": theme.ERROR_PAPER,
    "changed": theme.WARNING_PAPER,
    "saved": theme.RECORDED_PAPER,
}


class WeekModel(QAbstractTableModel):
    """Rows: the 7 days; columns: the week fields, the downtime reason, then the day's status."""

    def __init__(self, state: WeekState | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state or WeekState()

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def set_units(self, units: UnitSystem) -> None:
        self.state.set_units(units)
        self.reset()

    @property
    def status_column(self) -> int:
        return len(self.state.columns)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.days)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.columns) + 1

    def column_title(self, column: int) -> str:
        if column == self.status_column:
            return "Status"
        key = self.state.columns[column]
        if key == "downtime_reason":
            return "Downtime reason"
        return f"{FIELDS[key].label} ({unit_label(key, self.state.units)})"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role not in (_ROLE.DisplayRole, _ROLE.ToolTipRole, _ROLE.AccessibleTextRole):
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < self.columnCount():
                return None
            title = self.column_title(section)
            return title.replace(" (", "\n(", 1) if role == _ROLE.DisplayRole else title
        if not 0 <= section < self.rowCount():
            return None
        return f"{self.state.days[section]:%a %d %b}"

    def _shown(self, column: int) -> list[str]:
        """The column as shown: consistent decimals, a dash where a recorded day has no value."""
        rows = range(len(self.state.days))
        texts = [self.state.text(row, column) for row in rows]
        recorded = [self.state.is_recorded(row) for row in rows]
        return column_texts(self.state.columns[column], texts, recorded)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() < self.status_column:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row, column = index.row(), index.column()
        if column == self.status_column:
            if role in (_ROLE.DisplayRole, _ROLE.ToolTipRole, _ROLE.AccessibleTextRole):
                return self.state.status_text(row)
        elif role in (_ROLE.DisplayRole, _ROLE.AccessibleTextRole, _ROLE.EditRole):
            text = self.state.text(row, column)
            key = self.state.columns[column]
            if role == _ROLE.EditRole:
                return text
            if key == "downtime_reason":
                return REASON_LABELS.get(text, text) if text else ""
            return self._shown(column)[row]
        elif role == _ROLE.ToolTipRole:
            key = self.state.columns[column]
            mine = [i.message for i in self.state.issues(row) if i.field == key]
            return "\n".join(mine) or None
        if role == _ROLE.TextAlignmentRole and column < len(self.state.columns) - 1:
            return alignment(True)
        if role == _ROLE.BackgroundRole:
            tone = _TONES.get(self.state.status(row))
            return brush(tone) if tone else None  # one shared brush per look
        return None

    def setData(self, index: Index, value: Any, role: int = _ROLE.EditRole) -> bool:
        if role != _ROLE.EditRole or not index.isValid() or index.column() >= self.status_column:
            return False
        if not self.state.set_text(index.row(), index.column(), str(value or "")):
            return False
        left = self.index(index.row(), 0)
        self.dataChanged.emit(left, self.index(index.row(), self.status_column))
        return True


class ReasonDelegate(QStyledItemDelegate):
    """The downtime reason is picked from the codes, as in the form."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        for code, text in DOWNTIME_REASONS:
            combo.addItem(text, code)
        theme.size_input(combo, "Downtime reason")
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        code = str(index.data(_ROLE.EditRole) or "")
        if editor.findData(code) < 0:
            editor.addItem(code, code)
        editor.setCurrentIndex(editor.findData(code))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData() or "", _ROLE.EditRole)


class WeekGrid(QWidget):
    """Emits `save_requested()` on "Save all"; the page runs the save on the worker."""

    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Seven-day entry")
        self.model = WeekModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Last seven days of production for the well")
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.table.setItemDelegateForColumn(len(self.model.state.columns) - 1, ReasonDelegate(self))
        self.table.verticalHeader().setDefaultSectionSize(theme.ROW_HEIGHT + 4)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.summary = message_label("Seven-day save result")
        self.summary.show()
        self.save_button = QPushButton("Save &all")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.request_save)
        theme.size_button(self.save_button, "Save all changed days")
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._busy = False
        self.model.dataChanged.connect(self._changed)
        self.model.modelReset.connect(self._changed)
        self._changed()

    @property
    def state(self) -> WeekState:
        return self.model.state

    def commit_editor(self) -> None:
        """A cell being typed in keeps its text: the open editor hands it to the model (as
        leaving the cell does) before the grid is reloaded under it."""
        editor = self.table.focusWidget()  # the open editor, when a cell is being typed in
        if self.table.state() == QAbstractItemView.State.EditingState and editor is not None:
            while editor.parentWidget() is not self.table.viewport():  # a combo's inner line
                parent = editor.parentWidget()
                if parent is None:
                    return
                editor = parent
            self.table.commitData(editor)
            self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def load(self, data: ProductionWeek | None) -> None:
        """Show a well's seven days (None: none); typing of other wells and days is put
        aside, not lost, and the cell being typed in is committed first."""
        self.commit_editor()
        self.state.load(data)
        self.model.reset()

    def apply_outcomes(self, outcomes: list[DayOutcome], data: ProductionWeek) -> None:
        """A save's answer: the saved days reloaded, the refused ones kept as typed."""
        self.commit_editor()
        self.state.apply_outcomes(outcomes, data)
        self.model.reset()

    def request_save(self) -> None:
        self.commit_editor()
        if self.save_button.isEnabled():
            if not self.state.rows_to_save():
                self.show_summary(self._blocked_text() or "Nothing changed to save.", "warning")
                return
            self.save_requested.emit()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy and self.state.data is not None)
        self.save_button.setText("Saving…" if busy else "Save &all")

    def _blocked_text(self) -> str:
        rows = self.state.blocked_rows()
        days = ", ".join(f"{self.state.days[i]:%a %d}" for i in rows)
        return f"Fix the marked days before saving: {days}." if rows else ""

    def show_summary(self, text: str, tone: str) -> None:
        self.summary.setText(text)
        self.summary.setProperty("severity", tone)
        theme.repolish(self.summary)

    def _changed(self, *_args: object) -> None:
        self.save_button.setEnabled(not self._busy and self.state.data is not None)
        blocked = self._blocked_text()
        if blocked:
            self.show_summary(blocked, "error")
