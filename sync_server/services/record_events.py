"""Equipment, maintenance, incidents, photos and wells pushed by devices.

Each is a record with a version: `*.added`/`*.logged`/`*.reported`/`photo.attached` create one
(its id must be new and what it points at must exist), `equipment.updated`, `photo.updated` and
`photo.removed` change one with the same merge and conflict rules as production, and a change
to an unknown or deleted record is rejected. Wells are reference data managed by the office:
only a supervisor or an admin may register or update one from a device.

Each handler reads the request's context and the batch's state and returns the event's
`Effect`; `apply.stage` writes it.
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
    PhotoRemoved,
    PhotoUpdated,
    WellRegistered,
    WellUpdated,
)
from shared.geo import geofence
from sync_server.services.batch_state import BatchState, Record
from sync_server.services.checks import Rejected, checked_changes, reason
from sync_server.services.effects import (
    Context,
    Effect,
    change,
    live,
    require_new,
    require_well,
)
from sync_server.services.screening import Checked

OFFICE_ROLES = ("supervisor", "admin")
GEOFENCED = ("maintenance", "incident")  # their state keeps the geofence verdict (docs/gps.md)


def _new(
    state: BatchState,
    item: Checked,
    kind: str,
    well_id: UUID | None,
    *,
    well_known: bool = False,
) -> Effect:
    """A new record of `kind` (`well_known`: its well comes from a live record, not a payload)."""
    aggregate_id = item.envelope.aggregate_id
    require_new(state, aggregate_id)
    if not well_known:
        require_well(state, well_id)
    values = item.payload.model_dump(mode="json")
    where = state.wells.get(well_id) if well_id is not None else None
    if kind in GEOFENCED and where is not None and values.get("location"):
        verdict = geofence(values["location"], where.get("latitude"), where.get("longitude"))
        if verdict is not None:
            values["geofence"] = verdict.as_json()
    record = Record(id=aggregate_id, kind=kind, well_id=well_id, day=None, values=values, version=1)
    return Effect(record, created=True)


def equipment_added(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, EquipmentAdded)
    return _new(state, item, "equipment", p.well_id)


def equipment_updated(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, EquipmentUpdated)
    record = live(state, item.envelope.aggregate_id, "equipment")
    changes = checked_changes("equipment", item.raw["payload"]["changes"], "changes")
    return change(ctx, record, item.envelope.base_version, changes)


def maintenance_logged(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, MaintenanceLogged)
    if p.equipment_id is not None:
        equipment = live(state, p.equipment_id, "equipment")
        if equipment.well_id != p.well_id:
            raise Rejected(reason("record_mismatch", "the equipment is not on this well"))
    return _new(state, item, "maintenance", p.well_id)


def incident_reported(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, IncidentReported)
    return _new(state, item, "incident", p.well_id)


def photo_attached(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, PhotoAttached)
    if p.target_type == "well":
        return _new(state, item, "photo", p.target_id)
    well_id = live(state, p.target_id, p.target_type).well_id
    return _new(state, item, "photo", well_id, well_known=True)


def photo_updated(ctx: Context, state: BatchState, item: Checked) -> Effect:
    """A new caption: the same merge and conflict rules as an equipment change."""
    assert isinstance(item.payload, PhotoUpdated)
    record = live(state, item.envelope.aggregate_id, "photo")
    changes = checked_changes("photo", item.raw["payload"]["changes"], "changes")
    return change(ctx, record, item.envelope.base_version, changes)


def photo_removed(ctx: Context, state: BatchState, item: Checked) -> Effect:
    """The photo leaves its record: a change (`removed`, and why) that other devices pull;
    its bytes stay stored for the audit trail but are no longer served (docs/photos-server.md)."""
    p = item.payload
    assert isinstance(p, PhotoRemoved)
    record = live(state, item.envelope.aggregate_id, "photo")
    changes = {"removed": True, "removed_reason": p.reason}
    return change(ctx, record, item.envelope.base_version, changes)


def _office_only(ctx: Context) -> None:
    if ctx.role not in OFFICE_ROLES:
        raise Rejected(
            reason("role", "wells are managed by the office: a supervisor or admin registers them")
        )


def well_registered(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, WellRegistered)
    _office_only(ctx)
    try:
        api = normalize_api_number(p.api_number)
    except ApiNumberError as exc:
        raise Rejected(reason("api_number", str(exc), "api_number")) from None
    errors = [i for i in api_number_issues(api) if i.severity == "error"]
    if errors:
        raise Rejected(*(reason(i.rule, i.message, "api_number") for i in errors))
    well_id = item.envelope.aggregate_id
    if api in state.api_numbers or well_id in state.wells:
        raise Rejected(reason("well_exists", f"a well with API number {api} already exists"))
    well: dict[str, Any] = {**p.model_dump(mode="json"), "api_number": api, "id": well_id}
    return Effect(well={**well, "version": 1})


def well_updated(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, WellUpdated)
    _office_only(ctx)
    current = state.wells.get(item.envelope.aggregate_id)
    if current is None:
        raise Rejected(reason("unknown_well", f"unknown well {item.envelope.aggregate_id}"))
    changes = p.changes.model_dump(mode="json", exclude_unset=True)
    return Effect(well={**current, **changes, "version": int(current["version"]) + 1})
