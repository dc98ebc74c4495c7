"""Events the server refused: listed with its reasons, fixed and sent again as new events.

A rejected event stays in the log exactly as it was signed (the chain needs it, and it is the
record of what was typed); its effect left the projections when the answer came. Resubmitting
builds a new event from its payload with the user's fixes, through the same paths (and the same
validation) as typing it again, and marks the rejection as resolved by that event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.errors import StoreError
from fieldapp.core.production import correct_production, find_day, save_production
from fieldapp.core.store import Store
from shared.contracts import EventType, ProductionChanges, ProductionRecorded


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


class RejectionError(StoreError):
    pass


_SELECT = (
    "SELECT j.device_seq, e.event_id, e.event_type, e.aggregate_id, e.body, j.reasons,"
    " j.rejected_at, j.resolved_by_seq FROM rejections j JOIN event_log e"
    " ON e.device_seq = j.device_seq"
)


def list_rejections(conn: Connection, *, include_resolved: bool = False) -> list[Rejection]:
    where = "" if include_resolved else " WHERE j.resolved_by_seq IS NULL"
    rows = conn.exec_driver_sql(f"{_SELECT}{where} ORDER BY j.device_seq").all()
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


def resubmit(store: Store, device_seq: int, fixes: dict[str, Any]) -> int:
    """Send a rejected production event again with `fixes` applied; returns the new event's
    seq (0 when the fixed values are already what the record holds)."""
    with store.read() as conn:
        rejected = get_rejection(conn, device_seq)
    if rejected.resolved_by_seq is not None:
        raise RejectionError(
            f"seq {device_seq} was already resubmitted as seq {rejected.resolved_by_seq}"
        )
    payload = dict(rejected.payload)
    if rejected.event_type == EventType.PRODUCTION_RECORDED:
        record = ProductionRecorded.model_validate({**payload, **fixes})
        result = save_production(store, record)
    elif rejected.event_type == EventType.PRODUCTION_CORRECTED:
        changes = ProductionChanges.model_validate({**payload["changes"], **fixes})
        day = date.fromisoformat(payload["production_date"])
        with store.read() as conn:
            current = find_day(conn, str(payload["well_id"]), day)
        if current is None:
            raise RejectionError("the record this correction was for is not on this device")
        result = correct_production(store, current["record_id"], changes)
    else:
        raise RejectionError(
            f"{rejected.event_type} cannot be resubmitted here: record it again instead"
        )
    new_seq = result.event.body["device_seq"] if result.event is not None else 0
    with store.write() as txn:
        txn.db.execute(
            "UPDATE rejections SET resolved_by_seq = ? WHERE device_seq = ?",
            (new_seq, device_seq),
        )
    return int(new_seq)
