"""Photo targets: `kind:id` parsed, and resolved against the store before any file is read."""

from __future__ import annotations

import pytest
from corekit import TODAY, record

from fieldapp.core.errors import UnknownRecordError, UnknownWellError
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.photo_targets import PhotoTarget, ResolvedTarget, resolve_target
from fieldapp.core.production import void_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import MaintenanceLogged
from shared.events import new_id


def test_targets_parse_with_any_case_and_spaces() -> None:
    assert PhotoTarget.parse(" Maintenance: abc ") == PhotoTarget("maintenance", "abc")
    assert str(PhotoTarget.parse("well:42-501-20130")) == "well:42-501-20130"


@pytest.mark.parametrize("text", ["maintenance", "tank:1", "well:", ":abc", ""])
def test_a_malformed_target_names_the_forms_it_takes(text: str) -> None:
    with pytest.raises(UnknownRecordError, match="maintenance:ID, incident:ID"):
        PhotoTarget.parse(text)


def test_a_well_resolves_by_api_number_in_any_format_or_by_id(store: Store, well: Well) -> None:
    with store.read() as conn:
        by_api = resolve_target(conn, PhotoTarget.parse("well:4250120130"))
        by_id = resolve_target(conn, PhotoTarget("well", well.well_id))
        with pytest.raises(UnknownWellError):
            resolve_target(conn, PhotoTarget.parse("well:42-501-99999"))
        with pytest.raises(UnknownWellError):
            resolve_target(conn, PhotoTarget("well", str(new_id())))
    assert by_api == by_id == ResolvedTarget("well", well.well_id)


def test_records_resolve_by_id_and_an_unknown_or_voided_one_is_refused(
    store: Store, well: Well
) -> None:
    entry = log_maintenance(
        store,
        MaintenanceLogged(well_id=well.well_id, performed_on=TODAY, maintenance_type="Pump"),
        today=TODAY,
    )
    day = record(store, well, 1, 10.0)
    gone = record(store, well, 2, 12.0)
    void_production(store, gone, "typo")
    with store.read() as conn:
        found = resolve_target(conn, PhotoTarget("maintenance", entry.maintenance_id))
        assert found == ResolvedTarget("maintenance", entry.maintenance_id)
        assert resolve_target(conn, PhotoTarget("production", day)).target_id == day
        for kind, ref in (("production", gone), ("incident", entry.maintenance_id)):
            with pytest.raises(UnknownRecordError, match=f"unknown {kind}"):
                resolve_target(conn, PhotoTarget(kind, ref))
        assert str(found) == f"maintenance:{entry.maintenance_id}"
