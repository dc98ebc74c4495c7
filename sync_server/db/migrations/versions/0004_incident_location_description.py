"""Incidents say in words where on the lease they happened.

`incident.reported` gained an optional `location_description` (docs/design.md §3: an additive
optional
field keeps the schema version). The server keeps incident payloads as JSON (`aggregates.state`,
`aggregate_versions.values`), so no column changes; the incidents stored before the field
existed get its default, "", so every incident record a device pulls carries every field of
today's contract and reads the same as one reported now.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"

TABLES = ("aggregates", "aggregate_versions")

BACKFILL = (
    """UPDATE aggregates SET state = state || jsonb_build_object('location_description', '')
     WHERE aggregate_type = 'incident' AND NOT state ? 'location_description'""",
    """UPDATE aggregate_versions v
       SET values = v.values || jsonb_build_object('location_description', '')
      FROM aggregates a
     WHERE a.id = v.aggregate_id AND a.aggregate_type = 'incident'
       AND NOT v.values ? 'location_description'""",
)


def upgrade() -> None:
    # the owner is subject to row-level security too (FORCE): lifted for the backfill only
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    for statement in BACKFILL:
        op.execute(statement)
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
