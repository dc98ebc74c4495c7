"""The validation context: checks a typed day away from the store exactly as the save does."""

from __future__ import annotations

from datetime import timedelta

from productionkit import record, today

from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.validation_context import validation_context
from fieldapp.core.wells import Well, register_well
from shared.contracts import Location, WellRegistered
from shared.validation import ProductionInput


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


def test_a_record_of_another_day_is_checked_without_this_day_s_history(
    store: Store, well: Well
) -> None:
    day = today(store)
    for n in range(1, 8):
        save_production(store, record(well, day - timedelta(days=n), oil=100.0 + n))
    ctx = validation_context(store, well.well_id, day)
    jump = {i.rule for i in ctx.check(record(well, day, oil=400.0))}
    assert "oil_day_change" in jump  # this well-day: against its history
    other = {i.rule for i in ctx.check(record(well, day - timedelta(days=30), oil=400.0))}
    assert "oil_day_change" not in other  # another day: only today and the thresholds
    future = ctx.check(record(well, day + timedelta(days=1)))
    assert "future_date" in {i.rule for i in future}


def test_the_context_checks_the_geofence_of_its_well(store: Store) -> None:
    well = register_well(
        store,
        WellRegistered(api_number="42-501-20131", name="Sited 1", latitude=32.0, longitude=-102.0),
    )[0]
    day = today(store)
    ctx = validation_context(store, well.well_id, day)
    assert ctx.well_location == (32.0, -102.0)
    far = ProductionInput(day, 1.0, 1.0, 1.0, hours_on=24.0, location=(32.01, -102.0))
    assert [i.rule for i in ctx.validate(far)] == ["outside_geofence"]
    near = ProductionInput(day, 1.0, 1.0, 1.0, hours_on=24.0, location=(32.0001, -102.0))
    assert ctx.validate(near) == []
    there = Location(lat=32.01, lon=-102.0, source="typed")
    other_day = record(well, day - timedelta(days=3)).model_copy(update={"location": there})
    assert [i.rule for i in ctx.check(other_day)] == ["outside_geofence"]
