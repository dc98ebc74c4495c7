"""Automatic sync in the desktop app, and what the status bar says about it.

`AutoSyncService` holds the background sync of a registered store (fieldapp.sync's `AutoSync`,
on its own daemon thread). It is started on the OpRunner's worker, where the store lives, after
each unlock, and stopped by the runner's before-close hook, so it has always stopped before the
store is closed (auto-lock, exit). Its listeners are called on the sync thread: `SyncBridge`
turns each call into a queued Qt signal, so widgets are only ever touched on the GUI thread.
`SyncStatusPanel` is the status bar's part: online or offline, pending events, the last sync and
a badge for open conflicts and rejected records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store, StoreStatus
from fieldapp.sync.autosync import AutoSync
from fieldapp.sync.connect import engine_for
from fieldapp.sync.engine import Listener
from fieldapp.ui import theme


class Syncer(Protocol):
    """What the app needs of a running automatic sync."""

    def start(self) -> object: ...
    def stop(self) -> None: ...
    def nudge(self) -> None: ...


SyncerFactory = Callable[[Store, Keystore, Listener], Syncer]


class _AppAutoSync:
    """`AutoSync` over the store's engine; stopping it also closes its HTTP connections."""

    def __init__(self, auto: AutoSync) -> None:
        self.auto = auto

    def start(self) -> object:
        return self.auto.start()

    def nudge(self) -> None:
        self.auto.nudge()

    def stop(self) -> None:
        self.auto.stop()
        self.auto.engine.client.http.close()


def autosync_for(store: Store, keystore: Keystore, listener: Listener) -> Syncer:
    """The real automatic sync of a registered store, announcing to `listener`."""
    engine = engine_for(store, keystore)
    auto = AutoSync(engine)
    engine.listeners.append(listener)
    auto.listeners.append(listener)
    return _AppAutoSync(auto)


class AutoSyncService:
    """The automatic sync of the open store, if it is registered with a server.

    `start` and `stop` run on the OpRunner's worker; `nudge` may be called from the GUI."""

    def __init__(
        self, keystore: Keystore, listener: Listener, factory: SyncerFactory = autosync_for
    ) -> None:
        self.keystore = keystore  # the OS keystore may hold the session tokens
        self.listener = listener
        self.factory = factory
        self._current: Syncer | None = None

    @property
    def running(self) -> bool:
        return self._current is not None

    def start(self, store: Store) -> bool:
        """Start syncing `store` by itself; False for a local-only store (nothing to do)."""
        self.stop()
        if store.meta.get("mode") != "server":
            return False
        syncer = self.factory(store, self.keystore, self.listener)
        syncer.start()
        self._current = syncer
        return True

    def stop(self) -> None:
        current, self._current = self._current, None
        if current is not None:
            current.stop()

    def nudge(self) -> None:
        """Something new was recorded: sync it soon."""
        current = self._current
        if current is not None:
            current.nudge()


class SyncBridge(QObject):
    """Sync listener calls (on the sync thread) re-emitted as a signal for the GUI thread."""

    happened = Signal(str, object)

    def listener(self, name: str, details: dict[str, Any]) -> None:
        self.happened.emit(name, dict(details))


def badge_text(conflicts: int, rejected: int) -> str:
    parts = []
    if conflicts:
        parts.append(f"{conflicts} conflict{'s' if conflicts != 1 else ''}")
    if rejected:
        parts.append(f"{rejected} rejected")
    return " · ".join(parts)


def last_sync_text(stamp: str | None, now: datetime | None = None) -> str:
    """'Last sync 14:05' today, with the day before that; in the laptop's time zone."""
    if not stamp:
        return "Never synced"
    try:
        when = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return f"Last sync {stamp}"
    now = now or datetime.now().astimezone()
    if when.date() == now.date():
        return f"Last sync {when:%H:%M}"
    return f"Last sync {when:%a} {when.day} {when:%b %H:%M}"


def _label(name: str, object_name: str = "") -> QLabel:
    label = QLabel("")
    label.setAccessibleName(name)
    if object_name:
        label.setObjectName(object_name)
    return label


class SyncStatusPanel(QWidget):
    """The status bar's sync part. Every colour it shows is also said in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sync status")
        self.connection = _label("Server connection", "connection")
        self.store = _label("Store status")
        self.last_sync = _label("Last sync")
        self.badge = _label("Sync problems", "syncBadge")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for label in (self.connection, self.store, self.last_sync, self.badge):
            layout.addWidget(label)
        self.online: bool | None = None  # unknown until the sync's first probe
        self.syncing = False
        self.server_mode = False
        self.off_reason: str | None = None  # why the automatic sync is not running
        self.show_locked()

    def on_event(self, name: str, details: dict[str, Any]) -> None:
        """One sync event, on the GUI thread."""
        if name == "connectivity.online":
            self.online = True
        elif name == "connectivity.offline":
            self.online, self.syncing = False, False
        elif name == "sync.started":
            self.online, self.syncing = True, True
        elif name in ("sync.finished", "sync.failed"):
            self.syncing = False
        self._show_connection()

    def show_status(self, status: StoreStatus) -> None:
        self.server_mode = status.mode == "server"
        self.store.setText(
            f"Pending sync: {status.pending}    Events: {status.events}    "
            f"Store: {status.mode} (encrypted)"
        )
        self.last_sync.setText(last_sync_text(status.last_sync))
        self.last_sync.setVisible(self.server_mode)
        badge = badge_text(status.conflicts, status.rejected)
        self.badge.setText(badge)
        self.badge.setVisible(bool(badge))
        self._show_connection()

    def show_sync_off(self, reason: str) -> None:
        """The automatic sync could not start (the store's server link is unusable)."""
        self.off_reason = reason
        self._show_connection()

    def show_locked(self) -> None:
        self.online, self.syncing, self.off_reason = None, False, None
        self.store.setText("Locked")
        for label in (self.connection, self.last_sync, self.badge):
            label.hide()

    def _show_connection(self) -> None:
        if not self.server_mode:
            self.connection.hide()
            return
        if self.off_reason is not None:
            text, state = "Sync off", "no"
        elif self.online is None:
            text, state = "Checking server…", "unknown"
        elif self.online:
            text, state = ("Online · syncing…" if self.syncing else "Online"), "yes"
        else:
            text, state = "Offline", "no"
        self.connection.setText(text)
        self.connection.setToolTip(self.off_reason or "")
        if self.connection.property("online") != state:
            self.connection.setProperty("online", state)
            theme.repolish(self.connection)
        self.connection.show()
