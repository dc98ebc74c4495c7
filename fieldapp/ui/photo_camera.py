"""Taking a photo with the laptop's camera, only where Qt Multimedia is there and finds one.

No dependency is added for it: PySide6's QtMultimedia module is used when the installed
PySide6 has it (the full `PySide6` wheel does; `PySide6-Essentials` does not) and it lists a
video input. Otherwise `camera_available()` is False and the photo strip shows no camera button
at all. The capture dialog shows the camera's picture and takes one still into a temporary
folder; the strip attaches that file like any other and removes the folder afterwards.
"""

from __future__ import annotations

import importlib
import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldapp.ui import theme

log = logging.getLogger(__name__)

Captured = Callable[[Path, str], None]  # (the photo file, its temporary folder)


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def camera_available() -> bool:
    """Qt Multimedia is importable and finds at least one camera."""
    media = _module("PySide6.QtMultimedia")
    if media is None or _module("PySide6.QtMultimediaWidgets") is None:
        return False
    try:
        return bool(media.QMediaDevices.videoInputs())
    except Exception:  # a broken multimedia backend: no camera
        log.debug("listing cameras failed", exc_info=True)
        return False


class CameraDialog(QDialog):
    """The camera's picture and a Take photo button; `captured(path, folder)` is called once."""

    def __init__(self, captured: Captured, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        media: Any = importlib.import_module("PySide6.QtMultimedia")
        widgets: Any = importlib.import_module("PySide6.QtMultimediaWidgets")
        self.setWindowTitle("Take photo")
        theme.apply_to_window(self)
        self.captured = captured
        self.folder = tempfile.mkdtemp(prefix="wellpulse-camera-")
        self.camera = media.QCamera(media.QMediaDevices.defaultVideoInput())
        self.capture = media.QImageCapture()
        self.session = media.QMediaCaptureSession()
        self.session.setCamera(self.camera)
        self.session.setImageCapture(self.capture)
        self.view = widgets.QVideoWidget()
        self.view.setMinimumSize(640, 480)
        self.session.setVideoOutput(self.view)
        self.status = QLabel("Point the camera, then Take photo.")
        self.status.setAccessibleName("Camera messages")
        self.capture.imageSaved.connect(self._saved)
        self.capture.errorOccurred.connect(lambda _id, _err, text: self.status.setText(text))
        self.take = QPushButton("Take photo")
        theme.size_button(self.take, "Take the photo")
        self.take.clicked.connect(self._take)
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.take)
        self.finished.connect(self._stop)
        self.camera.start()

    def _take(self) -> None:
        self.take.setEnabled(False)
        self.capture.captureToFile(str(Path(self.folder) / "camera.jpg"))

    def _saved(self, _id: int, file_name: str) -> None:
        folder, self.folder = self.folder, ""
        self.captured(Path(file_name), folder)
        self.accept()

    def _stop(self, _code: int) -> None:
        self.camera.stop()
        if self.folder:  # closed without a photo
            shutil.rmtree(self.folder, ignore_errors=True)


def take_photo(parent: QWidget, captured: Captured) -> None:
    """Open the camera dialog (only offered when `camera_available()`)."""
    dialog = CameraDialog(captured, parent)
    dialog.open()
