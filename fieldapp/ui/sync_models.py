"""Thin Qt table models over the Sync screen's list states (`sync_list_state` and the conflicts
and rejected states).

One model class serves every list: the state says what each cell shows and its tone; the
model only adds the colours for the tones (every tone is also in the cell's words), tooltips,
accessible text and the item behind a row (`ITEM_ROLE`). `add_page` appends the next page of a
paged list as inserted rows, so the view keeps its selection and scroll position.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, Qt

from fieldapp.core.conflicts import OpenConflict
from fieldapp.core.outbox import PendingEvent
from fieldapp.core.outcomes import RecordOutcome
from fieldapp.core.rejections import OpenRejection
from fieldapp.ui import theme
from fieldapp.ui.cells import brush, cell_font
from fieldapp.ui.sync_conflicts_state import Comparison, ComparisonList, ConflictsList
from fieldapp.ui.sync_list_state import ListState, PendingList, ResultsList
from fieldapp.ui.sync_rejected_state import RejectedList
from fieldapp.ui.sync_words import Tone
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
    """Rows are `state.items`; `set_items`, `add_page` and `set_units` refresh the view."""

    def __init__(self, state: ListState[T], parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state

    def set_items(
        self, items: Sequence[T], *, more: bool = False, total: int | None = None
    ) -> None:
        self.beginResetModel()
        self.state.set_items(items, more=more, total=total)
        self.endResetModel()

    def add_page(self, items: Sequence[T], *, more: bool) -> None:
        first = self.state.row_count()
        fresh = self.state.fresh(items)
        if not fresh:
            self.state.more = more
            return
        self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
        self.state.add_page(fresh, more=more)
        self.endInsertRows()

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


class PendingModel(StateTableModel[PendingEvent]):
    state: PendingList

    def __init__(self, parent: Any = None) -> None:
        super().__init__(PendingList(), parent)


class OutcomesModel(StateTableModel[RecordOutcome]):
    state: ResultsList

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ResultsList(), parent)


class ConflictsModel(StateTableModel[OpenConflict]):
    state: ConflictsList

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ConflictsList(), parent)


class ComparisonModel(StateTableModel[Comparison]):
    state: ComparisonList

    def __init__(self, parent: Any = None) -> None:
        super().__init__(ComparisonList(), parent)


class RejectionsModel(StateTableModel[OpenRejection]):
    state: RejectedList

    def __init__(self, parent: Any = None) -> None:
        super().__init__(RejectedList(), parent)
