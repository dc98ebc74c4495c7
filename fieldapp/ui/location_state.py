"""The location field of the production, maintenance and incident forms, Qt-free (docs/gps.md).

An entry's location is typed (decimal degrees) or taken from the GPS ("Use GPS" reads the
positioning source on the worker and hands the `Reading` here). The state turns what is shown
into a `Location` for the record, and says how far that is from the well and whether it is
outside the 500 ft geofence — before the entry is saved, with the same code the save and the
server use (`shared.geo`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from fieldapp.core.positioning import Reading
from shared.contracts import Location, LocationSource
from shared.geo import GEOFENCE_FT, GeofenceVerdict, geofence
from shared.validation import Issue, Severity

Tone = str  # "ok" | "warning" | "error" | "" (the label's severity property)
NO_WELL_COORDINATES = "The well has no coordinates: the distance cannot be checked."


def parse_coordinate(text: str, field: str, label: str, limit: float) -> float | Issue | None:
    """A typed coordinate in decimal degrees; None when blank."""
    raw = text.strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return Issue("not_a_number", field, Severity.ERROR, f"{label}: '{raw}' is not a number.")
    if abs(value) > limit:
        msg = f"{label} must be between -{limit:g} and {limit:g} (decimal degrees)."
        return Issue("out_of_range", field, Severity.ERROR, msg)
    return value


@dataclass(slots=True)
class LocationState:
    """What the field shows: the coordinates as text, where they came from, the well's."""

    lat_text: str = ""
    lon_text: str = ""
    source: LocationSource = "typed"
    accuracy_m: float | None = None
    well_lat: float | None = None
    well_lon: float | None = None
    gps_note: str = ""  # the last reading, in words
    gps_tone: Tone = ""

    def clear(self) -> None:
        self.lat_text = self.lon_text = self.gps_note = self.gps_tone = ""
        self.source, self.accuracy_m = "typed", None

    def set_well(self, lat: float | None, lon: float | None) -> None:
        self.well_lat, self.well_lon = lat, lon

    def typed(self, lat_text: str, lon_text: str) -> None:
        """The operator edited a coordinate: it is theirs now, not the receiver's."""
        if (lat_text, lon_text) != (self.lat_text, self.lon_text):
            self.lat_text, self.lon_text = lat_text, lon_text
            self.source, self.accuracy_m = "typed", None

    def take_reading(self, reading: Reading) -> bool:
        """A GPS reading: a usable fix fills the coordinates; stale or none only says so."""
        self.gps_note = reading.describe()
        if not reading.usable or reading.fix is None:
            self.gps_tone = "warning"
            return False
        fix = reading.fix
        self.lat_text, self.lon_text = f"{fix.lat:.6f}", f"{fix.lon:.6f}"
        self.source, self.accuracy_m, self.gps_tone = "gps", fix.accuracy_m, "ok"
        return True

    def take_photo(
        self, name: str, lat: float | None, lon: float | None, taken: datetime | None
    ) -> bool:
        """A photo's EXIF location (its camera's GPS): fills the coordinates when it has one."""
        if lat is None or lon is None:
            self.gps_note, self.gps_tone = f"The photo {name} carries no location.", "warning"
            return False
        self.lat_text, self.lon_text = f"{lat:.6f}", f"{lon:.6f}"
        self.source, self.accuracy_m, self.gps_tone = "photo", None, "ok"
        when = f", taken {taken:%Y-%m-%d %H:%M}" if taken is not None else ""
        self.gps_note = f"From the photo {name}{when}."
        return True

    def photo_failed(self, message: str) -> None:
        self.gps_note, self.gps_tone = f"No location read from the photo: {message}", "error"

    def gps_failed(self, message: str) -> None:
        self.gps_note, self.gps_tone = f"GPS not read: {message}", "error"

    def parsed(self) -> Location | list[Issue] | None:
        """The location to record, None when both coordinates are blank, or the problems."""
        lat = parse_coordinate(self.lat_text, "latitude", "Latitude", 90)
        lon = parse_coordinate(self.lon_text, "longitude", "Longitude", 180)
        issues = [v for v in (lat, lon) if isinstance(v, Issue)]
        if issues:
            return issues
        if lat is None and lon is None:
            return None
        if lat is None or lon is None:
            missing = "latitude" if lat is None else "longitude"
            msg = "Give both latitude and longitude, or leave both blank."
            return [Issue("incomplete", missing, Severity.ERROR, msg)]
        assert isinstance(lat, float) and isinstance(lon, float)
        return Location(lat=lat, lon=lon, accuracy_m=self.accuracy_m, source=self.source)

    def verdict(self) -> GeofenceVerdict | None:
        found = self.parsed()
        if not isinstance(found, Location):
            return None
        return geofence(found, self.well_lat, self.well_lon)

    def status(self) -> tuple[str, Tone]:
        """The lines under the field: the last GPS reading, then the distance to the well."""
        lines, tone = [self.gps_note] if self.gps_note else [], self.gps_tone
        found = self.parsed()
        if isinstance(found, list):
            return "\n".join([*lines, *(i.message for i in found)]), "error"
        if found is None:
            return "\n".join(lines), tone
        verdict = geofence(found, self.well_lat, self.well_lon)
        if verdict is None:
            return "\n".join([*lines, NO_WELL_COORDINATES]), tone or ""
        if verdict.outside:
            words = (
                f"This location is {verdict.describe()} It is saved with a warning:"
                f" check the well, or move within {GEOFENCE_FT:,.0f} ft of it."
            )
            return "\n".join([*lines, words]), "warning"
        here = f"This location is {verdict.describe()}"
        return "\n".join([*lines, here]), tone if tone != "" else "ok"
