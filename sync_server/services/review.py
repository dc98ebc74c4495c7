"""The office's review lists: conflicts and quarantined events of one organization, newest
first, in pages (row-level security keeps them to the caller's org)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.reviews import ConflictItem, ConflictList, QuarantinedEvent, QuarantineList
from sync_server.db.pool import Database

MAX_LIMIT = 500

_CONFLICTS = """
SELECT id, aggregate_id, aggregate_type, event_id, device_id, fields, mine, theirs, policy,
       status, server_seq, created_at, resolved_at, resolution
  FROM conflicts
 WHERE (%(status)s::text IS NULL OR status = %(status)s) AND server_seq < %(before)s
 ORDER BY server_seq DESC
 LIMIT %(limit)s
"""

_QUARANTINE = """
SELECT id, device_id, event_id, received_at, reasons, envelope
  FROM quarantine
 WHERE id < %(before)s AND (%(device)s::uuid IS NULL OR device_id = %(device)s)
 ORDER BY id DESC
 LIMIT %(limit)s
"""

_END = 2**62


async def _page(
    db: Database, org_id: UUID, sql: str, params: dict[str, Any], limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """At most `limit` rows of a newest-first listing, and whether more follow."""
    params = {**params, "before": params["before"] or _END, "limit": limit + 1}
    async with db.tenant(org_id) as conn:
        rows = await (await conn.execute(sql, params)).fetchall()
    return rows[:limit], len(rows) > limit


async def conflicts(
    db: Database, org_id: UUID, *, status: str | None, limit: int, before: int | None
) -> ConflictList:
    limit = max(1, min(limit, MAX_LIMIT))
    rows, more = await _page(db, org_id, _CONFLICTS, {"status": status, "before": before}, limit)
    items = [ConflictItem.model_validate(r) for r in rows]
    return ConflictList(conflicts=items, next_before=items[-1].server_seq if more else None)


async def quarantine(
    db: Database, org_id: UUID, *, device_id: UUID | None, limit: int, before: int | None
) -> QuarantineList:
    limit = max(1, min(limit, MAX_LIMIT))
    rows, more = await _page(
        db, org_id, _QUARANTINE, {"device": device_id, "before": before}, limit
    )
    items = [QuarantinedEvent.model_validate(r) for r in rows]
    return QuarantineList(events=items, next_before=items[-1].id if more else None)
