"""A well's days: the record before a day, one well-day, 7 days, and saving days one by one."""

from __future__ import annotations

from datetime import date, timedelta

from productionkit import record, today

from fieldapp.core.production import find_day, save_production, void_production
from fieldapp.core.production_days import (
    DayValues,
    previous_record,
    production_week,
    save_days,
    week_days,
    well_day,
)
from fieldapp.core.store import Store
from fieldapp.core.wells import Well


def test_the_previous_record_is_the_latest_live_one_before_the_day(
    store: Store, well: Well
) -> None:
    day = today(store)
    with store.read() as conn:
        assert previous_record(conn, well.well_id, day) is None
    save_production(store, record(well, day - timedelta(days=3), oil=80.0, tubing_psi=410.0))
    save_production(store, record(well, day - timedelta(days=5), oil=70.0))
    with store.read() as conn:
        found = previous_record(conn, well.well_id, day)
    assert found is not None
    assert (found["oil_bbl"], found["tubing_psi"]) == (80.0, 410.0)


def test_a_well_day_holds_its_record_versions_and_context(store: Store, well: Well) -> None:
    day = today(store)
    empty = well_day(store, well.well_id, day)
    assert (empty.well, empty.day, empty.record, empty.versions) == (well, day, None, [])
    assert empty.context.well_id == well.well_id and empty.context.day == day
    first = save_production(store, record(well, day))
    save_production(store, record(well, day, oil=120.0))
    found = well_day(store, well.well_id, day)
    assert found.record is not None and found.record["record_id"] == first.record_id
    assert found.record["oil_bbl"] == 120.0
    assert [v.kind for v in found.versions] == ["recorded", "corrected"]
    assert len(found.context.history) == 1  # the day itself (the rules look before it)
    void_production(store, first.record_id, "wrong well")
    assert well_day(store, well.well_id, day).record is None  # a voided day is not live


def test_the_week_is_the_seven_days_ending_on_a_day() -> None:
    end = date(2026, 3, 1)
    days = week_days(end)
    assert len(days) == 7 and days[-1] == end
    assert days == sorted(days) and days[0] == date(2026, 2, 23)  # across the month end


def test_the_week_saves_each_day_alone_and_keeps_other_values(store: Store, well: Well) -> None:
    end = today(store)
    save_production(store, record(well, end - timedelta(days=1), notes="keep me", casing_psi=90.0))
    week = production_week(store, well.well_id, end + timedelta(days=3))  # never past today
    assert week.end_day == end
    assert week.days[0] == end - timedelta(days=6) and week.days[-1] == end
    assert set(week.records) == {end - timedelta(days=1)}
    rows = [
        DayValues(end - timedelta(days=2), {"oil_bbl": 100.0, "gas_mcf": 150.0, "water_bbl": 40.0}),
        DayValues(end - timedelta(days=1), {"oil_bbl": 105.0, "gas_mcf": 150.0, "water_bbl": 40.0}),
        DayValues(end, {"oil_bbl": -5.0, "gas_mcf": 1.0, "water_bbl": 1.0}),
    ]
    outcomes = save_days(store, well.well_id, rows)
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
