"""The thresholds a device validates with: adopted from its organization, kept in the
encrypted store, used by the next save (real SQLCipher store)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from fieldkit import PASSPHRASE, create_store, fail_keystore

from fieldapp.core import org_thresholds
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.wells import register_well
from shared.contracts import ProductionRecorded, WellRegistered
from shared.thresholds import DEFAULT_THRESHOLDS, Thresholds


def test_a_local_store_uses_the_defaults_with_its_time_zone(tmp_path: Path) -> None:
    with create_store(tmp_path / "s") as store:
        found = org_thresholds.in_force(store)
    assert found.source == "device" and found.etag is None and found.synced_at is None
    assert found.thresholds.max_oil_bbl == DEFAULT_THRESHOLDS.max_oil_bbl
    assert found.as_dict()["values"]["timezone"] == found.thresholds.timezone


def test_adopted_thresholds_are_kept_and_used_by_the_next_save(tmp_path: Path) -> None:
    data = tmp_path / "s"
    with create_store(data) as store:
        well, _ = register_well(store, WellRegistered(api_number="42-501-20130", name="W1"))
        got = org_thresholds.adopt(
            store, {"max_oil_bbl": 500, "timezone": "UTC", "from_later": 1}, '"e1"'
        )
        assert got == Thresholds(max_oil_bbl=500.0, timezone="UTC") == store.thresholds
        day = date.today() - timedelta(days=1)
        record = ProductionRecorded(
            well_id=well.well_id, production_date=day, oil_bbl=600.0, gas_mcf=1.0, water_bbl=1.0
        )
        result = save_production(store, record)
        assert [i.rule for i in result.issues] == ["oil_max"]
        assert "usual maximum of 500 bbl" in result.issues[0].message
    with Store.open(data, fail_keystore(), lambda: PASSPHRASE) as reopened:
        found = org_thresholds.in_force(reopened)
        assert found.thresholds == Thresholds(max_oil_bbl=500.0, timezone="UTC")
        assert (found.source, found.etag) == ("organization", '"e1"')
        first = found.synced_at
        assert first is not None and org_thresholds.known_etag(reopened) == '"e1"'
        org_thresholds.mark_current(reopened)
        assert org_thresholds.in_force(reopened).synced_at is not None
