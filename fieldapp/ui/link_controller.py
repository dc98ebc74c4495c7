"""The app's side of linking a local store with a server from the Settings screen: the dialog,
the check of the passphrase, the swap on the worker, and what the window shows afterwards
(fieldapp/ui/link_dialog.py; `fieldapp link` on the command line)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject

from fieldapp.core.errors import LockedError
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.sync.connect import Registration
from fieldapp.sync.link import Linked
from fieldapp.ui.link_dialog import HttpFactory, LinkDialog, link_in_place, linked_message
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.ops import OpRunner


class LinkHost(Protocol):
    """What linking needs of the app (fieldapp.ui.app.AppController), named here so the two
    modules do not import each other."""

    data_dir: Path
    keystore: Keystore
    http_factory: HttpFactory
    runner: OpRunner
    window: MainWindow | None

    def start_sync(self) -> None: ...

    def lock(self) -> None: ...


class LinkController(QObject):
    def __init__(self, app: LinkHost, parent: QObject) -> None:
        super().__init__(parent)
        self.app = app
        self.dialog: LinkDialog | None = None
        self.last_message = ""  # what the window's status bar was told last (tests read it)

    def ask(self) -> None:
        """Show the form (the store's time zone goes with the registration)."""
        self.app.runner.run(lambda store: store.thresholds.timezone, self._show)

    def _show(self, timezone: str) -> None:
        if self.dialog is None:
            self.dialog = LinkDialog(timezone, self.app.window)
            self.dialog.link_requested.connect(self.link)
        self.dialog.timezone = timezone
        self.dialog.show_error("")
        self.dialog.open()

    def link(self, reg: Registration, passphrase: str) -> None:
        """Prove the passphrase on the open store first (nothing closes for a typo), then
        close it and link on the worker."""
        app = self.app

        def change() -> tuple[Store, Linked]:
            return link_in_place(app.data_dir, app.keystore, app.http_factory, reg, passphrase)

        def proven(_key: bytes) -> None:
            app.runner.replace(change, self._linked, self._failed)

        def prove(store: Store) -> bytes:
            return store.keyfile.unwrap(passphrase)

        app.runner.run(prove, proven, self._failed)

    def _linked(self, linked: Linked) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self.dialog.accept()
        self.last_message = linked_message(linked)
        window = self.app.window
        if window is not None:
            window.refresh()
            window.statusBar().showMessage(self.last_message)
        self.app.start_sync()

    def _failed(self, error: BaseException) -> None:
        if self.dialog is not None:
            self.dialog.show_error(f"Not linked: {error}" if str(error) else "Not linked.")
        if isinstance(error, LockedError):  # the local store could not be reopened
            if self.dialog is not None:
                self.dialog.reject()
            self.app.lock()
        else:
            self.app.start_sync()  # the reopened store syncs as before (a local one: not)
