"""Start-up and auto-lock: first-run setup, keystore, environment passphrase, unlock dialog,
auto-lock minutes from settings.ini. Registering with a real server is in test_app_register.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest
from corekit import FakeClock
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.core.autolock import AutoLock
from fieldapp.core.errors import LockedError
from fieldapp.core.keystore import Keystore
from fieldapp.core.preferences import Preferences
from fieldapp.core.production import find_day, save_production
from fieldapp.core.store import Store
from fieldapp.ui import theme
from fieldapp.ui.app import AppController, run_app
from fieldapp.ui.incidents_page import IncidentsPage
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.photo_fetch import fetcher_of
from fieldapp.ui.route_page import RoutePage
from fieldapp.ui.settings_store import SettingsStore
from fieldapp.ui.setup_dialog import SetupDialog
from fieldapp.ui.unlock import AFTER_AUTO_LOCK
from shared.contracts import ProductionRecorded

Make = Callable[..., AppController]
PAGES = [RoutePage]  # the screen these tests look at (every screen: the run_app test)
SECRET = "a new field passphrase"


@pytest.fixture
def make(controllers: list[AppController], keystore: Keystore, clock: FakeClock) -> Make:

    def build(
        data_dir: Path, env: str | None = None, store_keys: Keystore | None = None
    ) -> AppController:
        controller = AppController(
            data_dir,
            store_keys or keystore,
            env,
            AutoLock(timeout_s=900, clock=clock),
            pages=PAGES,
        )
        controllers.append(controller)
        controller.start()
        return controller

    return build


@pytest.fixture(autouse=True)
def delete_setup_dialogs(controllers: list[AppController]) -> Iterator[None]:
    yield
    for controller in controllers:
        if controller.setup is not None:
            controller.setup.deleteLater()


def route(controller: AppController) -> RoutePage:
    assert controller.window is not None
    page = controller.window.pages["route"]
    assert isinstance(page, RoutePage)
    return page


def wait_open(qtbot: QtBot, controller: AppController, wells: int = 1) -> None:
    qtbot.waitUntil(
        lambda: (
            controller.window is not None
            and controller.window.isVisible()
            and route(controller).model.rowCount() >= wells
        ),
        timeout=10_000,
    )


def unlock_with(qtbot: QtBot, controller: AppController, secret: str) -> None:
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    assert controller.dialog is not None
    controller.dialog.passphrase.clear()
    qtbot.keyClicks(controller.dialog.passphrase, secret)
    controller.dialog.submit()


def pending_shown(controller: AppController) -> str:
    assert controller.window is not None
    return controller.window.store_status.text()


# --- first run --------------------------------------------------------------------------------


def test_no_store_shows_setup_and_creates_an_encrypted_local_store(
    qtbot: QtBot, make: Make, tmp_path: Path, keystore: Keystore
) -> None:
    data_dir = tmp_path / "new-laptop"
    controller = make(data_dir)
    setup = controller.setup
    assert isinstance(setup, SetupDialog)
    assert setup.isVisible()
    assert controller.message_box is None and controller.window is None
    qtbot.mouseClick(setup.local_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(setup.inputs["local.passphrase"], SECRET)
    qtbot.keyClicks(setup.inputs["local.confirm"], SECRET[:-1])
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    assert "not the same" in setup.error.text()
    assert not (data_dir / "store.db").exists()  # refused before anything is written

    qtbot.keyClicks(setup.inputs["local.confirm"], SECRET[-1])
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: controller.window is not None and controller.window.isVisible(), timeout=20_000
    )
    assert not setup.isVisible()
    assert controller.dialog is None  # created and opened: no unlock needed
    qtbot.waitUntil(lambda: "Store: local" in pending_shown(controller), timeout=10_000)
    assert route(controller).model.rowCount() == 0  # a new store has no wells yet
    assert controller.lock_timer.isActive()
    controller.quit(0)

    header = (data_dir / "store.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00"  # SQLCipher: encrypted from the first byte
    with Store.open(data_dir, keystore, lambda: SECRET) as made:
        assert made.meta["mode"] == "local"
        assert made.thresholds.timezone == "America/Chicago"


def test_quitting_setup_exits_1_and_creates_nothing(
    qtbot: QtBot, make: Make, tmp_path: Path
) -> None:
    controller = make(tmp_path / "nothing")
    assert controller.setup is not None
    with qtbot.waitSignal(controller.finished) as blocker:
        qtbot.mouseClick(controller.setup.quit_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    assert not (tmp_path / "nothing" / "keys.json").exists()


def test_quitting_while_the_store_is_made_closes_it_and_shows_nothing(
    qtbot: QtBot, make: Make, tmp_path: Path, keystore: Keystore
) -> None:
    controller = make(tmp_path / "laptop")
    setup = controller.setup
    assert setup is not None
    setup.local_button.click()
    qtbot.keyClicks(setup.inputs["local.passphrase"], SECRET)
    qtbot.keyClicks(setup.inputs["local.confirm"], SECRET)
    setup.create_button.click()
    assert setup.quit_button.isEnabled()
    with qtbot.waitSignal(controller.finished) as blocker:
        setup.quit_button.click()  # waits for the worker: the store is whole, then closed
    assert blocker.args == [1]
    qtbot.wait(50)  # let the worker's late answer arrive
    assert controller.window is None
    with Store.open(tmp_path / "laptop", keystore, lambda: SECRET) as made:
        assert made.meta["mode"] == "local"


# --- unlocking --------------------------------------------------------------------------------


def test_environment_passphrase_opens_without_asking(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    assert controller.dialog is None and controller.setup is None
    assert route(controller).model.rowCount() == 12
    assert controller.lock_timer.isActive()
    assert controller.window is not None
    with qtbot.waitSignal(controller.finished) as blocker:
        controller.window.close()
    assert blocker.args == [0]
    assert controller.exit_code == 0


def test_dialog_retries_after_a_wrong_passphrase(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str
) -> None:
    controller = make(data_dir)
    unlock_with(qtbot, controller, "not-the-passphrase")
    assert controller.dialog is not None
    qtbot.waitUntil(lambda: controller.dialog.error.isVisible(), timeout=10_000)  # type: ignore[union-attr]
    assert "Wrong passphrase" in controller.dialog.error.text()
    assert controller.window is None
    unlock_with(qtbot, controller, passphrase)
    wait_open(qtbot, controller)
    assert not controller.dialog.isVisible()
    assert controller.dialog.passphrase.text() == ""


def test_wrong_environment_passphrase_says_so_and_asks(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str
) -> None:
    controller = make(data_dir, env="stale-passphrase")
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    assert "FIELDAPP_PASSPHRASE did not open" in controller.dialog.error.text()  # type: ignore[union-attr]
    unlock_with(qtbot, controller, passphrase)
    wait_open(qtbot, controller)


def test_cancel_at_first_unlock_exits_1(qtbot: QtBot, make: Make, data_dir: Path) -> None:
    controller = make(data_dir)
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    with qtbot.waitSignal(controller.finished) as blocker:
        controller.dialog.reject()  # type: ignore[union-attr]
    assert blocker.args == [1]


def test_a_damaged_store_says_why(qtbot: QtBot, make: Make, data_dir: Path) -> None:
    (data_dir / "keys.json").write_text("{not json")
    controller = make(data_dir)
    qtbot.waitUntil(lambda: controller.message_box is not None, timeout=10_000)
    assert controller.message_box is not None
    assert controller.message_box.windowTitle() == "Cannot open the store"
    with qtbot.waitSignal(controller.finished) as blocker:
        controller.message_box.accept()
    assert blocker.args == [1]


# --- auto-lock --------------------------------------------------------------------------------


def test_auto_lock_returns_to_the_unlock_screen_and_keeps_pending_work(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str, clock: FakeClock, keystore: Keystore
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    window = controller.window
    assert window is not None
    page = route(controller)
    qtbot.waitUntil(lambda: "Pending sync:" in pending_shown(controller))
    before = int(pending_shown(controller).split("Pending sync:")[1].split()[0])
    well, day = page.model.state.rows[0].well_id, page.shown_day
    assert day is not None
    record = ProductionRecorded(
        well_id=UUID(well), production_date=day, oil_bbl=12.5, gas_mcf=30, water_bbl=4, hours_on=24
    )
    saved: list[object] = []
    controller.runner.run(lambda store: save_production(store, record), saved.append)
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    window.refresh()
    qtbot.waitUntil(lambda: f"Pending sync: {before + 1} " in pending_shown(controller))

    clock.now += 600
    qtbot.keyClick(page.search, "w")  # input restarts the idle countdown
    clock.now += 600
    controller.check_lock()
    assert window.isVisible()

    clock.now += 301
    controller.check_lock()
    assert not window.isVisible()
    assert page.model.rowCount() == 0  # nothing of the store left on screen
    assert pending_shown(controller) == "Locked"
    assert controller.dialog is not None and controller.dialog.isVisible()
    assert controller.dialog.message.text() == AFTER_AUTO_LOCK
    errors: list[BaseException] = []
    controller.runner.run(lambda s: s.status(), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], LockedError)  # the key is gone

    unlock_with(qtbot, controller, passphrase)
    wait_open(qtbot, controller)
    assert not controller.autolock.locked
    assert not controller.dialog.isVisible()
    qtbot.waitUntil(lambda: f"Pending sync: {before + 1} " in pending_shown(controller))
    controller.quit(0)
    with Store.open(data_dir, keystore, lambda: passphrase) as check:
        assert check.status().pending == before + 1
        with check.read() as conn:
            row = find_day(conn, well, day)
    assert row is not None and row["oil_bbl"] == 12.5


def test_save_queued_before_the_lock_is_not_lost(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str, keystore: Keystore
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    page = route(controller)
    row, day = page.model.state.rows[0], page.shown_day
    assert day is not None
    record = ProductionRecorded(
        well_id=UUID(row.well_id),
        production_date=day,
        oil_bbl=0,
        gas_mcf=0,
        water_bbl=0,
        hours_on=0,
        downtime_hours=24,
        downtime_reason="WORKOVER",
    )
    controller.runner.run(lambda store: save_production(store, record))
    controller.lock()  # queued behind the save: the store closes after it
    qtbot.waitUntil(lambda: not controller.runner.busy, timeout=10_000)
    with Store.open(data_dir, keystore, lambda: passphrase) as check, check.read() as conn:
        saved = find_day(conn, row.well_id, day)
    assert saved is not None
    assert saved["downtime_reason"] == "WORKOVER"


def test_keystore_key_opens_silently_but_not_after_auto_lock(
    qtbot: QtBot,
    make: Make,
    tmp_path: Path,
    passphrase: str,
    memory_keyring: object,
    clock: FakeClock,
) -> None:
    keys = Keystore(memory_keyring)  # type: ignore[arg-type]
    Store.create(tmp_path / "ks", passphrase, keys).close()
    assert memory_keyring.entries  # type: ignore[attr-defined]
    controller = make(tmp_path / "ks", store_keys=keys)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible())
    assert controller.dialog is None  # no passphrase needed: the OS keystore had the key

    clock.now += 1000
    controller.check_lock()
    unlock_with(qtbot, controller, "anything-but-the-passphrase")
    qtbot.waitUntil(lambda: controller.dialog.error.isVisible(), timeout=10_000)  # type: ignore[union-attr]
    assert controller.window is not None
    assert not controller.window.isVisible()
    unlock_with(qtbot, controller, passphrase)
    qtbot.waitUntil(lambda: controller.window.isVisible(), timeout=10_000)  # type: ignore[union-attr]

    clock.now += 1000  # the next lock starts clean: no error left from the last attempt
    controller.check_lock()
    assert controller.dialog is not None
    assert controller.dialog.isVisible()
    assert controller.dialog.error.isHidden()
    assert controller.dialog.unlock_button.isEnabled()


# --- auto-lock minutes ------------------------------------------------------------------------


def test_auto_lock_minutes_come_from_settings_ini(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str, clock: FakeClock
) -> None:
    SettingsStore.for_data_dir(data_dir).save(Preferences(autolock_minutes=5))
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    assert controller.autolock.timeout_s == 300
    clock.now += 299
    controller.check_lock()
    assert controller.window is not None and controller.window.isVisible()
    clock.now += 1
    controller.check_lock()
    assert not controller.window.isVisible()
    assert controller.dialog is not None and controller.dialog.isVisible()


def test_setting_auto_lock_minutes_changes_when_it_locks_and_is_kept(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str, clock: FakeClock
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    window = controller.window
    assert isinstance(window, MainWindow)
    clock.now += 120
    controller.check_lock()
    assert window.isVisible()  # 15 minutes by default

    window.preferences_changed.emit(Preferences(autolock_minutes=2))  # the Settings screen
    assert controller.autolock.timeout_s == 120
    controller.check_lock()
    assert not window.isVisible()  # idle for two minutes already: locked at the next check
    assert SettingsStore.for_data_dir(data_dir).load().autolock_minutes == 2

    unlock_with(qtbot, controller, passphrase)
    wait_open(qtbot, controller)
    controller.set_preferences(Preferences(autolock_minutes=30))
    clock.now += 29 * 60
    controller.check_lock()
    assert window.isVisible()
    clock.now += 60
    controller.check_lock()
    assert not window.isVisible()
    assert SettingsStore.for_data_dir(data_dir).load().autolock_minutes == 30


@pytest.fixture
def standard_theme_after() -> Iterator[None]:
    yield
    theme.set_theme("standard")


@pytest.mark.usefixtures("standard_theme_after")
def test_the_saved_theme_is_used_from_the_unlock_screen_on(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str
) -> None:
    SettingsStore.for_data_dir(data_dir).save(Preferences(theme="sunlight"))
    controller = make(data_dir)
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    assert theme.current_theme() == "sunlight"
    assert controller.dialog is not None
    assert controller.dialog.font().pointSize() >= theme.SUNLIGHT_FONT_PT
    unlock_with(qtbot, controller, passphrase)
    wait_open(qtbot, controller)
    controller.set_preferences(Preferences(theme="standard"))
    assert theme.current_theme() == "standard"
    assert SettingsStore.for_data_dir(data_dir).load().theme == "standard"


# --- run_app ----------------------------------------------------------------------------------


@pytest.fixture
def app_settings(qapp: QApplication) -> Iterator[None]:
    """run_app styles the application; put the test session's look back afterwards."""
    font, palette, style = qapp.font(), qapp.palette(), qapp.style().name()
    yield
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setStyle(style)
    qapp.setQuitOnLastWindowClosed(True)


@pytest.mark.usefixtures("app_settings")
def test_run_app_without_a_store_offers_setup_and_quitting_exits_1(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FIELDAPP_PASSPHRASE", raising=False)
    headings: list[str] = []

    def quit_setup() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, SetupDialog)]
        dialog = next((d for d in dialogs if d.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, quit_setup)
            return
        headings.append(dialog.heading.text())
        dialog.quit_button.click()

    QTimer.singleShot(50, quit_setup)
    assert run_app(tmp_path / "empty") == 1
    assert headings == ["Set up WellPulse Field on this laptop"]
    assert not (tmp_path / "empty" / "store.db").exists()


@pytest.mark.usefixtures("app_settings")
def test_run_app_opens_the_window_and_exits_0(
    qtbot: QtBot, data_dir: Path, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIELDAPP_PASSPHRASE", passphrase)
    seen: list[int] = []

    def close_when_loaded() -> None:
        window = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()
            ),
            None,
        )
        page = window.pages.get("route") if window is not None else None
        if window is None or not isinstance(page, RoutePage) or page.model.rowCount() == 0:
            QTimer.singleShot(50, close_when_loaded)
            return
        seen.append(page.model.rowCount())
        assert window.font().pointSize() >= 14
        window.close()

    QTimer.singleShot(50, close_when_loaded)
    assert run_app(data_dir) == 0
    assert seen == [12]
    assert QApplication.instance().font().pointSize() >= 14  # type: ignore[union-attr]


def test_quit_at_the_lock_screen_with_unsaved_typing_asks_once(
    qtbot: QtBot,
    controllers: list[AppController],
    keystore: Keystore,
    data_dir: Path,
    passphrase: str,
    clock: FakeClock,
) -> None:
    controller = AppController(
        data_dir,
        keystore,
        passphrase,
        AutoLock(timeout_s=900, clock=clock),
        pages=[RoutePage, IncidentsPage],
    )
    controllers.append(controller)
    controller.start()
    wait_open(qtbot, controller)
    window = controller.window
    assert window is not None
    window.show_page("incidents")
    incidents = window.pages["incidents"]
    qtbot.keyClicks(incidents.form.description, "Gate left open on the lease road")  # type: ignore[attr-defined]
    assert window.unsaved() == {"incidents": 1}
    clock.now += 15 * 60 + 1
    controller.check_lock()
    dialog = controller.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.quit_button.click()
    assert controller.exit_code is None  # not quit: the typing would be lost
    assert dialog.isVisible()
    assert "One typed value is not saved yet" in dialog.error.text()
    dialog.quit_button.click()
    assert controller.exit_code == 0  # asked once; the second Quit discards it


def test_the_photo_widgets_find_the_fetcher_and_hear_the_sync(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    fetcher = fetcher_of(controller.runner)
    assert fetcher is controller.photos
    with qtbot.waitSignal(fetcher.sync_event) as heard:
        controller.sync_events.listener("sync.photo", {"sha256": "ab" * 32})
    assert heard.args == ["sync.photo", {"sha256": "ab" * 32}]
