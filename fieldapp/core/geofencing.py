"""How far from its well an entry was made, on the laptop (docs/gps.md).

Production gets the `outside_geofence` warning from the shared rules (`shared.validation`);
maintenance entries and incidents get the same verdict here, to show when they are saved and
when they are read: their locations live in their events (the local tables keep no location
for maintenance), so a saved entry's location is read back from its newest event.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from shared.geo import GeofenceVerdict, LocationLike, geofence
from shared.validation import geofence_issue

__all__ = [
    "entry_geofence",
    "geofence_issue",  # the verdict as the warning production gets, for showing
    "record_geofence",
    "recorded_location",
    "well_coordinates",
]


def well_coordinates(conn: Connection, well_id: object) -> tuple[float | None, float | None]:
    """The well's (latitude, longitude); (None, None) for an unknown well or none given."""
    if well_id is None:
        return (None, None)
    found = conn.exec_driver_sql(
        "SELECT latitude, longitude FROM wells WHERE well_id = ?", (str(well_id),)
    ).first()
    return (None, None) if found is None else (found[0], found[1])


def entry_geofence(
    conn: Connection, well_id: object, location: LocationLike | None
) -> GeofenceVerdict | None:
    """The verdict for an entry at `location` on `well_id`; None when a side has no
    coordinates."""
    if location is None:
        return None
    return geofence(location, *well_coordinates(conn, well_id))


def recorded_location(conn: Connection, aggregate_id: str) -> dict[str, Any] | None:
    """The location the record's newest event of this laptop carries (None: none, or the
    record came from another device and its events are not in this log)."""
    row = conn.exec_driver_sql(
        "SELECT body FROM event_log WHERE aggregate_id = ? ORDER BY device_seq DESC LIMIT 1",
        (aggregate_id,),
    ).first()
    if row is None:
        return None
    payload = json.loads(row[0]).get("payload") or {}
    location = payload.get("location")
    return location if isinstance(location, dict) else None


def record_geofence(conn: Connection, aggregate_id: str, well_id: object) -> GeofenceVerdict | None:
    """The verdict of a saved maintenance entry or incident."""
    return entry_geofence(conn, well_id, recorded_location(conn, aggregate_id))
