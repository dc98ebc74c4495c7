"""The Settings screen: what an operator sees and what Save keeps, with real encrypted stores.

Preferences go out through `preferences_changed` (the window keeps them in settings.ini); the
server URL of a registered store is written into the store through the credentials module, on
the worker thread (the store refuses the GUI thread in these tests).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from fieldkit import TIMEZONE, fail_keystore
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QSpinBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.core import org_thresholds
from fieldapp.core.location_settings import LocationSettings
from fieldapp.core.preferences import THEME_LABELS, UNIT_LABELS, Preferences
from fieldapp.core.store import Store
from fieldapp.sync.client import Tokens
from fieldapp.sync.credentials import Credentials, ServerLink
from fieldapp.ui import theme
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.settings_page import LOCAL_ONLY, SettingsPage, check_server_url
from fieldapp.ui.settings_store import SettingsStore
from shared.contracts import TokenPair
from shared.events import DeviceIdentity
from shared.units import UnitSystem

_WINDOWS: list[QWidget] = []  # qtbot keeps only weak references; closed after each test
LINK = ServerLink("https://sync.example.test", "acme", "op")
NEW_URL = "https://sync2.example.test:8443/wellpulse"


@pytest.fixture(autouse=True)
def standard_theme() -> Iterator[None]:
    yield
    theme.set_theme("standard")
    _WINDOWS.clear()


@pytest.fixture
def server_dir(tmp_path: Path, passphrase: str) -> Path:
    """A store registered with a server: its link and session saved as registration does."""
    identity = DeviceIdentity(uuid4(), uuid4(), uuid4(), "device-secret")
    folder = tmp_path / "server-store"
    store = Store.create(
        folder, passphrase, fail_keystore(), timezone=TIMEZONE, mode="server", identity=identity
    )
    credentials = Credentials(store, fail_keystore())
    credentials.save_link(LINK)
    credentials.save_tokens(TokenPair(access_token="access.1", refresh_token="refresh-1"))
    store.close()
    return folder


@pytest.fixture
def server_runner(qtbot: QtBot, server_dir: Path, passphrase: str) -> Iterator[OpRunner]:
    ops = OpRunner()
    opened: list[object] = []
    ops.open(lambda: Store.open(server_dir, fail_keystore(), lambda: passphrase), opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    yield ops
    ops.shutdown()


def shown_page(qtbot: QtBot, runner: OpRunner) -> SettingsPage:
    """The page in a themed window, as the main window shows it."""
    window = QWidget()
    layout = QVBoxLayout(window)
    page = SettingsPage(runner)
    layout.addWidget(page)
    theme.apply_to_window(window)
    qtbot.addWidget(window)
    _WINDOWS.append(window)
    window.resize(1200, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return page


def loaded_page(qtbot: QtBot, runner: OpRunner) -> SettingsPage:
    page = shown_page(qtbot, runner)
    page.refresh()
    qtbot.waitUntil(lambda: bool(page.url_note.text()), timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    return page


def stored_link(qtbot: QtBot, runner: OpRunner) -> tuple[ServerLink, Tokens]:
    """What the store holds, read on the worker as the app does."""
    found: list[tuple[ServerLink, Tokens]] = []

    def read(store: Store) -> tuple[ServerLink, Tokens]:
        credentials = Credentials(store, fail_keystore())
        return credentials.link(), credentials.tokens()

    runner.run(read, found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=10_000)
    return found[0]


def replace_text(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def type_minutes(qtbot: QtBot, spin: QSpinBox, minutes: int) -> None:
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    spin.selectAll()
    qtbot.keyClicks(spin, str(minutes))


# --- preferences ------------------------------------------------------------------------------


def test_the_page_shows_the_preferences_in_use(qtbot: QtBot, runner: OpRunner) -> None:
    page = shown_page(qtbot, runner)
    assert page.unit_buttons[UnitSystem.FIELD].isChecked()
    assert page.theme_buttons["standard"].isChecked()
    assert page.autolock.value() == 15
    page.set_preferences(
        Preferences(units=UnitSystem.METRIC, autolock_minutes=30, theme="sunlight")
    )
    assert page.unit_buttons[UnitSystem.METRIC].isChecked()
    assert not page.unit_buttons[UnitSystem.FIELD].isChecked()
    assert page.theme_buttons["sunlight"].isChecked()
    assert page.autolock.value() == 30
    assert page.unsaved() == 0
    labels = {b.text() for b in (*page.unit_buttons.values(), *page.theme_buttons.values())}
    assert labels == set(UNIT_LABELS.values()) | set(THEME_LABELS.values())


def test_changing_units_lock_and_theme_then_saving_emits_them_and_applies_the_theme(
    qtbot: QtBot, runner: OpRunner
) -> None:
    page = shown_page(qtbot, runner)
    assert page.url.font().pointSize() == theme.BASE_FONT_PT
    qtbot.mouseClick(page.unit_buttons[UnitSystem.METRIC], Qt.MouseButton.LeftButton)
    type_minutes(qtbot, page.autolock, 45)
    qtbot.mouseClick(page.theme_buttons["sunlight"], Qt.MouseButton.LeftButton)
    assert page.unsaved() == 3
    with qtbot.waitSignal(page.preferences_changed, timeout=5_000) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [
        Preferences(units=UnitSystem.METRIC, autolock_minutes=45, theme="sunlight")
    ]
    assert theme.current_theme() == "sunlight"
    assert page.url.font().pointSize() == theme.SUNLIGHT_FONT_PT  # repainted at once
    assert page.url.font().bold()
    assert page.status.text() == "Settings saved."
    assert page.unsaved() == 0


def test_ctrl_s_saves(qtbot: QtBot, runner: OpRunner) -> None:
    page = shown_page(qtbot, runner)
    type_minutes(qtbot, page.autolock, 5)
    with qtbot.waitSignal(page.preferences_changed, timeout=5_000) as saved:
        qtbot.keyClick(page.autolock, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saved.args == [Preferences(autolock_minutes=5)]


def test_the_lock_time_stays_within_1_to_240_minutes(qtbot: QtBot, runner: OpRunner) -> None:
    page = shown_page(qtbot, runner)
    type_minutes(qtbot, page.autolock, 999)
    assert page.autolock.value() <= 240
    page.autolock.setValue(0)
    assert page.autolock.value() == 1


def test_saving_unchanged_settings_says_so_and_emits_nothing(
    qtbot: QtBot, runner: OpRunner
) -> None:
    page = shown_page(qtbot, runner)
    with qtbot.assertNotEmitted(page.preferences_changed):
        page.save()
    assert "Nothing changed" in page.status.text()


def test_saved_preferences_survive_a_restart_through_settings_store(
    qtbot: QtBot, runner: OpRunner, tmp_path: Path
) -> None:
    settings = SettingsStore.for_data_dir(tmp_path)
    page = shown_page(qtbot, runner)
    page.set_preferences(settings.load())
    page.preferences_changed.connect(settings.save)  # what the window does
    qtbot.mouseClick(page.unit_buttons[UnitSystem.METRIC], Qt.MouseButton.LeftButton)
    type_minutes(qtbot, page.autolock, 90)
    qtbot.mouseClick(page.theme_buttons["sunlight"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.preferences_changed, timeout=5_000):
        page.save()

    again = shown_page(qtbot, runner)  # the next start: a new store object and a new page
    again.set_preferences(SettingsStore.for_data_dir(tmp_path).load())
    assert again.unit_buttons[UnitSystem.METRIC].isChecked()
    assert again.autolock.value() == 90
    assert again.theme_buttons["sunlight"].isChecked()


# --- the server URL ---------------------------------------------------------------------------


def test_a_local_store_has_no_server_url_to_change(qtbot: QtBot, runner: OpRunner) -> None:
    page = loaded_page(qtbot, runner)
    assert page.url_note.text() == LOCAL_ONLY
    assert "This store is local only" in page.url_note.text()
    assert not page.url.isEnabled()
    assert page.url.text() == page.url.placeholderText() == ""  # no address that looks real
    type_minutes(qtbot, page.autolock, 20)
    with qtbot.waitSignal(page.preferences_changed, timeout=5_000):
        page.save()  # the other settings still save


def test_a_registered_store_shows_its_url_and_saves_a_new_one(
    qtbot: QtBot, server_runner: OpRunner
) -> None:
    page = loaded_page(qtbot, server_runner)
    assert page.url.isEnabled()
    assert page.url.text() == LINK.url
    assert "op" in page.url_note.text() and "acme" in page.url_note.text()
    replace_text(qtbot, page.url, f"  {NEW_URL}/ ")
    assert page.unsaved() == 1
    with (
        qtbot.assertNotEmitted(page.preferences_changed),
        qtbot.waitSignal(page.server_url_changed, timeout=10_000) as changed,
    ):
        qtbot.keyClick(page.url, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert changed.args == [NEW_URL]
    assert page.url.text() == NEW_URL
    assert "saved" in page.status.text()
    assert page.unsaved() == 0
    link, tokens = stored_link(qtbot, server_runner)
    assert link == ServerLink(NEW_URL, LINK.org, LINK.username)  # same org and user
    assert tokens == Tokens("access.1", "refresh-1")  # the session is untouched


def test_the_new_url_is_still_there_after_reopening_the_store(
    qtbot: QtBot, server_runner: OpRunner, server_dir: Path, passphrase: str
) -> None:
    page = loaded_page(qtbot, server_runner)
    replace_text(qtbot, page.url, NEW_URL)
    with qtbot.waitSignal(page.server_url_changed, timeout=10_000):
        page.save()
    server_runner.shutdown()
    with Store.open(server_dir, fail_keystore(), lambda: passphrase) as store:
        assert Credentials(store, fail_keystore()).link().url == NEW_URL


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("sync.example.test", "https://"),
        ("ftp://sync.example.test", "https://"),
        ("https://", "server's name"),
        ("https://sync.example.test:99999", "port"),
        ("https://op:secret@sync.example.test", "password"),
        ("https://sync example.test", "spaces"),
        ("https://sync.example.test/?x=1", "'?'"),
        ("", "Enter"),
    ],
)
def test_a_bad_url_shows_an_inline_error_and_saves_nothing(
    qtbot: QtBot, server_runner: OpRunner, typed: str, says: str
) -> None:
    page = loaded_page(qtbot, server_runner)
    qtbot.mouseClick(page.unit_buttons[UnitSystem.METRIC], Qt.MouseButton.LeftButton)
    replace_text(qtbot, page.url, typed)
    with (
        qtbot.assertNotEmitted(page.preferences_changed),
        qtbot.assertNotEmitted(page.server_url_changed),
    ):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not server_runner.busy, timeout=10_000)
    assert page.url_error.isVisible()
    assert says in page.url_error.text()
    assert page.url.property("issue") == "error"
    assert page.url.text() == typed  # nothing typed is lost
    assert page.url.hasFocus()
    assert page.unit_buttons[UnitSystem.METRIC].isChecked()
    assert stored_link(qtbot, server_runner)[0] == LINK

    replace_text(qtbot, page.url, NEW_URL)  # fixing it clears the error as it is typed
    assert not page.url_error.isVisible()
    assert page.url.property("issue") == ""


def test_a_typed_url_survives_a_reload(qtbot: QtBot, server_runner: OpRunner) -> None:
    page = loaded_page(qtbot, server_runner)
    replace_text(qtbot, page.url, NEW_URL)
    page.refresh()
    qtbot.waitUntil(lambda: not server_runner.busy, timeout=10_000)
    assert page.url.text() == NEW_URL
    assert page.unsaved() == 1


def test_locking_forgets_the_link(qtbot: QtBot, server_runner: OpRunner) -> None:
    page = loaded_page(qtbot, server_runner)
    page.clear()
    assert page.url.text() == ""
    assert not page.url.isEnabled()
    assert "locked" in page.url_note.text()
    page.refresh()
    qtbot.waitUntil(lambda: page.url.text() == LINK.url, timeout=10_000)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://sync.example.com", "https://sync.example.com"),
        ("  http://10.0.0.5:8000/ ", "http://10.0.0.5:8000"),
        ("HTTPS://Sync.Example.com/api/", "HTTPS://Sync.Example.com/api"),
    ],
)
def test_good_urls_are_kept_trimmed(typed: str, kept: str) -> None:
    assert check_server_url(typed) == (kept, None)


# --- field ergonomics -------------------------------------------------------------------------


@pytest.mark.parametrize("look", ["standard", "sunlight"])
def test_every_control_is_big_and_named(qtbot: QtBot, server_runner: OpRunner, look: str) -> None:
    theme.set_theme(look)
    page = loaded_page(qtbot, server_runner)
    controls = [
        w
        for kind in (QLineEdit, QSpinBox, QAbstractButton)
        for w in page.findChildren(kind)
        if not isinstance(w.parentWidget(), QSpinBox) and w.isVisibleTo(page)
    ]
    assert len(controls) >= 7  # url, minutes, 2 units, 2 themes, save
    for widget in controls:
        assert widget.accessibleName(), type(widget).__name__
        assert widget.font().pointSize() >= theme.spec(look).font_pt, widget.accessibleName()
        least = theme.BUTTON_MIN_HEIGHT if isinstance(widget, QAbstractButton) else 50
        assert widget.height() >= least, widget.accessibleName()
    assert page.url_error.accessibleName() and page.url_note.accessibleName()


# --- the checks in force ----------------------------------------------------------------------


def test_a_local_store_shows_its_default_checks(qtbot: QtBot, runner: OpRunner) -> None:
    page = loaded_page(qtbot, runner)
    qtbot.waitUntil(lambda: "defaults" in page.checks.source.text(), timeout=10_000)
    assert page.checks.value_labels["max_oil_bbl"].text() == "10,000 bbl/day"
    assert page.checks.value_labels["timezone"].text() == TIMEZONE


def test_a_synced_store_shows_the_organizations_checks(
    qtbot: QtBot, server_runner: OpRunner
) -> None:
    adopted: list[object] = []
    server_runner.run(
        lambda store: org_thresholds.adopt(store, {"max_oil_bbl": 40_000}, '"e1"'),
        adopted.append,
    )
    qtbot.waitUntil(lambda: bool(adopted), timeout=10_000)
    page = loaded_page(qtbot, server_runner)
    qtbot.waitUntil(lambda: "organization" in page.checks.source.text(), timeout=10_000)
    assert page.checks.value_labels["max_oil_bbl"].text() == "40,000 bbl/day"
    page.clear()
    assert page.checks.source.text() == "The store is locked."
    assert page.checks.value_labels["max_oil_bbl"].text() == ""


def test_the_location_settings_are_saved_and_survive_a_restart(
    qtbot: QtBot, runner: OpRunner, tmp_path: Path
) -> None:
    settings = SettingsStore.for_data_dir(tmp_path)
    page = shown_page(qtbot, runner)
    page.set_preferences(settings.load())
    page.preferences_changed.connect(settings.save)
    panel = page.gps
    assert panel.record.isChecked() and not panel.gps.isChecked()
    assert not panel.port.isEnabled()
    panel.gps.click()
    assert panel.port.isEnabled() and not panel.log_file.isEnabled()
    replace_text(qtbot, panel.port, "COM7")
    panel.baud.setCurrentIndex(panel.baud.findData(9600))
    assert page.unsaved() == 1
    with qtbot.waitSignal(page.preferences_changed, timeout=5_000) as saved:
        page.save()
    chosen = LocationSettings(positioning=True, port="COM7", baud=9600)
    assert saved.args == [Preferences(location=chosen)]
    again = shown_page(qtbot, runner)
    again.set_preferences(SettingsStore.for_data_dir(tmp_path).load())
    assert again.gps.chosen() == chosen
    assert again.gps.port.text() == "COM7"
