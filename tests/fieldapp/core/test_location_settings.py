"""Location settings: defaults, what GPS opens, and stored text that never stops the app."""

from __future__ import annotations

import pytest

from fieldapp.core.location_settings import LocationSettingError, LocationSettings
from fieldapp.core.positioning import SourceConfig
from fieldapp.core.preferences import Preferences


def test_by_default_locations_are_recorded_and_gps_is_off() -> None:
    settings = LocationSettings()
    assert settings.record_locations and not settings.positioning and not settings.gps_on
    assert settings.config() is None


def test_the_config_is_the_chosen_source_only_when_gps_is_on() -> None:
    serial = LocationSettings(positioning=True, port=" COM3 ", baud=9600, log_file="x.nmea")
    assert serial.config() == SourceConfig("serial", "COM3", 9600)
    log = LocationSettings(positioning=True, source="log", port="COM3")
    assert log.config() == SourceConfig("log", "", 4800)  # blank: the sample drive
    unrecorded = LocationSettings(record_locations=False, positioning=True)
    assert not unrecorded.gps_on and unrecorded.config() is None


def test_round_trip_through_text_with_the_other_preferences() -> None:
    chosen = LocationSettings(
        record_locations=False, positioning=True, source="log", log_file="C:\\d.nmea", baud=9600
    )
    prefs = Preferences(autolock_minutes=5, location=chosen)
    text = prefs.to_mapping()
    assert text["gps_enabled"] == "true" and text["record_locations"] == "false"
    assert Preferences.from_mapping(text) == prefs


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"gps_source": "bluetooth"}, LocationSettings()),
        ({"gps_baud": "fast"}, LocationSettings()),
        ({"gps_baud": "1234"}, LocationSettings()),
        (
            {"gps_enabled": "maybe", "record_locations": "0"},
            LocationSettings(record_locations=False),
        ),
        (
            {"gps_enabled": "YES", "gps_port": "/dev/ttyUSB0"},
            LocationSettings(True, True, port="/dev/ttyUSB0"),
        ),
    ],
)
def test_a_hand_edited_value_falls_back_to_its_default(
    values: dict[str, str], expected: LocationSettings
) -> None:
    assert LocationSettings.from_mapping(values) == expected


def test_values_that_are_not_allowed_are_refused_with_the_choices() -> None:
    with pytest.raises(LocationSettingError, match="use serial or log"):
        LocationSettings(source="usb")  # type: ignore[arg-type]
    with pytest.raises(LocationSettingError, match="4800, 9600"):
        LocationSettings(baud=1200)
