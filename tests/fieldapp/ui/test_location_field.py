"""The location field widget: Use GPS reads the source on the worker (a replayed NMEA log and
a port that does not exist), the distance and the warning are painted (docs/gps.md)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.core.location_settings import LocationSettings
from fieldapp.core.positioning import demo_log
from fieldapp.ui.location_field import POSITIONER, LocationField
from fieldapp.ui.ops import OpRunner
from shared.contracts import Location
from wellpulse_demo.server_seed import DEFAULT_SEED
from wellpulse_demo.simulator import _make_wells

LEFT = Qt.MouseButton.LeftButton


def field(qtbot: QtBot, runner: OpRunner, settings: LocationSettings) -> LocationField:
    widget = LocationField()
    qtbot.addWidget(widget)
    widget.attach(runner)
    widget.set_settings(settings)
    widget.show()
    return widget


def test_use_gps_fills_the_demo_drive_s_first_fix_at_mabee_1(
    qtbot: QtBot, runner: OpRunner
) -> None:
    mabee = _make_wells(50, DEFAULT_SEED)[0]
    runner.run(lambda _store: POSITIONER.close())  # the replay starts from its beginning
    shown = field(qtbot, runner, LocationSettings(positioning=True, source="log"))
    shown.set_well(mabee.latitude, mabee.longitude)
    with qtbot.waitSignal(shown.changed, timeout=10_000):
        qtbot.mouseClick(shown.gps_button, LEFT)
    found = shown.location()
    assert isinstance(found, Location) and found.source == "gps" and found.accuracy_m == 5.5
    assert "inside the 500 ft" in shown.note.text()
    assert shown.note.property("severity") == "ok"
    assert shown.gps_button.isEnabled() and shown.gps_button.text() == "Use &GPS"
    assert demo_log().is_file()


def test_a_port_that_cannot_be_opened_is_said_on_the_field(
    qtbot: QtBot, runner: OpRunner, tmp_path: Path
) -> None:
    missing = str(tmp_path / "ttyNONE")
    shown = field(qtbot, runner, LocationSettings(positioning=True, port=missing))
    qtbot.mouseClick(shown.gps_button, LEFT)
    qtbot.waitUntil(lambda: "GPS not read" in shown.note.text(), timeout=10_000)
    assert shown.note.property("severity") == "error"
    assert shown.location() is None


def test_typed_coordinates_and_what_the_settings_hide(qtbot: QtBot, runner: OpRunner) -> None:
    shown = field(qtbot, runner, LocationSettings())
    assert not shown.gps_button.isVisible()  # GPS off: typed only
    shown.set_well(31.9686, -102.0779)
    qtbot.keyClicks(shown.latitude, "31.9786")
    qtbot.keyClicks(shown.longitude, "-102.0779")
    assert "outside the 500 ft" in shown.note.text()
    assert shown.note.property("severity") == "warning"
    shown.show_location(31.9687, -102.0779)
    assert shown.latitude.text() == "31.968700" and "inside" in shown.note.text()
    shown.set_editable(False)
    assert shown.latitude.isReadOnly() and not shown.gps_button.isEnabled()
    shown.set_settings(LocationSettings(record_locations=False))
    assert not shown.isVisible() and shown.location() is None


def test_from_photo_takes_the_cameras_gps_and_a_photo_without_one_says_so(
    qtbot: QtBot, runner: OpRunner, tmp_path: Path
) -> None:
    from photocorekit import GPS_LAT, GPS_LON, write_jpeg, write_not_an_image, write_png

    shown = field(qtbot, runner, LocationSettings())
    shown.set_well(GPS_LAT + 0.0005, GPS_LON)  # about 180 ft north of the photo
    shown.choose_photo = lambda: write_jpeg(tmp_path / "pump.jpg", gps=(GPS_LAT, GPS_LON))
    with qtbot.waitSignal(shown.changed, timeout=10_000):
        qtbot.mouseClick(shown.photo_button, LEFT)
    found = shown.location()
    assert isinstance(found, Location) and found.source == "photo"
    assert (round(found.lat, 5), round(found.lon, 5)) == (round(GPS_LAT, 5), round(GPS_LON, 5))
    assert "From the photo pump.jpg" in shown.note.text()
    assert "inside the 500 ft" in shown.note.text()
    shown.clear()
    shown.choose_photo = lambda: write_png(tmp_path / "gauge.png")
    qtbot.mouseClick(shown.photo_button, LEFT)
    qtbot.waitUntil(lambda: "carries no location" in shown.note.text(), timeout=10_000)
    assert shown.location() is None
    shown.choose_photo = lambda: write_not_an_image(tmp_path / "notes.jpg")
    qtbot.mouseClick(shown.photo_button, LEFT)
    qtbot.waitUntil(lambda: "No location read from the photo" in shown.note.text(), timeout=10_000)
    assert shown.note.property("severity") == "error"
