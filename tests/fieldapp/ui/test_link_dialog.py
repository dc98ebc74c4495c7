"""Linking a local store from the desktop app against a real sync server (a live `sync-server
run` process): the Settings screen's button, the form and its errors, the swap on the worker,
and a failed link that leaves the local store open and unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from corekit import FakeClock
from fieldkit import fail_keystore
from linkkit import local_store
from live_server import LiveServer
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from serverkit import PASSWORD, new_org
from synckit import add_wells

from fieldapp.core.autolock import AutoLock
from fieldapp.core.store import Store
from fieldapp.sync.credentials import Credentials, ServerLink
from fieldapp.ui.app import AppController
from fieldapp.ui.link_dialog import LinkDialog, check_link_form
from fieldapp.ui.settings_page import SettingsPage

SECRET = "a local field passphrase"
GOOD = {
    "url": "https://sync.example.com/",
    "org": " acme ",
    "username": "op",
    "password": "pw",
    "passphrase": SECRET,
}


def test_the_form_names_every_missing_or_wrong_field() -> None:
    reg, errors = check_link_form({"url": "ftp://x"}, "America/Chicago")
    assert reg is None
    assert set(errors) == {"url", "org", "username", "password", "passphrase"}
    reg, errors = check_link_form(GOOD, "America/Denver")
    assert errors == {} and reg is not None
    assert (reg.url, reg.org, reg.username, reg.timezone) == (
        "https://sync.example.com",
        "acme",
        "op",
        "America/Denver",
    )


@pytest.fixture
def app(
    qtbot: QtBot, controllers: list[AppController], tmp_path: Path, clock: FakeClock
) -> Iterator[AppController]:
    data_dir = tmp_path / "laptop"
    local_store(data_dir, SECRET)
    controller = AppController(
        data_dir,
        fail_keystore(),
        SECRET,
        AutoLock(900, clock=clock),
        http_factory=lambda url: httpx.Client(base_url=url, timeout=10.0),
        pages=[SettingsPage],
    )
    controllers.append(controller)
    controller.start()
    qtbot.waitUntil(
        lambda: controller.window is not None and controller.window.isVisible(), timeout=20_000
    )
    yield controller
    if controller.linking.dialog is not None:
        controller.linking.dialog.deleteLater()


def open_form(qtbot: QtBot, app: AppController) -> LinkDialog:
    assert app.window is not None
    page = app.window.pages["settings"]
    assert isinstance(page, SettingsPage)
    page.refresh()
    qtbot.waitUntil(page.link_button.isVisible, timeout=10_000)
    qtbot.mouseClick(page.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: app.linking.dialog is not None, timeout=10_000)
    dialog = app.linking.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    return dialog


def fill(qtbot: QtBot, dialog: LinkDialog, values: dict[str, str]) -> None:
    for field, text in values.items():
        dialog.inputs[field].clear()
        qtbot.keyClicks(dialog.inputs[field], text)


def test_a_local_store_links_from_settings_and_keeps_its_records(
    qtbot: QtBot, app: AppController, live_server: LiveServer, database_url: str
) -> None:
    org = new_org(database_url, users=(("boss", "supervisor"),))
    add_wells(database_url, org, 2)
    dialog = open_form(qtbot, app)
    fill(qtbot, dialog, {**GOOD, "url": live_server.url, "org": org, "username": "boss"})
    dialog.inputs["password"].setText(PASSWORD)
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30_000)
    assert app.linking.last_message.startswith("Linked: ")
    assert "The local store is kept in" in app.linking.last_message
    assert app.window is not None and app.window.isVisible()
    app.quit(0)
    with Store.open(app.data_dir, fail_keystore(), lambda: SECRET) as store:
        assert store.meta["mode"] == "server"
        link = Credentials(store, fail_keystore()).link()
        assert link == ServerLink(live_server.url, org, "boss")
        assert store.status().production_records == 5  # every local record is kept
    assert list(app.data_dir.parent.glob("laptop.local-*"))  # the local store, set aside


def test_a_wrong_passphrase_or_password_links_nothing_and_the_store_stays_open(
    qtbot: QtBot, app: AppController, live_server: LiveServer, database_url: str
) -> None:
    org = new_org(database_url, users=(("boss", "supervisor"),))
    dialog = open_form(qtbot, app)
    fill(qtbot, dialog, {**GOOD, "url": live_server.url, "org": org, "username": "boss"})
    dialog.inputs["passphrase"].setText("not the passphrase")
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20_000)
    assert dialog.error.text().startswith("Not linked")
    assert dialog.isVisible() and dialog.link_button.isEnabled()

    dialog.inputs["passphrase"].setText(SECRET)
    dialog.inputs["password"].setText("not-the-password")
    qtbot.mouseClick(dialog.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "sign-in refused" in dialog.error.text(), timeout=20_000)
    statuses: list[object] = []
    app.runner.run(lambda store: store.meta["mode"], statuses.append)  # reopened, unlocked
    qtbot.waitUntil(lambda: bool(statuses), timeout=10_000)
    assert statuses == ["local"]
    assert not list(app.data_dir.parent.glob("laptop.local-*"))
