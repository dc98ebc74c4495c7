"""The main window: the day's route (wells and their production) and the record form.

Everything that reads or writes the store goes through `OpRunner`; this window only holds
what the last snapshot said, so it can be emptied (auto-lock) without touching the store.
The automatic sync's events arrive through a `SyncBridge` signal, queued to the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import LockedError, ValidationFailedError
from fieldapp.core.production import SaveResult, save_production
from fieldapp.core.store import StoreStatus
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.production_form import ProductionForm
from fieldapp.ui.route_model import RouteModel
from fieldapp.ui.route_state import RouteRow, RouteSnapshot, load_snapshot
from fieldapp.ui.sync_status import SyncBridge, SyncStatusPanel
from shared.contracts import ProductionRecorded

PULL_REFRESH_MS = 300  # a sync's pulled pages refresh the route at most this often

log = logging.getLogger(__name__)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class MainWindow(QMainWindow):
    closed = Signal()
    saved = Signal()  # a record was saved: there is something new to sync

    def __init__(
        self,
        runner: OpRunner,
        sync_events: SyncBridge | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setWindowTitle("WellPulse Field")
        self.setAccessibleName("WellPulse Field main window")
        theme.apply_to_window(self)
        self.model = RouteModel(parent=self)
        self.shown_day: date | None = None
        self._wanted_day: date | None = None  # None: today, whatever the date is by now
        self._selected_well: str | None = None
        self._restoring = False
        self._first_load = True
        self._close_warned = False
        self._locked = False  # emptied by an auto-lock: sync events wait for the next unlock

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
        theme.size_input(self.date_edit, "Production date")
        self.today_button = QPushButton("&Today")
        self.today_button.clicked.connect(self.show_today)
        theme.size_button(self.today_button, "Show today")
        self.progress = QLabel("")
        self.progress.setAccessibleName("Route progress")
        date_label = QLabel("&Day")
        date_label.setBuddy(self.date_edit)
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addSpacing(12)
        top.addWidget(date_label)
        top.addWidget(self.date_edit)
        top.addWidget(self.today_button)
        top.addSpacing(12)
        top.addWidget(self.progress, 1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Wells and production for the day")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(theme.ROW_HEIGHT)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(80)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.activated.connect(self._focus_form)

        self.form = ProductionForm()
        self.form.save_requested.connect(self.save)
        self.form.setMinimumWidth(360)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([980, 360])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.sync_panel = SyncStatusPanel()
        self.store_status = self.sync_panel.store
        self.statusBar().addPermanentWidget(self.sync_panel)
        self._pull_refresh = QTimer(self)
        self._pull_refresh.setSingleShot(True)
        self._pull_refresh.setInterval(PULL_REFRESH_MS)
        self._pull_refresh.timeout.connect(self.refresh)
        if sync_events is not None:
            sync_events.happened.connect(self.sync_event, Qt.ConnectionType.QueuedConnection)
        self.runner.op_failed.connect(lambda message: self.statusBar().showMessage(message))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.Save, self, self.form.request_save)
        self.resize(1366, 768)

    # --- loading --------------------------------------------------------------------------

    def refresh(self, day: date | None = None) -> None:
        """Reload the route for `day` (None: the day shown, or today) on the worker."""
        if day is not None:
            self._wanted_day = day
        self._locked = False
        wanted = self._wanted_day
        self.runner.run(lambda store: load_snapshot(store, wanted), self._apply_snapshot)

    def show_today(self) -> None:
        self._wanted_day = None
        self.refresh()

    def _apply_snapshot(self, snapshot: RouteSnapshot) -> None:
        if self._wanted_day is not None and snapshot.day != self._wanted_day:
            return  # a newer request for another day is already queued behind this one
        self.shown_day = snapshot.day
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
        self._sync_form()
        self._show_status(snapshot.status)
        recorded, total = self.model.state.counts()
        flagged = sum(r.state == "flagged" for r in self.model.state.rows)
        text = f"{recorded} of {total} wells recorded"
        self.progress.setText(f"{text}, {flagged} flagged" if flagged else text)

    def _show_status(self, status: StoreStatus) -> None:
        if not self._locked:
            self.sync_panel.show_status(status)

    def refresh_status(self) -> None:
        """Re-read the pending count, last sync and open problems (on the worker)."""
        self.runner.run(lambda store: store.status(), self._show_status, self._status_failed)

    def _status_failed(self, error: BaseException) -> None:
        if not isinstance(error, LockedError):  # locked meanwhile: nothing to show
            log.warning("reading the store status failed: %r", error)

    def clear(self) -> None:
        """Forget everything shown (the store was locked); typed, unsaved input stays."""
        self._locked = True
        self._pull_refresh.stop()
        self._restoring = True
        try:
            self.model.set_rows([])
        finally:
            self._restoring = False
        self.sync_panel.show_locked()
        self.progress.setText("")

    # --- automatic sync ---------------------------------------------------------------------

    def sync_event(self, name: str, details: dict[str, Any]) -> None:
        """One event of the automatic sync, on the GUI thread (queued from the sync thread)."""
        if self._locked:
            return  # an event from before the lock, delivered late
        self.sync_panel.on_event(name, details)
        if name == "sync.pulled" and int(details.get("applied") or 0) > 0:
            if not self._pull_refresh.isActive():  # others' records came down: show them
                self._pull_refresh.start()
        elif name in ("sync.finished", "sync.failed"):
            self.refresh_status()
        if name == "sync.failed":
            self.statusBar().showMessage(f"Sync stopped: {details.get('error')}", 15000)

    def sync_off(self, reason: str) -> None:
        """The automatic sync could not be started for this store."""
        if not self._locked:
            self.sync_panel.show_sync_off(reason)
            self.statusBar().showMessage(f"Automatic sync is off: {reason}", 15000)

    # --- selection and filter --------------------------------------------------------------

    def selected_row(self) -> RouteRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_well(self, well_id: str) -> bool:
        self._selected_well = well_id
        self._reselect()
        self._sync_form()
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
            self._sync_form()

    def _sync_form(self) -> None:
        """Point the form at the selected well and day, unless it holds unsaved typing for it."""
        row = None
        if self._selected_well is not None:
            row = next((r for r in self.model.state.rows if r.well_id == self._selected_well), None)
        if row is None or self.shown_day is None:
            return
        if self.form.dirty and self.form.target == (row.well_id, self.shown_day):
            return
        self.form.set_target(row, self.shown_day)

    def _filter_changed(self, text: str) -> None:
        self._restoring = True
        try:
            self.model.set_filter(text)
            visible = self.model.state.visible
            if len(visible) == 1:  # unsaved typing is kept as a draft by the form
                self._selected_well = visible[0].well_id
            self._reselect()
        finally:
            self._restoring = False
        self._sync_form()

    def _search_enter(self) -> None:
        visible = self.model.state.visible
        if visible:
            self.select_well(visible[0].well_id)
            self.form.inputs["oil_bbl"].setFocus()

    def _focus_form(self, _index: QModelIndex) -> None:
        self.form.inputs["oil_bbl"].setFocus()

    def _date_changed(self, qdate: QDate) -> None:
        self.refresh(from_qdate(qdate))

    # --- saving ---------------------------------------------------------------------------

    def save(self, record: ProductionRecorded) -> None:
        """Save on the worker; the answer goes to the form if it still shows that well-day."""
        target = (str(record.well_id), record.production_date)
        self.form.set_busy(True)
        self.runner.run(
            lambda store: save_production(store, record),
            lambda result: self._saved(target, result),
            lambda error: self._save_failed(target, error),
        )

    def _well_name(self, well_id: str) -> str:
        return next((r.name for r in self.model.state.rows if r.well_id == well_id), "the well")

    def _saved(self, target: tuple[str, date], result: SaveResult) -> None:
        self._close_warned = False
        self.form.set_busy(False)
        if self.form.target == target:
            self.form.show_saved(result)
            message = self.form.issues.text().splitlines()[0]
        else:  # the operator moved on while it saved
            self.form.forget_draft(target)
            message = f"Saved for {self._well_name(target[0])}."
        self.statusBar().showMessage(message, 8000)
        self.refresh()
        self.saved.emit()

    def _save_failed(self, target: tuple[str, date], error: BaseException) -> None:
        self.form.set_busy(False)
        if self.form.target != target:  # its typing waits as a draft for the operator's return
            name = self._well_name(target[0])
            self.statusBar().showMessage(f"Not saved for {name}: {error}", 15000)
        elif isinstance(error, ValidationFailedError):
            self.form.show_issues(error.issues)
        else:
            self.form.show_failure(str(error) or type(error).__name__)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with typed, unsaved values asks once (inline): close again to discard."""
        unsaved = self.form.unsaved
        if unsaved and not self._close_warned:
            self._close_warned = True
            event.ignore()
            days = "this well-day" if unsaved == 1 else f"{unsaved} well-days"
            self.form.show_failure(
                f"the values typed for {days} are not saved. Press Save to keep them,"
                " or close the window again to discard them."
            )
            return
        self.closed.emit()
        super().closeEvent(event)
