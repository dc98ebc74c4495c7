"""The top of the Sync screen: its title, Sync now, the sync's progress (bar and line), the
last sync and why sync is off when it is."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.ui import theme
from fieldapp.ui.form_parts import message_label
from fieldapp.ui.sync_messages import show_message
from fieldapp.ui.sync_progress import SyncProgress
from fieldapp.ui.sync_status import last_sync_text

_TONES = {"done": "ok", "failed": "error", "offline": "warning"}


class SyncHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("Sync")
        heading.setObjectName("title")
        self.sync_button = QPushButton("Sync &now")
        self.sync_button.setObjectName("primary")
        theme.size_button(self.sync_button, "Sync now")
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Sync progress")
        self.bar.setTextVisible(False)
        self.status = QLabel("")
        self.status.setObjectName("issues")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Sync progress message")
        self.last_sync = QLabel("")
        self.last_sync.setAccessibleName("Last sync")
        self.last_sync.hide()
        self.off = message_label("Why sync is off")
        top = QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.sync_button)
        progress = QVBoxLayout()
        progress.setSpacing(theme.SPACING)
        progress.addWidget(self.bar)
        progress.addWidget(self.status)
        top.addLayout(progress, 1)
        notes = QHBoxLayout()
        notes.setSpacing(theme.SPACING)
        notes.addWidget(self.last_sync)
        notes.addWidget(self.off, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addLayout(notes)

    def show_requested(self, progress: SyncProgress) -> None:
        """Sync now was pressed: the line says so and the bar is busy until the sync starts."""
        show_message(self.status, progress.text, "")
        self.bar.setRange(0, 0)

    def show_progress(self, progress: SyncProgress) -> None:
        value, maximum = progress.bar()
        self.bar.setRange(0, maximum)
        self.bar.setValue(value)
        show_message(self.status, progress.text, _TONES.get(progress.state, ""))

    def show_availability(self, ready: bool, why_not: str) -> None:
        self.sync_button.setEnabled(ready)
        show_message(self.off, "" if ready else why_not, "warning")

    def show_last_sync(self, server_mode: bool, stamp: str | None) -> None:
        self.last_sync.setText(last_sync_text(stamp) if server_mode else "")
        self.last_sync.setVisible(server_mode)
