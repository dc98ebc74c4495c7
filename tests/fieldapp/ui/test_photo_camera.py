"""The camera button is offered only where Qt Multimedia is installed and lists a camera."""

from __future__ import annotations

import importlib.util

from fieldapp.ui import photo_camera


def test_no_multimedia_module_means_no_camera() -> None:
    assert photo_camera._module("PySide6.QtNoSuchModule") is None
    if importlib.util.find_spec("PySide6.QtMultimedia") is None:
        assert photo_camera.camera_available() is False  # PySide6-Essentials: no button
    else:  # the full wheel: a camera only when the system lists one
        media = importlib.import_module("PySide6.QtMultimedia")
        listed = bool(media.QMediaDevices.videoInputs())
        assert photo_camera.camera_available() is listed
