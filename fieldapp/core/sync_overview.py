"""What the Sync screen shows, read in one snapshot: pending work, last results, open problems.

- `pending_items`: the events in the outbox, oldest first, each with its well and day;
- `record_outcomes`: the server's last answer for each record (the newest answered event of
  that record): accepted, merged (accepted on top of changes this device had not seen),
  duplicate (the server already had it), conflict, or rejected with the server's reasons;
- `overview`: all of it plus the open conflicts and rejections, for one worker call.

Qt-free: the UI formats these plain values (units, wording) itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.conflicts import Conflict, list_conflicts
from fieldapp.core.rejections import Rejection, list_rejections
from fieldapp.core.store import Store
from shared.contracts import EventType
from shared.records import PRODUCTION_VALUE_FIELDS

PENDING_LIMIT = 500
OUTCOME_LIMIT = 200
# the tables whose rows name their well, by key column: a record's well when its event does not
_WELL_TABLES = (
    ("production", "record_id", "production_date"),
    ("equipment", "equipment_id", "installed_on"),
    ("maintenance", "maintenance_id", "performed_on"),
    ("incidents", "incident_id", "occurred_at"),
)
_DAY_KEYS = ("production_date", "performed_on", "occurred_at", "installed_on")
_NOT_VALUES = {"well_id", "production_date", "entry_method", "location", "equipment_id"}
_RECORD_VALUES = {
    "production": (*PRODUCTION_VALUE_FIELDS,),
    "equipment": (
        "equipment_type",
        "manufacturer",
        "model",
        "serial_number",
        "installed_on",
        "status",
        "notes",
    ),
}


@dataclass(frozen=True, slots=True)
class PendingItem:
    device_seq: int
    event_type: str
    aggregate_id: str
    well_name: str  # "" when the event names no well this device knows
    day: str  # the record's day (gauge day, date performed...), "" when it has none
    values: dict[str, Any]  # what the event sets (a correction: only its changes)
    created_at: str  # when it was recorded on this device (UTC, RFC 3339)


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    device_seq: int  # the answered event
    event_type: str
    record_id: str
    well_name: str
    day: str
    status: str  # accepted, merged, duplicate, conflict, rejected
    answered_at: str
    reasons: list[dict[str, str]] = field(default_factory=list)  # rejected: the server's why
    detail: str = ""  # conflict: open/resolved; rejected: resubmitted


@dataclass(frozen=True, slots=True)
class OpenConflict:
    conflict: Conflict
    well_name: str
    day: str
    record: dict[str, Any]  # the record's value fields as they stand on this device now


@dataclass(frozen=True, slots=True)
class OpenRejection:
    rejection: Rejection
    well_name: str
    day: str
    values: dict[str, Any]  # the rejected values (a correction: its changes)
    fixable: tuple[str, ...]  # the fields the operator may change before sending it again
    can_resubmit: bool


@dataclass(frozen=True, slots=True)
class SyncOverview:
    server_mode: bool
    pending: list[PendingItem]
    pending_total: int
    outcomes: list[RecordOutcome]
    conflicts: list[OpenConflict]
    rejections: list[OpenRejection]
    last_sync: str | None
    cursor: int


class _Wells:
    """Well names by id, and the well of a record id, looked up once per snapshot."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.names = {
            str(w): str(n) for w, n in conn.exec_driver_sql("SELECT well_id, name FROM wells")
        }
        self.aliases = {
            str(a): str(r)
            for a, r in conn.exec_driver_sql("SELECT alias_id, record_id FROM aliases")
        }
        self._records: dict[str, tuple[str, str]] = {}

    def record(self, record_id: str) -> tuple[str, str]:
        """(well name, day) of a record on this device, ("", "") when it is not here."""
        record_id = self.aliases.get(record_id, record_id)
        if record_id in self.names:
            return self.names[record_id], ""
        if record_id not in self._records:
            found = ("", "")
            for table, key, day in _WELL_TABLES:
                row = self.conn.exec_driver_sql(
                    f"SELECT well_id, {day} FROM {table} WHERE {key} = ?", (record_id,)
                ).first()
                if row is not None:
                    found = (self.names.get(str(row[0]), ""), str(row[1] or ""))
                    break
            self._records[record_id] = found
        return self._records[record_id]

    def of_event(
        self, event_type: str, aggregate_id: str, payload: dict[str, Any]
    ) -> tuple[str, str]:
        """(well name, day) an event is about."""
        day = next((str(payload[k]) for k in _DAY_KEYS if payload.get(k)), "")
        if event_type.startswith("well."):
            return self.names.get(aggregate_id) or str(payload.get("name") or ""), ""
        well_id = payload.get("well_id")
        if well_id is not None and str(well_id) in self.names:
            return self.names[str(well_id)], day
        name, record_day = self.record(aggregate_id)
        return name, day or record_day


def event_values(event_type: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The values an event sets: a change's `changes`, a resolution's `values`, else the
    payload without the keys that only say which record it is."""
    if isinstance(payload.get("changes"), dict):
        return dict(payload["changes"])
    if event_type == EventType.CONFLICT_RESOLVED:
        return dict(payload.get("values") or {})
    return {k: v for k, v in payload.items() if k not in _NOT_VALUES}


def pending_count(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one())


def pending_items(
    conn: Connection, limit: int = PENDING_LIMIT, *, wells: _Wells | None = None
) -> list[PendingItem]:
    """What waits to be sent, oldest first (at most `limit` items)."""
    wells = wells or _Wells(conn)
    rows = conn.exec_driver_sql(
        "SELECT e.device_seq, e.event_type, e.aggregate_id, e.body FROM"
        " (SELECT device_seq FROM outbox ORDER BY device_seq LIMIT ?) o"
        " JOIN event_log e ON e.device_seq = o.device_seq ORDER BY o.device_seq",
        (limit,),
    ).all()
    items = []
    for seq, event_type, aggregate_id, body in rows:
        data = json.loads(body)
        payload = dict(data.get("payload") or {})
        name, day = wells.of_event(event_type, aggregate_id, payload)
        items.append(
            PendingItem(
                int(seq),
                event_type,
                aggregate_id,
                name,
                day,
                event_values(event_type, payload),
                str(data.get("recorded_at", "")),
            )
        )
    return items


# the answers, newest event first, a page at a time: the newest few hundred records are found
# without reading every receipt (a store holds one per event it ever sent)
_RECEIPTS = (
    "SELECT device_seq, status, version, received_at, NULL, NULL FROM receipts"
    " WHERE device_seq < ? ORDER BY device_seq DESC LIMIT ?"
)
_REJECTIONS = (
    "SELECT device_seq, 'rejected', NULL, rejected_at, reasons, resolved_by_seq FROM rejections"
    " WHERE device_seq < ? ORDER BY device_seq DESC LIMIT ?"
)
_PAGE = 500


def _in(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _answered_events(conn: Connection, seqs: Sequence[int]) -> dict[int, tuple[str, str, str, str]]:
    """device_seq -> (event type, event id, aggregate id, body) of these events."""
    rows = conn.exec_driver_sql(
        "SELECT device_seq, event_type, event_id, aggregate_id, body FROM event_log"
        f" WHERE device_seq IN ({_in(seqs)})",
        tuple(seqs),
    ).all()
    return {int(r[0]): (str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows}


def record_outcomes(
    conn: Connection,
    limit: int = OUTCOME_LIMIT,
    *,
    page_size: int = _PAGE,
    wells: _Wells | None = None,
) -> list[RecordOutcome]:
    """The server's last answer for each record (that of its newest answered event), newest
    first, for at most `limit` records; answers are read `page_size` at a time."""
    wells = wells or _Wells(conn)
    latest: list[tuple[int, str, str, str, tuple[Any, ...]]] = []
    seen: set[str] = set()
    before = 1 << 62
    while len(latest) < limit:
        rows = [
            tuple(r)
            for sql in (_RECEIPTS, _REJECTIONS)
            for r in conn.exec_driver_sql(sql, (before, page_size)).all()
        ]
        page = sorted(rows, key=lambda r: -int(r[0]))[:page_size]
        if not page:
            break
        before = int(page[-1][0])
        events = _answered_events(conn, [int(r[0]) for r in page])
        for row in page:
            event_type, event_id, aggregate_id, body = events[int(row[0])]
            record = wells.aliases.get(aggregate_id, aggregate_id)
            if record not in seen and len(latest) < limit:
                seen.add(record)
                latest.append((int(row[0]), event_type, event_id, body, row))
    conflict_ids = [event_id for _, _, event_id, _, answer in latest if answer[1] == "conflict"]
    conflicts: dict[str, str] = (
        dict(
            conn.exec_driver_sql(
                f"SELECT event_id, status FROM conflicts WHERE event_id IN ({_in(conflict_ids)})",
                tuple(conflict_ids),
            ).all()
        )
        if conflict_ids
        else {}
    )
    outcomes = []
    for seq, event_type, event_id, body, answer in latest:
        _, status, version, at, reasons, resolved_by = answer
        data = json.loads(body)
        payload = dict(data.get("payload") or {})
        record_id = wells.aliases.get(str(data["aggregate_id"]), str(data["aggregate_id"]))
        name, day = wells.of_event(event_type, record_id, payload)
        detail = ""
        if status == "accepted" and version is not None:
            if int(version) > int(data.get("base_version") or 0) + 1:
                status = "merged"  # applied on top of versions this event was not based on
        elif status == "conflict":
            detail = "resolved" if conflicts.get(event_id) == "resolved" else "open"
        elif status == "rejected" and resolved_by is not None:
            detail = "resubmitted"
        outcomes.append(
            RecordOutcome(
                seq,
                event_type,
                record_id,
                name,
                day,
                status,
                str(at),
                json.loads(reasons) if reasons else [],
                detail,
            )
        )
    return outcomes


def _record_values(conn: Connection, conflict: Conflict) -> dict[str, Any]:
    names = _RECORD_VALUES.get(conflict.aggregate_type)
    table = {
        "production": ("production", "record_id"),
        "equipment": ("equipment", "equipment_id"),
    }.get(conflict.aggregate_type)
    if names is None or table is None:
        return dict(conflict.current)
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(names)} FROM {table[0]} WHERE {table[1]} = ?",
        (conflict.aggregate_id,),
    ).first()
    return dict(conflict.current) if row is None else dict(zip(names, row, strict=True))


def open_conflicts(
    conn: Connection, device_id: str, *, wells: _Wells | None = None
) -> list[OpenConflict]:
    wells = wells or _Wells(conn)
    shown = []
    for conflict in list_conflicts(conn, device_id):
        name, day = wells.record(conflict.aggregate_id)
        shown.append(OpenConflict(conflict, name, day, _record_values(conn, conflict)))
    return shown


def open_rejections(conn: Connection, *, wells: _Wells | None = None) -> list[OpenRejection]:
    wells = wells or _Wells(conn)
    shown = []
    for rejection in list_rejections(conn):
        name, day = wells.of_event(rejection.event_type, rejection.aggregate_id, rejection.payload)
        values = event_values(rejection.event_type, rejection.payload)
        can = rejection.event_type in (
            EventType.PRODUCTION_RECORDED,
            EventType.PRODUCTION_CORRECTED,
        )
        shown.append(
            OpenRejection(
                rejection, name, day, values, fixable_fields(rejection, values) if can else (), can
            )
        )
    return shown


def fixable_fields(rejection: Rejection, values: dict[str, Any]) -> tuple[str, ...]:
    """The value fields the server's reasons name, in form order; every value field of the
    event when the reasons name none of them."""
    named = {str(r.get("field") or "") for r in rejection.reasons}
    fields = [f for f in PRODUCTION_VALUE_FIELDS if f in named]
    if not fields:
        fields = [f for f in PRODUCTION_VALUE_FIELDS if f in values]
    return tuple(fields)


def overview(store: Store) -> SyncOverview:
    """Everything the Sync screen shows, from one consistent read."""
    with store.read() as conn:
        state: dict[str, str] = {
            str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM sync_state")
        }
        wells = _Wells(conn)  # names and records looked up once for every list
        return SyncOverview(
            server_mode=store.meta.get("mode") == "server",
            pending=pending_items(conn, wells=wells),
            pending_total=pending_count(conn),
            outcomes=record_outcomes(conn, wells=wells),
            conflicts=open_conflicts(conn, str(store.identity.device_id), wells=wells),
            rejections=open_rejections(conn, wells=wells),
            last_sync=state.get("last_sync"),
            cursor=int(state.get("cursor", 0)),
        )
