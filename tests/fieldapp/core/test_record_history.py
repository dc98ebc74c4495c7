"""A record's versions: this device's events, the server's, and what each changed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from productionkit import record, today

from fieldapp.core.inbox import apply_page
from fieldapp.core.production import save_production, void_production
from fieldapp.core.record_history import versions_of
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ChangesPage


def test_a_recorded_then_corrected_record_has_two_versions(store: Store, well: Well) -> None:
    day = today(store) - timedelta(days=1)
    first = save_production(store, record(well, day, notes="gauged"))
    save_production(store, record(well, day, oil=110.0, notes="gauged"))
    with store.read() as conn:
        versions = versions_of(conn, first.record_id)
    assert [v.kind for v in versions] == ["recorded", "corrected"]
    assert [v.number for v in versions] == [1, 2]
    assert all(v.this_device and v.sync == "pending" and v.when for v in versions)
    recorded = {c.field: (c.old, c.new) for c in versions[0].changes}
    assert recorded["oil_bbl"] == (None, 100.0)
    assert recorded["notes"] == ("", "gauged")
    assert [(c.field, c.old, c.new) for c in versions[1].changes] == [("oil_bbl", 100.0, 110.0)]


def test_a_void_is_a_version_without_changes(store: Store, well: Well) -> None:
    result = save_production(store, record(well, today(store)))
    void_production(store, result.record_id, "wrong well")
    with store.read() as conn:
        versions = versions_of(conn, result.record_id)
    assert [v.kind for v in versions] == ["recorded", "voided"]
    assert versions[1].changes == ()
    assert versions[1].reason == "wrong well"


def _envelope(well: Well, record_id: str, event_type: str, device: str) -> dict[str, Any]:
    return {
        "event_id": str(uuid4()),
        "device_id": device,
        "event_type": event_type,
        "aggregate_id": record_id,
        "recorded_at": "2026-01-01T00:00:00Z",
        "user_id": str(uuid4()),
        "payload": {},
        "well_id": well.well_id,
    }


def _state(well: Well, record_id: str, day: date, version: int, oil: float) -> dict[str, Any]:
    values = {"oil_bbl": oil, "gas_mcf": 150.0, "water_bbl": 40.0, "notes": ""}
    return {
        "kind": "production",
        "id": record_id,
        "version": version,
        "values": values,
        "deleted": False,
        "well_id": well.well_id,
        "production_date": day.isoformat(),
        "entry_method": "MANUAL",
        "location": None,
        "quality_score": 100,
        "flags": [],
    }


def test_versions_from_another_device_come_from_the_server(store: Store, well: Well) -> None:
    day = today(store) - timedelta(days=2)
    record_id, other = str(uuid4()), str(uuid4())
    changes = [
        {
            "server_seq": 1,
            "kind": "event",
            "version": 1,
            "data": _envelope(well, record_id, "production.recorded", other),
            "record": _state(well, record_id, day, 1, 90.0),
        },
        {
            "server_seq": 2,
            "kind": "event",
            "version": 2,
            "data": _envelope(well, record_id, "production.corrected", other),
            "record": _state(well, record_id, day, 2, 95.0),
        },
    ]
    apply_page(
        store, ChangesPage.model_validate({"changes": changes, "next_cursor": 2, "has_more": False})
    )
    save_production(store, record(well, day, oil=97.0, gas_mcf=150.0))
    with store.read() as conn:
        versions = versions_of(conn, record_id)
    assert [(v.kind, v.sync, v.this_device) for v in versions] == [
        ("recorded", "confirmed", False),
        ("corrected", "confirmed", False),
        ("corrected", "pending", True),
    ]
    assert versions[0].device_id == other
    assert [(c.field, c.old, c.new) for c in versions[1].changes] == [("oil_bbl", 90.0, 95.0)]
    assert ("oil_bbl", 95.0, 97.0) in [(c.field, c.old, c.new) for c in versions[2].changes]
