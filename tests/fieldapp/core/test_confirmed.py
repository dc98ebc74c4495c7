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


def test_a_pulled_photo_keeps_its_location_source_and_removal() -> None:
    """A photo record as the server sends it (its payload's values, then `removed` and why)."""
    record = {
        "id": "p-1",
        "version": 3,
        "well_id": "w-1",
        "values": {
            "target_type": "well",
            "target_id": "w-1",
            "sha256": "a" * 64,
            "content_type": "image/jpeg",
            "size": 1234,
            "caption": "gauge",
            "width": 640,
            "height": 480,
            "location": {"lat": 31.9, "lon": -102.1, "source": "photo"},
            "removed": True,
            "removed_reason": "blurry",
        },
    }
    row = aggregate_row("photos", record)
    assert (row["latitude"], row["longitude"], row["location_source"]) == (31.9, -102.1, "photo")
    assert (row["removed"], row["removed_reason"], row["version"]) == (1, "blurry", 3)


def test_a_pulled_photo_from_before_the_metadata_gets_the_defaults() -> None:
    values = {"target_type": "well", "target_id": "w-1", "sha256": "b" * 64, "size": 9}
    row = aggregate_row("photos", {"id": "p-2", "version": 1, "values": values})
    assert (row["camera"], row["original_name"], row["removed"], row["removed_reason"]) == (
        "",
        "",
        0,
        "",
    )
    assert row["caption"] == "" and row["location_source"] is None
