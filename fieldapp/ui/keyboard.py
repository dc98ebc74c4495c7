"""Keyboard operation of the forms: Enter moves to the next field, Ctrl+S saves.

Gloved hands hit Enter far more reliably than Tab, so in a form Enter (or the keypad's Enter)
moves the focus on, as Tab does. Buttons keep Enter (it presses them) and multi-line notes
keep it for new lines; Ctrl+S is the form's save.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QWidget,
)

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_FIELD_TYPES = (QLineEdit, QAbstractSpinBox, QComboBox)  # QDateEdit is a spin box


class EnterMovesFocus(QObject):
    """Event filter: Enter in a one-line field moves the focus to the next field."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        key_event = event if isinstance(event, QKeyEvent) else None
        if key_event is None or key_event.key() not in _ENTER_KEYS:
            return False
        if key_event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Shift+Enter, Ctrl+Enter: left to the widget
        if isinstance(watched, QComboBox) and watched.view().isVisible():
            return False  # Enter picks from an open list
        watched.focusNextChild()
        return True


def enter_moves_focus(container: QWidget) -> EnterMovesFocus:
    """Install Enter-to-next-field on every one-line field inside `container` (call after the
    fields are made; call again for fields added later)."""
    mover = getattr(container, "_enter_mover", None)
    if not isinstance(mover, EnterMovesFocus):
        mover = EnterMovesFocus(container)
        container._enter_mover = mover  # type: ignore[attr-defined]
    for widget in container.findChildren(QWidget):
        if isinstance(widget, _FIELD_TYPES) and not isinstance(widget, QAbstractButton):
            widget.installEventFilter(mover)
            line = widget.lineEdit() if isinstance(widget, QComboBox) else None
            if line is not None:
                line.installEventFilter(mover)
    return mover


def save_shortcut(container: QWidget, save: Callable[[], None]) -> QShortcut:
    """Ctrl+S (the platform's Save) anywhere inside `container` calls `save`."""
    shortcut = QShortcut(QKeySequence.StandardKey.Save, container)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(save)
    return shortcut
