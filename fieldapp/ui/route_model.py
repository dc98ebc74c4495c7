"""A thin Qt table model over `RouteState` (whose words it shows): accessibility, colours."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt

from fieldapp.ui import theme
from fieldapp.ui.cells import alignment, brush, cell_font
from fieldapp.ui.route_state import (
    COLUMNS,
    RouteRow,
    RouteState,
    column_title,
    display,
    tooltip,
)
from fieldapp.ui.table_model import Index, ListTableModel
from shared.units import UnitSystem

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_STATE_KINDS = {"flagged": "flagged", "recorded": "recorded"}  # not recorded: plain


class RouteModel(ListTableModel[RouteRow]):
    """Rows are `RouteState.visible`; `set_rows`, `set_filter` and `sort` reset the view."""

    def __init__(self, state: RouteState | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state or RouteState()
        self.units = UnitSystem.FIELD  # volumes are stored in bbl/Mcf and shown in these
        self._name_columns()

    def set_units(self, units: UnitSystem) -> None:
        """Show volumes (and their headers) in `units`."""
        if units == self.units:
            return
        self.units = units
        self._name_columns()
        self.repaint_all()

    def _name_columns(self) -> None:
        names = [column_title(column, self.units) for column in COLUMNS]
        self._titles = tuple(title for title, _header in names)
        self._headers = tuple(header for _title, header in names)

    # --- changes -------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[RouteRow]) -> None:
        self.beginResetModel()
        self.state.set_rows(rows)
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        if text == self.state.filter_text:
            return
        self.beginResetModel()
        self.state.set_filter(text)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old = {row.well_id: i for i, row in enumerate(self.state.visible)}
        before = self.persistentIndexList()
        self.state.sort(COLUMNS[column].key, order == Qt.SortOrder.AscendingOrder)
        new = {row.well_id: i for i, row in enumerate(self.state.visible)}
        by_old_row = {i: new[well_id] for well_id, i in old.items()}
        self.changePersistentIndexList(
            before, [self.index(by_old_row[i.row()], i.column()) for i in before]
        )
        self.layoutChanged.emit()

    # --- ListTableModel ----------------------------------------------------------------------

    def rows(self) -> Sequence[RouteRow]:
        return self.state.visible

    def titles(self) -> Sequence[str]:
        return self._titles

    def header(self, section: int) -> str:
        return self._headers[section]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and 0 <= section < len(COLUMNS):
            return alignment(COLUMNS[section].numeric)
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self.cell(index)
        if found is None:
            return None
        row, number = found
        column = COLUMNS[number]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(row, column.key, self.units)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = display(row, column.key, self.units)
            return f"{self._titles[number]}: {text or 'blank'}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return alignment(column.numeric)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            kind = _STATE_KINDS.get(row.state)
            if kind is None or column.key != "state":
                return None
            ink, paper = theme.status_colours(kind)  # in the current theme (sunlight too)
            return brush(ink if role == Qt.ItemDataRole.ForegroundRole else paper)
        if role == Qt.ItemDataRole.FontRole and column.key in ("state", "name"):
            return cell_font(bool(column.key == "name" or row.state != "recorded"))
        if role == ROW_ROLE:
            return row
        return None
