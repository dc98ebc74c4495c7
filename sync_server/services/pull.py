"""GET /sync/changes: everything of the caller's org after a cursor, in server_seq order.

Accepted events (the envelope as received plus the version it produced), conflict notices (a
conflict comes again, with its `resolution`, when it is resolved) and wells, merged into one
stream; row-level security keeps it to the caller's organization.

Each event of a record also carries `record`: the record as that version left it (its id after
aliases, version, values, whether it is voided, and for production its well, day, entry method,
location and current quality flags). A device takes that state as confirmed instead of
re-deciding merges, conflict policies and well-day aliases itself.
"""

from __future__ import annotations

from uuid import UUID

from sync_server.db.pool import Database

MAX_LIMIT = 1000

_CHANGES = """
WITH ev AS MATERIALIZED (
    SELECT e.*, COALESCE(pa.production_id, e.aggregate_id) AS record_id
      FROM (SELECT * FROM events WHERE server_seq > %(cursor)s
             ORDER BY server_seq LIMIT %(limit)s) e
      LEFT JOIN production_aliases pa ON pa.alias_id = e.aggregate_id
), co AS (
    SELECT * FROM conflicts WHERE server_seq > %(cursor)s ORDER BY server_seq LIMIT %(limit)s
), we AS (
    SELECT * FROM wells WHERE server_seq > %(cursor)s ORDER BY server_seq LIMIT %(limit)s
)
SELECT e.server_seq, 'event' AS kind, e.result_version AS version, e.envelope AS data,
    CASE WHEN pv.production_id IS NOT NULL THEN jsonb_build_object(
        'kind', 'production', 'id', pv.production_id, 'version', pv.version,
        'values', pv.values, 'deleted', 'deleted' = ANY (pv.changed_fields),
        'well_id', p.well_id, 'production_date', p.production_date,
        'entry_method', p.entry_method, 'location', p.location,
        'quality_score', p.quality_score, 'flags', p.flags)
    WHEN av.aggregate_id IS NOT NULL THEN jsonb_build_object(
        'kind', a.aggregate_type, 'id', av.aggregate_id, 'version', av.version,
        'values', av.values, 'deleted', a.deleted_at IS NOT NULL, 'well_id', a.well_id)
    END AS record
  FROM ev e
  LEFT JOIN production_versions pv
    ON pv.production_id = e.record_id AND pv.version = e.result_version
  LEFT JOIN production p ON p.id = pv.production_id
  LEFT JOIN aggregate_versions av
    ON av.aggregate_id = e.aggregate_id AND av.version = e.result_version
  LEFT JOIN aggregates a ON a.id = av.aggregate_id
UNION ALL
SELECT server_seq, 'conflict', server_version, jsonb_build_object(
    'conflict_id', id, 'aggregate_id', aggregate_id, 'aggregate_type', aggregate_type,
    'event_id', event_id, 'device_id', device_id, 'fields', fields, 'mine', mine,
    'theirs', theirs, 'policy', policy, 'status', status, 'resolution', resolution), NULL
  FROM co
UNION ALL
SELECT w.server_seq, 'well', w.version, jsonb_build_object(
    'id', w.id, 'api_number', w.api_number, 'name', w.name, 'field', f.name, 'lease', l.name,
    'latitude', w.latitude, 'longitude', w.longitude, 'status', w.status,
    'well_type', w.well_type), NULL
  FROM we w LEFT JOIN fields f ON f.id = w.field_id LEFT JOIN leases l ON l.id = w.lease_id
ORDER BY server_seq
LIMIT %(limit)s
"""


# the JSON documents come out of Postgres as text and go into the answer as they are: no
# parsing into Python objects and serializing again (that was most of a page's cost)
_AS_TEXT = f"SELECT server_seq, kind, version, data::text, record::text FROM ({_CHANGES}) page"


async def changes_after(db: Database, org_id: UUID, cursor: int, limit: int) -> bytes:
    """One page as the JSON of a `ChangesPage`."""
    limit = max(1, min(limit, MAX_LIMIT))
    async with db.tenant(org_id) as conn:
        rows = await (
            await conn.execute(_AS_TEXT, {"cursor": cursor, "limit": limit + 1})
        ).fetchall()
    page = rows[:limit]
    items = ",".join(
        f'{{"server_seq":{r["server_seq"]},"kind":"{r["kind"]}","version":'
        f'{"null" if r["version"] is None else r["version"]},"data":{r["data"]},'
        f'"record":{r["record"] or "null"}}}'
        for r in page
    )
    next_cursor = page[-1]["server_seq"] if page else cursor
    has_more = "true" if len(rows) > limit else "false"
    return (f'{{"changes":[{items}],"next_cursor":{next_cursor},"has_more":{has_more}}}').encode()
