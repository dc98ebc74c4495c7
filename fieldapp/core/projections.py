"""Read models built from events by one pure projector.

The projector only sees a `RowStore`; the store's incremental path gives it SQL tables and
`verify` gives it plain dicts, so "rebuild by replay equals the incremental rows" compares the
same code against itself over two storages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any, Protocol

from shared.api_number import normalize_api_number
from shared.records import PRODUCTION_VALUE_FIELDS
from shared.validation import Issue, Severity, quality_score

Row = dict[str, Any]

COLUMNS: dict[str, tuple[str, ...]] = {
    "wells": (
        "well_id",
        "api_number",
        "name",
        "lease",
        "field",
        "latitude",
        "longitude",
        "status",
        "well_type",
        "version",
        "last_seq",
    ),
    "production": (
        "record_id",
        "well_id",
        "production_date",
        "oil_bbl",
        "gas_mcf",
        "water_bbl",
        "hours_on",
        "downtime_hours",
        "downtime_reason",
        "tubing_psi",
        "casing_psi",
        "choke_64ths",
        "notes",
        "entry_method",
        "latitude",
        "longitude",
        "accuracy_m",
        "quality_score",
        "flags",
        "voided",
        "version",
        "last_seq",
    ),
    "equipment": (
        "equipment_id",
        "well_id",
        "equipment_type",
        "manufacturer",
        "model",
        "serial_number",
        "installed_on",
        "status",
        "notes",
        "version",
        "last_seq",
    ),
    "maintenance": (
        "maintenance_id",
        "well_id",
        "equipment_id",
        "performed_on",
        "maintenance_type",
        "description",
        "technician",
        "cost",
        "next_due",
        "version",
        "last_seq",
    ),
    "photos": (
        "photo_id",
        "target_type",
        "target_id",
        "sha256",
        "content_type",
        "size",
        "caption",
        "width",
        "height",
        "taken_at",
        "latitude",
        "longitude",
        "location_source",
        "camera",
        "original_name",
        "original_size",
        "removed",
        "removed_reason",
        "version",
        "last_seq",
    ),
    "incidents": (
        "incident_id",
        "well_id",
        "incident_type",
        "severity",
        "occurred_at",
        "latitude",
        "longitude",
        "location_description",
        "description",
        "injuries",
        "environmental_impact",
        "regulatory_notification_required",
        "version",
        "last_seq",
    ),
}
PRIMARY_KEYS = {table: columns[0] for table, columns in COLUMNS.items()}
_GETTERS = {table: itemgetter(*columns) for table, columns in COLUMNS.items()}


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """What the projector needs of one event of the log."""

    device_seq: int
    event_type: str
    aggregate_id: str
    base_version: int
    payload: dict[str, Any]
    issues: list[dict[str, str]] = field(default_factory=list)


class RowStore(Protocol):
    def get(self, table: str, key: str) -> Row | None: ...
    def put(self, table: str, row: Row) -> None: ...
    def delete(self, table: str, key: str) -> None: ...


class MemoryRowStore:
    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Row]] = {name: {} for name in COLUMNS}

    def get(self, table: str, key: str) -> Row | None:
        row = self.tables[table].get(key)
        return dict(row) if row is not None else None

    def put(self, table: str, row: Row) -> None:
        """Takes ownership of `row` (the projector never touches a row after putting it)."""
        self.tables[table][row[PRIMARY_KEYS[table]]] = row

    def delete(self, table: str, key: str) -> None:
        self.tables[table].pop(key, None)


class SqlRowStore:
    """Reads through and buffers writes; `flush()` upserts every touched row set-wise."""

    def __init__(self, db: Any) -> None:
        """`db` is a DB-API connection inside an open transaction."""
        self._db = db
        self._cache: dict[tuple[str, str], Row | None] = {}
        self._dirty: dict[str, dict[str, Row]] = {}
        self._deleted: dict[str, set[str]] = {}

    def get(self, table: str, key: str) -> Row | None:
        cache_key = (table, key)
        if cache_key not in self._cache:
            columns = COLUMNS[table]
            found = self._db.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE {columns[0]} = ?", (key,)
            ).fetchone()
            self._cache[cache_key] = dict(zip(columns, found, strict=True)) if found else None
        row = self._cache[cache_key]
        return dict(row) if row is not None else None

    def put(self, table: str, row: Row) -> None:
        key = row[PRIMARY_KEYS[table]]
        self._cache[(table, key)] = row
        self._dirty.setdefault(table, {})[key] = row
        self._deleted.get(table, set()).discard(key)

    def delete(self, table: str, key: str) -> None:
        self._cache[(table, key)] = None
        self._dirty.get(table, {}).pop(key, None)
        self._deleted.setdefault(table, set()).add(key)

    def flush(self) -> None:
        """Deletes first, so a row that gave up its well-day frees it for the upserts."""
        for table, keys in self._deleted.items():
            pk = PRIMARY_KEYS[table]
            self._db.executemany(f"DELETE FROM {table} WHERE {pk} = ?", [(k,) for k in keys])
        self._deleted.clear()
        for table, rows in self._dirty.items():
            columns = COLUMNS[table]
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))}) "
                f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}"
            )
            self._db.executemany(sql, map(_GETTERS[table], rows.values()))
        self._dirty.clear()


def issues_from_json(items: Iterable[dict[str, str]]) -> list[Issue]:
    return [Issue(d["rule"], d["field"], Severity(d["severity"]), d["message"]) for d in items]


def _quality(ev: LoggedEvent) -> tuple[int, str]:
    if not ev.issues:
        return 100, "[]"
    flags = [i for i in ev.issues if i["severity"] != "error"]
    return quality_score(issues_from_json(flags)), json.dumps(flags, sort_keys=True)


def _stamp(row: Row, ev: LoggedEvent) -> Row:
    row["version"] = ev.base_version
    row["last_seq"] = ev.device_seq
    return row


def _well_registered(rows: RowStore, ev: LoggedEvent) -> None:
    p = ev.payload
    row: Row = {"well_id": ev.aggregate_id, "api_number": normalize_api_number(p["api_number"])}
    for name in ("name", "lease", "field", "latitude", "longitude", "status", "well_type"):
        row[name] = p.get(name)
    rows.put("wells", _stamp(row, ev))


def _changes(table: str, rows: RowStore, ev: LoggedEvent) -> None:
    row = rows.get(table, ev.aggregate_id)
    if row is None:
        raise LookupError(f"{ev.event_type} for unknown {table} row {ev.aggregate_id}")
    row.update(ev.payload["changes"])
    rows.put(table, _stamp(row, ev))


def _production_recorded(rows: RowStore, ev: LoggedEvent) -> None:
    p = ev.payload
    location = p.get("location") or {}
    score, flags = _quality(ev)
    row: Row = {
        "record_id": ev.aggregate_id,
        "well_id": p["well_id"],
        "production_date": p["production_date"],
        **{name: p.get(name) for name in PRODUCTION_VALUE_FIELDS},
        "entry_method": p.get("entry_method", "MANUAL"),
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "accuracy_m": location.get("accuracy_m"),
        "quality_score": score,
        "flags": flags,
        "voided": 0,
        "version": ev.base_version,
        "last_seq": ev.device_seq,
    }
    rows.put("production", row)


def _production_corrected(rows: RowStore, ev: LoggedEvent) -> None:
    row = rows.get("production", ev.aggregate_id)
    if row is None:
        raise LookupError(f"correction of unknown production record {ev.aggregate_id}")
    row.update(ev.payload["changes"])
    row["quality_score"], row["flags"] = _quality(ev)
    rows.put("production", _stamp(row, ev))


def _production_voided(rows: RowStore, ev: LoggedEvent) -> None:
    row = rows.get("production", ev.aggregate_id)
    if row is None:
        raise LookupError(f"void of unknown production record {ev.aggregate_id}")
    row["voided"] = 1
    rows.put("production", _stamp(row, ev))


def _created(table: str) -> Callable[[RowStore, LoggedEvent], None]:
    def apply(rows: RowStore, ev: LoggedEvent) -> None:
        row: Row = dict.fromkeys(COLUMNS[table])
        row[PRIMARY_KEYS[table]] = ev.aggregate_id
        for name, value in ev.payload.items():
            if name == "location":
                place_columns(row, value)
            elif name in row:
                row[name] = int(value) if isinstance(value, bool) else value
        rows.put(table, _stamp(row, ev))

    return apply


def place_columns(row: Row, location: dict[str, Any] | None) -> None:
    """A payload's `location` into the latitude/longitude (and, where kept, source) columns."""
    row["latitude"] = location.get("lat") if location else None
    row["longitude"] = location.get("lon") if location else None
    if "location_source" in row:
        row["location_source"] = location.get("source") if location else None


_incident_created = _created("incidents")
INCIDENT_DEFAULTS: dict[str, Any] = {"location_description": "", "environmental_impact": ""}


def _incident_reported(rows: RowStore, ev: LoggedEvent) -> None:
    """An incident; a payload from before a field existed gets that field's default."""
    missing = {k: v for k, v in INCIDENT_DEFAULTS.items() if ev.payload.get(k) is None}
    if missing:
        ev = replace(ev, payload={**ev.payload, **missing})
    _incident_created(rows, ev)


_photo_created = _created("photos")
# what a photo row holds when its payload predates a field (the columns are NOT NULL)
PHOTO_DEFAULTS: dict[str, Any] = {
    "caption": "",
    "camera": "",
    "original_name": "",
    "removed": 0,
    "removed_reason": "",
}


def with_defaults(row: Row, defaults: dict[str, Any]) -> Row:
    for name, default in defaults.items():
        if row.get(name) is None:
            row[name] = default
    return row


def _photo_attached(rows: RowStore, ev: LoggedEvent) -> None:
    _photo_created(rows, ev)
    row = rows.get("photos", ev.aggregate_id)
    assert row is not None
    rows.put("photos", with_defaults(row, PHOTO_DEFAULTS))


def _photo_removed(rows: RowStore, ev: LoggedEvent) -> None:
    """The photo leaves its record; its row (and bytes) stay for the history."""
    row = rows.get("photos", ev.aggregate_id)
    if row is None:
        raise LookupError(f"removal of unknown photo {ev.aggregate_id}")
    row["removed"] = 1
    row["removed_reason"] = ev.payload.get("reason") or ""
    rows.put("photos", _stamp(row, ev))


RESOLVABLE_TABLES = ("production", "equipment", "photos")


def _conflict_resolved(rows: RowStore, ev: LoggedEvent) -> None:
    """The values chosen for a conflict, on the record it concerns (when this device has it)."""
    values = ev.payload.get("values") or {}
    for table in RESOLVABLE_TABLES:
        row = rows.get(table, ev.aggregate_id)
        if row is not None:
            row.update({k: v for k, v in values.items() if k in row})
            rows.put(table, _stamp(row, ev))
            return


APPLIERS: dict[str, Callable[[RowStore, LoggedEvent], None]] = {
    "well.registered": _well_registered,
    "well.updated": lambda rows, ev: _changes("wells", rows, ev),
    "production.recorded": _production_recorded,
    "production.corrected": _production_corrected,
    "production.voided": _production_voided,
    "equipment.added": _created("equipment"),
    "equipment.updated": lambda rows, ev: _changes("equipment", rows, ev),
    "maintenance.logged": _created("maintenance"),
    "photo.attached": _photo_attached,
    "photo.updated": lambda rows, ev: _changes("photos", rows, ev),
    "photo.removed": _photo_removed,
    "incident.reported": _incident_reported,
    "conflict.resolved": _conflict_resolved,
}


def apply_event(rows: RowStore, ev: LoggedEvent) -> None:
    APPLIERS[ev.event_type](rows, ev)
