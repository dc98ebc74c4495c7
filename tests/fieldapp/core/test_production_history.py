"""Versions of a record, the day before, the validation context and the 7-day grid's saves."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from fieldapp.core.inbox import apply_page
from fieldapp.core.production import find_day, save_production, void_production
from fieldapp.core.production_history import (
    WeekRow,
    load_entry,
    load_week,
    previous_day,
    record_history,
    save_entry,
    save_week,
    validation_context,
)
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ChangesPage, ProductionRecorded
from shared.validation import ProductionInput, org_today


def today(store: Store) -> date:
    return org_today(store.thresholds.timezone)


def record(well: Well, day: date, oil: float = 100.0, **extra: Any) -> ProductionRecorded:
    values: dict[str, Any] = {"oil_bbl": oil, "gas_mcf": 150.0, "water_bbl": 40.0}
    values.update(hours_on=24.0, **extra)
    return ProductionRecorded.model_validate(
        {"well_id": well.well_id, "production_date": day, **values}
    )


def test_a_recorded_then_corrected_record_has_two_versions(store: Store, well: Well) -> None:
    day = today(store) - timedelta(days=1)
    first = save_production(store, record(well, day, notes="gauged"))
    save_production(store, record(well, day, oil=110.0, notes="gauged"))
    versions = record_history(store, first.record_id)
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
    versions = record_history(store, result.record_id)
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
    versions = record_history(store, record_id)
    assert [(v.kind, v.sync, v.this_device) for v in versions] == [
        ("recorded", "confirmed", False),
        ("corrected", "confirmed", False),
        ("corrected", "pending", True),
    ]
    assert versions[0].device_id == other
    assert [(c.field, c.old, c.new) for c in versions[1].changes] == [("oil_bbl", 90.0, 95.0)]
    assert ("oil_bbl", 95.0, 97.0) in [(c.field, c.old, c.new) for c in versions[2].changes]


def test_previous_day_is_the_latest_record_before_the_day(store: Store, well: Well) -> None:
    day = today(store)
    assert previous_day(store, well.well_id, day) is None
    save_production(store, record(well, day - timedelta(days=3), oil=80.0, tubing_psi=410.0))
    save_production(store, record(well, day - timedelta(days=5), oil=70.0))
    found = previous_day(store, well.well_id, day)
    assert found is not None
    assert (found["oil_bbl"], found["tubing_psi"]) == (80.0, 410.0)


def test_the_context_validates_like_the_save(store: Store, well: Well) -> None:
    day = today(store)
    for n in range(1, 8):
        save_production(store, record(well, day - timedelta(days=n), oil=100.0 + n))
    ctx = validation_context(store, well.well_id, day)
    assert ctx.today == day
    assert len(ctx.history) == 7
    issues = ctx.validate(ProductionInput(day, 400.0, 150.0, 40.0, hours_on=24.0))
    rules = {i.rule for i in issues}
    assert "oil_day_change" in rules
    saved = save_production(store, record(well, day, oil=400.0))
    assert {i.rule for i in saved.issues} == rules
    future = ctx.validate(ProductionInput(day + timedelta(days=1), 1.0, 1.0, 1.0))
    assert "future_date" in {i.rule for i in future}


def test_save_entry_reads_the_day_back(store: Store, well: Well) -> None:
    day = today(store)
    result, entry = save_entry(store, record(well, day))
    assert result.outcome == "recorded"
    assert entry.record is not None and entry.record["record_id"] == result.record_id
    assert [v.kind for v in entry.versions] == ["recorded"]
    assert load_entry(store, well.well_id, day - timedelta(days=1)).record is None


def test_the_week_saves_each_day_alone_and_keeps_other_values(store: Store, well: Well) -> None:
    end = today(store)
    save_production(store, record(well, end - timedelta(days=1), notes="keep me", casing_psi=90.0))
    week = load_week(store, well.well_id, end + timedelta(days=3))  # never past today
    assert week.end_day == end
    assert week.days[0] == end - timedelta(days=6) and week.days[-1] == end
    assert set(week.records) == {end - timedelta(days=1)}
    rows = [
        WeekRow(end - timedelta(days=2), {"oil_bbl": 100.0, "gas_mcf": 150.0, "water_bbl": 40.0}),
        WeekRow(end - timedelta(days=1), {"oil_bbl": 105.0, "gas_mcf": 150.0, "water_bbl": 40.0}),
        WeekRow(end, {"oil_bbl": -5.0, "gas_mcf": 1.0, "water_bbl": 1.0}),
    ]
    outcomes = save_week(store, well.well_id, rows)
    assert [o.outcome for o in outcomes] == ["recorded", "corrected", "failed"]
    assert outcomes[2].issues[0].rule == "volume_negative"
    with store.read() as conn:
        corrected = find_day(conn, well.well_id, end - timedelta(days=1))
        assert find_day(conn, well.well_id, end) is None
    assert corrected is not None
    assert (corrected["oil_bbl"], corrected["notes"], corrected["casing_psi"]) == (
        105.0,
        "keep me",
        90.0,
    )
