"""A thin Qt table model over `MaintenanceState`: overdue rows highlighted (the words are the
state's)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt

from fieldapp.core.maintenance import MaintenanceEntry
from fieldapp.ui import theme
from fieldapp.ui.cells import alignment, brush, cell_font
from fieldapp.ui.maintenance_state import (
    ALL_COLUMNS,
    MaintenanceRow,
    MaintenanceState,
    display,
    tooltip,
)
from fieldapp.ui.table_model import Index, ListTableModel

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class MaintenanceModel(ListTableModel[MaintenanceRow]):
    """Maintenance entries, newest first. `show_equipment=False` for one equipment's timeline."""

    def __init__(
        self,
        state: MaintenanceState | None = None,
        parent: Any = None,
        *,
        show_equipment: bool = True,
    ) -> None:
        super().__init__(parent)
        self.state = state or MaintenanceState()
        self.columns = tuple(c for c in ALL_COLUMNS if show_equipment or c[0] != "equipment")
        self._titles = tuple(title for _key, title in self.columns)

    def set_entries(
        self,
        entries: Sequence[MaintenanceEntry],
        overdue_ids: frozenset[str],
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.beginResetModel()
        self.state.set_entries(entries, overdue_ids, labels)
        self.endResetModel()

    def set_filter(self, well_id: str | None, equipment_id: str | None) -> None:
        self.beginResetModel()
        self.state.set_filter(well_id, equipment_id)
        self.endResetModel()

    # --- ListTableModel ----------------------------------------------------------------------

    def rows(self) -> Sequence[MaintenanceRow]:
        return self.state.visible

    def titles(self) -> Sequence[str]:
        return self._titles

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.cell(index)
        if found is None:
            return None
        row, column = found
        key, title = self.columns[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(row, key)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}: {display(row, key) or 'blank'}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "cost":
            return alignment(True)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            if not row.overdue:
                return None
            ink, paper = theme.status_colours("error")  # red in the current theme, >= 7:1
            return brush(ink if role == Qt.ItemDataRole.ForegroundRole else paper)
        if role == Qt.ItemDataRole.FontRole and (row.overdue or key == "performed_on"):
            return cell_font(True)
        if role == ROW_ROLE:
            return row
        return None
