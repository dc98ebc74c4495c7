"""Reporting incidents on the device: what is kept, what is refused, the order they are listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest

from fieldapp.core.errors import UnknownRecordError, ValidationFailedError
from fieldapp.core.eventlog import iter_events
from fieldapp.core.incidents import (
    get_incident,
    list_incidents,
    regulatory_reasons,
    report_incident,
)
from fieldapp.core.projections import LoggedEvent, MemoryRowStore, apply_event
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import Well
from shared.contracts import EventType, IncidentReported, Location, parse_payload

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def incident(**extra: Any) -> IncidentReported:
    values: dict[str, Any] = {
        "incident_type": "spill",
        "severity": "medium",
        "occurred_at": NOW - timedelta(hours=2),
        "description": "3 bbl of oil out of the stuffing box",
    }
    return IncidentReported(**(values | extra))


def test_a_report_is_kept_with_every_field_and_listed(store: Store, well: Well) -> None:
    central = timezone(timedelta(hours=-6))
    occurred = datetime(2026, 11, 20, 7, 30, tzinfo=central)
    saved = report_incident(
        store,
        incident(
            well_id=well.well_id,
            severity="high",
            occurred_at=occurred,
            location=Location(lat=31.9, lon=-102.1),
            location_description="tank battery, north side",
            injuries=True,
            environmental_impact="soil stained 2 m around the wellhead",
            regulatory_notification_required=True,
        ),
        now=NOW,
    )
    assert saved.occurred_at == occurred and saved.occurred_at.tzinfo == UTC  # kept in UTC
    assert (saved.well_id, saved.incident_type) == (well.well_id, "spill")
    assert saved.severity == "high"  # in words: test_incidents_state
    assert saved.location_description == "tank battery, north side"
    assert (saved.latitude, saved.longitude) == (31.9, -102.1)
    assert saved.injuries and saved.regulatory_notification_required
    assert saved.environmental_impact == "soil stained 2 m around the wellhead"
    with store.read() as conn:
        assert list_incidents(conn) == [saved] == list_incidents(conn, well.well_id)
        assert get_incident(conn, saved.incident_id) == saved
        (event,) = [e for e in iter_events(conn) if e.event_type == EventType.INCIDENT_REPORTED]
    payload = event.envelope()["payload"]
    assert payload["location_description"] == "tank battery, north side"
    assert payload["occurred_at"] == "2026-11-20T13:30:00Z"
    assert store.status().pending == 2  # the well and the incident wait for sync
    assert verify_store(store).ok


def test_incidents_are_listed_newest_first_and_by_well(store: Store, well: Well) -> None:
    old = report_incident(store, incident(occurred_at=NOW - timedelta(days=3)), now=NOW)
    mine = report_incident(store, incident(well_id=well.well_id), now=NOW)
    middle = report_incident(store, incident(occurred_at=NOW - timedelta(days=1)), now=NOW)
    with store.read() as conn:
        assert [i.incident_id for i in list_incidents(conn)] == [
            mine.incident_id,
            middle.incident_id,
            old.incident_id,
        ]
        assert [i.incident_id for i in list_incidents(conn, well.well_id)] == [mine.incident_id]
        assert list_incidents(conn, str(uuid4())) == []
        with pytest.raises(UnknownRecordError, match="unknown incident"):
            get_incident(conn, str(uuid4()))


@pytest.mark.parametrize(
    ("details", "field", "words"),
    [
        (incident(occurred_at=NOW + timedelta(hours=1)), "occurred_at", "future"),
        (incident(description="   "), "description", "Describe what happened"),
        (incident(occurred_at=datetime(2026, 11, 20, 9, 0)), "occurred_at", "time zone"),
        (incident(well_id=uuid4()), "well_id", "not on this device"),
    ],
)
def test_a_report_that_cannot_be_saved_appends_nothing(
    store: Store, details: IncidentReported, field: str, words: str
) -> None:
    with pytest.raises(ValidationFailedError) as refused:
        report_incident(store, details, now=NOW)
    (issue,) = refused.value.issues
    assert issue.field == field and words in issue.message
    assert store.status().events == 0


def test_a_clock_a_minute_ahead_is_not_the_future(store: Store) -> None:
    saved = report_incident(store, incident(occurred_at=NOW + timedelta(minutes=1)), now=NOW)
    assert saved.occurred_at == NOW + timedelta(minutes=1)


def test_a_payload_from_before_location_description_still_projects() -> None:
    """Events written before the field existed validate and project it as blank."""
    old = {
        "incident_type": "leak",
        "severity": "low",
        "occurred_at": "2024-05-01T13:00:00Z",
        "description": "flange weeping",
        "injuries": False,
        "environmental_impact": "",
        "regulatory_notification_required": False,
        "well_id": None,
        "location": None,
    }
    assert parse_payload(EventType.INCIDENT_REPORTED, old) == IncidentReported(**old)
    rows = MemoryRowStore()
    incident_id = str(uuid4())
    apply_event(rows, LoggedEvent(1, "incident.reported", incident_id, 0, old))
    assert rows.tables["incidents"][incident_id]["location_description"] == ""


def test_regulatory_notification_is_suggested_for_serious_incidents() -> None:
    assert regulatory_reasons("low", "leak", injuries=False) == []
    assert regulatory_reasons("critical", "fire", injuries=False) == ["severity"]
    assert regulatory_reasons("high", "injury", injuries=False) == ["severity", "injury"]
    assert regulatory_reasons("low", "spill", injuries=True) == ["injury", "spill"]
