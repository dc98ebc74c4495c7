"""The Sync screen's Rejected tab: the paged list of records the server refused beside the
selected one (`RejectionPanel`: fix and send again, or resolve a conflict again).

The tab only shows and asks: `submit` (seq, fixes), `resolve_again` (conflict id) and the
list's `more` go to the page, which runs them on the worker.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QHBoxLayout, QWidget

from fieldapp.core.rejections import OpenRejection
from fieldapp.ui import theme
from fieldapp.ui.sync_models import RejectionsModel
from fieldapp.ui.sync_paged_list import PagedList
from fieldapp.ui.sync_rejection_panel import RejectionPanel
from shared.units import UnitSystem


class RejectedTab(QWidget):
    """Rejected records (a page at a time) and the selected one to fix."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("rejected")
        self.units = UnitSystem.FIELD
        self.model = RejectionsModel(self)
        self.list = PagedList(self.model, "Rejected records")
        self.panel = RejectionPanel()
        self.submit = self.panel.submit
        self.resolve_again = self.panel.resolve_again
        self.more = self.list.more
        self.list.view.selectionModel().currentRowChanged.connect(self._selected)
        layout = QHBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.panel, 3)

    def show_items(self, items: Sequence[OpenRejection], *, more: bool, total: int) -> None:
        """A fresh first part of the list; the record shown stays selected if it is still
        rejected (else the first one); typing for records fixed since is forgotten."""
        shown = self.panel.shown
        self.list.set_items(items, more=more, total=total)
        self.panel.keep_drafts({r.rejection.device_seq for r in items}, more)
        seqs = [r.rejection.device_seq for r in items]
        seq = shown.rejection.device_seq if shown is not None else None
        self.select_row(seqs.index(seq) if seq in seqs else 0)

    def add_page(self, items: Sequence[OpenRejection], *, more: bool, token: int) -> None:
        self.list.add_page(items, more=more, token=token)

    def select_row(self, row: int) -> None:
        view = self.list.view
        if self.model.rowCount():
            view.selectRow(row)
            view.setCurrentIndex(self.model.index(row, 0))
        self.panel.show_rejection(self.model.item(row), self.units)

    def clear(self) -> None:
        """Forget the rows shown (the store locked); what was typed stays in the drafts."""
        self.list.set_items([])
        self.panel.show_rejection(None, self.units)

    def set_units(self, units: UnitSystem) -> None:
        self.units = units
        self.model.set_units(units)
        self.panel.show_rejection(self.panel.shown, units)

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.panel.show_rejection(self.model.item(current.row()), self.units)
