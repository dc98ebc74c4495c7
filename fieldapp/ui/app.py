"""Application start-up: first-run setup, unlock, the window, auto-lock, preferences.

What to show and do next is decided by `fieldapp.core.startup_flow.StartupFlow`; this module
renders its steps (the setup dialog, the unlock dialog, the main window) and runs its effects
on the OpRunner's worker: opening, creating or registering the store never blocks the GUI.
With no store in the data folder the setup dialog creates one (local, or registered with a
server); with one, the unlock order is the OS keystore, then FIELDAPP_PASSPHRASE, then the
unlock dialog. After an auto-lock the passphrase is always asked for (a keystore key would
make the lock a no-op). A store registered with a sync server syncs by itself while it is
unlocked: the automatic sync starts after each unlock and stops before the store is closed.
The auto-lock minutes come from the data folder's settings.ini and change live.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from keyring.backends import fail
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldapp.core.autolock import AutoLock
from fieldapp.core.errors import StoreError
from fieldapp.core.keystore import Keystore
from fieldapp.core.preferences import Preferences
from fieldapp.core.startup_flow import (
    PASSPHRASE_ENV,
    CloseStore,
    CreateLocalStore,
    Effect,
    OpenStore,
    Quit,
    RegisterDevice,
    StartupFlow,
    Step,
    store_exists,
)
from fieldapp.core.store import Store
from fieldapp.sync.connect import Registration, http_client, register
from fieldapp.sync.errors import SyncError
from fieldapp.ui import theme
from fieldapp.ui.link_controller import LinkController
from fieldapp.ui.link_dialog import HttpFactory
from fieldapp.ui.main_window import MainWindow, PageFactory
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_fetch import PhotoFetcher
from fieldapp.ui.settings_store import SettingsStore
from fieldapp.ui.setup_dialog import SetupDialog
from fieldapp.ui.sync_status import AutoSyncService, SyncBridge, SyncerFactory, autosync_for
from fieldapp.ui.unlock import AFTER_AUTO_LOCK, FIRST_UNLOCK, UnlockDialog

__all__ = ["PASSPHRASE_ENV", "AppController", "run_app"]
LOCK_CHECK_MS = 5_000
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)

log = logging.getLogger(__name__)


def passphrase_only() -> Keystore:
    """A keystore that never yields a key, so only the passphrase can open the store."""
    return Keystore(fail.Keyring())  # type: ignore[no-untyped-call]


class AppController(QObject):
    """Owns the worker, the setup and unlock dialogs, the main window and the auto-lock."""

    finished = Signal(int)

    def __init__(
        self,
        data_dir: Path,
        keystore: Keystore,
        env_passphrase: str | None = None,
        autolock: AutoLock | None = None,
        parent: QObject | None = None,
        sync_factory: SyncerFactory = autosync_for,
        http_factory: HttpFactory = http_client,
        pages: Sequence[PageFactory] | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.keystore = keystore
        self.env_passphrase = env_passphrase
        self.http_factory = http_factory  # the client a registration signs in with
        self.pages = pages  # the main window's screens (None: all of them)
        self.flow = StartupFlow(env_passphrase)
        self.settings = SettingsStore.for_data_dir(data_dir)
        self.preferences = self.settings.load()
        self.autolock = autolock or AutoLock()
        self.autolock.set_timeout(self.preferences.autolock_seconds)
        self.runner = OpRunner(self)
        self.sync_events = SyncBridge(self)
        self.autosync = AutoSyncService(keystore, self.sync_events.listener, sync_factory)
        self.runner.before_close(self.autosync.stop)  # on the worker, before every close
        self.photos = PhotoFetcher(keystore, self.runner)  # other devices' photos, on demand
        self.sync_events.happened.connect(self.photos.sync_event)
        self.window: MainWindow | None = None
        self.setup: SetupDialog | None = None
        self.dialog: UnlockDialog | None = None
        self.message_box: QMessageBox | None = None
        self.linking = LinkController(self, self)
        self.exit_code: int | None = None
        self._quit_warned = False  # Quit at the lock screen with unsaved typing asks once
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(LOCK_CHECK_MS)
        self.lock_timer.timeout.connect(self.check_lock)
        self._app = cast(QApplication, QApplication.instance())
        self._app.installEventFilter(self)

    @property
    def relocked(self) -> bool:
        """After an auto-lock only the typed passphrase unlocks."""
        return self.flow.relocked

    # --- the flow's effects, run on the worker ---------------------------------------------

    def start(self) -> None:
        """No store: the setup dialog. A store: open it without asking (keystore key, else
        the environment passphrase), then the unlock dialog if that did not work."""
        self._apply_theme()
        effect = self.flow.start(store_exists(self.data_dir))
        if self.flow.step is Step.CHOOSE:
            self._show_setup()
        self._run(effect)

    def _run(self, effect: Effect | None) -> None:
        if isinstance(effect, OpenStore):
            keystore = self.keystore if effect.use_keystore else passphrase_only()
            secret = effect.passphrase
            source = (lambda: secret) if secret else None
            self._open(lambda: Store.open(self.data_dir, keystore, source))
        elif isinstance(effect, CreateLocalStore):
            create = effect
            self._open(
                lambda: Store.create(
                    self.data_dir, create.passphrase, self.keystore, timezone=create.timezone
                )
            )
        elif isinstance(effect, RegisterDevice):
            device = effect
            self._open(lambda: self._register(device))
        elif isinstance(effect, CloseStore):
            self.runner.close()
        elif isinstance(effect, Quit):
            self.quit(effect.code)

    def _open(self, opener: Callable[[], Store]) -> None:
        self.runner.open(opener, self._opened, self._effect_failed)

    def _register(self, device: RegisterDevice) -> Store:
        """On the worker: sign in (the server issues this device's identity), then create the
        store with it and keep the session, as `fieldapp init --server` does."""
        reg = Registration(
            device.url, device.org, device.username, device.password, device.timezone
        )
        with self.http_factory(device.url) as http:
            return register(self.data_dir, device.passphrase, self.keystore, http, reg)

    def _effect_failed(self, error: BaseException) -> None:
        if self.exit_code is not None:
            return  # quit while the worker was busy: nothing more to show
        if not isinstance(error, StoreError | SyncError):
            log.exception("starting up failed", exc_info=error)
        self.flow.failed(error)
        step = self.flow.step
        if step in (Step.CREATE_LOCAL, Step.REGISTER) and self.setup is not None:
            self.setup.show_step()  # the error inline, everything typed still there
        elif step is Step.UNLOCK:
            self._ask(FIRST_UNLOCK, self.flow.message)
        elif step is Step.LOCKED:
            self._ask(AFTER_AUTO_LOCK, self.flow.message)
        else:
            self._fatal("Cannot open the store", self.flow.message)

    # --- the dialogs ------------------------------------------------------------------------

    def _show_setup(self) -> None:
        if self.setup is None:
            self.setup = SetupDialog(self.flow)
            self.setup.effect_requested.connect(self._run)
            self.setup.rejected.connect(self._cancelled)
        self.setup.show_step()
        self.setup.open()

    def _ask(self, message: str, error: str = "") -> None:
        if self.dialog is None:
            self.dialog = UnlockDialog(message)
            self.dialog.passphrase_entered.connect(self._try_passphrase)
            self.dialog.rejected.connect(self._cancelled)
        self.dialog.message.setText(message)
        if error:
            self.dialog.show_error(error)
        else:
            self.dialog.set_busy(False)
            self.dialog.error.hide()  # an old attempt's error is not this lock's
        self.dialog.open()

    def _try_passphrase(self, secret: str) -> None:
        effect = self.flow.submit_passphrase(secret)
        if effect is None and self.dialog is not None:
            self.dialog.show_error(self.flow.message or "Enter the passphrase.")
        self._run(effect)

    def _cancelled(self) -> None:
        if self.exit_code is not None:
            return
        unsaved = sum(self.window.unsaved().values()) if self.window is not None else 0
        if unsaved and self.dialog is not None and not self._quit_warned:
            self._quit_warned = True  # typed values live in the window: say so once
            things = "One typed value is" if unsaved == 1 else f"{unsaved} typed values are"
            self.dialog.show_error(
                f"{things} not saved yet. Unlock to save them, or press Quit again to discard them."
            )
            self.dialog.open()
            return
        self._run(self.flow.cancel())

    def _opened(self, _result: object = None) -> None:
        if self.exit_code is not None:
            return  # quit while the store was being opened or created: it is closed again
        self.flow.done()
        self.autolock.unlock()
        self._quit_warned = False  # the next lock's Quit asks again
        if self.window is None:
            self.window = MainWindow(self.runner, self.sync_events, pages=self.pages)
            self.window.closed.connect(lambda: self.quit(0))
            self.window.saved.connect(self.autosync.nudge)
            self.window.sync_requested.connect(self.autosync.nudge)
            self.window.preferences_changed.connect(self.set_preferences)
            self.window.server_url_changed.connect(self.start_sync)
            self.window.link_wanted.connect(self.linking.ask)
            self.window.set_preferences(self.preferences)
        self.window.show()
        self.window.refresh()
        self.start_sync()
        for dialog in (self.setup, self.dialog):
            if dialog is not None:
                dialog.hide()
        if self.dialog is not None:
            self.dialog.forget()
        self.lock_timer.start()

    def start_sync(self, _url: str = "") -> None:
        """Start the automatic sync (after an unlock; again with the new link when the
        server URL changed); a running one is stopped first."""
        self.runner.run(self.autosync.start, self._autosync_started, self._autosync_failed)

    def _autosync_started(self, started: bool) -> None:
        if started and self.window is not None:
            self.window.sync_on()

    def _autosync_failed(self, error: BaseException) -> None:
        log.warning("automatic sync not started: %s", error)
        if self.window is not None:
            self.window.sync_off(str(error) or type(error).__name__)

    # --- preferences ----------------------------------------------------------------------

    def set_preferences(self, preferences: Preferences) -> None:
        """New preferences (from the Settings screen): the auto-lock follows at once, and
        they are kept in the data folder's settings.ini for the next start."""
        self.preferences = preferences
        self.autolock.set_timeout(preferences.autolock_seconds)
        self._apply_theme()
        self.settings.save(preferences)

    def _apply_theme(self) -> None:
        """The chosen theme on every window, the unlock screen's too (sunlight from the start)."""
        if theme.current_theme() != self.preferences.theme:
            theme.set_theme(self.preferences.theme)

    # --- auto-lock ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.autolock.touch()
        return False

    def check_lock(self) -> None:
        if self.autolock.due():
            self.lock()

    def lock(self) -> None:
        """Drop the key: empty and hide the window, close the store after queued writes (the
        automatic sync is stopped on the worker first, by the runner's before-close hook)."""
        effect = self.flow.lock()
        if effect is None:
            return  # not open (still setting up, unlocking or already locked)
        self.autolock.lock()
        self.lock_timer.stop()
        if self.window is not None:
            self.window.clear()
            self.window.hide()
        self._run(effect)
        self._ask(AFTER_AUTO_LOCK)

    # --- ending ---------------------------------------------------------------------------

    def _fatal(self, title: str, text: str) -> None:
        for dialog in (self.setup, self.dialog):
            if dialog is not None:
                dialog.hide()
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok)
        theme.apply_to_window(box)
        box.setAccessibleName(title)
        box.finished.connect(lambda _code: self.quit(1))
        self.message_box = box
        box.open()

    def quit(self, code: int = 0) -> None:
        """Close the store (after any queued save), then tell the application to exit."""
        if self.exit_code is not None:
            return
        self.exit_code = code
        self.lock_timer.stop()
        self._app.removeEventFilter(self)
        self.runner.shutdown()
        for widget in (self.setup, self.dialog, self.window):
            if widget is not None:
                widget.hide()
        self.finished.emit(code)


def run_app(data_dir: Path) -> int:
    """The desktop app: 0 on a normal exit, 1 when the store was not set up or not opened."""
    app = cast(QApplication | None, QApplication.instance()) or QApplication(sys.argv[:1])
    app.setApplicationName("WellPulse Field")
    app.setApplicationDisplayName("WellPulse Field")
    theme.apply_to_application(app)
    app.setQuitOnLastWindowClosed(False)  # the window hides while locked; quitting is explicit
    controller = AppController(data_dir, Keystore(), os.environ.get(PASSPHRASE_ENV) or None)
    controller.finished.connect(app.exit)
    app.aboutToQuit.connect(lambda: controller.quit(0))
    previous = signal.signal(signal.SIGINT, lambda *_: controller.quit(130))
    wake = QTimer()  # lets Python run its signal handlers while Qt's loop is waiting
    wake.timeout.connect(lambda: None)
    wake.start(500)
    QTimer.singleShot(0, controller.start)
    try:
        code = app.exec()
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        controller.quit(0)  # no-op when already quit; closes the store otherwise
        controller.deleteLater()
    return controller.exit_code if controller.exit_code is not None else code
