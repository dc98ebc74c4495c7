"""The geofence verdict of maintenance entries and incidents on the laptop (docs/gps.md), with
a real encrypted store."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from corekit import TODAY

from fieldapp.core.geofencing import (
    entry_geofence,
    geofence_issue,
    record_geofence,
    recorded_location,
    well_coordinates,
)
from fieldapp.core.incidents import report_incident
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, register_well
from shared.contracts import IncidentReported, Location, MaintenanceLogged, WellRegistered

FAR = Location(lat=31.9786, lon=-102.0779, source="typed")  # 3,648 ft from the well
NEAR = Location(lat=31.9687, lon=-102.0779, accuracy_m=4.0, source="gps")


def sited(store: Store) -> Well:
    details = WellRegistered(
        api_number="42-501-20131", name="Sited 1", latitude=31.9686, longitude=-102.0779
    )
    return register_well(store, details)[0]


def test_the_verdict_of_an_entry_is_against_its_well(store: Store, well: Well) -> None:
    here = sited(store)
    with store.read() as conn:
        assert well_coordinates(conn, here.well_id) == (31.9686, -102.0779)
        assert well_coordinates(conn, well.well_id) == (None, None)
        assert well_coordinates(conn, None) == (None, None)
        far = entry_geofence(conn, here.well_id, FAR)
        assert far is not None and far.outside
        near = entry_geofence(conn, here.well_id, NEAR)
        assert near is not None and not near.outside
        assert entry_geofence(conn, well.well_id, FAR) is None  # the well has no coordinates
        assert entry_geofence(conn, here.well_id, None) is None
    issue = geofence_issue(far)
    assert issue is not None and issue.rule == "outside_geofence"
    assert issue.message.startswith("The entry's location is 3,648 ft (1,112 m)")
    assert geofence_issue(near) is None and geofence_issue(None) is None


def test_a_saved_maintenance_entry_keeps_its_location_in_its_event(store: Store) -> None:
    here = sited(store)
    logged = MaintenanceLogged(
        well_id=UUID(here.well_id),
        performed_on=TODAY,
        maintenance_type="Inspection",
        location=FAR,
    )
    saved = log_maintenance(store, logged, today=TODAY)
    with store.read() as conn:
        assert recorded_location(conn, saved.maintenance_id) == FAR.model_dump(mode="json")
        verdict = record_geofence(conn, saved.maintenance_id, here.well_id)
    assert verdict is not None and verdict.outside
    assert round(verdict.distance_ft) == 3648


def test_an_incident_near_its_well_is_inside_and_one_without_location_has_no_verdict(
    store: Store,
) -> None:
    here = sited(store)
    now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    report = IncidentReported(
        well_id=UUID(here.well_id),
        incident_type="spill",
        severity="low",
        occurred_at=now,
        description="a drip",
        location=NEAR,
    )
    near = report_incident(store, report, now=now)
    bare = report_incident(store, report.model_copy(update={"location": None}), now=now)
    with store.read() as conn:
        verdict = record_geofence(conn, near.incident_id, here.well_id)
        assert verdict is not None and not verdict.outside
        assert record_geofence(conn, bare.incident_id, here.well_id) is None
        assert recorded_location(conn, "no-such-record") is None
