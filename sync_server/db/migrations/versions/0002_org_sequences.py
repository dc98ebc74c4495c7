"""Per-organization change sequence, generic aggregates, conflict resolutions.

- `organizations.last_seq` replaces the global `server_seq` sequence. A writer takes the next
  numbers by updating its organization's row, which it holds locked until commit; so, within an
  organization, a change with a higher seq is never visible before one with a lower seq, and a
  pull cursor can never skip a change that commits late. Numbers are contiguous per org and say
  nothing about other tenants.
- `aggregates` (+ `aggregate_versions`) hold the server state of equipment, maintenance,
  incidents and photos, so a change to an unknown or deleted one is refused like production's.
- `conflicts` learn which device raised them, what kind of record they concern, and how they
  were resolved.
- `quarantine.envelope` becomes `json` (text kept as received): a rejected event may hold
  what `jsonb` cannot, such as a NUL character.

Revision ID: 0002
"""

from alembic import op

revision = "0002"
down_revision = "0001"

APP_ROLE = "wellpulse_app"
SEQ_TABLES = ("events", "conflicts", "wells", "production")
NEW_TENANT_TABLES = ("aggregates", "aggregate_versions")

SCHEMA = """
ALTER TABLE organizations ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD PRIMARY KEY (org_id, server_seq);
DROP INDEX events_org_seq;
CREATE UNIQUE INDEX conflicts_org_seq ON conflicts (org_id, server_seq);
CREATE UNIQUE INDEX wells_org_seq ON wells (org_id, server_seq);
ALTER TABLE conflicts ADD COLUMN aggregate_type text NOT NULL DEFAULT 'production';
ALTER TABLE conflicts ADD COLUMN device_id uuid;
ALTER TABLE conflicts ADD COLUMN resolution jsonb;
ALTER TABLE quarantine ALTER COLUMN envelope TYPE json USING envelope::json;
CREATE TABLE aggregates (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    aggregate_type text NOT NULL
        CHECK (aggregate_type IN ('equipment', 'maintenance', 'incident', 'photo')),
    well_id uuid REFERENCES wells (id),
    state jsonb NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    server_seq bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE INDEX aggregates_org_type_well ON aggregates (org_id, aggregate_type, well_id);
CREATE TABLE aggregate_versions (
    aggregate_id uuid NOT NULL REFERENCES aggregates (id),
    version integer NOT NULL,
    org_id uuid NOT NULL REFERENCES organizations (id),
    event_id uuid NOT NULL,
    device_id uuid NOT NULL,
    user_id uuid NOT NULL,
    changed_fields text[] NOT NULL,
    values jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (aggregate_id, version)
);
CREATE FUNCTION next_server_seq(org uuid, n bigint DEFAULT 1) RETURNS bigint
    LANGUAGE sql VOLATILE
    AS 'UPDATE organizations SET last_seq = last_seq + n WHERE id = org RETURNING last_seq'
"""


def _backfill_last_seq() -> None:
    """Start each org's counter past every seq it already holds (RLS lifted for the owner)."""
    for table in SEQ_TABLES:
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    parts = ", ".join(
        f"COALESCE((SELECT max(server_seq) FROM {t} WHERE org_id = o.id), 0)" for t in SEQ_TABLES
    )
    op.execute(f"UPDATE organizations o SET last_seq = GREATEST({parts})")
    for table in SEQ_TABLES:
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def upgrade() -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)
    _backfill_last_seq()
    op.execute("DROP SEQUENCE server_seq")
    tenant = "org_id = nullif(current_setting('app.org_id', true), '')::uuid"
    for table in NEW_TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant ON {table} USING ({tenant}) WITH CHECK ({tenant})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
    op.execute(f"GRANT EXECUTE ON FUNCTION next_server_seq(uuid, bigint) TO {APP_ROLE}")
