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
