"""Events the server refused: listed with its reasons, fixed and sent again as new events.

A rejected event stays in the log exactly as it was signed (the chain needs it, and it is the
record of what was typed); its effect left the projections when the answer came. Resubmitting
builds a new event from its payload with the user's fixes, through the same paths (and the same
validation) as typing it again, and marks the rejection as resolved by that event. Production,
equipment, maintenance and incident records can be resubmitted (`FIXABLE_FIELDS`); a refused
`conflict.resolved` is settled by resolving its conflict again (`conflicts.resolve`).

`open_rejections` pages the unresolved ones in device_seq order by a keyset cursor (the seq of
the last one seen: the `rejections_open` index).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.equipment import add_equipment, update_equipment
from fieldapp.core.errors import StoreError, UnknownRecordError
from fieldapp.core.incidents import report_incident
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.production import correct_production, find_day, save_production
from fieldapp.core.record_places import Places, event_values
from fieldapp.core.store import Store
from shared.contracts import (
    EquipmentAdded,
    EquipmentChanges,
    EventType,
    IncidentReported,
    MaintenanceLogged,
    ProductionChanges,
    ProductionRecorded,
)
from shared.records import PRODUCTION_VALUE_FIELDS

_EQUIPMENT_FIELDS = tuple(EquipmentChanges.model_fields)
# the fields a person may change before a refused record is sent again, in form order
FIXABLE_FIELDS: dict[str, tuple[str, ...]] = {
    EventType.PRODUCTION_RECORDED: PRODUCTION_VALUE_FIELDS,
    EventType.PRODUCTION_CORRECTED: PRODUCTION_VALUE_FIELDS,
    EventType.EQUIPMENT_ADDED: _EQUIPMENT_FIELDS,
    EventType.EQUIPMENT_UPDATED: _EQUIPMENT_FIELDS,
    EventType.MAINTENANCE_LOGGED: tuple(
        f for f in MaintenanceLogged.model_fields if f not in ("well_id", "equipment_id")
    ),
    EventType.INCIDENT_REPORTED: tuple(
        f for f in IncidentReported.model_fields if f not in ("well_id", "location")
    ),
}


@dataclass(frozen=True, slots=True)
class Rejection:
    device_seq: int
    event_id: str
    event_type: str
    aggregate_id: str
    payload: dict[str, Any]
    reasons: list[dict[str, str]]
    rejected_at: str
    resolved_by_seq: int | None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    def summary(self) -> str:
        return "; ".join(f"{r.get('field') or r.get('rule')}: {r['message']}" for r in self.reasons)

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(str(r.get("rule") or "") for r in self.reasons)


@dataclass(frozen=True, slots=True)
class OpenRejection:
    """A rejection not yet resolved, with its record's well and day and what can be done."""

    rejection: Rejection
    well_name: str
    day: str
    values: dict[str, Any]  # the rejected values (a correction: its changes)
    fixable: tuple[str, ...]  # the fields the operator may change before sending it again
    can_resubmit: bool
    conflict_id: str = ""  # a refused resolution: the conflict it resolved
    conflict_open: bool = False  # ...and that conflict is open on this device (again)


class RejectionError(StoreError):
    pass


_SELECT = (
    "SELECT j.device_seq, e.event_id, e.event_type, e.aggregate_id, e.body, j.reasons,"
    " j.rejected_at, j.resolved_by_seq FROM rejections j JOIN event_log e"
    " ON e.device_seq = j.device_seq"
)


def list_rejections(
    conn: Connection, *, include_resolved: bool = False, after: int = 0, limit: int | None = None
) -> list[Rejection]:
    """Rejections in device_seq order after seq `after` (at most `limit`); by default only
    those not resolved yet."""
    where = " WHERE j.device_seq > ?" + (
        "" if include_resolved else " AND j.resolved_by_seq IS NULL"
    )
    params: tuple[int, ...] = (after,) if limit is None else (after, limit)
    tail = " ORDER BY j.device_seq" + ("" if limit is None else " LIMIT ?")
    rows = conn.exec_driver_sql(f"{_SELECT}{where}{tail}", params).all()
    return [_rejection(row) for row in rows]


def get_rejection(conn: Connection, device_seq: int) -> Rejection:
    row = conn.exec_driver_sql(f"{_SELECT} WHERE j.device_seq = ?", (device_seq,)).first()
    if row is None:
        raise RejectionError(f"no rejected event with seq {device_seq} ('fieldapp rejected')")
    return _rejection(row)


def _rejection(row: Any) -> Rejection:
    seq, event_id, event_type, aggregate_id, body, reasons, at, resolved = row
    payload = json.loads(body)["payload"]
    return Rejection(
        seq, event_id, event_type, aggregate_id, payload, json.loads(reasons), at, resolved
    )


def open_rejection_count(conn: Connection) -> int:
    sql = "SELECT count(*) FROM rejections WHERE resolved_by_seq IS NULL"
    return int(conn.exec_driver_sql(sql).scalar_one())


def open_rejections(
    conn: Connection, limit: int, *, after: int = 0, places: Places | None = None
) -> list[OpenRejection]:
    """A page of the unresolved rejections after seq `after`, each with its record's well and
    day, the refused values and the fields that may be fixed."""
    places = places or Places(conn)
    shown = []
    for rejection in list_rejections(conn, after=after, limit=limit):
        name, day = places.of_event(rejection.event_type, rejection.aggregate_id, rejection.payload)
        values = event_values(rejection.event_type, rejection.payload)
        conflict_id, conflict_open = "", False
        if rejection.event_type == EventType.CONFLICT_RESOLVED:
            conflict_id = str(rejection.payload.get("conflict_id") or "")
            status = conn.exec_driver_sql(
                "SELECT status FROM conflicts WHERE conflict_id = ?", (conflict_id,)
            ).scalar()
            conflict_open = status == "open"
        shown.append(
            OpenRejection(
                rejection,
                name,
                day,
                values,
                fixable_fields(rejection, values),
                rejection.event_type in FIXABLE_FIELDS,
                conflict_id,
                conflict_open,
            )
        )
    return shown


def fixable_fields(rejection: Rejection, values: dict[str, Any]) -> tuple[str, ...]:
    """The fields of its kind the server's reasons name ("changes.status" names status), in
    form order; every field the event set when the reasons name none of them."""
    fields = FIXABLE_FIELDS.get(rejection.event_type, ())
    named = {str(r.get("field") or "").rsplit(".", 1)[-1] for r in rejection.reasons}
    return tuple(f for f in fields if f in named) or tuple(f for f in fields if f in values)


def resubmit(store: Store, device_seq: int, fixes: dict[str, Any]) -> int:
    """Send a rejected record again with `fixes` applied (through the contract and the rules
    of typing it again); returns the new event's seq (0 when the fixed values are already
    what the record holds)."""
    with store.read() as conn:
        rejected = get_rejection(conn, device_seq)
    if rejected.resolved_by_seq is not None:
        raise RejectionError(
            f"seq {device_seq} was already resubmitted as seq {rejected.resolved_by_seq}"
        )
    send = _SENDERS.get(rejected.event_type)
    if send is None:
        again = (
            "resolve the conflict again"
            if rejected.event_type == EventType.CONFLICT_RESOLVED
            else "record it again instead"
        )
        raise RejectionError(f"{rejected.event_type} cannot be resubmitted here: {again}")
    new_seq = send(store, rejected, fixes)
    with store.write() as txn:
        txn.db.execute(
            "UPDATE rejections SET resolved_by_seq = ? WHERE device_seq = ?",
            (new_seq, device_seq),
        )
    return new_seq


# --- one way of sending each kind again -------------------------------------------------------


def _log_head(store: Store) -> int:
    with store.read() as conn:
        return int(conn.exec_driver_sql("SELECT max(device_seq) FROM event_log").scalar() or 0)


def _appended(store: Store, write: Callable[[], object]) -> int:
    """The seq of the event `write` appended, 0 when it appended none (nothing changed)."""
    before = _log_head(store)
    write()
    after = _log_head(store)
    return after if after > before else 0


def _production_recorded(store: Store, rejected: Rejection, fixes: dict[str, Any]) -> int:
    record = ProductionRecorded.model_validate({**rejected.payload, **fixes})
    result = save_production(store, record)
    return int(result.event.body["device_seq"]) if result.event is not None else 0


def _production_corrected(store: Store, rejected: Rejection, fixes: dict[str, Any]) -> int:
    payload = rejected.payload
    changes = ProductionChanges.model_validate({**payload["changes"], **fixes})
    day = date.fromisoformat(payload["production_date"])
    with store.read() as conn:
        current = find_day(conn, str(payload["well_id"]), day)
    if current is None:
        raise RejectionError("the record this correction was for is not on this device")
    result = correct_production(store, current["record_id"], changes)
    return int(result.event.body["device_seq"]) if result.event is not None else 0


def _equipment_added(store: Store, rejected: Rejection, fixes: dict[str, Any]) -> int:
    details = EquipmentAdded.model_validate({**rejected.payload, **fixes})
    return _appended(store, lambda: add_equipment(store, details))


def _equipment_updated(store: Store, rejected: Rejection, fixes: dict[str, Any]) -> int:
    changes = EquipmentChanges.model_validate({**rejected.payload["changes"], **fixes})
    with store.read() as conn:
        equipment_id = Places(conn).record_id(rejected.aggregate_id)
    try:
        return _appended(store, lambda: update_equipment(store, equipment_id, changes))
    except UnknownRecordError:
        raise RejectionError("the equipment this change was for is not on this device") from None


def _maintenance_logged(store: Store, rejected: Rejection, fixes: dict[str, Any]) -> int:
    entry = MaintenanceLogged.model_validate({**rejected.payload, **fixes})
    return _appended(store, lambda: log_maintenance(store, entry))


def _incident_reported(store: Store, rejected: Rejection, fixes: dict[str, Any]) -> int:
    details = IncidentReported.model_validate({**rejected.payload, **fixes})
    return _appended(store, lambda: report_incident(store, details))


_SENDERS: dict[str, Callable[[Store, Rejection, dict[str, Any]], int]] = {
    EventType.PRODUCTION_RECORDED: _production_recorded,
    EventType.PRODUCTION_CORRECTED: _production_corrected,
    EventType.EQUIPMENT_ADDED: _equipment_added,
    EventType.EQUIPMENT_UPDATED: _equipment_updated,
    EventType.MAINTENANCE_LOGGED: _maintenance_logged,
    EventType.INCIDENT_REPORTED: _incident_reported,
}
