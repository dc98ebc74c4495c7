"""The part every read-only table model of the app shares: counting, headers, flags, lookup.

Each table keeps its rows in a Qt-free state object; its model subclasses `ListTableModel`,
says which rows are shown (`rows()`) and what the columns are called (`titles()`, as spoken
and shown in tooltips; `header()` for a shorter shown text), and answers `data()` for the
cells, starting from `cell(index)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from fieldapp.ui import theme

T = TypeVar("T")
SIZE_SAMPLE_ROWS = 60  # rows sampled to size a column to its contents
Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel, Generic[T]):
    """A read-only, selectable table of `rows()` by `titles()`."""

    def rows(self) -> Sequence[T]:
        raise NotImplementedError

    def titles(self) -> Sequence[str]:
        raise NotImplementedError

    def header(self, section: int) -> str:
        """The column's shown heading (the title unless a model shortens it)."""
        return self.titles()[section]

    def row_at(self, row: int) -> T | None:
        rows = self.rows()
        return rows[row] if 0 <= row < len(rows) else None

    def cell(self, index: Index) -> tuple[T, int] | None:
        """(row item, column) of a valid cell of this table, else None."""
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.row_at(index.row())
        if item is None or not 0 <= index.column() < self.columnCount():
            return None
        return item, index.column()

    def repaint_all(self) -> None:
        """Every cell may look different now (units, names): the view repaints, keeping its
        selection and scroll position."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(self.titles()) - 1, 0))
        if self.rowCount() and self.columnCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.titles()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.header(section)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return self.titles()[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def table_view(
    model: QAbstractItemModel, name: str, *, stretch: int | None = None, wrap: bool = True
) -> QTableView:
    """A read-only table selecting whole rows, with tall rows and a spoken name; columns fit
    their contents (sampled, not every row of a long list) and column `stretch` (default:
    the last) takes the spare width."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(wrap)
    view.setAlternatingRowColors(not wrap)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(theme.ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setMinimumHeight(theme.ROW_HEIGHT * 3)
    return view
