"""Distances on the Earth and the 500 ft geofence (docs/gps.md), shared by the laptop and the
server so both flag exactly the same entries.

Pure code. Distances are great-circle (haversine) on a sphere of the WGS 84 mean radius
(6,371,008.8 m): at a lease's scale that is within 0.5 % of the ellipsoid's geodesic, far
below what a handheld receiver's accuracy lets anyone tell apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

EARTH_RADIUS_M = 6_371_008.8  # WGS 84 mean radius (IUGG R1)
FEET_PER_METRE = 1 / 0.3048  # the international foot is exactly 0.3048 m
GEOFENCE_FT = 500.0
GEOFENCE_M = 152.4  # 500 ft

Point = tuple[float, float]  # (latitude, longitude) in degrees, WGS 84


class LatLon(Protocol):
    """Anything with `lat` and `lon` in degrees (a `shared.contracts.Location`)."""

    @property
    def lat(self) -> float: ...

    @property
    def lon(self) -> float: ...


LocationLike = LatLon | Mapping[str, Any] | Point


def metres_to_feet(metres: float) -> float:
    return metres * FEET_PER_METRE


def feet_to_metres(feet: float) -> float:
    return feet * 0.3048


def haversine_m(a: Point, b: Point) -> float:
    """The great-circle distance between two (lat, lon) points, in metres."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _finite(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    value = float(x)
    return value if math.isfinite(value) else None


def _pair(lat: Any, lon: Any) -> Point | None:
    la, lo = _finite(lat), _finite(lon)
    if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return (la, lo)


def point_of(where: LocationLike | None) -> Point | None:
    """(lat, lon) of a Location, a `{"lat", "lon"}` or `{"latitude", "longitude"}` mapping or
    a pair; None when it has no usable coordinates."""
    if where is None:
        return None
    if isinstance(where, tuple):
        return _pair(*where) if len(where) == 2 else None
    if isinstance(where, Mapping):
        if "lat" in where or "lon" in where:
            return _pair(where.get("lat"), where.get("lon"))
        return _pair(where.get("latitude"), where.get("longitude"))
    return _pair(getattr(where, "lat", None), getattr(where, "lon", None))


@dataclass(frozen=True, slots=True)
class GeofenceVerdict:
    """How far an entry was made from its well, and whether that is outside the geofence."""

    distance_m: float
    distance_ft: float
    outside: bool

    def describe(self) -> str:
        """The distance in words, feet first (the field's unit) then metres."""
        where = "outside" if self.outside else "inside"
        return (
            f"{_round(self.distance_ft)} ft ({_round(self.distance_m)} m) from the well, "
            f"{where} the {GEOFENCE_FT:,.0f} ft ({GEOFENCE_M:g} m) geofence."
        )

    def as_json(self) -> dict[str, Any]:
        """What a record keeps of it (the server's aggregate state, a read)."""
        return {
            "distance_m": round(self.distance_m, 1),
            "distance_ft": round(self.distance_ft, 1),
            "outside": self.outside,
        }


def _round(x: float) -> str:
    return f"{x:,.0f}" if x >= 10 else f"{x:.1f}"


def geofence(
    entry: LocationLike | None, well_lat: float | None, well_lon: float | None
) -> GeofenceVerdict | None:
    """The entry's distance to the well and whether it is more than 152.4 m (500 ft) away;
    None when either side has no coordinates."""
    here = point_of(entry)
    well = _pair(well_lat, well_lon)
    if here is None or well is None:
        return None
    metres = haversine_m(here, well)
    return GeofenceVerdict(metres, metres_to_feet(metres), metres > GEOFENCE_M)
