"""Equipment, maintenance, incidents, photos and wells pushed by devices.

Each is a record with a version: `*.added`/`*.logged`/`*.reported`/`photo.attached` create one
(its id must be new and what it points at must exist), `equipment.updated` changes one with the
same merge and conflict rules as production, and a change to an unknown or deleted record is
rejected. Wells are reference data managed by the office: only a supervisor or an admin may
register or update one from a device.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.api_number import ApiNumberError, api_number_issues, normalize_api_number
from shared.contracts import (
    EquipmentAdded,
    EquipmentUpdated,
    IncidentReported,
    MaintenanceLogged,
    PhotoAttached,
    WellRegistered,
    WellUpdated,
)
from sync_server.services.batch import Batch, Outcome
from sync_server.services.batch_state import Checked, Record
from sync_server.services.checks import Rejected, checked_changes, reason

OFFICE_ROLES = ("supervisor", "admin")


def _new(
    batch: Batch, item: Checked, kind: str, well_id: UUID | None, *, well_known: bool = False
) -> Outcome:
    """A new record of `kind` (`well_known`: its well comes from a live record, not a payload)."""
    aggregate_id = item.envelope.aggregate_id
    batch.require_new(aggregate_id)
    if not well_known:
        batch.require_well(well_id)
    values = item.payload.model_dump(mode="json")
    return batch.create(Record(aggregate_id, kind, well_id, None, values, 1))


def equipment_added(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, EquipmentAdded)
    return _new(batch, item, "equipment", p.well_id)


def equipment_updated(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, EquipmentUpdated)
    record = batch.live(item.envelope.aggregate_id, "equipment")
    changes = checked_changes("equipment", item.raw["payload"]["changes"], "changes")
    return batch.change(record, item.envelope.base_version, changes)


def maintenance_logged(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, MaintenanceLogged)
    if p.equipment_id is not None:
        equipment = batch.live(p.equipment_id, "equipment")
        if equipment.well_id != p.well_id:
            raise Rejected(reason("record_mismatch", "the equipment is not on this well"))
    return _new(batch, item, "maintenance", p.well_id)


def incident_reported(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, IncidentReported)
    return _new(batch, item, "incident", p.well_id)


def photo_attached(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, PhotoAttached)
    if p.target_type == "well":
        return _new(batch, item, "photo", p.target_id)
    well_id = batch.live(p.target_id, p.target_type).well_id
    return _new(batch, item, "photo", well_id, well_known=True)


def _office_only(batch: Batch) -> None:
    if batch.ctx.role not in OFFICE_ROLES:
        raise Rejected(
            reason("role", "wells are managed by the office: a supervisor or admin registers them")
        )


def well_registered(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, WellRegistered)
    _office_only(batch)
    try:
        api = normalize_api_number(p.api_number)
    except ApiNumberError as exc:
        raise Rejected(reason("api_number", str(exc), "api_number")) from None
    errors = [i for i in api_number_issues(api) if i.severity == "error"]
    if errors:
        raise Rejected(*(reason(i.rule, i.message, "api_number") for i in errors))
    well_id = item.envelope.aggregate_id
    if api in batch.state.api_numbers or well_id in batch.state.wells:
        raise Rejected(reason("well_exists", f"a well with API number {api} already exists"))
    well: dict[str, Any] = {**p.model_dump(mode="json"), "api_number": api, "id": well_id}
    return _write_well(batch, well, 1)


def well_updated(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, WellUpdated)
    _office_only(batch)
    current = batch.state.wells.get(item.envelope.aggregate_id)
    if current is None:
        raise Rejected(reason("unknown_well", f"unknown well {item.envelope.aggregate_id}"))
    changes = p.changes.model_dump(mode="json", exclude_unset=True)
    return _write_well(batch, {**current, **changes}, int(current["version"]) + 1)


def _write_well(batch: Batch, well: dict[str, Any], version: int) -> Outcome:
    seq = batch.take_seq()  # the event's; the well row takes the next, as it is pulled apart
    well.update(version=version, server_seq=batch.take_seq())
    batch.state.wells[well["id"]] = well
    batch.state.api_numbers.add(well["api_number"])
    batch.writes.wells.append(well)
    return Outcome("accepted", version, seq)
