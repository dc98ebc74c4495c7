"""Where a record or an event is on this device, and what an event sets, on a real store."""

from __future__ import annotations

from uuid import uuid4

from corekit import TODAY

from fieldapp.core.production import save_production
from fieldapp.core.record_places import Places, event_values
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ProductionRecorded


def test_a_record_is_placed_by_its_well_and_day_and_an_alias_by_its_record(
    store: Store, well: Well
) -> None:
    entry = ProductionRecorded(
        well_id=well.well_id, production_date=TODAY, oil_bbl=1, gas_mcf=2, water_bbl=3
    )
    record_id = save_production(store, entry, today=TODAY).record_id
    alias = str(uuid4())
    with store.write() as txn:  # the server knows the record by another id
        txn.db.execute(
            "INSERT INTO aliases (alias_id, record_id) VALUES (?, ?)", (alias, record_id)
        )
    with store.read() as conn:
        places = Places(conn)
        assert places.of_record(record_id) == ("Smith 1H", TODAY.isoformat())
        assert places.of_record(alias) == places.of_record(record_id)
        assert places.record_id(alias) == record_id
        assert places.of_record(str(uuid4())) == ("", "")
        assert places.of_event("well.updated", str(well.well_id), {}) == ("Smith 1H", "")
        correction = {"well_id": str(well.well_id), "production_date": "2026-11-01"}
        assert places.of_event("production.corrected", alias, correction) == (
            "Smith 1H",
            "2026-11-01",
        )


def test_an_event_sets_its_changes_its_chosen_values_or_its_payload_values() -> None:
    assert event_values("production.corrected", {"changes": {"oil_bbl": 2}}) == {"oil_bbl": 2}
    resolved = {"conflict_id": "c", "keep": "mine", "values": {"oil_bbl": 3}}
    assert event_values("conflict.resolved", resolved) == {"oil_bbl": 3}
    recorded = {"well_id": "w", "production_date": "d", "oil_bbl": 4, "entry_method": "MANUAL"}
    assert event_values("production.recorded", recorded) == {"oil_bbl": 4}
