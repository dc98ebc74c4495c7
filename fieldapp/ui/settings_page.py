"""The Settings screen: the sync server's address, the checks in force (read only), display
units, auto-lock minutes and theme.

Units, lock time and theme are preferences: Save emits `preferences_changed(Preferences)` and
the window keeps them (SettingsStore, the data folder's settings.ini) and hands them to every
page; the theme is applied at once. The server URL is not a preference but part of the store's
server link: it is read and written through `fieldapp.sync.credentials` on the worker, and only
a store registered with a server has one (a local-only store says so, the field disabled).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from keyring.backends import fail
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.errors import LockedError
from fieldapp.core.keystore import Keystore
from fieldapp.core.org_thresholds import in_force
from fieldapp.core.preferences import (
    AUTOLOCK_MAX_MINUTES,
    AUTOLOCK_MIN_MINUTES,
    THEME_LABELS,
    UNIT_LABELS,
    Preferences,
    Theme,
)
from fieldapp.core.store import Store
from fieldapp.sync.credentials import Credentials, ServerLink
from fieldapp.sync.errors import NotRegistered
from fieldapp.ui import theme
from fieldapp.ui.checks_panel import ChecksPanel
from fieldapp.ui.keyboard import enter_moves_focus, save_shortcut
from fieldapp.ui.location_panel import LocationPanel
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.page import Page
from shared.units import UnitSystem

LOCAL_ONLY = (
    "This store is local only: it is not registered with a sync server, so it has no server URL."
    " Link it with a server to sync; every record is kept."
)
URL_EXAMPLE = "https://sync.example.com"


def check_server_url(text: str) -> tuple[str | None, str | None]:
    """(the address to keep, None), or (None, what is wrong with it, in words)."""
    url = text.strip()
    if not url:
        return None, f"Enter the sync server's address, for example {URL_EXAMPLE}"
    if any(ch.isspace() for ch in url):
        return None, "A server address has no spaces in it."
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or "://" not in url:
        return None, f"The address must start with https:// (or http://), e.g. {URL_EXAMPLE}"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if not parts.hostname:
        return None, "The address needs the server's name after https://"
    if port == 0:
        return None, "The port after the ':' must be a number from 1 to 65535."
    if parts.username is not None or parts.password is not None:
        return None, "Leave the user name and password out of the address."
    if parts.query or parts.fragment:
        return None, "The address cannot have a '?' or '#' part."
    return url.rstrip("/"), None


# --- on the worker ----------------------------------------------------------------------------


def read_link(store: Store, keystore: Keystore) -> ServerLink | None:
    """The store's server link, or None for a local-only store."""
    try:
        return Credentials(store, keystore).link()
    except NotRegistered:
        return None


def save_server_url(store: Store, keystore: Keystore, url: str) -> ServerLink:
    """Point a registered store at another address (same org and user); NotRegistered for a
    local-only store."""
    credentials = Credentials(store, keystore)
    link = credentials.link()
    moved = ServerLink(url, link.org, link.username)
    credentials.save_link(moved)
    return moved


# --- the page ---------------------------------------------------------------------------------


class SettingsPage(Page):
    name = "settings"
    title = "Settings"

    preferences_changed = Signal(object)  # Preferences: the window keeps and applies them
    server_url_changed = Signal(str)  # a registered store's new address (sync must restart)
    link_wanted = Signal()  # a local store's "Link with a sync server…" (the app asks how)

    def __init__(
        self, runner: OpRunner, parent: QWidget | None = None, keystore: Keystore | None = None
    ) -> None:
        super().__init__(runner, parent)
        # only the server link is used, which lives in the store: no OS keystore is needed
        self.keystore = keystore or Keystore(fail.Keyring())  # type: ignore[no-untyped-call]
        self.link: ServerLink | None = None
        self._typed_url: str | None = None  # what the operator typed since the last load/save
        self._loaded = False  # the store's link was read (a local store may then link)

        form = QWidget()
        form.setAccessibleName("Settings form")
        layout = QVBoxLayout(form)
        layout.setSpacing(theme.SPACING)
        heading = QLabel("Settings")
        heading.setObjectName("title")
        layout.addWidget(heading)

        layout.addWidget(_section("Sync server"))
        self.url = QLineEdit()
        self.url.setPlaceholderText(URL_EXAMPLE)
        self.url.textEdited.connect(self._url_edited)
        theme.size_input(self.url, "Server URL")
        url_label = QLabel("Server &URL")
        url_label.setBuddy(self.url)
        row = QHBoxLayout()
        row.setSpacing(theme.SPACING)
        row.addWidget(url_label)
        row.addWidget(self.url, 1)
        layout.addLayout(row)
        self.url_error = _note("Server URL problem")
        self.url_error.setObjectName("issues")
        self.url_error.setProperty("severity", "error")
        self.url_error.hide()
        layout.addWidget(self.url_error)
        self.url_note = _note("Server link")
        layout.addWidget(self.url_note)
        self.link_button = QPushButton("&Link with a sync server…")
        theme.size_button(self.link_button, "Link with a sync server")
        self.link_button.clicked.connect(self.link_wanted)
        self.link_button.hide()  # a local store's only
        layout.addWidget(self.link_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout.addWidget(_section("Display units"))
        self.unit_group = QButtonGroup(self)
        self.unit_buttons: dict[UnitSystem, QRadioButton] = _choices(
            layout, self.unit_group, UNIT_LABELS, "Units"
        )

        layout.addWidget(_section("Auto-lock"))
        self.autolock = QSpinBox()
        self.autolock.setRange(AUTOLOCK_MIN_MINUTES, AUTOLOCK_MAX_MINUTES)
        self.autolock.setSuffix(" minutes")
        self.autolock.setMinimumWidth(220)
        theme.size_input(self.autolock, "Auto-lock minutes")
        lock_label = QLabel("&Lock after")
        lock_label.setBuddy(self.autolock)
        row = QHBoxLayout()
        row.setSpacing(theme.SPACING)
        row.addWidget(lock_label)
        row.addWidget(self.autolock)
        hint = QLabel(
            f"idle ({AUTOLOCK_MIN_MINUTES}–{AUTOLOCK_MAX_MINUTES}); pending work is kept."
        )
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        layout.addLayout(row)

        layout.addWidget(_section("Location and GPS"))
        self.gps = LocationPanel()
        layout.addWidget(self.gps)
        layout.addWidget(_section("Theme"))
        self.theme_group = QButtonGroup(self)
        self.theme_buttons: dict[Theme, QRadioButton] = _choices(
            layout, self.theme_group, THEME_LABELS, "Theme"
        )

        self.save_button = QPushButton("&Save settings")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        theme.size_button(self.save_button, "Save settings")
        self.status = _note("Settings status")
        row = QHBoxLayout()
        row.setSpacing(theme.SPACING)
        row.addWidget(self.save_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        # read only, and long: under the settings an operator changes
        layout.addWidget(_section("Checks in force"))
        self.checks = ChecksPanel()
        layout.addWidget(self.checks)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(form)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.form = form
        enter_moves_focus(form)
        save_shortcut(self, self.save)
        self._show_preferences(self.preferences)
        self._show_link()

    # --- Page -------------------------------------------------------------------------------

    def refresh(self) -> None:
        keystore = self.keystore
        self.runner.run(
            lambda store: read_link(store, keystore), self._link_loaded, self._link_failed
        )
        self.runner.run(in_force, self.checks.show_rules, self._link_failed)

    def clear(self) -> None:
        self.link = None
        self.url.setEnabled(False)
        if self._typed_url is None:
            self.url.clear()
        self.url_note.setText("The store is locked.")
        self._loaded = False
        self.link_button.hide()
        self.checks.clear()

    def show_context(self, args: dict[str, Any]) -> None:
        if args.get("focus") == "server" and self.url.isEnabled():
            self.url.setFocus()

    def set_preferences(self, preferences: Preferences) -> None:
        super().set_preferences(preferences)
        self._show_preferences(preferences)

    def unsaved(self) -> int:
        chosen, shown = self.chosen_preferences(), self.preferences
        count = sum(
            (
                chosen.units != shown.units,
                chosen.autolock_minutes != shown.autolock_minutes,
                chosen.theme != shown.theme,
                chosen.location != shown.location,
            )
        )
        return count + int(self._url_changed())

    # --- saving -----------------------------------------------------------------------------

    def chosen_preferences(self) -> Preferences:
        units = next((u for u, b in self.unit_buttons.items() if b.isChecked()), UnitSystem.FIELD)
        look: Theme = next((t for t, b in self.theme_buttons.items() if b.isChecked()), "standard")
        minutes, location = self.autolock.value(), self.gps.chosen()
        return Preferences(units=units, autolock_minutes=minutes, theme=look, location=location)

    def save(self) -> None:
        """Ctrl+S / Save: check the address, then keep the preferences and the address."""
        url: str | None = None
        if self._url_changed():
            url, problem = check_server_url(self.url.text())
            if problem is not None:
                self._show_url_error(problem)
                self.url.setFocus()
                self.message.emit(f"Settings not saved: {problem}")
                return
        self._show_url_error(None)
        chosen = self.chosen_preferences()
        changed = chosen != self.preferences
        if changed:
            super().set_preferences(chosen)
            if chosen.theme != theme.current_theme():
                theme.set_theme(chosen.theme)  # at once, on every window
            self.preferences_changed.emit(chosen)
        if url is not None:
            keystore, address = self.keystore, url
            self.status.setText("Saving the server URL…")
            self.runner.run(
                lambda store: save_server_url(store, keystore, address),
                self._url_saved,
                self._url_failed,
            )
        elif changed:
            self._saved("Settings saved.")
        else:
            self._saved("Nothing changed: these settings are already in use.")

    # --- results ----------------------------------------------------------------------------

    def _link_loaded(self, link: ServerLink | None) -> None:
        self.link = link
        self._loaded = True
        self._show_link()

    def _link_failed(self, error: BaseException) -> None:
        if not isinstance(error, LockedError):
            self.url_note.setText(f"Could not read the server link: {error}")

    def _url_saved(self, link: ServerLink) -> None:
        self.link = link
        self._typed_url = None
        self._show_link()
        self._saved("Settings saved: the app syncs with the new server URL.")
        self.server_url_changed.emit(link.url)

    def _url_failed(self, error: BaseException) -> None:
        self.status.setText("")
        self._show_url_error(f"The server URL was not saved: {error}")

    def _saved(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    # --- showing ----------------------------------------------------------------------------

    def _show_preferences(self, preferences: Preferences) -> None:
        self.unit_buttons[preferences.units].setChecked(True)
        self.theme_buttons[preferences.theme].setChecked(True)
        self.autolock.setValue(preferences.autolock_minutes)
        self.gps.show_settings(preferences.location)

    def _show_link(self) -> None:
        link = self.link
        self.url.setEnabled(link is not None)
        self.url.setPlaceholderText(URL_EXAMPLE if link is not None else "")
        if link is None:
            self.url.clear()
            self._typed_url = None
            self.url_note.setText(LOCAL_ONLY)
            self.link_button.setVisible(self._loaded)
            return
        self.link_button.hide()
        if self._typed_url is None:
            self.url.setText(link.url)
        self.url_note.setText(
            f"Registered as {link.username or 'this user'} in {link.org or 'this organisation'}."
            " A new address keeps this device's registration."
        )

    def _url_changed(self) -> bool:
        return self.link is not None and self.url.text().strip() != self.link.url

    def _url_edited(self, text: str) -> None:
        self._typed_url = text
        self.status.setText("")
        if not self.url_error.isHidden():  # a shown problem goes away as soon as it is fixed
            self._show_url_error(check_server_url(text)[1] if self._url_changed() else None)

    def _show_url_error(self, problem: str | None) -> None:
        self.url_error.setText(problem or "")
        self.url_error.setVisible(problem is not None)
        self.url.setProperty("issue", "error" if problem else "")
        theme.repolish(self.url)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("section")
    return label


def _note(accessible_name: str) -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _choices(
    layout: QVBoxLayout, group: QButtonGroup, labels: dict[Any, str], what: str
) -> dict[Any, QRadioButton]:
    """A row of big radio buttons, one per value, named "<what>: <label>"."""
    row = QHBoxLayout()
    row.setSpacing(theme.SPACING)
    buttons: dict[Any, QRadioButton] = {}
    for value, label in labels.items():
        button = QRadioButton(label)
        theme.size_button(button, f"{what}: {label}")
        group.addButton(button)
        row.addWidget(button)
        buttons[value] = button
    row.addStretch(1)
    layout.addLayout(row)
    return buttons
