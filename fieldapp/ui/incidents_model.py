"""A thin Qt table model over `IncidentsState` (text, tooltips, accessibility, severity colours),
its table view and the severity badge."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from fieldapp.core.incidents import Incident
from fieldapp.core.wells import Well
from fieldapp.ui import theme
from fieldapp.ui.cells import cell_font
from fieldapp.ui.incidents_state import COLUMNS, IncidentsState

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex

# severity -> the theme status it is painted with; critical is that status inverted. Every
# colour goes with the severity in words (and a mark: ! !! !!!).
SEVERITY_STATUS = {"low": "recorded", "medium": "warning", "high": "error", "critical": "error"}
_MARKS = {"low": "", "medium": "! ", "high": "!! ", "critical": "!!! "}


_BADGE_STATUS = {"low": "recorded", "medium": "warning", "high": "error"}


def severity_colours(severity: str) -> tuple[str, str] | None:
    """(ink, paper) of a severity in the current theme; None for one this app does not know."""
    kind = SEVERITY_STATUS.get(severity)
    if kind is None:
        return None
    ink, paper = theme.status_colours(kind)
    return (paper, ink) if severity == "critical" else (ink, paper)


class IncidentsModel(QAbstractTableModel):
    """Rows are `IncidentsState.rows`; `set_rows` and `set_wells` reset or repaint the view."""

    def __init__(self, state: IncidentsState | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state or IncidentsState()

    def set_rows(self, rows: Sequence[Incident]) -> None:
        self.beginResetModel()
        self.state.set_rows(rows)
        self.endResetModel()

    def set_wells(self, wells: Sequence[Well]) -> None:
        self.state.set_wells(wells)
        if self.rowCount():
            last = self.index(self.rowCount() - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def row_at(self, row: int) -> Incident | None:
        rows = self.state.rows
        return rows[row] if 0 <= row < len(rows) else None

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.state.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return column.title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.state.display(row, column.key)
            return _MARKS.get(row.severity, "") + text if column.key == "severity" else text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.title}: {self.state.display(row, column.key)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.state.tooltip(row)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            colours = severity_colours(row.severity) if column.key == "severity" else None
            if colours is None:
                return None
            ink, paper = colours
            return QBrush(QColor(ink if role == Qt.ItemDataRole.ForegroundRole else paper))
        if role == Qt.ItemDataRole.FontRole and column.key in ("severity", "regulatory"):
            return cell_font(bool(column.key == "severity" or row.regulatory_notification_required))
        if role == ROW_ROLE:
            return row
        return None


def paint_severity(label: QLabel, severity: str) -> None:
    """A label showing a severity (its text says it in words) in the severity's colours: the
    theme's status style for low to high (it follows theme switches), critical inverted."""
    status = _BADGE_STATUS.get(severity, "")
    label.setProperty("status", status)
    colours = severity_colours(severity) if not status else None
    label.setStyleSheet(
        ""
        if colours is None
        else f"color: {colours[0]}; background: {colours[1]}; padding: 2px 10px;"
        " border-radius: 4px; font-weight: bold;"
    )
    theme.repolish(label)


def incidents_table(model: IncidentsModel) -> QTableView:
    """The read-only, row-selecting view of reported incidents."""
    table = QTableView()
    table.setModel(model)
    table.setAccessibleName("Reported incidents")
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(theme.ROW_HEIGHT)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table
