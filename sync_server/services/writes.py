"""The rows one pushed batch writes, flushed with one set-based statement per table.

Applying a batch (`apply`) only touches memory: it marks records and conflicts new or dirty in
the `BatchState` and appends rows to `Rows`. `flush` then writes each table with a single
`INSERT … SELECT FROM unnest(…)` or `UPDATE … FROM unnest(…)`: a round trip per table, not
per event. Every table is declared once below, by column name (`tables`), and every row is
built as a mapping from those names, so a value always lands in its own column.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import orjson

from shared.records import PRODUCTION_VALUE_FIELDS
from sync_server.db.pool import Conn
from sync_server.services.analytics_refresh import refresh
from sync_server.services.batch_state import BatchState, ConflictRow, Record
from sync_server.services.tables import Column, Row, Table, insert, update
from sync_server.services.wells import NAMED_SQL

FLOAT_FIELDS = frozenset(
    ("oil_bbl", "gas_mcf", "water_bbl", "hours_on", "downtime_hours", "tubing_psi", "casing_psi")
)
_JSON_ARRAY = "ARRAY(SELECT jsonb_array_elements_text(u.{}::jsonb))"  # a text[] sent as JSON

PRODUCTION = Table(
    "production",
    (
        Column("id", "uuid", key=True),
        Column("well_id", "uuid", fixed=True),
        Column("production_date", "date", fixed=True),
        Column("oil_bbl", "float8"),
        Column("gas_mcf", "float8"),
        Column("water_bbl", "float8"),
        Column("hours_on", "float8"),
        Column("downtime_hours", "float8"),
        Column("downtime_reason", "text"),
        Column("tubing_psi", "float8"),
        Column("casing_psi", "float8"),
        Column("choke_64ths", "int"),
        Column("notes", "text"),
        Column("entry_method", "text", fixed=True),
        Column("location", "text", "u.location::jsonb", fixed=True),
        Column("quality_score", "int"),
        Column("flags", "text", "u.flags::jsonb"),
        Column("version", "int"),
        Column("server_seq", "bigint"),
        Column(
            "deleted",
            "bool",
            "CASE WHEN u.deleted THEN now() END",
            target="deleted_at",
            on_update="CASE WHEN u.deleted THEN coalesce(t.deleted_at, now()) END",
        ),
    ),
)
# the other records (equipment, maintenance, incidents, photos), kept in table `aggregates`
RECORDS = Table(
    "aggregates",
    (
        Column("id", "uuid", key=True),
        Column("aggregate_type", "text", fixed=True),
        Column("well_id", "uuid", fixed=True),
        Column("state", "text", "u.state::jsonb"),
        Column("version", "int"),
        Column("server_seq", "bigint"),
    ),
)


def _versions(table: str, key: str) -> Table:
    return Table(
        table,
        (
            Column("record_id", "uuid", target=key),
            Column("version", "int"),
            Column("event_id", "uuid"),
            Column("device_id", "uuid"),
            Column("user_id", "uuid"),
            Column("fields", "text", _JSON_ARRAY.format("fields"), target="changed_fields"),
            Column("values", "text", "u.values::jsonb"),
        ),
    )


PRODUCTION_VERSIONS = _versions("production_versions", "production_id")
RECORD_VERSIONS = _versions("aggregate_versions", "aggregate_id")
ALIASES = Table("production_aliases", (Column("alias_id", "uuid"), Column("production_id", "uuid")))
CONFLICTS = Table(
    "conflicts",
    (
        Column("id", "uuid", key=True),
        Column("aggregate_id", "uuid", fixed=True),
        Column("aggregate_type", "text", fixed=True),
        Column("event_id", "uuid", fixed=True),
        Column("device_id", "uuid", fixed=True),
        Column("base_version", "int", fixed=True),
        Column("server_version", "int", fixed=True),
        Column("fields", "text", _JSON_ARRAY.format("fields"), fixed=True),
        Column("mine", "text", "u.mine::jsonb", fixed=True),
        Column("theirs", "text", "u.theirs::jsonb", fixed=True),
        Column("policy", "text", fixed=True),
        Column("server_seq", "bigint"),
        Column("status", "text"),
        Column("resolution", "text", "u.resolution::jsonb"),
        Column("resolved_by", "uuid"),
    ),
    computed=(("resolved_at", "CASE WHEN u.status = 'resolved' THEN now() END"),),
)
EVENTS = Table(
    "events",
    (
        Column("server_seq", "bigint"),
        Column("event_id", "uuid"),
        Column("device_id", "uuid"),
        Column("device_seq", "bigint"),
        Column("event_type", "text"),
        Column("aggregate_id", "uuid"),
        Column("base_version", "int"),
        Column("result_version", "int"),
        Column("hash", "text"),
        Column("envelope", "text", "u.envelope::jsonb"),
    ),
)
AUDIT = Table(
    "audit_log",
    (
        Column("actor_id", "uuid"),
        Column("action", "text"),
        Column("target", "text"),
        Column("details", "text", "u.details::jsonb"),
    ),
)
QUARANTINE = Table(  # json, not jsonb: the envelope's text is kept exactly as received
    "quarantine",
    (
        Column("device_id", "uuid"),
        Column("event_id", "uuid"),
        Column("envelope", "text", "u.envelope::json"),
        Column("reasons", "text", "u.reasons::jsonb"),
    ),
)
WELLS = Table(
    "wells",
    (
        Column("id", "uuid", key=True),
        Column("api_number", "text", fixed=True),
        Column("name", "text"),
        Column("field_id", "uuid"),
        Column("lease_id", "uuid"),
        Column("latitude", "float8"),
        Column("longitude", "float8"),
        Column("status", "text"),
        Column("well_type", "text"),
        Column("version", "int"),
        Column("server_seq", "bigint"),
    ),
)


def to_json(value: Any) -> str:
    """JSON text for a json(b) parameter (orjson: UUIDs and dates natively, and fast; the
    standard encoder for what orjson refuses, such as integers past 64 bits, with non-finite
    numbers, which JSON cannot hold, written as strings)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(_finite(value), default=str, ensure_ascii=False, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _json_or_null(value: Any) -> str | None:
    return None if value is None else to_json(value)


@dataclass(slots=True)
class Rows:
    """Rows appended while a batch is applied, each a mapping by its table's column names."""

    events: list[Row] = field(default_factory=list)
    production_versions: list[Row] = field(default_factory=list)
    record_versions: list[Row] = field(default_factory=list)  # of the other records
    aliases: list[Row] = field(default_factory=list)
    audit: list[Row] = field(default_factory=list)
    wells: list[dict[str, Any]] = field(default_factory=list)  # registered/updated by devices


# the record's value fields, and whether each is sent as float8 (a JSON value may be an int)
_VALUE_FIELDS = tuple((name, name in FLOAT_FIELDS) for name in PRODUCTION_VALUE_FIELDS)


def production_row(r: Record) -> Row:
    """A production record as the row of PRODUCTION."""
    assert r.quality_score is not None and r.flags is not None
    row: dict[str, Any] = {
        "id": r.id,
        "well_id": r.well_id,
        "production_date": r.day,
        "entry_method": r.entry_method,
        "location": _json_or_null(r.location),
        "quality_score": r.quality_score,
        "flags": to_json(r.flags),
        "version": r.version,
        "server_seq": r.server_seq,
        "deleted": r.deleted,
    }
    values = r.values
    for name, is_float in _VALUE_FIELDS:  # a loop, not a merged comprehension: 500 rows a batch
        value = values.get(name)
        row[name] = float(value) if is_float and value is not None else value
    return row


def record_row(r: Record) -> Row:
    """Another record (equipment, ...) as the row of RECORDS."""
    return {
        "id": r.id,
        "aggregate_type": r.kind,
        "well_id": r.well_id,
        "state": to_json(r.values),
        "version": r.version,
        "server_seq": r.server_seq,
    }


def conflict_row(c: ConflictRow) -> Row:
    return {
        "id": c.id,
        "aggregate_id": c.aggregate_id,
        "aggregate_type": c.aggregate_type,
        "event_id": c.event_id,
        "device_id": c.device_id,
        "base_version": c.base_version,
        "server_version": c.server_version,
        "fields": to_json(c.fields),
        "mine": to_json(c.mine),
        "theirs": to_json(c.theirs),
        "policy": c.policy,
        "server_seq": c.server_seq,
        "status": c.status,
        "resolution": _json_or_null(c.resolution),
        "resolved_by": c.resolved_by,
    }


async def flush(conn: Conn, org_id: UUID, state: BatchState, rows: Rows) -> None:
    """Write everything the batch changed: one statement per table that has rows."""
    for well in rows.wells:
        await _write_well(conn, org_id, well)
    dirty = [r for r in state.records.values() if r.dirty]
    production = [r for r in dirty if r.kind == "production"]
    # first: a record voided here frees its well-day for a new one inserted below
    await update(conn, PRODUCTION, [production_row(r) for r in production if not r.is_new])
    await insert(conn, PRODUCTION, org_id, [production_row(r) for r in production if r.is_new])
    # plain INSERTs for new records: an id taken (in any org) is a key violation, never an
    # update of someone else's row
    others = [r for r in dirty if r.kind != "production"]
    await insert(conn, RECORDS, org_id, [record_row(r) for r in others if r.is_new])
    await update(conn, RECORDS, [record_row(r) for r in others if not r.is_new])
    await insert(conn, ALIASES, org_id, rows.aliases, " ON CONFLICT DO NOTHING")
    await insert(conn, PRODUCTION_VERSIONS, org_id, rows.production_versions)
    await insert(conn, RECORD_VERSIONS, org_id, rows.record_versions)
    conflicts = [c for c in state.conflicts.values() if c.dirty]
    await insert(conn, CONFLICTS, org_id, [conflict_row(c) for c in conflicts if c.is_new])
    await update(conn, CONFLICTS, [conflict_row(c) for c in conflicts if not c.is_new])
    await insert(conn, EVENTS, org_id, rows.events)
    await insert(conn, AUDIT, org_id, rows.audit)
    # the aggregates of the well-days whose record changed (recorded, corrected, voided,
    # resolved), in this transaction; a fixed number of statements for the whole batch
    await refresh(conn, org_id, [_well_day(r) for r in production])


def _well_day(r: Record) -> tuple[UUID, date]:
    assert r.well_id is not None and r.day is not None
    return r.well_id, r.day


async def _named(conn: Conn, table: str, org_id: UUID, name: str | None) -> UUID | None:
    if not name:
        return None
    sql = NAMED_SQL.format(table=table)
    row = await (await conn.execute(sql, {"org": org_id, "name": name})).fetchone()
    assert row is not None
    return UUID(str(row["id"]))


async def _write_well(conn: Conn, org_id: UUID, w: dict[str, Any]) -> None:
    """A well registered or updated by a supervisor's device (rare: a statement each)."""
    row = {
        "id": w["id"],
        "api_number": w["api_number"],
        "name": w["name"],
        "field_id": await _named(conn, "fields", org_id, w.get("field")),
        "lease_id": await _named(conn, "leases", org_id, w.get("lease")),
        "latitude": _coordinate(w.get("latitude")),
        "longitude": _coordinate(w.get("longitude")),
        "status": w.get("status") or "active",
        "well_type": w.get("well_type") or "oil",
        "version": w["version"],
        "server_seq": w["server_seq"],
    }
    if w["version"] == 1:  # registered: a plain INSERT (an id taken anywhere is refused)
        await insert(conn, WELLS, org_id, [row])
    else:
        await update(conn, WELLS, [row])


def _coordinate(value: Any) -> float | None:
    return None if value is None else float(value)
