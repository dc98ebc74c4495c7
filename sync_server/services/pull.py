"""GET /sync/changes: everything of the caller's org after a cursor, in server_seq order.

Accepted events (the envelope as received plus the version it produced), conflict notices (a
conflict comes again, with its `resolution`, when it is resolved) and wells, merged into one
stream; row-level security keeps it to the caller's organization.
"""

from __future__ import annotations

from uuid import UUID

from shared.contracts import Change, ChangesPage
from sync_server.db.pool import Database

MAX_LIMIT = 1000

_CHANGES = """
SELECT server_seq, 'event' AS kind, result_version AS version, envelope AS data
  FROM events WHERE server_seq > %(cursor)s
UNION ALL
SELECT server_seq, 'conflict', server_version, jsonb_build_object(
    'conflict_id', id, 'aggregate_id', aggregate_id, 'aggregate_type', aggregate_type,
    'event_id', event_id, 'device_id', device_id, 'fields', fields, 'mine', mine,
    'theirs', theirs, 'policy', policy, 'status', status, 'resolution', resolution)
  FROM conflicts WHERE server_seq > %(cursor)s
UNION ALL
SELECT w.server_seq, 'well', w.version, jsonb_build_object(
    'id', w.id, 'api_number', w.api_number, 'name', w.name, 'field', f.name, 'lease', l.name,
    'latitude', w.latitude, 'longitude', w.longitude, 'status', w.status,
    'well_type', w.well_type)
  FROM wells w LEFT JOIN fields f ON f.id = w.field_id LEFT JOIN leases l ON l.id = w.lease_id
  WHERE w.server_seq > %(cursor)s
ORDER BY server_seq
LIMIT %(limit)s
"""


async def changes_after(db: Database, org_id: UUID, cursor: int, limit: int) -> ChangesPage:
    limit = max(1, min(limit, MAX_LIMIT))
    async with db.tenant(org_id) as conn:
        rows = await (
            await conn.execute(_CHANGES, {"cursor": cursor, "limit": limit + 1})
        ).fetchall()
    page = [Change.model_validate(row) for row in rows[:limit]]
    return ChangesPage(
        changes=page,
        next_cursor=page[-1].server_seq if page else cursor,
        has_more=len(rows) > limit,
    )
