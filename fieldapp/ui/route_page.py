"""The Route page: the operator's wells for a day, searchable, each with that day's state.

The route is read on the worker (`load_snapshot`); this page holds the last snapshot in a
`RouteModel` and filters it on the GUI thread as the operator types (no store access per
keystroke). Enter or a double-click on a well, or "Record production", sends the operator to
the Production page for that well and day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.preferences import Preferences
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page, from_qdate, to_qdate
from fieldapp.ui.route_model import RouteModel
from fieldapp.ui.route_state import COLUMNS, RouteRow, RouteSnapshot, load_snapshot

SIZE_SAMPLE_ROWS = 60  # rows sampled to size the columns
HEADER_PADDING = 20  # a header section's frame and margins around its words


class RoutePage(Page):
    name = "route"
    title = "Route"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.model = RouteModel(parent=self)
        self.shown_day: date | None = None
        self.today: date | None = None
        self._wanted_day: date | None = None  # None: today, whatever the date is by now
        self._selected_well: str | None = None
        self._restoring = False
        self._first_load = True

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search wells by name or API number")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.search.returnPressed.connect(self._search_enter)
        theme.size_input(self.search, "Search wells")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setMinimumWidth(230)
        self.date_edit.dateChanged.connect(self._date_changed)
        theme.size_input(self.date_edit, "Route day")
        self.today_button = QPushButton("&Today")
        self.today_button.clicked.connect(self.show_today)
        theme.size_button(self.today_button, "Show today")
        date_label = QLabel("&Day")
        date_label.setBuddy(self.date_edit)
        top = QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.search, 3)
        top.addWidget(date_label)
        top.addWidget(self.date_edit)
        top.addWidget(self.today_button)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Wells on the route and their production for the day")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(theme.ROW_HEIGHT)
        header = self.table.horizontalHeader()
        # sized to the contents once per loaded day, from a sample of rows: sizing to every
        # row on each filter keystroke would ask the model for ~20,000 cells per key
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(80)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(lambda _index: self.record_selected())

        self.progress = QLabel("")
        self.progress.setObjectName("title")
        self.progress.setAccessibleName("Route progress")
        self.record_button = QPushButton("&Record production")
        self.record_button.setObjectName("primary")
        self.record_button.clicked.connect(self.record_selected)
        theme.size_button(self.record_button, "Record production for the selected well")
        self.incident_button = QPushButton("Report &incident")
        self.incident_button.clicked.connect(self._report_incident)
        theme.size_button(self.incident_button, "Report an incident at the selected well")
        bottom = QHBoxLayout()
        bottom.setSpacing(theme.SPACING)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.incident_button)
        bottom.addWidget(self.record_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    # --- loading --------------------------------------------------------------------------

    def refresh(self, day: date | None = None) -> None:
        """Reload the route for `day` (None: the day shown, or today) on the worker."""
        if day is not None:
            self._wanted_day = day
        wanted = self._wanted_day
        self.runner.run(lambda store: load_snapshot(store, wanted), self.apply_snapshot)

    def show_today(self) -> None:
        self._wanted_day = None
        self.refresh()

    def apply_snapshot(self, snapshot: RouteSnapshot) -> None:
        if self._wanted_day is not None and snapshot.day != self._wanted_day:
            return  # a newer request for another day is already queued behind this one
        self.shown_day, self.today = snapshot.day, snapshot.today
        with QSignalBlocker(self.date_edit):
            self.date_edit.setMaximumDate(to_qdate(snapshot.today))
            self.date_edit.setDate(to_qdate(snapshot.day))
        self.today_button.setEnabled(snapshot.day != snapshot.today)
        self._restoring = True
        try:
            self.model.set_rows(snapshot.rows)
            if self._first_load and self._selected_well is None:
                visible = self.model.state.visible
                todo = [r for r in visible if r.record_id is None] or visible
                if todo:  # start the route at the first well still to record
                    self._selected_well = todo[0].well_id
            self._first_load = False
            self._reselect()
        finally:
            self._restoring = False
        self.table.resizeColumnsToContents()
        self._fit_number_columns()
        self._show_progress()

    def _fit_number_columns(self) -> None:
        """Number columns as wide as their numbers and header words, not the sort arrow's room
        Qt keeps in every header: at 1366 px the last column (Field) then shows whole."""
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for column, spec in enumerate(COLUMNS):
            if not spec.numeric or column == header.sortIndicatorSection():
                continue
            words = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            text = max(metrics.horizontalAdvance(line) for line in words.splitlines() or [""])
            width = max(self.table.sizeHintForColumn(column), text + HEADER_PADDING)
            header.resizeSection(column, max(width, header.minimumSectionSize()))

    def _show_progress(self) -> None:
        recorded, total = self.model.state.counts()
        flagged = sum(r.state == "flagged" for r in self.model.state.rows)
        text = f"{recorded} of {total} wells recorded"
        self.progress.setText(f"{text}, {flagged} flagged" if flagged else text)
        self.record_button.setEnabled(self.selected_row() is not None)

    def clear(self) -> None:
        self._restoring = True
        try:
            self.model.set_rows([])
        finally:
            self._restoring = False
        self.progress.setText("")

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        self.model.set_units(preferences.units)

    def show_context(self, args: dict[str, Any]) -> None:
        day = args.get("day")
        if isinstance(day, date) and day != self.shown_day:
            self.refresh(day)
        well_id = args.get("well_id")
        if isinstance(well_id, str):
            self.select_well(well_id)

    # --- selection and filter --------------------------------------------------------------

    def selected_row(self) -> RouteRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_well(self, well_id: str) -> bool:
        self._selected_well = well_id
        self._reselect()
        return self.selected_row() is not None

    def _reselect(self) -> None:
        selection = self.table.selectionModel()
        well_id = self._selected_well
        row = None if well_id is None else self.model.state.index_of(well_id)
        if row is None:
            selection.clear()
            return
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._restoring:
            return
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None:
            self._selected_well = row.well_id
        self.record_button.setEnabled(row is not None)

    def _filter_changed(self, text: str) -> None:
        self._restoring = True
        try:
            self.model.set_filter(text)
            visible = self.model.state.visible
            if len(visible) == 1:
                self._selected_well = visible[0].well_id
            self._reselect()
        finally:
            self._restoring = False
        self.record_button.setEnabled(self.selected_row() is not None)

    def _search_enter(self) -> None:
        visible = self.model.state.visible
        if visible:
            if self.selected_row() not in visible:
                self.select_well(visible[0].well_id)
            self.record_selected()

    def _date_changed(self, qdate: QDate) -> None:
        self.refresh(from_qdate(qdate))

    # --- leaving for another page --------------------------------------------------------

    def record_selected(self) -> None:
        row = self.selected_row()
        if row is not None and self.shown_day is not None:
            self.navigate.emit("production", {"well_id": row.well_id, "day": self.shown_day})

    def _report_incident(self) -> None:
        row = self.selected_row()
        self.navigate.emit("incidents", {"well_id": row.well_id} if row is not None else {})
