"""Keyboard operation: Enter moves to the next field, Ctrl+S saves the form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.ui.keyboard import enter_moves_focus, save_shortcut


def _form(qtbot: QtBot) -> tuple[QWidget, QLineEdit, QComboBox, QLineEdit, list[str]]:
    form = QWidget()
    first, choice, last = QLineEdit(), QComboBox(), QLineEdit()
    choice.addItems(["a", "b"])
    layout = QVBoxLayout(form)
    for widget in (first, choice, last):
        layout.addWidget(widget)
    saves: list[str] = []
    enter_moves_focus(form)
    save_shortcut(form, lambda: saves.append(first.text()))
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    return form, first, choice, last, saves


def test_enter_walks_the_fields_in_order(qtbot: QtBot) -> None:
    _form_widget, first, choice, last, saves = _form(qtbot)
    first.setFocus()
    qtbot.keyClicks(first, "12")
    qtbot.keyClick(first, Qt.Key.Key_Return)
    qtbot.waitUntil(choice.hasFocus)
    qtbot.keyClick(choice, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(last.hasFocus)
    assert first.text() == "12"
    assert saves == []  # Enter never saves


def test_ctrl_s_saves_from_any_field(qtbot: QtBot) -> None:
    _form_widget, first, _choice, last, saves = _form(qtbot)
    first.setText("7")
    last.setFocus()
    qtbot.waitUntil(last.hasFocus)
    qtbot.keyClick(last, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert saves == ["7"]
