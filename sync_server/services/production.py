"""Applying production events on the server: versions, history, aliases and conflicts.

A change made against an older version is merged when the fields it changes were not changed on
the server since; otherwise both sides are kept in `conflicts` and the org policy decides which
value stands (last_write_wins by arrival order, or manual = keep the server's).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared.records import PRODUCTION_VALUE_FIELDS, issues_to_json
from shared.validation import DayVolumes, Thresholds, WellHistory, quality_score
from sync_server.db.pool import Conn
from sync_server.services.checks import Rejected, production_issues, reason

VALUE_FIELDS = PRODUCTION_VALUE_FIELDS


@dataclass(frozen=True, slots=True)
class Context:
    org_id: UUID
    user_id: UUID
    device_id: UUID
    event_id: UUID
    server_seq: int
    policy: str
    today: date
    rules: Thresholds


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # accepted | conflict
    version: int
    merged: bool = False
    conflict_id: UUID | None = None


async def _history(conn: Conn, well_id: Any, day: date, days: int) -> WellHistory:
    rows = await (
        await conn.execute(
            "SELECT production_date, oil_bbl, gas_mcf, water_bbl FROM production"
            " WHERE well_id = %s AND deleted_at IS NULL AND production_date >= %s"
            " AND production_date < %s",
            (well_id, day - timedelta(days=days), day),
        )
    ).fetchall()
    days_seen = (
        DayVolumes(r["production_date"], r["oil_bbl"], r["gas_mcf"], r["water_bbl"]) for r in rows
    )
    return WellHistory(days_seen, days)


async def _issues(
    conn: Conn, ctx: Context, well_id: Any, day: date, values: dict[str, Any]
) -> tuple[int, str]:
    history = await _history(conn, well_id, day, ctx.rules.history_days)
    issues = production_issues(values, day, today=ctx.today, history=history, rules=ctx.rules)
    return quality_score(issues), json.dumps(issues_to_json(issues))


async def _version(
    conn: Conn,
    ctx: Context,
    record_id: Any,
    version: int,
    fields: list[str],
    values: dict[str, Any],
) -> None:
    await conn.execute(
        "INSERT INTO production_versions (production_id, version, org_id, event_id, device_id,"
        " user_id, changed_fields, values) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (record_id, version, ctx.org_id, ctx.event_id, ctx.device_id, ctx.user_id, fields,
         json.dumps(values, default=str)),
    )  # fmt: skip


async def find_record(conn: Conn, aggregate_id: UUID) -> dict[str, Any] | None:
    """The live or deleted record for an id or an alias of it, locked for update."""
    return await (
        await conn.execute(
            "SELECT * FROM production WHERE id = COALESCE("
            " (SELECT production_id FROM production_aliases WHERE alias_id = %s), %s) FOR UPDATE",
            (aggregate_id, aggregate_id),
        )
    ).fetchone()


async def record(conn: Conn, ctx: Context, aggregate_id: UUID, p: dict[str, Any]) -> Outcome:
    """`production.recorded`: a new well-day, or, if the day exists, a change against it."""
    day = date.fromisoformat(p["production_date"])
    existing = await (
        await conn.execute(
            "SELECT id FROM production WHERE well_id = %s AND production_date = %s"
            " AND deleted_at IS NULL",
            (p["well_id"], day),
        )
    ).fetchone()
    if existing is not None:
        await conn.execute(
            "INSERT INTO production_aliases (alias_id, org_id, production_id) VALUES (%s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (aggregate_id, ctx.org_id, existing["id"]),
        )
        changes = {name: p.get(name) for name in VALUE_FIELDS}
        return await change(conn, ctx, existing["id"], 0, changes)
    well = await (
        await conn.execute("SELECT 1 FROM wells WHERE id = %s", (p["well_id"],))
    ).fetchone()
    if well is None:
        raise Rejected(reason("unknown_well", f"unknown well {p['well_id']}", "well_id"))
    score, flags = await _issues(conn, ctx, p["well_id"], day, p)
    values = {name: p.get(name) for name in VALUE_FIELDS}
    await conn.execute(
        "INSERT INTO production (id, org_id, well_id, production_date, oil_bbl, gas_mcf,"
        " water_bbl, hours_on, downtime_hours, downtime_reason, tubing_psi, casing_psi,"
        " choke_64ths, notes, entry_method, location, quality_score, flags, version, server_seq)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s)",
        (aggregate_id, ctx.org_id, p["well_id"], day, *values.values(),
         p.get("entry_method", "MANUAL"), json.dumps(p.get("location")), score, flags,
         ctx.server_seq),
    )  # fmt: skip
    await _version(conn, ctx, aggregate_id, 1, list(VALUE_FIELDS), values)
    return Outcome("accepted", 1)


async def change(
    conn: Conn, ctx: Context, aggregate_id: UUID, base_version: int, changes: dict[str, Any]
) -> Outcome:
    """A correction (or a second recording of a day) made against `base_version`."""
    current = await find_record(conn, aggregate_id)
    if current is None or current["deleted_at"] is not None:
        raise Rejected(reason("unknown_record", f"no live production record {aggregate_id}"))
    mine = {k: v for k, v in changes.items() if k in VALUE_FIELDS and v != current[k]}
    if not mine:  # the values already stand: no change, no conflict
        return Outcome("accepted", int(current["version"]))
    overlap: list[str] = []
    if base_version != current["version"]:
        rows = await (
            await conn.execute(
                "SELECT changed_fields FROM production_versions"
                " WHERE production_id = %s AND version > %s",
                (current["id"], base_version),
            )
        ).fetchall()
        changed_since = {f for r in rows for f in r["changed_fields"]}
        overlap = sorted(set(mine) & changed_since)
    conflict_id = None
    if overlap:
        conflict_id = uuid4()
        await conn.execute(
            "INSERT INTO conflicts (id, org_id, aggregate_id, event_id, base_version,"
            " server_version, fields, mine, theirs, policy, server_seq)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, next_server_seq(%s))",
            (conflict_id, ctx.org_id, current["id"], ctx.event_id, base_version,
             current["version"], overlap, json.dumps({f: mine[f] for f in overlap}, default=str),
             json.dumps({f: current[f] for f in overlap}, default=str), ctx.policy, ctx.org_id),
        )  # fmt: skip
        if ctx.policy == "manual":
            mine = {k: v for k, v in mine.items() if k not in overlap}
    if not mine:
        return Outcome("conflict", int(current["version"]), conflict_id=conflict_id)
    merged_values = {**{k: current[k] for k in VALUE_FIELDS}, **mine}
    score, flags = await _issues(
        conn, ctx, current["well_id"], current["production_date"], merged_values
    )
    version = int(current["version"]) + 1
    assignments = ", ".join(f"{k} = %s" for k in mine)
    await conn.execute(
        f"UPDATE production SET {assignments}, quality_score = %s, flags = %s, version = %s,"
        " server_seq = %s WHERE id = %s",
        (*mine.values(), score, flags, version, ctx.server_seq, current["id"]),
    )
    await _version(conn, ctx, current["id"], version, sorted(mine), merged_values)
    if conflict_id:
        return Outcome("conflict", version, conflict_id=conflict_id)
    return Outcome("accepted", version, merged=base_version != current["version"])


async def void(conn: Conn, ctx: Context, aggregate_id: UUID) -> Outcome:
    current = await find_record(conn, aggregate_id)
    if current is None or current["deleted_at"] is not None:
        raise Rejected(reason("unknown_record", f"no live production record {aggregate_id}"))
    version = int(current["version"]) + 1
    await conn.execute(
        "UPDATE production SET deleted_at = now(), version = %s, server_seq = %s WHERE id = %s",
        (version, ctx.server_seq, current["id"]),
    )
    await _version(conn, ctx, current["id"], version, ["deleted"], {"deleted": True})
    return Outcome("accepted", version)
