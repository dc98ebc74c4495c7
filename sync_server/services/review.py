"""The office's review lists: conflicts and quarantined events of one organization, newest
first, in pages (row-level security keeps them to the caller's org)."""

from __future__ import annotations

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


async def conflicts(
    db: Database, org_id: UUID, *, status: str | None, limit: int, before: int | None
) -> ConflictList:
    limit = max(1, min(limit, MAX_LIMIT))
    params = {"status": status, "before": before or _END, "limit": limit + 1}
    async with db.tenant(org_id) as conn:
        rows = await (await conn.execute(_CONFLICTS, params)).fetchall()
    items = [ConflictItem.model_validate(r) for r in rows[:limit]]
    more = len(rows) > limit
    return ConflictList(conflicts=items, next_before=items[-1].server_seq if more else None)


async def quarantine(
    db: Database, org_id: UUID, *, device_id: UUID | None, limit: int, before: int | None
) -> QuarantineList:
    limit = max(1, min(limit, MAX_LIMIT))
    params = {"device": device_id, "before": before or _END, "limit": limit + 1}
    async with db.tenant(org_id) as conn:
        rows = await (await conn.execute(_QUARANTINE, params)).fetchall()
    items = [QuarantinedEvent.model_validate(r) for r in rows[:limit]]
    more = len(rows) > limit
    return QuarantineList(events=items, next_before=items[-1].id if more else None)
