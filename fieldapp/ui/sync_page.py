"""The Sync screen: Sync now and the sync's progress over four tabs — what waits to be sent,
the last answer per record, the open conflicts side by side (Keep mine / Keep theirs) and the
rejected records (Fix and send again, or Resolve again for a refused resolution).

The parts: `SyncHeader` (sync_header), the pending and results tables (sync_models over
sync_list_state), `ConflictsTab` (sync_conflicts_tab) and `RejectedTab` (sync_rejected_tab).
Everything shown comes from one worker call (`sync_state.load_snapshot`); the long lists load
a page more on the worker when asked. Resolving a conflict and sending a fix again run on the
worker too, then the page reloads and emits `saved` so the automatic sync sends them. The
window wires the sync with `attach_sync`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from fieldapp.core.conflicts import Side, resolve
from fieldapp.core.preferences import Preferences
from fieldapp.core.rejections import resubmit
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from fieldapp.ui.sync_conflicts_tab import ConflictsTab
from fieldapp.ui.sync_header import SyncHeader
from fieldapp.ui.sync_messages import error_text, show_message
from fieldapp.ui.sync_models import OutcomesModel, PendingModel
from fieldapp.ui.sync_progress import SyncProgress
from fieldapp.ui.sync_rejected_tab import RejectedTab
from fieldapp.ui.sync_state import (
    Paged,
    SyncSnapshot,
    conflicts_through,
    load_snapshot,
    more_conflicts,
    more_rejections,
)
from fieldapp.ui.sync_words import record_text
from fieldapp.ui.table_model import table_view

LOCAL_ONLY = "This store is local only (not registered with a server): there is nothing to sync."
TABS = ("pending", "results", "conflicts", "rejected")
TITLES = ("Waiting to send ({})", "Last results ({})", "Conflicts ({})", "Rejected ({})")
NOT_OPEN = "That conflict is not open on this laptop any more."


def _tab(name: str, *widgets: QWidget) -> QWidget:
    page = QWidget()
    page.setAccessibleName(name)
    layout = QVBoxLayout(page)
    layout.setSpacing(theme.SPACING)
    for widget, share in zip(widgets, (2, 0), strict=False):
        layout.addWidget(widget, share)
    return page


class SyncPage(Page):
    name = "sync"
    title = "Sync"

    def __init__(self, runner: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.progress = SyncProgress()
        self.data: SyncSnapshot | None = None
        self.request_sync: Callable[[], None] | None = None
        self.available = False
        self.reason = "Sync is not connected yet."
        self._loading = self._reload = self._attached = False
        self._generation = 0  # counts clear(): a load started before one is not shown
        self.header = SyncHeader()
        self.header.status.setText(self.progress.text)
        self.pending = PendingModel(self)
        self.pending_view = table_view(self.pending, "Waiting to be sent", stretch=3)
        self.pending_note = QLabel("")
        self.outcomes = OutcomesModel(self)
        self.outcomes_view = table_view(self.outcomes, "Last result per record", stretch=4)
        self.conflicts_tab = ConflictsTab()
        self.rejected_tab = RejectedTab()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Sync details")
        self.tabs.tabBar().setAccessibleName("Pending, results, conflicts or rejected")
        for tab in (
            _tab("pending", self.pending_view, self.pending_note),
            _tab("results", self.outcomes_view),
            self.conflicts_tab,
            self.rejected_tab,
        ):
            self.tabs.addTab(tab, tab.accessibleName())
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.header.sync_button.clicked.connect(self.sync_now)
        self.conflicts_tab.keep.connect(self.keep)
        self.conflicts_tab.more.connect(self._more_conflicts)
        self.rejected_tab.submit.connect(self.resubmit)
        self.rejected_tab.resolve_again.connect(self.resolve_again)
        self.rejected_tab.more.connect(self._more_rejections)
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
        self.header.show_availability(ready, LOCAL_ONLY if local else self.reason)

    def sync_now(self) -> None:
        if self.request_sync is not None and self.header.sync_button.isEnabled():
            self.request_sync()
            self.message.emit("Sync requested")
            if self.progress.request():
                self.header.show_requested(self.progress)

    def on_sync_event(self, name: str, details: dict[str, Any]) -> None:
        if not self.progress.on_event(name, details):
            return
        self.header.show_progress(self.progress)
        if name in ("sync.finished", "sync.failed") and self.isVisible():
            self.refresh()  # on screen: the results of this sync (hidden: when next shown)

    # --- Page -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload everything, keeping as many conflicts and rejections as are shown."""
        if self._loading:
            self._reload = True
            return
        self._loading = True
        generation = self._generation
        shown = (self.conflicts_tab.model.rowCount(), self.rejected_tab.model.rowCount())

        def load(store: Any) -> SyncSnapshot:
            return load_snapshot(store, conflicts=shown[0], rejections=shown[1])

        self.runner.run(load, lambda data: self._loaded(data, generation), self._load_failed)

    def _loaded(self, data: SyncSnapshot, generation: int) -> None:
        self._loading = False
        if self._reload:
            self._reload = False
            self.refresh()
        if generation == self._generation:  # not read before a lock that cleared the page
            self.show_snapshot(data)

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = self._reload = False
        self.message.emit(f"Sync screen not loaded: {error_text(exc)}")

    def show_snapshot(self, data: SyncSnapshot) -> None:
        self.data = data
        self.progress.pending = data.pending_total
        self.pending.set_items(data.pending, total=data.pending_total)
        more = data.pending_total - len(data.pending)
        self.pending_note.setText(
            f"Showing the first {len(data.pending)} of {data.pending_total}." if more > 0 else ""
        )
        self.outcomes.set_items(data.outcomes)
        conflicts, rejections = data.conflicts, data.rejections
        self.conflicts_tab.show_items(
            conflicts.items, more=conflicts.more, total=data.conflicts_total
        )
        self.rejected_tab.show_items(
            rejections.items, more=rejections.more, total=data.rejections_total
        )
        self.header.show_last_sync(data.server_mode, data.last_sync)
        self._show_counts()
        self._show_availability()

    def _show_counts(self) -> None:
        data = self.data
        counts = (
            (data.pending_total, len(data.outcomes), data.conflicts_total, data.rejections_total)
            if data
            else (0, 0, 0, 0)
        )
        for i, (title, count) in enumerate(zip(TITLES, counts, strict=True)):
            self.tabs.setTabText(i, title.format(count))
            self.tabs.setTabToolTip(i, title.format(count))

    def clear(self) -> None:
        self.data = None
        self._generation += 1
        for model in (self.pending, self.outcomes):
            model.set_items([])
        self.conflicts_tab.clear()
        self.rejected_tab.clear()  # drafts are kept
        self.pending_note.setText("")
        self.header.last_sync.hide()
        self._show_counts()

    def show_context(self, args: dict[str, Any]) -> None:
        """{"show": "pending" | "results" | "conflicts" | "rejected"}: open that list."""
        if args.get("show") in TABS:
            self.tabs.setCurrentIndex(TABS.index(args["show"]))

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        for model in (self.pending, self.outcomes):
            model.set_units(preferences.units)
        self.conflicts_tab.set_units(preferences.units)
        self.rejected_tab.set_units(preferences.units)

    def unsaved(self) -> int:
        return self.rejected_tab.panel.unsaved()

    # --- pages of the long lists ------------------------------------------------------------------

    def _more_conflicts(self) -> None:
        tab = self.conflicts_tab
        after, token = tab.model.state.last_conflict_key(), tab.list.token
        self.runner.run(
            lambda store: more_conflicts(store, after),
            lambda page: tab.add_page(page.items, more=page.more, token=token),
            lambda exc: self._page_failed(tab.list.page_failed, exc),
        )

    def _more_rejections(self) -> None:
        tab = self.rejected_tab
        after, token = tab.model.state.last_seq(), tab.list.token
        self.runner.run(
            lambda store: more_rejections(store, after),
            lambda page: tab.add_page(page.items, more=page.more, token=token),
            lambda exc: self._page_failed(tab.list.page_failed, exc),
        )

    def _page_failed(self, reset: Callable[[], None], exc: BaseException) -> None:
        reset()
        self.message.emit(f"More rows not loaded: {error_text(exc)}")

    # --- writes -------------------------------------------------------------------------------

    def keep(self, conflict_id: str, side: str) -> None:
        keep: Side = "mine" if side == "mine" else "theirs"
        panel = self.conflicts_tab.panel
        shown = panel.shown
        record = record_text(shown.well_name, shown.day) if shown else "the record"

        def done(_: object) -> None:
            self.message.emit(f"Kept {keep} for {record}: sent with the next sync")
            self.saved.emit()
            self.refresh()

        def failed(exc: BaseException) -> None:
            panel.set_busy(False)
            show_message(panel.error, f"Not resolved: {error_text(exc)}")

        self.runner.run(lambda store: resolve(store, conflict_id, keep), done, failed)

    def resubmit(self, device_seq: int, fixes: dict[str, Any]) -> None:
        panel = self.rejected_tab.panel
        shown = panel.shown
        record = record_text(shown.well_name, shown.day) if shown else "the record"

        def done(new_seq: int) -> None:
            panel.drafts.pop(device_seq, None)
            self.message.emit(
                f"Fixed {record}: sent again with the next sync"
                if new_seq
                else f"{record} already holds these values"
            )
            self.saved.emit()
            self.refresh()

        self.runner.run(lambda store: resubmit(store, device_seq, fixes), done, panel.failed)

    def resolve_again(self, conflict_id: str) -> None:
        """Take the operator to that conflict in the Conflicts tab (loading the pages up to it
        when it is further down the list than the rows shown)."""
        tab = self.conflicts_tab
        if tab.select(conflict_id):
            self.show_context({"show": "conflicts"})
            return
        if not tab.model.state.more:
            show_message(self.rejected_tab.panel.error, NOT_OPEN)
            return
        after, token = tab.model.state.last_conflict_key(), tab.list.token
        tab.list.loading = True

        def found(page: Paged[Any]) -> None:
            tab.add_page(page.items, more=page.more, token=token)
            if tab.select(conflict_id):
                self.show_context({"show": "conflicts"})
            else:
                show_message(self.rejected_tab.panel.error, NOT_OPEN)

        self.runner.run(
            lambda store: conflicts_through(store, after, conflict_id),
            found,
            lambda exc: self._page_failed(tab.list.page_failed, exc),
        )
