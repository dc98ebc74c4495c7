"""Pulled record states become projection rows: fields a record predates get their defaults."""

from __future__ import annotations

from fieldapp.core.confirmed import aggregate_row


def test_an_incident_from_before_location_description_gets_a_blank_one() -> None:
    record = {
        "id": "i-1",
        "version": 2,
        "well_id": "w-1",
        "values": {
            "incident_type": "spill",
            "severity": "low",
            "occurred_at": "2026-11-30T10:00:00+00:00",
            "location": {"lat": 31.9, "lon": -102.1},
            "description": "Drip at the wellhead",
            "injuries": False,
            "regulatory_notification_required": True,
        },
    }
    row = aggregate_row("incidents", record)
    assert row["location_description"] == ""
    assert row["environmental_impact"] == ""
    assert (row["latitude"], row["longitude"]) == (31.9, -102.1)
    assert row["injuries"] == 0 and row["regulatory_notification_required"] == 1
    assert row["well_id"] == "w-1" and row["version"] == 2


def test_an_incident_keeps_the_location_it_came_with() -> None:
    record = {"id": "i-2", "version": 1, "values": {"location_description": "Tank battery"}}
    assert aggregate_row("incidents", record)["location_description"] == "Tank battery"
