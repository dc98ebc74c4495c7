"""Preferences: allowed values, defaults, and a hand-edited file never stopping the app."""

from __future__ import annotations

import pytest

from fieldapp.core.preferences import PreferenceError, Preferences
from shared.units import UnitSystem


def test_defaults_are_field_units_fifteen_minutes_standard_theme() -> None:
    prefs = Preferences()
    assert (prefs.units, prefs.autolock_minutes, prefs.theme) == (UnitSystem.FIELD, 15, "standard")
    assert prefs.autolock_seconds == 900.0


def test_round_trip_through_text() -> None:
    prefs = Preferences(units=UnitSystem.METRIC, autolock_minutes=5, theme="sunlight")
    assert Preferences.from_mapping(prefs.to_mapping()) == prefs


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"units": "furlongs"}, Preferences()),
        ({"autolock_minutes": "0"}, Preferences()),
        ({"autolock_minutes": "ten"}, Preferences()),
        ({"theme": "neon", "autolock_minutes": "30"}, Preferences(autolock_minutes=30)),
    ],
)
def test_unusable_stored_values_fall_back_to_defaults(
    values: dict[str, object], expected: Preferences
) -> None:
    assert Preferences.from_mapping(values) == expected


def test_out_of_range_lock_time_is_refused_when_set() -> None:
    with pytest.raises(PreferenceError, match="1–240 minutes"):
        Preferences(autolock_minutes=600)
