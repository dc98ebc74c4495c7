"""The main window: big navigation buttons on the left, one page at a time, sync always shown.

Pages (`fieldapp.ui.page.Page`) load and save through the `OpRunner`; the window only routes
their signals: a save refreshes the status strip and marks the other pages stale (each
reloads when it is next shown), `navigate` switches page with a context, `message` goes to
the status bar. The automatic sync's events arrive through a `SyncBridge` signal, queued to
the GUI thread; pulled records refresh the page on screen at most every `PULL_REFRESH_MS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import LockedError
from fieldapp.core.preferences import Preferences
from fieldapp.core.store import StoreStatus
from fieldapp.ui import theme
from fieldapp.ui.charts_page import ChartsPage
from fieldapp.ui.equipment_page import EquipmentPage
from fieldapp.ui.incidents_page import IncidentsPage
from fieldapp.ui.maintenance_page import MaintenancePage
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import PAGE_NAMES, Page
from fieldapp.ui.photos_page import PhotosPage
from fieldapp.ui.production_page import ProductionPage
from fieldapp.ui.route_page import RoutePage
from fieldapp.ui.settings_page import SettingsPage
from fieldapp.ui.sync_page import SyncPage
from fieldapp.ui.sync_status import SyncBridge, SyncStatusPanel

PULL_REFRESH_MS = 300  # a sync's pulled pages refresh the page shown at most this often
NAV_WIDTH = 210  # the longest entry (Maintenance) and its focus frame, no more

log = logging.getLogger(__name__)

PageFactory = Callable[[OpRunner], Page]


def default_pages() -> list[PageFactory]:
    """Every field screen, in navigation order."""
    return [
        RoutePage,
        ProductionPage,
        ChartsPage,
        EquipmentPage,
        MaintenancePage,
        IncidentsPage,
        PhotosPage,
        SyncPage,
        SettingsPage,
    ]


class MainWindow(QMainWindow):
    closed = Signal()
    saved = Signal()  # a page wrote something: there is something new to sync
    sync_requested = Signal()  # "Sync now"
    preferences_changed = Signal(object)  # Preferences saved on the Settings page
    server_url_changed = Signal(str)  # the store's server link now points there
    link_wanted = Signal()  # a local store is to be linked with a server (the app asks how)

    def __init__(
        self,
        runner: OpRunner,
        sync_events: SyncBridge | None = None,
        preferences: Preferences | None = None,
        pages: Sequence[PageFactory] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.preferences = preferences or Preferences()
        self.setWindowTitle("WellPulse Field")
        self.setAccessibleName("WellPulse Field main window")
        theme.apply_to_window(self)
        self._locked = False  # emptied by an auto-lock: sync events wait for the next unlock
        self._close_warned: dict[str, int] | None = None  # what was unsaved when warned
        self._stale: set[str] = set()

        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Current screen")
        self.pages: dict[str, Page] = {}
        self.nav_buttons: dict[str, QPushButton] = {}
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        nav = QWidget()
        nav.setObjectName("navigation")
        nav.setAccessibleName("Navigation")
        nav.setFixedWidth(NAV_WIDTH)
        nav_layout = QVBoxLayout(nav)
        nav_layout.setContentsMargins(0, 0, 0, 0)  # nine buttons fill a 768 px screen's height
        nav_layout.setSpacing(theme.SPACING)
        for number, factory in enumerate(pages if pages is not None else default_pages(), 1):
            page = factory(runner)
            self._add_page(page, number, nav_layout)
        nav_layout.addStretch(1)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.sync_panel = SyncStatusPanel()
        self.store_status = self.sync_panel.store
        self.statusBar().addPermanentWidget(self.sync_panel)
        self.statusBar().setAccessibleName("Status")
        self._pull_refresh = QTimer(self)
        self._pull_refresh.setSingleShot(True)
        self._pull_refresh.setInterval(PULL_REFRESH_MS)
        self._pull_refresh.timeout.connect(self._pulled)
        if sync_events is not None:
            sync_events.happened.connect(self.sync_event, Qt.ConnectionType.QueuedConnection)
        sync_page = self.pages.get("sync")
        if isinstance(sync_page, SyncPage):
            happened = sync_events.happened if sync_events is not None else None
            sync_page.attach_sync(happened, self.sync_requested.emit, sync_events is not None)
        settings = self.pages.get("settings")
        if isinstance(settings, SettingsPage):
            settings.preferences_changed.connect(self._preferences_saved)
            settings.server_url_changed.connect(self.server_url_changed)
            settings.link_wanted.connect(self.link_wanted)
        self.runner.op_failed.connect(lambda message: self.statusBar().showMessage(message))
        for page in self.pages.values():
            page.set_preferences(self.preferences)
        if self.pages:
            self.show_page(next(iter(self.pages)))
        self.resize(1366, 768)

    def _add_page(self, page: Page, number: int, nav_layout: QVBoxLayout) -> None:
        if page.name not in PAGE_NAMES or page.name in self.pages:
            raise ValueError(f"page {page.name!r} is unknown or added twice")
        self.pages[page.name] = page
        self.stack.addWidget(page)
        button = QPushButton(f"{page.title}")
        button.clicked.connect(lambda _checked=False, name=page.name: self.show_page(name))
        theme.nav_button(button, f"{page.title} screen (Ctrl+{number})")
        button.setToolTip(f"{page.title} (Ctrl+{number})")
        self.nav_group.addButton(button)
        self.nav_buttons[page.name] = button
        nav_layout.addWidget(button)
        QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda: self.show_page(page.name))
        page.saved.connect(lambda name=page.name: self._page_saved(name))
        page.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        page.navigate.connect(self.show_page)

    # --- pages ------------------------------------------------------------------------------

    def current_page(self) -> Page:
        widget = self.stack.currentWidget()
        assert isinstance(widget, Page)
        return widget

    def show_page(self, name: str, args: dict[str, Any] | None = None) -> Page:
        """Bring page `name` to the front (with a context from another page), reloading it
        if something changed since it was last shown."""
        page = self.pages[name]
        self.nav_buttons[name].setChecked(True)
        changed = self.stack.currentWidget() is not page
        self.stack.setCurrentWidget(page)
        if not self._locked and (name in self._stale or changed):
            self._stale.discard(name)
            page.refresh()
        if args:
            page.show_context(dict(args))
        return page

    def _page_saved(self, name: str) -> None:
        self._stale.update(n for n in self.pages if n != name)
        self.refresh_status()
        self.saved.emit()

    def _pulled(self) -> None:
        """Others' records came down: the page on screen reloads, the others when shown."""
        current = self.current_page()
        self._stale.update(n for n in self.pages if n != current.name)
        current.refresh()
        self.refresh_status()

    # --- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the page on screen and the status strip (after unlocking); the other
        pages reload when they are next shown."""
        self._locked = False
        if self.pages:
            current = self.current_page()
            self._stale.update(n for n in self.pages if n != current.name)
            current.refresh()
        self.refresh_status()

    def refresh_status(self) -> None:
        """Re-read the pending count, last sync and open problems (on the worker)."""
        self.runner.run(lambda store: store.status(), self._show_status, self._status_failed)

    def _show_status(self, status: StoreStatus) -> None:
        if not self._locked:
            self.sync_panel.show_status(status)

    def _status_failed(self, error: BaseException) -> None:
        if not isinstance(error, LockedError):  # locked meanwhile: nothing to show
            log.warning("reading the store status failed: %r", error)

    def clear(self) -> None:
        """Forget everything shown (the store was locked); typed, unsaved input stays."""
        self._locked = True
        self._pull_refresh.stop()
        for page in self.pages.values():
            page.clear()
        self.sync_panel.show_locked()

    def set_preferences(self, preferences: Preferences) -> None:
        self.preferences = preferences
        for page in self.pages.values():
            page.set_preferences(preferences)

    def _preferences_saved(self, preferences: Preferences) -> None:
        self.set_preferences(preferences)
        self.preferences_changed.emit(preferences)
        self.statusBar().showMessage("Settings saved.", 8000)

    # --- automatic sync ---------------------------------------------------------------------

    def sync_event(self, name: str, details: dict[str, Any]) -> None:
        """One event of the automatic sync, on the GUI thread (queued from the sync thread)."""
        if self._locked:
            return  # an event from before the lock, delivered late
        self.sync_panel.on_event(name, details)
        if name == "sync.pulled" and int(details.get("applied") or 0) > 0:
            if not self._pull_refresh.isActive():
                self._pull_refresh.start()
        elif name in ("sync.finished", "sync.failed"):
            self.refresh_status()
            if "sync" in self.pages and self.current_page().name != "sync":
                self._stale.add("sync")  # on screen, the Sync page reloads itself
        if name == "sync.failed":
            self.statusBar().showMessage(f"Sync stopped: {details.get('error')}", 15000)

    def sync_off(self, reason: str) -> None:
        """The automatic sync could not be started for this store."""
        if not self._locked:
            self.sync_panel.show_sync_off(reason)
            self.statusBar().showMessage(f"Automatic sync is off: {reason}", 15000)
            sync_page = self.pages.get("sync")
            if isinstance(sync_page, SyncPage):
                sync_page.set_available(False, f"Automatic sync is off: {reason}")

    def sync_on(self) -> None:
        """The automatic sync started (after an unlock): Sync now works again."""
        sync_page = self.pages.get("sync")
        if isinstance(sync_page, SyncPage):
            sync_page.set_available(True)

    # --- closing ----------------------------------------------------------------------------

    def unsaved(self) -> dict[str, int]:
        return {name: n for name, page in self.pages.items() if (n := page.unsaved())}

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with typed, unsaved values asks once (on the page that holds them):
        close again to discard them."""
        unsaved = self.unsaved()
        if unsaved and unsaved != self._close_warned:  # warned again when more was typed
            self._close_warned = unsaved
            event.ignore()
            name = next(iter(unsaved))
            self.show_page(name)
            count = sum(unsaved.values())
            things = "one typed value is" if count == 1 else f"{count} typed values are"
            self.statusBar().showMessage(
                f"Not closed: {things} not saved on {self.pages[name].title}. Save them,"
                " or close the window again to discard them.",
                30000,
            )
            return
        self.closed.emit()
        super().closeEvent(event)
