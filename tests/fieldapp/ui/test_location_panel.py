"""The Settings screen's "Location and GPS" section: what applies is editable, what is shown
is what is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.core.location_settings import LocationSettings
from fieldapp.ui.location_panel import LocationPanel

LEFT = Qt.MouseButton.LeftButton


def panel(qtbot: QtBot) -> LocationPanel:
    widget = LocationPanel()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_what_is_shown_is_what_is_chosen(qtbot: QtBot) -> None:
    shown = panel(qtbot)
    assert shown.chosen() == LocationSettings()
    settings = LocationSettings(
        positioning=True, source="log", port="COM3", log_file="/tmp/drive.nmea", baud=38400
    )
    shown.show_settings(settings)
    assert shown.chosen() == settings


def test_only_what_applies_can_be_changed(qtbot: QtBot) -> None:
    shown = panel(qtbot)
    assert shown.gps.isEnabled() and not shown.source.isEnabled()
    qtbot.mouseClick(shown.gps, LEFT)
    assert shown.source.isEnabled() and shown.port.isEnabled() and shown.baud.isEnabled()
    assert not shown.log_file.isEnabled() and not shown.browse.isEnabled()
    shown.source.setCurrentIndex(shown.source.findData("log"))
    assert shown.log_file.isEnabled() and shown.browse.isEnabled()
    assert not shown.port.isEnabled()
    qtbot.mouseClick(shown.record, LEFT)  # no locations at all: no GPS either
    assert not shown.gps.isEnabled() and not shown.source.isEnabled()
    assert not shown.log_file.isEnabled()
    chosen = shown.chosen()
    assert not chosen.record_locations and chosen.positioning and chosen.config() is None
