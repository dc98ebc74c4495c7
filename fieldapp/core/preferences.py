"""The operator's display and lock preferences, as plain values (stored by the UI in QSettings).

Qt-free so the rules (which values are allowed, what the defaults are) are tested without a
QApplication; `fieldapp.ui.settings_store` reads and writes them in the data folder's
`settings.ini`. The server URL is not a preference: it belongs to the store's server link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from fieldapp.core.location_settings import LocationSettings
from shared.units import UnitSystem

Theme = Literal["standard", "sunlight"]
THEMES: tuple[Theme, ...] = ("standard", "sunlight")
THEME_LABELS: dict[Theme, str] = {"standard": "Standard", "sunlight": "High contrast (sunlight)"}
UNIT_LABELS: dict[UnitSystem, str] = {
    UnitSystem.FIELD: "Field units (bbl, Mcf)",
    UnitSystem.METRIC: "Metric (m³)",
}
AUTOLOCK_MIN_MINUTES = 1
AUTOLOCK_MAX_MINUTES = 240
DEFAULT_AUTOLOCK_MINUTES = 15


class PreferenceError(ValueError):
    """A preference value that is not allowed; the message says which values are."""


@dataclass(frozen=True, slots=True)
class Preferences:
    units: UnitSystem = UnitSystem.FIELD
    autolock_minutes: int = DEFAULT_AUTOLOCK_MINUTES
    theme: Theme = "standard"
    location: LocationSettings = field(default_factory=LocationSettings)  # docs/gps.md

    def __post_init__(self) -> None:
        if not AUTOLOCK_MIN_MINUTES <= self.autolock_minutes <= AUTOLOCK_MAX_MINUTES:
            raise PreferenceError(
                f"auto-lock must be {AUTOLOCK_MIN_MINUTES}–{AUTOLOCK_MAX_MINUTES} minutes,"
                f" not {self.autolock_minutes}"
            )
        if self.theme not in THEMES:
            raise PreferenceError(f"unknown theme {self.theme!r}; use one of {', '.join(THEMES)}")
        if not isinstance(self.units, UnitSystem):
            raise PreferenceError(f"unknown units {self.units!r}; use field or metric")

    @property
    def autolock_seconds(self) -> float:
        return self.autolock_minutes * 60.0

    def to_mapping(self) -> dict[str, str]:
        return {
            "units": self.units.value,
            "autolock_minutes": str(self.autolock_minutes),
            "theme": self.theme,
            **self.location.to_mapping(),
        }

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> Preferences:
        """Preferences from stored text; a missing or unusable value falls back to its default
        (a hand-edited settings file never stops the app from starting)."""
        default = cls()
        units = _units(values.get("units"), default.units)
        minutes = _minutes(values.get("autolock_minutes"), default.autolock_minutes)
        theme_text = str(values.get("theme") or default.theme)
        theme: Theme = next((t for t in THEMES if t == theme_text), default.theme)
        location = LocationSettings.from_mapping(values)
        return cls(units=units, autolock_minutes=minutes, theme=theme, location=location)


def _units(value: object, default: UnitSystem) -> UnitSystem:
    try:
        return UnitSystem(str(value)) if value is not None else default
    except ValueError:
        return default


def _minutes(value: object, default: int) -> int:
    try:
        minutes = int(str(value)) if value is not None else default
    except ValueError:
        return default
    return minutes if AUTOLOCK_MIN_MINUTES <= minutes <= AUTOLOCK_MAX_MINUTES else default
