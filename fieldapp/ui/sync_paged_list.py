"""A list of the Sync screen that loads a page at a time: the table, "Showing 200 of 10,000."
and Show more; scrolling to the end of the table asks for the next page too.

The list only asks (`more`); the page reads the next page on the worker and hands it back with
`add_page`. A reset (`set_items`: a reload, a lock) counts in `token`, so a page read before it
is not added to the rows read after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldapp.ui import theme
from fieldapp.ui.sync_models import StateTableModel
from fieldapp.ui.table_model import table_view


class PagedList(QWidget):
    more = Signal()  # the next page is wanted: read it after `model.state.last_key()`

    def __init__(
        self, model: StateTableModel[Any], name: str, *, stretch: int | None = None
    ) -> None:
        super().__init__()
        self.model = model
        self.view = table_view(model, name, stretch=stretch)
        self.loading = False  # a page is being read
        self.token = 0
        self.note = QLabel("")
        self.note.setAccessibleName(f"{name}: rows shown")
        self.note.setWordWrap(True)
        self.button = QPushButton("Show m&ore")
        theme.size_button(self.button, f"Show more {name.lower()}")
        self.button.clicked.connect(self.ask_more)
        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)
        row = QHBoxLayout()
        row.setSpacing(theme.SPACING)
        row.addWidget(self.note, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        self._show_paging()

    def set_items(self, items: Sequence[Any], *, more: bool = False, total: int = 0) -> None:
        self.token += 1
        self.loading = False
        self.model.set_items(items, more=more, total=total)
        self._show_paging()

    def add_page(self, items: Sequence[Any], *, more: bool, token: int) -> bool:
        """Append the page asked for under `token`; False (nothing added) after a reset."""
        if token != self.token:
            return False
        self.loading = False
        self.model.add_page(items, more=more)
        self._show_paging()
        return True

    def page_failed(self) -> None:
        self.loading = False

    def ask_more(self) -> None:
        if not self.loading and self.model.state.more:
            self.loading = True
            self.more.emit()

    def _scrolled(self, value: int) -> None:
        bar = self.view.verticalScrollBar()
        if bar.maximum() > 0 and value >= bar.maximum():
            self.ask_more()

    def _show_paging(self) -> None:
        state = self.model.state
        self.note.setText(state.showing())
        self.note.setVisible(state.more)
        self.button.setVisible(state.more)
