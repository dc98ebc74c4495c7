"""A thin Qt table model over `EquipmentState` (status in colour; the words are the state's);
table helpers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    Qt,
)
from PySide6.QtWidgets import QTableView

from fieldapp.core.equipment import Equipment
from fieldapp.ui import theme
from fieldapp.ui.cells import brush, cell_font
from fieldapp.ui.equipment_state import COLUMNS, STATUS_MARKS, EquipmentState
from fieldapp.ui.table_model import Index, ListTableModel, table_view

ROW_ROLE = Qt.ItemDataRole.UserRole + 1

_TITLES = tuple(title for _key, title in COLUMNS)


class EquipmentModel(ListTableModel[Equipment]):
    def __init__(self, state: EquipmentState | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state or EquipmentState()

    def set_rows(self, rows: Sequence[Equipment], well_names: Mapping[str, str]) -> None:
        self.beginResetModel()
        self.state.well_names = dict(well_names)
        self.state.set_rows(rows)
        self.endResetModel()

    def set_filter(self, well_id: str | None, search: str) -> None:
        self.beginResetModel()
        self.state.well_id = well_id
        self.state.set_search(search)
        self.endResetModel()

    # --- ListTableModel ----------------------------------------------------------------------

    def rows(self) -> Sequence[Equipment]:
        return self.state.visible

    def titles(self) -> Sequence[str]:
        return _TITLES

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.cell(index)
        if found is None:
            return None
        item, column = found
        key, title = COLUMNS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.state.display(item, key)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}: {self.state.display(item, key) or 'blank'}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.state.tooltip(item)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            if key != "status" or item.status not in STATUS_MARKS:
                return None
            # green, amber, red, grey in the current theme; each pair reaches 7:1 contrast
            ink, paper = theme.status_colours(item.status)
            return brush(ink if role == Qt.ItemDataRole.ForegroundRole else paper)
        if role == Qt.ItemDataRole.FontRole and key in ("status", "equipment_type"):
            return cell_font(True)
        if role == ROW_ROLE:
            return item
        return None


def make_table(model: QAbstractItemModel, name: str) -> QTableView:
    """The Equipment and Maintenance lists: one line a row."""
    return table_view(model, name, wrap=False)


def select_row(table: QTableView, row: int | None) -> None:
    selection = table.selectionModel()
    if row is None:
        selection.clear()
        return
    index = table.model().index(row, 0)
    flag = QItemSelectionModel.SelectionFlag
    selection.setCurrentIndex(index, flag.ClearAndSelect | flag.Rows)
    table.scrollTo(index)
