"""The unlock screen: asks for the store passphrase and stays open until the store opens.

The dialog never opens the store itself: it emits `passphrase_entered`, the app tries it on
the worker and either closes the dialog or calls `show_error` so the operator can retry.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.ui import theme

FIRST_UNLOCK = "Enter the store passphrase to open this laptop's encrypted field data."
AFTER_AUTO_LOCK = (
    "WellPulse Field locked itself after a while without input. Everything you saved is safe. "
    "Enter the store passphrase to continue."
)


class UnlockDialog(QDialog):
    passphrase_entered = Signal(str)

    def __init__(self, message: str = FIRST_UNLOCK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unlock WellPulse Field")
        self.setAccessibleName("Unlock WellPulse Field")
        self.setModal(True)
        theme.apply_to_window(self)

        heading = QLabel("WellPulse Field is locked")
        heading.setObjectName("title")
        self.message = QLabel(message)
        self.message.setWordWrap(True)

        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.returnPressed.connect(self.submit)
        theme.size_input(self.passphrase, "Passphrase")
        label = QLabel("&Passphrase")
        label.setBuddy(self.passphrase)

        self.error = QLabel("")
        self.error.setObjectName("issues")
        self.error.setProperty("severity", "error")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Unlock error")
        self.error.hide()

        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        theme.size_button(self.unlock_button, "Unlock")
        self.quit_button = QPushButton("&Quit")
        self.quit_button.clicked.connect(self.reject)
        theme.size_button(self.quit_button, "Quit WellPulse Field")
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addWidget(label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            self.show_error("Enter the passphrase.")
            return
        self.set_busy(True)
        self.passphrase_entered.emit(secret)

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setText("Unlocking…" if busy else "&Unlock")

    def show_error(self, message: str) -> None:
        """The passphrase did not open the store: say why and let the operator retry."""
        self.set_busy(False)
        self.error.setText(message)
        theme.repolish(self.error)
        self.error.show()
        self.passphrase.selectAll()
        self.passphrase.setFocus(Qt.FocusReason.OtherFocusReason)

    def forget(self) -> None:
        """Clear the typed passphrase (after success, so it does not linger in the widget)."""
        self.passphrase.clear()
        self.set_busy(False)
