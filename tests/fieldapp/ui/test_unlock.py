"""UnlockDialog: hidden passphrase entry, retry after an error, cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from fieldapp.ui import theme
from fieldapp.ui.unlock import AFTER_AUTO_LOCK, FIRST_UNLOCK, UnlockDialog


@pytest.fixture
def dialog(qtbot: QtBot) -> UnlockDialog:
    widget = UnlockDialog()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_passphrase_is_not_echoed(dialog: UnlockDialog) -> None:
    assert dialog.passphrase.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.passphrase.accessibleName() == "Passphrase"
    assert dialog.message.text() == FIRST_UNLOCK
    assert dialog.isModal()


def test_enter_emits_the_passphrase_and_shows_progress(qtbot: QtBot, dialog: UnlockDialog) -> None:
    qtbot.keyClicks(dialog.passphrase, "correct horse")
    with qtbot.waitSignal(dialog.passphrase_entered) as blocker:
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert blocker.args == ["correct horse"]
    assert not dialog.unlock_button.isEnabled()
    assert dialog.unlock_button.text() == "Unlocking…"


def test_empty_passphrase_asks_again_without_emitting(qtbot: QtBot, dialog: UnlockDialog) -> None:
    with qtbot.assertNotEmitted(dialog.passphrase_entered):
        qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Enter the passphrase."


def test_error_lets_the_operator_retry(qtbot: QtBot, dialog: UnlockDialog) -> None:
    qtbot.keyClicks(dialog.passphrase, "wrong")
    dialog.submit()
    dialog.show_error("Wrong passphrase: the store was not opened. Try again.")
    assert dialog.error.isVisible()
    assert "Wrong passphrase" in dialog.error.text()
    assert dialog.unlock_button.isEnabled()
    assert dialog.passphrase.isEnabled()
    assert dialog.passphrase.selectedText() == "wrong"  # typing replaces the wrong attempt
    qtbot.keyClicks(dialog.passphrase, "right")
    with qtbot.waitSignal(dialog.passphrase_entered) as blocker:
        dialog.submit()
    assert blocker.args == ["right"]


def test_forget_clears_the_typed_passphrase(qtbot: QtBot, dialog: UnlockDialog) -> None:
    qtbot.keyClicks(dialog.passphrase, "secret")
    dialog.submit()
    dialog.forget()
    assert dialog.passphrase.text() == ""
    assert dialog.unlock_button.isEnabled()


def test_quit_rejects(qtbot: QtBot) -> None:
    widget = UnlockDialog(AFTER_AUTO_LOCK)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.message.text() == AFTER_AUTO_LOCK
    with qtbot.waitSignal(widget.rejected):
        qtbot.mouseClick(widget.quit_button, Qt.MouseButton.LeftButton)
    assert not widget.isVisible()


def test_controls_are_big_and_named(dialog: UnlockDialog) -> None:
    assert dialog.passphrase.height() >= theme.INPUT_MIN_HEIGHT
    for button in (dialog.unlock_button, dialog.quit_button):
        assert button.height() >= theme.BUTTON_MIN_HEIGHT
        assert button.width() >= theme.BUTTON_MIN_HEIGHT
        assert button.accessibleName()
    assert dialog.error.accessibleName() == "Unlock error"
    assert dialog.layout().spacing() >= theme.SPACING
