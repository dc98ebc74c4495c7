"""The entry forms' location field, Qt-free: typed or GPS coordinates, and the distance to the
well with the geofence warning (docs/gps.md)."""

from __future__ import annotations

from datetime import datetime

from fieldapp.core.nmea import FixQuality
from fieldapp.core.positioning import Fix, Reading
from fieldapp.ui.location_state import NO_WELL_COORDINATES, LocationState, parse_coordinate
from shared.contracts import Location
from shared.validation import Issue

WELL = (31.9686, -102.0779)


def fix(lat: float, lon: float, accuracy: float | None = 4.5) -> Fix:
    return Fix(lat, lon, accuracy, FixQuality.GPS, 8, None, 100.0)


def test_typed_coordinates_become_a_typed_location() -> None:
    state = LocationState()
    assert state.parsed() is None and state.status() == ("", "")
    state.typed("31.9690", "-102.0779")
    assert state.parsed() == Location(lat=31.969, lon=-102.0779, source="typed")


def test_half_or_wrong_coordinates_are_errors_by_their_field() -> None:
    state = LocationState()
    state.typed("31.9", "")
    found = state.parsed()
    assert isinstance(found, list) and [i.field for i in found] == ["longitude"]
    state.typed("95", "west")
    found = state.parsed()
    assert isinstance(found, list) and [i.rule for i in found] == ["out_of_range", "not_a_number"]
    text, tone = state.status()
    assert tone == "error" and "between -90 and 90" in text
    assert isinstance(parse_coordinate("nan", "latitude", "Latitude", 90), Issue)
    assert parse_coordinate("  ", "latitude", "Latitude", 90) is None


def test_the_distance_to_the_well_is_shown_and_outside_the_fence_is_a_warning() -> None:
    state = LocationState()
    state.set_well(*WELL)
    state.typed("31.9690", "-102.0779")
    text, tone = state.status()
    assert (text, tone) == (
        "This location is 146 ft (44 m) from the well, inside the 500 ft (152.4 m) geofence.",
        "ok",
    )
    state.typed("31.9786", "-102.0779")
    text, tone = state.status()
    assert tone == "warning"
    assert text.startswith("This location is 3,648 ft (1,112 m) from the well, outside")
    assert "saved with a warning" in text
    verdict = state.verdict()
    assert verdict is not None and verdict.outside
    state.set_well(None, None)
    assert state.status() == (NO_WELL_COORDINATES, "")


def test_a_gps_fix_fills_the_coordinates_with_its_accuracy_until_one_is_typed() -> None:
    state = LocationState()
    state.set_well(*WELL)
    assert state.take_reading(Reading("fix", fix(31.96861, -102.07791), 2.0))
    assert (state.lat_text, state.lon_text) == ("31.968610", "-102.077910")
    assert state.parsed() == Location(lat=31.96861, lon=-102.07791, accuracy_m=4.5, source="gps")
    text, tone = state.status()
    assert text.splitlines()[0] == "GPS fix 31.968610, -102.077910 ±4.5 m (2 s old)."
    assert tone == "ok"
    state.typed("31.968610", "-102.077910")  # unchanged: still the receiver's
    assert state.source == "gps"
    state.typed("31.9687", "-102.077910")
    assert (state.source, state.accuracy_m) == ("typed", None)


def test_a_stale_fix_or_none_fills_nothing_and_says_why() -> None:
    state = LocationState()
    assert not state.take_reading(Reading("no_fix", None, None))
    assert state.status() == (
        "No GPS fix yet: check the receiver has a view of the sky.",
        "warning",
    )
    assert not state.take_reading(Reading("stale", fix(31.0, -102.0), 45.0))
    assert state.lat_text == "" and "45 s old" in state.status()[0]
    state.gps_failed("cannot open GPS port COM9: not found")
    assert state.status() == ("GPS not read: cannot open GPS port COM9: not found", "error")
    state.clear()
    assert state.status() == ("", "")


def test_a_photos_location_fills_the_coordinates_as_the_photos() -> None:
    state = LocationState()
    assert not state.take_photo("gauge.png", None, None, None)
    assert state.gps_note == "The photo gauge.png carries no location." and state.parsed() is None
    taken = datetime(2026, 11, 19, 8, 30)
    assert state.take_photo("pump.jpg", 31.95, -102.15, taken)
    found = state.parsed()
    assert isinstance(found, Location) and (found.lat, found.lon, found.source) == (
        31.95,
        -102.15,
        "photo",
    )
    assert state.gps_note == "From the photo pump.jpg, taken 2026-11-19 08:30."
    state.typed("31.96", "-102.15")  # edited afterwards: the operator's now
    assert state.source == "typed"
