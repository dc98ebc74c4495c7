"""Start-up and auto-lock: keystore, environment passphrase, unlock dialog, missing store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest
from corekit import FakeClock
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from fieldapp.core.autolock import AutoLock
from fieldapp.core.errors import LockedError
from fieldapp.core.keystore import Keystore
from fieldapp.core.production import find_day
from fieldapp.core.store import Store
from fieldapp.ui.app import AppController, run_app
from fieldapp.ui.unlock import AFTER_AUTO_LOCK
from shared.contracts import ProductionRecorded

Make = Callable[..., AppController]


@pytest.fixture
def make(controllers: list[AppController], keystore: Keystore, clock: FakeClock) -> Make:

    def build(
        data_dir: Path, env: str | None = None, store_keys: Keystore | None = None
    ) -> AppController:
        controller = AppController(
            data_dir, store_keys or keystore, env, AutoLock(timeout_s=900, clock=clock)
        )
        controllers.append(controller)
        controller.start()
        return controller

    return build


def wait_open(qtbot: QtBot, controller: AppController) -> None:
    qtbot.waitUntil(
        lambda: (
            controller.window is not None
            and controller.window.isVisible()
            and controller.window.model.rowCount() > 0
        ),
        timeout=10_000,
    )


def unlock_with(qtbot: QtBot, controller: AppController, secret: str) -> None:
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    assert controller.dialog is not None
    controller.dialog.passphrase.clear()
    qtbot.keyClicks(controller.dialog.passphrase, secret)
    controller.dialog.submit()


def test_environment_passphrase_opens_without_asking(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    assert controller.dialog is None
    assert controller.window is not None
    assert controller.window.model.rowCount() == 12
    assert controller.lock_timer.isActive()
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


def test_missing_store_says_to_run_init(qtbot: QtBot, make: Make, tmp_path: Path) -> None:
    controller = make(tmp_path / "nowhere")
    qtbot.waitUntil(lambda: controller.message_box is not None, timeout=10_000)
    box = controller.message_box
    assert box is not None
    assert "fieldapp" in box.text()
    assert "init --local" in box.text()
    assert str(tmp_path / "nowhere") in box.text()
    with qtbot.waitSignal(controller.finished) as blocker:
        box.button(QMessageBox.StandardButton.Ok).click()
    assert blocker.args == [1]


def test_auto_lock_drops_the_store_and_asks_again(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str, clock: FakeClock
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    window = controller.window
    assert window is not None
    clock.now += 600
    qtbot.keyClick(window.search, "w")  # input restarts the idle countdown
    clock.now += 600
    controller.check_lock()
    assert window.isVisible()

    clock.now += 901
    controller.check_lock()
    assert not window.isVisible()
    assert window.model.rowCount() == 0
    assert controller.dialog is not None
    assert controller.dialog.isVisible()
    assert controller.dialog.message.text() == AFTER_AUTO_LOCK
    errors: list[BaseException] = []
    controller.runner.run(lambda s: s.status(), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], LockedError)

    unlock_with(qtbot, controller, passphrase)
    wait_open(qtbot, controller)
    assert not controller.autolock.locked
    assert window.isVisible()


def test_save_queued_before_the_lock_is_not_lost(
    qtbot: QtBot, make: Make, data_dir: Path, passphrase: str, keystore: Keystore
) -> None:
    controller = make(data_dir, env=passphrase)
    wait_open(qtbot, controller)
    window = controller.window
    assert window is not None and window.shown_day is not None
    row = window.model.state.rows[0]
    record = ProductionRecorded(
        well_id=UUID(row.well_id), production_date=window.shown_day,
        oil_bbl=0, gas_mcf=0, water_bbl=0, hours_on=0, downtime_hours=24,
        downtime_reason="WORKOVER",
    )  # fmt: skip
    window.save(record)
    controller.lock()
    qtbot.waitUntil(lambda: not controller.runner.busy, timeout=10_000)
    with Store.open(data_dir, keystore, lambda: passphrase) as check, check.read() as conn:
        saved = find_day(conn, row.well_id, window.shown_day)
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
def test_run_app_without_a_store_exits_1(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FIELDAPP_PASSPHRASE", raising=False)
    texts: list[str] = []

    def answer_the_box() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
        box = next((b for b in boxes if b.isVisible()), None)
        if box is None:
            QTimer.singleShot(50, answer_the_box)
            return
        texts.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(50, answer_the_box)
    assert run_app(tmp_path / "empty") == 1
    assert "init --local" in texts[0]


@pytest.mark.usefixtures("app_settings")
def test_run_app_opens_the_window_and_exits_0(
    qtbot: QtBot, data_dir: Path, passphrase: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIELDAPP_PASSPHRASE", passphrase)
    seen: list[int] = []

    def close_when_loaded() -> None:
        from fieldapp.ui.main_window import MainWindow

        window = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()
            ),
            None,
        )
        if window is None or window.model.rowCount() == 0:
            QTimer.singleShot(50, close_when_loaded)
            return
        seen.append(window.model.rowCount())
        assert window.font().pointSize() >= 14
        window.close()

    QTimer.singleShot(50, close_when_loaded)
    assert run_app(data_dir) == 0
    assert seen == [12]
    assert QApplication.instance().font().pointSize() >= 14  # type: ignore[union-attr]
