"""The Sync screen: what waits to be sent, the last answer per record, conflicts side by side
and rejected records to fix, with "Sync now" and the sync's progress.

Everything it shows comes from one worker call (`core.sync_overview.overview`); resolving a
conflict and resubmitting a fix run on the worker too, then the page reloads and emits `saved`
so the automatic sync sends them. The window wires the sync with `attach_sync`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.conflicts import Side, resolve
from fieldapp.core.preferences import Preferences
from fieldapp.core.rejections import resubmit
from fieldapp.core.sync_overview import OpenConflict, SyncOverview, overview
from fieldapp.ui import theme
from fieldapp.ui.form_parts import message_label
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from fieldapp.ui.sync_models import (
    ComparisonModel,
    ConflictsModel,
    FixEditor,
    OutcomesModel,
    PendingModel,
    RejectionsModel,
    StateTableModel,
    error_text,
    show_message,
)
from fieldapp.ui.sync_status import last_sync_text
from fieldapp.ui.sync_tables import (
    SyncProgress,
    comparisons,
    conflict_heading,
    now_showing,
    record_text,
)
from fieldapp.ui.table_model import table_view

LOCAL_ONLY = "This store is local only (not registered with a server): there is nothing to sync."
TABS = ("pending", "results", "conflicts", "rejected")


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


class SyncPage(Page):
    name = "sync"
    title = "Sync"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.progress = SyncProgress()
        self.data: SyncOverview | None = None
        self.request_sync: Callable[[], None] | None = None
        self.available = False
        self.reason = "Sync is not connected yet."
        self._loading = self._reload = self._attached = False
        self._generation = 0  # counts clear(): a load started before one is not shown
        heading = QLabel("Sync")
        heading.setObjectName("title")
        self.sync_button = QPushButton("Sync &now")
        self.sync_button.setObjectName("primary")
        theme.size_button(self.sync_button, "Sync now")
        self.sync_button.clicked.connect(self.sync_now)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Sync progress")
        self.bar.setTextVisible(False)
        self.status = QLabel(self.progress.text)
        self.status.setObjectName("issues")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Sync progress message")
        self.last_sync = QLabel("")
        self.last_sync.setAccessibleName("Last sync")
        self.last_sync.hide()
        self.off = message_label("Why sync is off")
        top = QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.sync_button)
        progress = QVBoxLayout()
        progress.setSpacing(theme.SPACING)
        progress.addWidget(self.bar)
        progress.addWidget(self.status)
        top.addLayout(progress, 1)
        notes = QHBoxLayout()
        notes.setSpacing(theme.SPACING)
        notes.addWidget(self.last_sync)
        notes.addWidget(self.off, 1)
        self.pending = PendingModel(self)
        self.outcomes = OutcomesModel(self)
        self.conflicts = ConflictsModel(self)
        self.rejections = RejectionsModel(self)
        self.pending_view = table_view(self.pending, "Waiting to be sent", stretch=3)
        self.pending_note = QLabel("")
        self.outcomes_view = table_view(self.outcomes, "Last result per record", stretch=4)
        self.conflicts_view = table_view(self.conflicts, "Open conflicts", stretch=0)
        self.conflicts_view.setColumnHidden(3, True)  # the fields are in the panel's heading
        self.rejections_view = table_view(self.rejections, "Rejected records")
        self.conflict_panel = ConflictPanel()
        self.conflict_panel.keep.connect(self.keep)
        self.fix_editor = FixEditor()
        self.fix_editor.submit.connect(self.resubmit)
        self.conflicts_view.selectionModel().currentRowChanged.connect(self._conflict_selected)
        self.rejections_view.selectionModel().currentRowChanged.connect(self._rejection_selected)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sync details")
        self.tabs.tabBar().setAccessibleName("Pending, results, conflicts or rejected")
        for tab, widgets, box in zip(
            TABS,
            (
                (self.pending_view, self.pending_note),
                (self.outcomes_view,),
                (self.conflicts_view, self.conflict_panel),
                (self.rejections_view, self.fix_editor),
            ),
            (QVBoxLayout, QVBoxLayout, QHBoxLayout, QHBoxLayout),
            strict=True,
        ):
            page = QWidget()
            page.setAccessibleName(tab)
            layout = box(page)
            layout.setSpacing(theme.SPACING)
            for widget, share in zip(widgets, (2, 3 if box is QHBoxLayout else 0), strict=False):
                layout.addWidget(widget, share)
            self.tabs.addTab(page, tab)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(notes)
        layout.addWidget(self.tabs, 1)
        self._show_counts()
        self._show_availability()

    # --- wiring -------------------------------------------------------------------------------

    def attach_sync(
        self,
        happened: SignalInstance | None,
        request_sync: Callable[[], None],
        available: bool,
        reason: str | None = None,
    ) -> None:
        """Follow the sync's events (`SyncBridge.happened`; connected once); Sync now calls
        `request_sync`; not `available` (a local-only store, or sync off for `reason`): Sync now
        is disabled with the reason shown. `set_available` changes that later (sync off)."""
        if happened is not None and not self._attached:
            happened.connect(self.on_sync_event)
            self._attached = True
        self.request_sync = request_sync
        self.set_available(available, reason)

    def set_available(self, available: bool, reason: str | None = None) -> None:
        self.available, self.reason = available, reason or LOCAL_ONLY
        self._show_availability()

    def _show_availability(self) -> None:
        local = self.data is not None and not self.data.server_mode
        ready = self.available and self.request_sync is not None and not local
        self.sync_button.setEnabled(ready)
        show_message(self.off, "" if ready else (LOCAL_ONLY if local else self.reason), "warning")

    def sync_now(self) -> None:
        if self.request_sync is not None and self.sync_button.isEnabled():
            self.request_sync()
            self.message.emit("Sync requested")
            if self.progress.request():
                show_message(self.status, self.progress.text, "")
                self.bar.setRange(0, 0)

    def on_sync_event(self, name: str, details: dict[str, Any]) -> None:
        if not self.progress.on_event(name, details):
            return
        value, maximum = self.progress.bar()
        self.bar.setRange(0, maximum)
        self.bar.setValue(value)
        tone = {"done": "ok", "failed": "error", "offline": "warning"}.get(self.progress.state, "")
        show_message(self.status, self.progress.text, tone)
        if name in ("sync.finished", "sync.failed") and self.isVisible():
            self.refresh()  # on screen: the results of this sync (hidden: when next shown)

    # --- Page -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:
            self._reload = True
            return
        self._loading = True
        generation = self._generation
        self.runner.run(overview, lambda data: self._loaded(data, generation), self._load_failed)

    def _loaded(self, data: SyncOverview, generation: int) -> None:
        self._loading = False
        if self._reload:
            self._reload = False
            self.refresh()
        if generation == self._generation:  # not read before a lock that cleared the page
            self.show_overview(data)

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = self._reload = False
        self.message.emit(f"Sync screen not loaded: {error_text(exc)}")

    def show_overview(self, data: SyncOverview) -> None:
        self.data = data
        self.progress.pending = data.pending_total
        self.pending.set_items(data.pending)
        more = data.pending_total - len(data.pending)
        self.pending_note.setText(
            f"Showing the first {len(data.pending)} of {data.pending_total}." if more > 0 else ""
        )
        self.outcomes.set_items(data.outcomes)
        self.fix_editor.keep_drafts({r.rejection.device_seq for r in data.rejections})
        self._reselect(
            self.conflicts_view,
            self.conflicts,
            data.conflicts,
            self.conflict_panel.shown,
            lambda c: c.conflict.conflict_id,
        )
        self._reselect(
            self.rejections_view,
            self.rejections,
            data.rejections,
            self.fix_editor.shown,
            lambda r: r.rejection.device_seq,
        )
        self.last_sync.setText(last_sync_text(data.last_sync) if data.server_mode else "")
        self.last_sync.setVisible(data.server_mode)
        self._show_counts()
        self._show_availability()

    def _reselect(
        self,
        view: QTableView,
        model: StateTableModel[Any],
        items: list[Any],
        shown: Any,
        key: Callable[[Any], object],
    ) -> None:
        model.set_items(items)
        keys = [key(i) for i in items]
        row = keys.index(key(shown)) if shown is not None and key(shown) in keys else 0
        if items:
            view.selectRow(row)
            view.setCurrentIndex(model.index(row, 0))
        self._show_selected(view, model.item(row) if items else None)

    def _conflict_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_selected(self.conflicts_view, self.conflicts.item(current.row()))

    def _rejection_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_selected(self.rejections_view, self.rejections.item(current.row()))

    def _show_selected(self, view: QTableView, item: Any) -> None:
        if view is self.conflicts_view:
            self.conflict_panel.show_conflict(item)
        else:
            self.fix_editor.show_rejection(item, self.preferences.units)

    def _show_counts(self) -> None:
        data = self.data
        counts = (
            (data.pending_total, len(data.outcomes), len(data.conflicts), len(data.rejections))
            if data
            else (0, 0, 0, 0)
        )
        titles = ("Waiting to send ({})", "Last results ({})", "Conflicts ({})", "Rejected ({})")
        for i, (title, count) in enumerate(zip(titles, counts, strict=True)):
            self.tabs.setTabText(i, title.format(count))
            self.tabs.setTabToolTip(i, title.format(count))

    def clear(self) -> None:
        self.data = None
        self._generation += 1
        for model in (self.pending, self.outcomes, self.conflicts, self.rejections):
            model.set_items([])
        self.conflict_panel.show_conflict(None)
        self.fix_editor.show_rejection(None, self.preferences.units)  # drafts are kept
        self.pending_note.setText("")
        self.last_sync.hide()
        self._show_counts()

    def show_context(self, args: dict[str, Any]) -> None:
        """{"show": "pending" | "results" | "conflicts" | "rejected"}: open that list."""
        if args.get("show") in TABS:
            self.tabs.setCurrentIndex(TABS.index(args["show"]))

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        for model in (
            self.pending,
            self.outcomes,
            self.conflicts,
            self.rejections,
            self.conflict_panel.model,
        ):
            model.set_units(preferences.units)
        self.conflict_panel.show_conflict(self.conflict_panel.shown)
        self.fix_editor.show_rejection(self.fix_editor.shown, preferences.units)

    def unsaved(self) -> int:
        return self.fix_editor.unsaved()

    # --- writes -------------------------------------------------------------------------------

    def keep(self, conflict_id: str, side: str) -> None:
        keep: Side = "mine" if side == "mine" else "theirs"
        shown = self.conflict_panel.shown
        record = record_text(shown.well_name, shown.day) if shown else "the record"

        def done(_: object) -> None:
            self.message.emit(f"Kept {keep} for {record}: sent with the next sync")
            self.saved.emit()
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.conflict_panel.set_busy(False)
            show_message(self.conflict_panel.error, f"Not resolved: {error_text(exc)}")

        self.runner.run(lambda store: resolve(store, conflict_id, keep), done, failed)

    def resubmit(self, device_seq: int, fixes: dict[str, Any]) -> None:
        shown = self.fix_editor.shown
        record = record_text(shown.well_name, shown.day) if shown else "the record"

        def done(new_seq: int) -> None:
            self.fix_editor.drafts.pop(device_seq, None)
            self.message.emit(
                f"Resubmitted {record}: waiting to be sent"
                if new_seq
                else f"{record} already holds these values"
            )
            self.saved.emit()
            self.refresh()

        self.runner.run(
            lambda store: resubmit(store, device_seq, fixes), done, self.fix_editor.failed
        )
