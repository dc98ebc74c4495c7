"""The rows one pushed batch writes, flushed with one set-based statement per table.

Applying a batch (see `apply.py`) only touches memory: it marks records new or dirty in the
`BatchState` and appends rows here. `flush` then writes each table with a single
`INSERT … SELECT FROM unnest(…)` or `UPDATE … FROM unnest(…)`: a round trip per table, not
per event.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson

from shared.records import PRODUCTION_VALUE_FIELDS
from sync_server.db.pool import Conn
from sync_server.services.batch_state import BatchState, ConflictRow, Record
from sync_server.services.wells import NAMED_SQL

FLOAT_FIELDS = frozenset(
    ("oil_bbl", "gas_mcf", "water_bbl", "hours_on", "downtime_hours", "tubing_psi", "casing_psi")
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
class WriteSet:
    events: list[tuple[Any, ...]] = field(default_factory=list)
    versions: list[tuple[Any, ...]] = field(default_factory=list)  # production_versions
    aggregate_versions: list[tuple[Any, ...]] = field(default_factory=list)
    aliases: list[tuple[UUID, UUID]] = field(default_factory=list)
    audit: list[tuple[Any, ...]] = field(default_factory=list)
    wells: list[dict[str, Any]] = field(default_factory=list)  # registered/updated by devices


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    return [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


def _value(name: str, value: Any) -> Any:
    return float(value) if name in FLOAT_FIELDS and value is not None else value


def _production_row(r: Record) -> tuple[Any, ...]:
    return (
        r.id,
        r.well_id,
        r.day,
        *(_value(k, r.values.get(k)) for k in PRODUCTION_VALUE_FIELDS),
        r.extra["entry_method"],
        _json_or_null(r.extra["location"]),
        r.extra["quality_score"],
        to_json(r.extra["flags"]),
        r.version,
        r.server_seq,
        r.deleted,
    )


_PRODUCTION_UNNEST = """unnest(
    %b::uuid[], %b::uuid[], %b::date[], %b::float8[], %b::float8[], %b::float8[], %b::float8[],
    %b::float8[], %b::text[], %b::float8[], %b::float8[], %b::int[], %b::text[], %b::text[],
    %b::text[], %b::int[], %b::text[], %b::int[], %b::bigint[], %b::bool[]
) AS u(id, well_id, day, oil_bbl, gas_mcf, water_bbl, hours_on, downtime_hours,
       downtime_reason, tubing_psi, casing_psi, choke_64ths, notes, entry_method, location,
       quality_score, flags, version, server_seq, deleted)"""

_INSERT_PRODUCTION = f"""
INSERT INTO production (id, org_id, well_id, production_date, oil_bbl, gas_mcf, water_bbl,
    hours_on, downtime_hours, downtime_reason, tubing_psi, casing_psi, choke_64ths, notes,
    entry_method, location, quality_score, flags, version, server_seq, deleted_at)
SELECT u.id, %s, u.well_id, u.day, u.oil_bbl, u.gas_mcf, u.water_bbl, u.hours_on,
    u.downtime_hours, u.downtime_reason, u.tubing_psi, u.casing_psi, u.choke_64ths, u.notes,
    u.entry_method, u.location::jsonb, u.quality_score, u.flags::jsonb, u.version,
    u.server_seq, CASE WHEN u.deleted THEN now() END
  FROM {_PRODUCTION_UNNEST}
"""

_UPDATE_PRODUCTION = f"""
UPDATE production p SET oil_bbl = u.oil_bbl, gas_mcf = u.gas_mcf, water_bbl = u.water_bbl,
    hours_on = u.hours_on, downtime_hours = u.downtime_hours,
    downtime_reason = u.downtime_reason, tubing_psi = u.tubing_psi, casing_psi = u.casing_psi,
    choke_64ths = u.choke_64ths, notes = u.notes, quality_score = u.quality_score,
    flags = u.flags::jsonb, version = u.version, server_seq = u.server_seq,
    deleted_at = CASE WHEN u.deleted THEN coalesce(p.deleted_at, now()) END
  FROM {_PRODUCTION_UNNEST}
 WHERE p.id = u.id
"""

_INSERT_EVENTS = """
INSERT INTO events (org_id, server_seq, event_id, device_id, device_seq, event_type,
    aggregate_id, base_version, result_version, hash, envelope)
SELECT %s, * FROM unnest(%b::bigint[], %b::uuid[], %b::uuid[], %b::bigint[], %b::text[],
    %b::uuid[], %b::int[], %b::int[], %b::text[], %b::text[]::jsonb[])
"""

_INSERT_VERSIONS = """
INSERT INTO {table} ({key}, version, org_id, event_id, device_id, user_id, changed_fields,
    values)
SELECT u.id, u.version, %s, u.event_id, u.device_id, u.user_id,
       ARRAY(SELECT jsonb_array_elements_text(u.fields::jsonb)), u.vals::jsonb
  FROM unnest(%b::uuid[], %b::int[], %b::uuid[], %b::uuid[], %b::uuid[], %b::text[],
              %b::text[]) AS u(id, version, event_id, device_id, user_id, fields, vals)
"""

_INSERT_AGGREGATES = """
INSERT INTO aggregates (id, org_id, aggregate_type, well_id, state, version, server_seq)
SELECT u.id, %s, u.kind, u.well_id, u.state::jsonb, u.version, u.server_seq
  FROM unnest(%b::uuid[], %b::text[], %b::uuid[], %b::text[], %b::int[], %b::bigint[])
       AS u(id, kind, well_id, state, version, server_seq)
"""

_UPDATE_AGGREGATES = """
UPDATE aggregates a SET state = u.state::jsonb, version = u.version, server_seq = u.server_seq
  FROM unnest(%b::uuid[], %b::text[], %b::int[], %b::bigint[])
       AS u(id, state, version, server_seq)
 WHERE a.id = u.id
"""

_INSERT_CONFLICTS = """
INSERT INTO conflicts (id, org_id, aggregate_id, aggregate_type, event_id, device_id,
    base_version, server_version, fields, mine, theirs, policy, server_seq, status, resolution,
    resolved_at, resolved_by)
SELECT u.id, %s, u.aggregate_id, u.kind, u.event_id, u.device_id, u.base_version,
       u.server_version, ARRAY(SELECT jsonb_array_elements_text(u.fields::jsonb)),
       u.mine::jsonb, u.theirs::jsonb, u.policy, u.server_seq, u.status,
       u.resolution::jsonb, CASE WHEN u.status = 'resolved' THEN now() END, u.resolved_by
  FROM unnest(%b::uuid[], %b::uuid[], %b::text[], %b::uuid[], %b::uuid[], %b::int[],
              %b::int[], %b::text[], %b::text[], %b::text[], %b::text[], %b::bigint[],
              %b::text[], %b::text[], %b::uuid[])
       AS u(id, aggregate_id, kind, event_id, device_id, base_version, server_version, fields,
            mine, theirs, policy, server_seq, status, resolution, resolved_by)
"""

_RESOLVE_CONFLICTS = """
UPDATE conflicts c SET status = u.status, resolution = u.resolution::jsonb,
    resolved_at = now(), resolved_by = u.resolved_by, server_seq = u.server_seq
  FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::uuid[], %b::bigint[])
       AS u(id, status, resolution, resolved_by, server_seq)
 WHERE c.id = u.id
"""


def _conflict_row(c: ConflictRow) -> tuple[Any, ...]:
    x = c.extra
    return (
        c.id,
        c.aggregate_id,
        c.aggregate_type,
        x["event_id"],
        x["device_id"],
        x["base_version"],
        x["server_version"],
        to_json(c.fields),
        to_json(c.mine),
        to_json(c.theirs),
        x["policy"],
        c.server_seq,
        c.status,
        _json_or_null(c.resolution),
        x.get("resolved_by"),
    )


async def _write_conflicts(conn: Conn, org_id: UUID, state: BatchState) -> None:
    dirty = [c for c in state.conflicts.values() if c.dirty]
    new = [_conflict_row(c) for c in dirty if c.is_new]
    if new:
        await conn.execute(_INSERT_CONFLICTS, (org_id, *_columns(new, 15)))
    resolved = [
        (c.id, c.status, _json_or_null(c.resolution), c.extra.get("resolved_by"), c.server_seq)
        for c in dirty
        if not c.is_new
    ]
    if resolved:
        await conn.execute(_RESOLVE_CONFLICTS, _columns(resolved, 5))


async def flush(conn: Conn, org_id: UUID, state: BatchState, writes: WriteSet) -> None:
    """Write everything the batch changed: one statement per table that has rows."""
    for well in writes.wells:
        await _write_well(conn, org_id, well)
    dirty = [r for r in state.records.values() if r.dirty]
    production = [r for r in dirty if r.kind == "production"]
    new = [_production_row(r) for r in production if r.is_new]
    old = [_production_row(r) for r in production if not r.is_new]
    if old:  # first: a record voided here frees its well-day for a new one inserted below
        await conn.execute(_UPDATE_PRODUCTION, _columns(old, 20))
    if new:
        await conn.execute(_INSERT_PRODUCTION, (org_id, *_columns(new, 20)))
    # plain INSERTs for new records: an id taken (in any org) is a key violation, never an
    # update of someone else's row
    others = [r for r in dirty if r.kind != "production"]
    created = [
        (r.id, r.kind, r.well_id, to_json(r.values), r.version, r.server_seq)
        for r in others
        if r.is_new
    ]
    if created:
        await conn.execute(_INSERT_AGGREGATES, (org_id, *_columns(created, 6)))
    changed = [(r.id, to_json(r.values), r.version, r.server_seq) for r in others if not r.is_new]
    if changed:
        await conn.execute(_UPDATE_AGGREGATES, _columns(changed, 4))
    if writes.aliases:
        await conn.execute(
            "INSERT INTO production_aliases (alias_id, org_id, production_id)"
            " SELECT a, %s, p FROM unnest(%b::uuid[], %b::uuid[]) AS u(a, p)"
            " ON CONFLICT DO NOTHING",
            (org_id, *_columns(writes.aliases, 2)),
        )
    versions = (
        ("production_versions", "production_id", writes.versions),
        ("aggregate_versions", "aggregate_id", writes.aggregate_versions),
    )
    for table, key, rows in versions:
        if rows:
            sql = _INSERT_VERSIONS.format(table=table, key=key)
            await conn.execute(sql, (org_id, *_columns(rows, 7)))
    await _write_conflicts(conn, org_id, state)
    if writes.events:
        await conn.execute(_INSERT_EVENTS, (org_id, *_columns(writes.events, 10)))
    if writes.audit:
        await conn.execute(
            "INSERT INTO audit_log (org_id, actor_id, action, target, details)"
            " SELECT %s, a, act, t, d::jsonb FROM unnest(%b::uuid[], %b::text[], %b::text[],"
            " %b::text[]) AS u(a, act, t, d)",
            (org_id, *_columns(writes.audit, 4)),
        )


async def _named(conn: Conn, table: str, org_id: UUID, name: str | None) -> UUID | None:
    if not name:
        return None
    row = await (await conn.execute(NAMED_SQL.format(table=table), (org_id, name))).fetchone()
    assert row is not None
    return UUID(str(row["id"]))


async def _write_well(conn: Conn, org_id: UUID, w: dict[str, Any]) -> None:
    """A well registered or updated by a supervisor's device (rare: one statement each)."""
    field_id = await _named(conn, "fields", org_id, w.get("field"))
    lease_id = await _named(conn, "leases", org_id, w.get("lease"))
    values = (
        w["name"],
        field_id,
        lease_id,
        w.get("latitude"),
        w.get("longitude"),
        w.get("status") or "active",
        w.get("well_type") or "oil",
        w["version"],
        w["server_seq"],
    )
    if w["version"] == 1:  # registered: a plain INSERT (an id taken anywhere is refused)
        await conn.execute(
            "INSERT INTO wells (id, org_id, api_number, name, field_id, lease_id, latitude,"
            " longitude, status, well_type, version, server_seq)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (w["id"], org_id, w["api_number"], *values),
        )
        return
    await conn.execute(
        "UPDATE wells SET name = %s, field_id = %s, lease_id = %s, latitude = %s,"
        " longitude = %s, status = %s, well_type = %s, version = %s, server_seq = %s"
        " WHERE id = %s",
        (*values, w["id"]),
    )
