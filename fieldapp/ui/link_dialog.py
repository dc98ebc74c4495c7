"""Linking a local-only store with a sync server from the desktop app (what `fieldapp link`
does on the command line; fieldapp/sync/link.py).

`check_link_form` is the Qt-free check of what was typed; `link_in_place` runs on the store's
worker (through `OpRunner.replace`, the store closed first, since the data folder is swapped)
and, when the link fails, reopens the local store as it was so the operator goes on working;
`LinkDialog` only shows the form, the errors and the wait.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import LockedError
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.sync.connect import Registration, device_name
from fieldapp.sync.link import Linked, link_store
from fieldapp.ui import theme
from fieldapp.ui.keyboard import enter_moves_focus
from fieldapp.ui.ops import Reopened
from fieldapp.ui.settings_page import check_server_url

HttpFactory = Callable[[str], httpx.Client]  # server URL -> a client the registration closes
FIELDS = ("url", "org", "username", "password", "passphrase")
LABELS = {
    "url": "Server &address",
    "org": "&Organization",
    "username": "&User name",
    "password": "Pass&word",
    "passphrase": "Store &passphrase",
}
INTRO = (
    "Register this laptop with your company's WellPulse server. Every record on it is kept: it"
    " is copied into a registered store and sent with the next sync; wells the server knows"
    " (by API number) become the server's. The local store is kept aside, unchanged."
)


def check_link_form(
    values: dict[str, str], timezone: str
) -> tuple[Registration | None, dict[str, str]]:
    """The registration to link with, or the errors by field (one line each)."""
    errors: dict[str, str] = {}
    url, problem = check_server_url(values.get("url", ""))
    if problem is not None:
        errors["url"] = problem
    for field, words in (("org", "organization"), ("username", "user name")):
        if not values.get(field, "").strip():
            errors[field] = f"Enter the {words}."
    if not values.get("password"):
        errors["password"] = "Enter the password."
    if not values.get("passphrase"):
        errors["passphrase"] = "Enter this store's passphrase: the registered copy keeps it."
    if errors or url is None:
        return None, errors
    reg = Registration(
        url,
        values["org"].strip(),
        values["username"].strip(),
        values["password"],
        timezone,
        device_name(),
    )
    return reg, {}


def link_in_place(
    data_dir: Path,
    keystore: Keystore,
    http_factory: HttpFactory,
    reg: Registration,
    passphrase: str,
) -> tuple[Store, Linked]:
    """On the worker, the store closed: link it; on failure reopen the local store and raise
    `Reopened` (or LockedError when even that fails: the app asks to unlock)."""
    try:
        with http_factory(reg.url) as http:
            linked = link_store(data_dir, passphrase, keystore, http, reg)
    except Exception as exc:
        try:
            store = Store.open(data_dir, keystore, lambda: passphrase)
        except Exception:
            raise LockedError(f"{exc}; the store is closed: unlock it again") from exc
        raise Reopened(store, exc) from exc
    return linked.store, linked


def linked_message(linked: Linked) -> str:
    return (
        f"Linked: {linked.copied} records copied and pending for the sync"
        f" ({linked.wells_matched} wells matched the server's, {linked.wells_sent} go out as"
        f" new); {linked.pulled} changes pulled. The local store is kept in {linked.kept}."
    )


class LinkDialog(QDialog):
    link_requested = Signal(object, str)  # (Registration, the store passphrase)

    def __init__(self, timezone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timezone = timezone
        self.setWindowTitle("Link with a sync server")
        self.setAccessibleName("Link with a sync server")
        self.setModal(True)
        theme.apply_to_window(self)
        heading = QLabel("Link this laptop with a sync server")
        heading.setObjectName("title")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.error = QLabel("")
        self.error.setObjectName("issues")
        self.error.setProperty("severity", "error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Link error")
        self.error.hide()
        form = QFormLayout()
        form.setSpacing(theme.SPACING)
        self.inputs: dict[str, QLineEdit] = {}
        for field in FIELDS:
            edit = QLineEdit()
            if field in ("password", "passphrase"):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            theme.size_input(edit, LABELS[field].replace("&", ""))
            form.addRow(LABELS[field], edit)
            self.inputs[field] = edit
        self.inputs["url"].setPlaceholderText("https://…")
        self.link_button = QPushButton("&Link this laptop")
        self.link_button.setObjectName("primary")
        theme.size_button(self.link_button, "Link this laptop")
        self.link_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton("&Cancel")
        theme.size_button(self.cancel_button, "Cancel linking")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.link_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        for widget in (heading, intro, self.error):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addLayout(buttons)
        enter_moves_focus(self)
        self.setMinimumWidth(680)

    def submit(self) -> None:
        values = {field: edit.text() for field, edit in self.inputs.items()}
        reg, errors = check_link_form(values, self.timezone)
        self._mark(errors)
        if reg is None:
            self.show_error("\n".join(errors.values()))
            first = next(field for field in FIELDS if field in errors)
            self.inputs[first].setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.set_busy(True)
        self.link_requested.emit(reg, values["passphrase"])

    def set_busy(self, busy: bool) -> None:
        for widget in (*self.inputs.values(), self.cancel_button, self.link_button):
            widget.setEnabled(not busy)
        self.link_button.setText("Linking…" if busy else "&Link this laptop")
        if busy:
            self.error.hide()

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(bool(text))
        theme.repolish(self.error)

    def _mark(self, errors: dict[str, str]) -> None:
        for field, edit in self.inputs.items():
            edit.setProperty("issue", "error" if field in errors else "")
            edit.setToolTip(errors.get(field, ""))
            theme.repolish(edit)
