"""The first-run dialog on its own: the choice, the forms, inline errors, typed values kept.
Creating a store through it (with the app's worker) is in test_app.py."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.core.startup_flow import CreateLocalStore, RegisterDevice, StartupFlow, Step
from fieldapp.ui import theme
from fieldapp.ui.setup_dialog import SetupDialog

SECRET = "long enough passphrase"


@pytest.fixture
def dialog(qtbot: QtBot) -> SetupDialog:
    flow = StartupFlow()
    flow.start(has_store=False)
    widget = SetupDialog(flow)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_into(qtbot: QtBot, dialog: SetupDialog, values: dict[str, str]) -> None:
    for field, text in values.items():
        widget = dialog.inputs[field]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        else:
            widget.clear()
            qtbot.keyClicks(widget, text)


def test_first_screen_offers_server_or_local_with_big_buttons(dialog: SetupDialog) -> None:
    assert dialog.pages.currentWidget() is dialog.choose_page
    assert dialog.heading.text() == "Set up WellPulse Field on this laptop"
    assert dialog.server_button.isVisible() and dialog.local_button.isVisible()
    assert dialog.error.isHidden()
    assert dialog.isModal()


def test_every_control_is_big_and_named(qtbot: QtBot, dialog: SetupDialog) -> None:
    checked = 0
    for page in (dialog.choose_page, dialog.local_page, dialog.server_page):
        dialog.pages.setCurrentWidget(page)
        qtbot.wait(1)
        for widget in dialog.findChildren(QWidget):
            if not widget.isVisible():
                continue
            if isinstance(widget, QAbstractButton):
                assert widget.height() >= theme.BUTTON_MIN_HEIGHT, widget.text()
                assert widget.width() >= theme.BUTTON_MIN_HEIGHT, widget.text()
                assert widget.accessibleName(), widget.text()
                checked += 1
            elif isinstance(widget, QLineEdit | QComboBox) and widget.parent() is not None:
                if isinstance(widget.parent(), QComboBox):
                    continue  # the combo box's own line edit: the combo box is named
                assert widget.height() >= theme.INPUT_MIN_HEIGHT, widget.accessibleName()
                assert widget.accessibleName()
                checked += 1
    assert checked == 3 + (3 + 3) + (3 + 7)  # every button and field of the three pages
    assert dialog.font().pointSize() >= theme.BASE_FONT_PT


def test_local_form_refuses_bad_input_inline_and_keeps_what_was_typed(
    qtbot: QtBot, dialog: SetupDialog
) -> None:
    qtbot.mouseClick(dialog.local_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.local_page
    assert dialog.heading.text() == "Create a store on this laptop"
    assert dialog.inputs["local.timezone"].currentText() == "America/Chicago"  # type: ignore[union-attr]
    assert dialog.inputs["local.passphrase"].hasFocus()
    type_into(qtbot, dialog, {"local.passphrase": SECRET, "local.confirm": SECRET + "!"})
    with qtbot.assertNotEmitted(dialog.effect_requested):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    assert "not the same" in dialog.error.text()
    assert dialog.inputs["local.confirm"].property("issue") == "error"
    assert dialog.inputs["local.passphrase"].property("issue") == ""
    assert dialog.inputs["local.confirm"].hasFocus()
    assert dialog.value("local.passphrase") == SECRET  # nothing typed is lost
    assert dialog.value("local.confirm") == SECRET + "!"

    type_into(qtbot, dialog, {"local.confirm": SECRET})
    with qtbot.waitSignal(dialog.effect_requested) as blocker:
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [CreateLocalStore(SECRET, "America/Chicago")]
    assert dialog.error.isHidden()
    assert not dialog.create_button.isEnabled()  # busy until the worker answers
    assert dialog.create_button.text() == "Creating the store…"
    assert not dialog.inputs["local.passphrase"].isEnabled()


def test_failure_from_the_worker_shows_inline_and_the_form_comes_back(
    qtbot: QtBot, dialog: SetupDialog
) -> None:
    dialog.local_button.click()
    type_into(qtbot, dialog, {"local.passphrase": SECRET, "local.confirm": SECRET})
    dialog.submit()
    dialog.flow.failed(OSError("the disk is full"))
    dialog.show_step()
    assert dialog.error.isVisible()
    assert dialog.error.text() == "Nothing was created: the disk is full"
    assert dialog.create_button.isEnabled()
    assert dialog.create_button.text() == "&Create store"
    assert dialog.value("local.confirm") == SECRET


def test_enter_moves_through_the_server_form_then_registers(
    qtbot: QtBot, dialog: SetupDialog
) -> None:
    qtbot.mouseClick(dialog.server_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.server_page
    assert dialog.flow.step is Step.REGISTER
    order = ["url", "org", "username", "password", "passphrase", "confirm"]
    texts = ["https://wellpulse.example.com", "acme", "op", "pw", SECRET, SECRET]
    for field, text in zip(order, texts, strict=True):
        widget = dialog.inputs[f"server.{field}"]
        assert widget.hasFocus(), field
        qtbot.keyClicks(widget, text)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    timezone = dialog.inputs["server.timezone"]
    assert isinstance(timezone, QComboBox)
    assert timezone.hasFocus() or timezone.lineEdit().hasFocus()
    qtbot.keyClick(timezone.lineEdit(), Qt.Key.Key_Return)
    assert dialog.register_button.hasFocus()
    with qtbot.waitSignal(dialog.effect_requested) as blocker:
        qtbot.keyClick(dialog.register_button, Qt.Key.Key_Return)
    url = "https://wellpulse.example.com"
    assert blocker.args == [RegisterDevice(url, "acme", "op", "pw", SECRET, "America/Chicago")]
    assert dialog.register_button.text() == "Registering…"


def test_server_form_names_every_missing_field(qtbot: QtBot, dialog: SetupDialog) -> None:
    dialog.server_button.click()
    type_into(qtbot, dialog, {"server.url": "wellpulse.example.com", "server.org": "acme"})
    dialog.register_button.click()
    text = dialog.error.text()
    assert "must start with https://" in text
    assert "user name" in text and "password" in text and "at least 8 characters" in text
    marked = {n for n, w in dialog.inputs.items() if w.property("issue") == "error"}
    assert marked == {"server.url", "server.username", "server.password", "server.passphrase"}
    assert dialog.inputs["server.url"].hasFocus()
    assert dialog.value("server.org") == "acme"


def test_back_returns_to_the_choice_and_quit_rejects(qtbot: QtBot, dialog: SetupDialog) -> None:
    dialog.server_button.click()
    type_into(qtbot, dialog, {"server.org": "acme"})
    dialog.server_back.click()
    assert dialog.pages.currentWidget() is dialog.choose_page
    assert dialog.flow.step is Step.CHOOSE
    dialog.server_button.click()
    assert dialog.value("server.org") == "acme"  # still there when the operator comes back
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert QApplication.activeModalWidget() is not dialog
