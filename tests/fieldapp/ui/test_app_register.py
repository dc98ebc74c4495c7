"""First run against a real sync server (a live `sync-server run` process): the setup dialog
registers this laptop, the store is created with the server's identity, and the automatic sync
brings the org's wells into the route."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from corekit import FakeClock
from live_server import LiveServer, free_port
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from serverkit import PASSWORD, new_org
from synckit import add_wells

from fieldapp.core.autolock import AutoLock
from fieldapp.core.keystore import Keystore
from fieldapp.core.startup_flow import Step
from fieldapp.core.store import Store
from fieldapp.sync.credentials import Credentials, ServerLink
from fieldapp.ui.app import AppController
from fieldapp.ui.route_page import RoutePage
from fieldapp.ui.setup_dialog import SetupDialog

SECRET = "a new field passphrase"


@pytest.fixture(autouse=True)
def delete_setup_dialogs(controllers: list[AppController]) -> Iterator[None]:
    yield
    for controller in controllers:
        if controller.setup is not None:
            controller.setup.deleteLater()


def start(
    qtbot: QtBot,
    controllers: list[AppController],
    data_dir: Path,
    keystore: Keystore,
    clock: FakeClock,
) -> tuple[AppController, SetupDialog, list[str]]:
    asked: list[str] = []

    def http_factory(url: str) -> httpx.Client:
        asked.append(url)
        return httpx.Client(base_url=url, timeout=10.0)

    controller = AppController(
        data_dir,
        keystore,
        None,
        AutoLock(900, clock=clock),
        http_factory=http_factory,
        pages=[RoutePage],
    )
    controllers.append(controller)
    controller.start()
    setup = controller.setup
    assert isinstance(setup, SetupDialog) and setup.isVisible()
    qtbot.mouseClick(setup.server_button, Qt.MouseButton.LeftButton)
    return controller, setup, asked


def fill(qtbot: QtBot, setup: SetupDialog, url: str, org: str, password: str) -> None:
    values = {
        "url": url,
        "org": org,
        "username": "op",
        "password": password,
        "passphrase": SECRET,
        "confirm": SECRET,
    }
    for field, text in values.items():
        setup.set_value(f"server.{field}", "")
        qtbot.keyClicks(setup.inputs[f"server.{field}"], text)


def test_setup_registers_with_the_server_and_the_wells_come_down(
    qtbot: QtBot,
    controllers: list[AppController],
    tmp_path: Path,
    keystore: Keystore,
    clock: FakeClock,
    live_server: LiveServer,
    database_url: str,
) -> None:
    org = new_org(database_url)
    add_wells(database_url, org, 3)
    data_dir = tmp_path / "laptop"
    controller, setup, asked = start(qtbot, controllers, data_dir, keystore, clock)

    fill(qtbot, setup, live_server.url, org, "not-the-password")
    qtbot.mouseClick(setup.register_button, Qt.MouseButton.LeftButton)
    assert setup.register_button.text() == "Registering…"
    qtbot.waitUntil(lambda: controller.flow.step is Step.REGISTER, timeout=20_000)
    assert setup.isVisible() and setup.error.isVisible()
    assert "The device was not registered: sign-in refused" in setup.error.text()
    assert not (data_dir / "keys.json").exists()  # a refused sign-in creates nothing
    assert setup.value("server.org") == org and setup.value("server.confirm") == SECRET
    assert setup.register_button.isEnabled()

    setup.set_value("server.password", "")
    qtbot.keyClicks(setup.inputs["server.password"], PASSWORD)
    qtbot.mouseClick(setup.register_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: controller.window is not None and controller.window.isVisible(), timeout=20_000
    )
    assert not setup.isVisible()
    assert asked == [live_server.url, live_server.url]
    page = controller.window.pages["route"]  # type: ignore[union-attr]
    assert isinstance(page, RoutePage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=20_000)  # the first sync
    names = sorted(page.model.row_at(n).name for n in range(3))  # type: ignore[union-attr]
    assert names == ["Well 1", "Well 2", "Well 3"]
    controller.quit(0)

    with Store.open(data_dir, keystore, lambda: SECRET) as store:
        assert store.meta["mode"] == "server"
        assert Credentials(store, keystore).link() == ServerLink(live_server.url, org, "op")


def test_an_unreachable_server_is_said_inline(
    qtbot: QtBot,
    controllers: list[AppController],
    tmp_path: Path,
    keystore: Keystore,
    clock: FakeClock,
) -> None:
    controller, setup, _asked = start(qtbot, controllers, tmp_path / "laptop", keystore, clock)
    fill(qtbot, setup, f"http://127.0.0.1:{free_port()}", "acme", "pw")
    qtbot.mouseClick(setup.register_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.flow.step is Step.REGISTER, timeout=20_000)
    assert "server unreachable" in setup.error.text()
    assert controller.window is None
    assert not (tmp_path / "laptop" / "keys.json").exists()
