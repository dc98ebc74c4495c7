from __future__ import annotations

from datetime import date

from shared.contracts import ProductionChanges
from shared.records import PRODUCTION_VALUE_FIELDS, production_input


def test_the_value_fields_are_exactly_what_a_correction_may_change() -> None:
    assert set(PRODUCTION_VALUE_FIELDS) == set(ProductionChanges.model_fields)


def test_production_input_takes_json_values_and_leaves_unreported_hours_empty() -> None:
    day = date(2026, 11, 1)
    rec = production_input(day, {"oil_bbl": 1, "gas_mcf": "2.5", "water_bbl": 0})
    assert (rec.production_date, rec.oil_bbl, rec.gas_mcf, rec.hours_on) == (day, 1.0, 2.5, None)


def test_production_input_reads_the_entry_location_from_a_payload_or_a_row() -> None:
    day = date(2026, 11, 1)
    values = {"oil_bbl": 1, "gas_mcf": 2, "water_bbl": 0}
    payload = {**values, "location": {"lat": 31.5, "lon": -102.25, "source": "typed"}}
    assert production_input(day, payload, well=(31.4, -102.2)).location == (31.5, -102.25)
    assert production_input(day, payload).well_location is None
    row = {**values, "latitude": 31.5, "longitude": -102.25, "accuracy_m": None}
    assert production_input(day, row, well=(31.4, -102.2)).well_location == (31.4, -102.2)
    assert production_input(day, row).location == (31.5, -102.25)
    given = production_input(day, values, location={"lat": 1.0, "lon": 2.0})
    assert given.location == (1.0, 2.0)
    assert production_input(day, {**values, "location": None}).location is None
