from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from pydantic import ValidationError

from shared.contracts import (
    PAYLOAD_MODELS,
    EventType,
    ProductionChanges,
    ProductionCorrected,
    ProductionRecorded,
    dump_payload,
    parse_payload,
)


def test_every_v1_event_type_has_a_payload_model() -> None:
    assert set(PAYLOAD_MODELS) == set(EventType)
    assert len(EventType) == 13


def test_unknown_fields_and_wrong_types_are_refused() -> None:
    good = {
        "well_id": str(uuid4()),
        "production_date": "2026-11-01",
        "oil_bbl": 1,
        "gas_mcf": 2,
        "water_bbl": 3,
    }
    parse_payload("production.recorded", good)
    with pytest.raises(ValidationError, match="extra"):
        parse_payload("production.recorded", {**good, "color": "red"})
    with pytest.raises(ValidationError, match="oil_bbl"):
        parse_payload("production.recorded", {**good, "oil_bbl": "a lot"})


def test_production_date_is_a_gauge_day_not_a_timestamp() -> None:
    with pytest.raises(ValidationError, match="gauge day"):
        ProductionRecorded(
            well_id=uuid4(),
            production_date="2026-11-01T06:00:00Z",  # type: ignore[arg-type]
            oil_bbl=1,
            gas_mcf=1,
            water_bbl=1,
        )


def test_partial_changes_keep_only_the_fields_given_including_explicit_nulls() -> None:
    payload = ProductionCorrected(
        well_id=uuid4(),
        production_date=date(2026, 11, 1),
        changes=ProductionChanges(oil_bbl=5, tubing_psi=None),
    )
    dumped = dump_payload(payload)
    assert dumped["changes"] == {"oil_bbl": 5.0, "tubing_psi": None}
    assert parse_payload("production.corrected", dumped) == payload
