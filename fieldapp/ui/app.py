"""Application start-up: unlock, open the store on the worker, show the window, auto-lock.

Unlock order: the OS keystore, then FIELDAPP_PASSPHRASE, then the unlock dialog. After an
auto-lock the passphrase is always asked for (a keystore key would make the lock a no-op).
A store registered with a sync server syncs by itself while it is unlocked: the automatic
sync starts after each unlock and stops before the store is closed (auto-lock, exit).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from typing import cast

from keyring.backends import fail
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldapp.core.autolock import AutoLock
from fieldapp.core.errors import LockedError, StoreError, StoreNotFoundError, WrongKeyError
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.sync_status import AutoSyncService, SyncBridge, SyncerFactory, autosync_for
from fieldapp.ui.unlock import AFTER_AUTO_LOCK, FIRST_UNLOCK, UnlockDialog

PASSPHRASE_ENV = "FIELDAPP_PASSPHRASE"
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
    """Owns the worker, the unlock dialog, the main window and the auto-lock timer."""

    finished = Signal(int)

    def __init__(
        self,
        data_dir: Path,
        keystore: Keystore,
        env_passphrase: str | None = None,
        autolock: AutoLock | None = None,
        parent: QObject | None = None,
        sync_factory: SyncerFactory = autosync_for,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.keystore = keystore
        self.env_passphrase = env_passphrase
        self.autolock = autolock or AutoLock()
        self.runner = OpRunner(self)
        self.sync_events = SyncBridge(self)
        self.autosync = AutoSyncService(keystore, self.sync_events.listener, sync_factory)
        self.runner.before_close(self.autosync.stop)  # on the worker, before every close
        self.window: MainWindow | None = None
        self.dialog: UnlockDialog | None = None
        self.message_box: QMessageBox | None = None
        self.relocked = False  # after an auto-lock only the passphrase unlocks
        self.exit_code: int | None = None
        self.lock_timer = QTimer(self)
        self.lock_timer.setInterval(LOCK_CHECK_MS)
        self.lock_timer.timeout.connect(self.check_lock)
        self._app = cast(QApplication, QApplication.instance())
        self._app.installEventFilter(self)

    # --- unlocking ------------------------------------------------------------------------

    def start(self) -> None:
        """First attempt without asking: keystore key, else the environment passphrase."""
        secret = self.env_passphrase
        source = (lambda: secret) if secret else None
        self.runner.open(
            lambda: Store.open(self.data_dir, self.keystore, source),
            self._unlocked,
            self._first_open_failed,
        )

    def _first_open_failed(self, error: BaseException) -> None:
        if isinstance(error, LockedError):
            self._ask(FIRST_UNLOCK)
        elif isinstance(error, WrongKeyError) and self.env_passphrase:
            self._ask(FIRST_UNLOCK, f"The passphrase in {PASSPHRASE_ENV} did not open the store.")
        else:
            self._open_failed(error)

    def _ask(self, message: str, error: str | None = None) -> None:
        if self.dialog is None:
            self.dialog = UnlockDialog(message)
            self.dialog.passphrase_entered.connect(self._try_passphrase)
            self.dialog.rejected.connect(self._unlock_cancelled)
        self.dialog.message.setText(message)
        if error:
            self.dialog.show_error(error)
        else:
            self.dialog.error.hide()  # an old attempt's error is not this lock's
        self.dialog.open()

    def _try_passphrase(self, secret: str) -> None:
        # After an auto-lock, a keystore key must not reopen the store without the passphrase.
        keystore = passphrase_only() if self.relocked else self.keystore
        self.runner.open(
            lambda: Store.open(self.data_dir, keystore, lambda: secret),
            self._unlocked,
            self._passphrase_failed,
        )

    def _passphrase_failed(self, error: BaseException) -> None:
        if self.dialog is not None and isinstance(error, WrongKeyError | LockedError):
            self.dialog.show_error("Wrong passphrase: the store was not opened. Try again.")
        else:
            self._open_failed(error)

    def _open_failed(self, error: BaseException) -> None:
        if isinstance(error, StoreNotFoundError):
            self._fatal(
                "No field data store",
                f"There is no WellPulse Field store in\n{self.data_dir}\n\n"
                "Create one first, then start the app again:\n\n"
                f"    fieldapp --data-dir {self.data_dir} init --local",
            )
        elif isinstance(error, StoreError):
            self._fatal("Cannot open the store", str(error))
        else:
            log.exception("opening the store failed", exc_info=error)
            self._fatal("Cannot open the store", f"{type(error).__name__}: {error}")

    def _unlock_cancelled(self) -> None:
        self.quit(0 if self.relocked else 1)

    def _unlocked(self, _result: object = None) -> None:
        self.autolock.unlock()
        if self.window is None:
            self.window = MainWindow(self.runner, self.sync_events)
            self.window.closed.connect(lambda: self.quit(0))
            self.window.saved.connect(self.autosync.nudge)
        self.window.show()
        self.window.refresh()
        self.runner.run(self.autosync.start, on_error=self._autosync_failed)
        if self.dialog is not None:
            self.dialog.forget()
            self.dialog.hide()
        self.lock_timer.start()

    def _autosync_failed(self, error: BaseException) -> None:
        log.warning("automatic sync not started: %s", error)
        if self.window is not None:
            self.window.sync_off(str(error) or type(error).__name__)

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
        self.autolock.lock()
        self.lock_timer.stop()
        self.relocked = True
        if self.window is not None:
            self.window.clear()
            self.window.hide()
        self.runner.close()
        self._ask(AFTER_AUTO_LOCK)

    # --- ending ---------------------------------------------------------------------------

    def _fatal(self, title: str, text: str) -> None:
        if self.dialog is not None:
            self.dialog.hide()
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
        for widget in (self.dialog, self.window):
            if widget is not None:
                widget.hide()
        self.finished.emit(code)


def run_app(data_dir: Path) -> int:
    """The desktop app: 0 on a normal exit, 1 when the store could not be opened."""
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
