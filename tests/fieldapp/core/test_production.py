from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from corekit import TODAY

from fieldapp.core.errors import UnknownRecordError, UnknownWellError, ValidationFailedError
from fieldapp.core.production import (
    correct_production,
    day_records,
    get_record,
    save_production,
    void_production,
)
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import Well, register_well
from shared.contracts import ProductionChanges, ProductionRecorded, WellRegistered


def day_of(well: Well, day: date, oil: float = 100.0, **extra: object) -> ProductionRecorded:
    return ProductionRecorded.model_validate(
        {
            "well_id": well.well_id,
            "production_date": day,
            "oil_bbl": oil,
            "gas_mcf": 150.0,
            "water_bbl": 40.0,
            "hours_on": 24.0,
            **extra,
        }
    )


def test_recording_appends_one_event_updates_the_projection_and_the_outbox(
    store: Store, well: Well
) -> None:
    result = save_production(store, day_of(well, TODAY, notes="gauged at 7am"), today=TODAY)
    assert result.outcome == "recorded"
    assert result.event is not None and result.event.body["device_seq"] == 2
    with store.read() as conn:
        row = get_record(conn, result.record_id)
    assert (row["oil_bbl"], row["notes"], row["quality_score"], row["voided"]) == (
        100.0,
        "gauged at 7am",
        100,
        0,
    )
    assert store.status().pending == 2


def test_an_error_saves_nothing(store: Store, well: Well) -> None:
    before = store.status().events
    with pytest.raises(ValidationFailedError, match="downtime_reason"):
        save_production(store, day_of(well, TODAY, hours_on=20.0, downtime_hours=4.0), today=TODAY)
    with pytest.raises(ValidationFailedError, match="future"):
        save_production(store, day_of(well, TODAY + timedelta(days=1)), today=TODAY)
    assert store.status().events == before
    assert store.head.last_seq == before


def test_a_warning_saves_with_its_flag_and_a_lower_quality_score(store: Store, well: Well) -> None:
    for offset in range(10, 0, -1):
        save_production(store, day_of(well, TODAY - timedelta(days=offset)), today=TODAY)
    result = save_production(store, day_of(well, TODAY, oil=900.0), today=TODAY)
    rules = {i.rule for i in result.issues}
    assert {"oil_day_change", "oil_vs_median"} <= rules
    with store.read() as conn:
        row = get_record(conn, result.record_id)
    assert row["quality_score"] < 100
    assert {f["rule"] for f in json.loads(row["flags"])} == rules


def test_recording_an_existing_day_again_becomes_a_correction_of_what_changed(
    store: Store, well: Well
) -> None:
    first = save_production(store, day_of(well, TODAY), today=TODAY)
    same = save_production(store, day_of(well, TODAY), today=TODAY)
    assert same.outcome == "unchanged" and same.event is None
    changed = save_production(store, day_of(well, TODAY, oil=120.0), today=TODAY)
    assert changed.outcome == "corrected"
    assert changed.record_id == first.record_id
    assert changed.event is not None
    assert changed.event.body["payload"]["changes"] == {"oil_bbl": 120.0}


def test_correction_changes_only_given_fields_and_is_validated(store: Store, well: Well) -> None:
    rec = save_production(store, day_of(well, TODAY, notes="a"), today=TODAY)
    result = correct_production(
        store, rec.record_id, ProductionChanges(notes="b"), reason="typo", today=TODAY
    )
    assert result.outcome == "corrected"
    with pytest.raises(ValidationFailedError):
        correct_production(store, rec.record_id, ProductionChanges(oil_bbl=-1.0), today=TODAY)
    with store.read() as conn:
        row = get_record(conn, rec.record_id)
    assert (row["notes"], row["oil_bbl"]) == ("b", 100.0)


def test_void_hides_the_record_and_frees_the_day(store: Store, well: Well) -> None:
    rec = save_production(store, day_of(well, TODAY), today=TODAY)
    void_production(store, rec.record_id, "wrong well")
    assert store.status().production_records == 0
    again = save_production(store, day_of(well, TODAY, oil=90.0), today=TODAY)
    assert again.outcome == "recorded" and again.record_id != rec.record_id
    with pytest.raises(UnknownRecordError):
        void_production(store, rec.record_id, "twice")
    assert verify_store(store).ok


def test_unknown_well_is_refused(store: Store, well: Well) -> None:
    ghost = ProductionRecorded.model_validate(
        {**day_of(well, TODAY).model_dump(), "well_id": "00000000-0000-4000-8000-000000000000"}
    )
    with pytest.raises(UnknownWellError):
        save_production(store, ghost, today=TODAY)


def test_day_records_gives_each_wells_live_record_of_that_day(store: Store, well: Well) -> None:
    other = register_well(store, WellRegistered(api_number="42-501-20131", name="Smith 2H"))[0]
    day = TODAY - timedelta(days=1)
    first = save_production(store, day_of(well, day, oil=90.0), today=TODAY)
    save_production(store, day_of(other, day - timedelta(days=1)), today=TODAY)  # not that day
    voided = save_production(store, day_of(other, day), today=TODAY)
    void_production(store, voided.record_id, "typed on the wrong well")
    with store.read() as conn:
        found = day_records(conn, day)
    assert set(found) == {well.well_id}
    assert found[well.well_id]["record_id"] == first.record_id
    assert found[well.well_id]["oil_bbl"] == 90.0


def _sited_well(store: Store) -> Well:
    details = WellRegistered(
        api_number="42-501-20131", name="Smith 2H", latitude=31.9686, longitude=-102.0779
    )
    return register_well(store, details)[0]


def test_an_entry_outside_the_geofence_is_saved_with_the_flag_and_its_location(
    store: Store,
) -> None:
    well = _sited_well(store)
    far = {"lat": 31.9786, "lon": -102.0779, "accuracy_m": 6.0, "source": "typed"}
    result = save_production(store, day_of(well, TODAY, location=far), today=TODAY)
    assert [i.rule for i in result.issues] == ["outside_geofence"]
    assert "3,648 ft (1,112 m)" in result.issues[0].message
    with store.read() as conn:
        row = get_record(conn, result.record_id)
    assert (row["latitude"], row["longitude"], row["accuracy_m"]) == (31.9786, -102.0779, 6.0)
    assert row["quality_score"] == 85
    assert json.loads(row["flags"])[0]["rule"] == "outside_geofence"
    # a correction of the values is checked against the same location again
    fixed = correct_production(store, result.record_id, ProductionChanges(oil_bbl=101.0))
    assert [i.rule for i in fixed.issues] == ["outside_geofence"]
    assert verify_store(store).ok


def test_an_entry_at_the_well_or_at_a_well_without_coordinates_is_not_flagged(
    store: Store, well: Well
) -> None:
    sited = _sited_well(store)
    at = {"lat": 31.9687, "lon": -102.0779, "source": "gps"}
    assert save_production(store, day_of(sited, TODAY, location=at), today=TODAY).issues == []
    far = {"lat": 10.0, "lon": 10.0, "source": "typed"}
    assert save_production(store, day_of(well, TODAY, location=far), today=TODAY).issues == []
