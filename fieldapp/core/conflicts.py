"""Conflicts as this device sees them, and resolving one.

The server's notice names the values of the change that raised the conflict (`mine`) and the
values it collided with (`theirs`). On the device that raised it those are "mine" and "theirs"
as they are; on every other device the sides swap, so "mine" is always this laptop's side (the
value it had) and "theirs" the other one. `resolve` appends a `conflict.resolved` event with the
chosen values; the record shows them at once, and the conflict counts as resolved here while the
event waits to be pushed (reopened if the server refuses it: the refused resolution is then a
rejection, resolved by the next resolution of that conflict).

`open_conflicts` pages the open ones by a keyset cursor (opened_at, conflict_id: the
`conflicts_open` index), each with its record's well, day and values as they stand here now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection

from fieldapp.core.errors import StoreError
from fieldapp.core.record_places import Places
from fieldapp.core.store import Store
from shared.contracts import ConflictResolved, EquipmentChanges, EventType, PhotoChanges
from shared.events import SealedEvent
from shared.records import PRODUCTION_VALUE_FIELDS

Side = Literal["mine", "theirs"]
_COLUMNS = (
    "conflict_id, aggregate_id, aggregate_type, fields, mine, theirs, status, raised_by,"
    " policy, resolution, opened_at"
)
_TABLES = {
    "production": ("production", "record_id"),
    "equipment": ("equipment", "equipment_id"),
    "photo": ("photos", "photo_id"),
}
_RECORD_VALUES = {  # the value fields of a record, by kind: what a comparison shows
    "production": PRODUCTION_VALUE_FIELDS,
    "equipment": tuple(EquipmentChanges.model_fields),
    "photo": tuple(PhotoChanges.model_fields),
}
# literal filters (a bound status would keep SQLite from proving the partial index applies)
_STATUS_WHERE = {"open": "status = 'open'", "resolved": "status = 'resolved'", "all": ""}
ConflictKey = tuple[str, str]  # (opened_at, conflict_id): the order conflicts are listed in


@dataclass(frozen=True, slots=True)
class Conflict:
    conflict_id: str
    aggregate_id: str
    aggregate_type: str
    fields: list[str]
    mine: dict[str, Any]  # this device's side
    theirs: dict[str, Any]  # the other side
    status: str
    raised_here: bool
    policy: str | None
    resolution: dict[str, Any] | None
    opened_at: str
    current: dict[str, Any]  # the record's values of those fields now

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @property
    def key(self) -> ConflictKey:
        return self.opened_at, self.conflict_id


@dataclass(frozen=True, slots=True)
class OpenConflict:
    """An open conflict with its record as this device shows it now."""

    conflict: Conflict
    well_name: str
    day: str
    record: dict[str, Any]  # the record's value fields as they stand on this device now


class ConflictError(StoreError):
    pass


def list_conflicts(
    conn: Connection,
    device_id: str,
    *,
    status: str = "open",
    after: ConflictKey | None = None,
    limit: int | None = None,
) -> list[Conflict]:
    """Conflicts of `status` ("open", "resolved" or "all") in (opened_at, conflict_id) order:
    those after the key `after`, at most `limit` of them."""
    if status not in _STATUS_WHERE:
        raise ConflictError(f"no conflict status {status!r}: open, resolved or all")
    where = [_STATUS_WHERE[status]] if _STATUS_WHERE[status] else []
    params: list[object] = []
    if after is not None:
        where.append("(opened_at, conflict_id) > (?, ?)")
        params.extend(after)
    sql = f"SELECT {_COLUMNS} FROM conflicts"
    sql += f" WHERE {' AND '.join(where)}" if where else ""
    sql += " ORDER BY opened_at, conflict_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = conn.exec_driver_sql(sql, tuple(params)).all()
    return [_conflict(conn, row, device_id) for row in rows]


def open_conflict_count(conn: Connection) -> int:
    return int(
        conn.exec_driver_sql("SELECT count(*) FROM conflicts WHERE status = 'open'").scalar_one()
    )


def open_conflicts(
    conn: Connection,
    device_id: str,
    limit: int,
    *,
    after: ConflictKey | None = None,
    places: Places | None = None,
) -> list[OpenConflict]:
    """A page of the open conflicts (after the key `after`), each with its record's well, day
    and values."""
    places = places or Places(conn)
    shown = []
    for conflict in list_conflicts(conn, device_id, after=after, limit=limit):
        name, day = places.of_record(conflict.aggregate_id)
        shown.append(OpenConflict(conflict, name, day, _record_values(conn, conflict)))
    return shown


def _record_values(conn: Connection, conflict: Conflict) -> dict[str, Any]:
    names = _RECORD_VALUES.get(conflict.aggregate_type)
    table = _TABLES.get(conflict.aggregate_type)
    if names is None or table is None:
        return dict(conflict.current)
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(names)} FROM {table[0]} WHERE {table[1]} = ?",
        (conflict.aggregate_id,),
    ).first()
    return dict(conflict.current) if row is None else dict(zip(names, row, strict=True))


def get_conflict(conn: Connection, device_id: str, conflict_id: str) -> Conflict:
    row = conn.exec_driver_sql(
        f"SELECT {_COLUMNS} FROM conflicts WHERE conflict_id = ?", (conflict_id,)
    ).first()
    if row is None:
        raise ConflictError(f"no conflict {conflict_id} on this device ('fieldapp conflicts')")
    return _conflict(conn, row, device_id)


def _conflict(conn: Connection, row: Any, device_id: str) -> Conflict:
    cid, aggregate, kind, fields, mine, theirs, status, raised_by, policy, resolution, opened = row
    raised_here = raised_by == device_id
    incoming, standing = json.loads(mine), json.loads(theirs)
    names = json.loads(fields)
    return Conflict(
        cid,
        aggregate,
        kind,
        names,
        incoming if raised_here else standing,
        standing if raised_here else incoming,
        status,
        raised_here,
        policy,
        json.loads(resolution) if resolution else None,
        opened,
        _current(conn, kind, aggregate, names),
    )


def _current(conn: Connection, kind: str, aggregate_id: str, fields: list[str]) -> dict[str, Any]:
    table = _TABLES.get(kind)
    if table is None or not fields:
        return {}
    name, key = table
    row = conn.exec_driver_sql(f"SELECT * FROM {name} WHERE {key} = ?", (aggregate_id,)).first()
    if row is None:
        return {}
    values = row._mapping
    return {f: values[f] for f in fields if f in values}


def resolve(store: Store, conflict_id: str, keep: Side) -> SealedEvent:
    """Keep this device's side (`mine`) or the other (`theirs`) of an open conflict."""
    device_id = str(store.identity.device_id)
    with store.write() as txn:
        conflict = get_conflict(txn.conn, device_id, conflict_id)
        if conflict.status != "open":
            raise ConflictError(f"conflict {conflict_id} is already {conflict.status}")
        if not conflict.fields:
            raise ConflictError(
                f"conflict {conflict_id} has no details yet: run 'fieldapp sync' first"
            )
        table = _TABLES.get(conflict.aggregate_type)
        if table is None:
            raise ConflictError(f"conflicts of {conflict.aggregate_type} cannot be resolved here")
        keep_mine_here = keep == "mine"
        server_keep: Side = "mine" if keep_mine_here == conflict.raised_here else "theirs"
        values = conflict.mine if keep_mine_here else conflict.theirs
        version = txn.conn.exec_driver_sql(
            f"SELECT version FROM {table[0]} WHERE {table[1]} = ?", (conflict.aggregate_id,)
        ).scalar()
        payload = ConflictResolved(conflict_id=conflict_id, keep=server_keep, values=values)
        sealed = txn.append(
            EventType.CONFLICT_RESOLVED,
            conflict.aggregate_id,
            payload,
            base_version=int(version or 0),
        )
        pending = {"keep": server_keep, "values": values, "pending": True}
        txn.db.execute(
            "UPDATE conflicts SET status = 'resolved', resolution = ? WHERE conflict_id = ?",
            (json.dumps(pending), conflict_id),
        )
        _settle_refused_resolutions(txn.db, conflict_id, int(sealed.body["device_seq"]))
    return sealed


def _settle_refused_resolutions(db: Any, conflict_id: str, new_seq: int) -> None:
    """Earlier resolutions of this conflict the server refused are resolved by this one."""
    db.execute(
        "UPDATE rejections SET resolved_by_seq = ? WHERE device_seq IN (SELECT j.device_seq"
        " FROM rejections j JOIN event_log e ON e.device_seq = j.device_seq"
        " WHERE j.resolved_by_seq IS NULL AND e.event_type = ?"
        " AND json_extract(e.body, '$.payload.conflict_id') = ?)",
        (new_seq, str(EventType.CONFLICT_RESOLVED), conflict_id),
    )
