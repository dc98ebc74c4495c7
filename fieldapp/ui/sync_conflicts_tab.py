"""The Sync screen's Conflicts tab: the paged list of open conflicts beside the selected one,
compared side by side (field | mine | theirs) with Keep mine / Keep theirs.

The tab only shows and asks: `keep` (conflict id, "mine" or "theirs") and the list's `more`
go to the page, which runs them on the worker.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.conflicts import OpenConflict
from fieldapp.ui import theme
from fieldapp.ui.form_parts import message_label
from fieldapp.ui.sync_conflicts_state import comparisons, conflict_heading, now_showing
from fieldapp.ui.sync_messages import show_message
from fieldapp.ui.sync_models import ComparisonModel, ConflictsModel
from fieldapp.ui.sync_paged_list import PagedList
from fieldapp.ui.table_model import table_view
from shared.units import UnitSystem


class ConflictPanel(QWidget):
    """The selected conflict: field | mine | theirs, and Keep mine / Keep theirs."""

    keep = Signal(str, str)  # conflict id, "mine" or "theirs"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: OpenConflict | None = None
        self.busy = False
        self.heading = QLabel("No open conflicts.")
        self.heading.setWordWrap(True)
        self.model = ComparisonModel(self)
        self.view = table_view(self.model, "Conflict: mine and theirs side by side", stretch=1)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.showing = QLabel("")
        self.error = message_label("Conflict problem")
        self.mine = QPushButton("Keep &mine")
        self.theirs = QPushButton("Keep &theirs")
        theme.size_button(self.mine, "Keep mine")
        theme.size_button(self.theirs, "Keep theirs")
        self.mine.clicked.connect(lambda: self._keep("mine"))
        self.theirs.clicked.connect(lambda: self._keep("theirs"))
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.mine)
        buttons.addWidget(self.theirs)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        for widget in (self.heading, self.view, self.showing, self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.show_conflict(None)

    def show_conflict(self, shown: OpenConflict | None) -> None:
        same = (
            shown is not None
            and self.shown is not None
            and (shown.conflict.conflict_id == self.shown.conflict.conflict_id)
        )
        self.shown = shown
        if not same:
            show_message(self.error, "")
        self.model.set_items(comparisons(shown) if shown else [])
        if shown is None:
            self.heading.setText("Select a conflict in the list to compare both sides.")
            self.showing.setText("")
        else:
            self.heading.setText(conflict_heading(shown, self.model.state.units))
            self.showing.setText(now_showing(shown))
        self.set_busy(self.busy and same)

    def set_busy(self, busy: bool) -> None:
        """While a resolution runs on the worker, neither side can be chosen again."""
        self.busy = busy
        ready = self.shown is not None and bool(self.shown.conflict.fields) and not busy
        self.mine.setEnabled(ready)
        self.theirs.setEnabled(ready)

    def _keep(self, side: str) -> None:
        if self.shown is not None:
            self.set_busy(True)
            self.keep.emit(self.shown.conflict.conflict_id, side)


class ConflictsTab(QWidget):
    """Open conflicts (a page at a time) and the selected one compared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("conflicts")
        self.model = ConflictsModel(self)
        self.list = PagedList(self.model, "Open conflicts", stretch=2)  # well and day in full
        self.list.view.setColumnHidden(3, True)  # the fields are in the panel's heading
        self.panel = ConflictPanel()
        self.keep = self.panel.keep
        self.more = self.list.more
        self.list.view.selectionModel().currentRowChanged.connect(self._selected)
        layout = QHBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.panel, 3)

    def show_items(self, items: Sequence[OpenConflict], *, more: bool, total: int) -> None:
        """A fresh first part of the list; the conflict shown stays selected if it is still
        open (else the first one)."""
        shown = self.panel.shown
        self.list.set_items(items, more=more, total=total)
        row = self.model.state.row_of(shown.conflict.conflict_id) if shown else None
        self.select_row(row or 0)

    def add_page(self, items: Sequence[OpenConflict], *, more: bool, token: int) -> None:
        self.list.add_page(items, more=more, token=token)

    def select(self, conflict_id: str) -> bool:
        """Select that conflict if it is among the rows loaded."""
        row = self.model.state.row_of(conflict_id)
        if row is not None:
            self.select_row(row)
        return row is not None

    def select_row(self, row: int) -> None:
        view = self.list.view
        if self.model.rowCount():
            view.selectRow(row)
            view.setCurrentIndex(self.model.index(row, 0))
            view.scrollTo(self.model.index(row, 0))
        self.panel.show_conflict(self.model.item(row))

    def clear(self) -> None:
        self.list.set_items([])
        self.panel.show_conflict(None)

    def set_units(self, units: UnitSystem) -> None:
        self.model.set_units(units)
        self.panel.model.set_units(units)
        self.panel.show_conflict(self.panel.shown)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.panel.show_conflict(self.model.item(current.row()))
