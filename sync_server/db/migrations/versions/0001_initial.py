"""Initial schema: tenants, auth, wells, events, production with history, conflicts, quarantine,
audit; row-level security on every tenant table.

Revision ID: 0001
"""

from alembic import op

revision = "0001"
down_revision = None

TENANT_TABLES = (
    "users",
    "devices",
    "refresh_tokens",
    "companies",
    "fields",
    "leases",
    "wells",
    "events",
    "production",
    "production_aliases",
    "production_versions",
    "conflicts",
    "quarantine",
    "audit_log",
)

SCHEMA = """
CREATE TABLE organizations (
    id uuid PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name text NOT NULL,
    timezone text NOT NULL DEFAULT 'America/Chicago',
    conflict_policy text NOT NULL DEFAULT 'last_write_wins'
        CHECK (conflict_policy IN ('last_write_wins', 'manual')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE users (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    username text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL CHECK (role IN ('operator', 'supervisor', 'admin')),
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, username)
);
CREATE TABLE devices (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    user_id uuid NOT NULL REFERENCES users (id),
    name text NOT NULL,
    secret text NOT NULL,
    last_seq bigint NOT NULL DEFAULT 0,
    last_hash text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE refresh_tokens (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    user_id uuid NOT NULL REFERENCES users (id),
    device_id uuid NOT NULL REFERENCES devices (id),
    family_id uuid NOT NULL,
    token_hash text NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE TABLE companies (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    name text NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE fields (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    name text NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE leases (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    name text NOT NULL,
    company_id uuid REFERENCES companies (id),
    UNIQUE (org_id, name)
);
CREATE TABLE wells (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    api_number text NOT NULL CHECK (api_number ~ '^[0-9]{10}([0-9]{2}){0,2}$'),
    name text NOT NULL,
    field_id uuid REFERENCES fields (id),
    lease_id uuid REFERENCES leases (id),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    status text NOT NULL DEFAULT 'active',
    well_type text NOT NULL DEFAULT 'oil',
    version integer NOT NULL DEFAULT 1,
    server_seq bigint NOT NULL,
    UNIQUE (org_id, api_number)
);
CREATE SEQUENCE server_seq AS bigint;
CREATE TABLE events (
    server_seq bigint PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    org_id uuid NOT NULL REFERENCES organizations (id),
    device_id uuid NOT NULL REFERENCES devices (id),
    device_seq bigint NOT NULL,
    event_type text NOT NULL,
    aggregate_id uuid NOT NULL,
    base_version integer NOT NULL,
    result_version integer,
    hash text NOT NULL,
    envelope jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device_id, device_seq)
);
CREATE INDEX events_org_seq ON events (org_id, server_seq);
CREATE TABLE production (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    well_id uuid NOT NULL REFERENCES wells (id),
    production_date date NOT NULL,
    oil_bbl double precision NOT NULL CHECK (oil_bbl >= 0),
    gas_mcf double precision NOT NULL CHECK (gas_mcf >= 0),
    water_bbl double precision NOT NULL CHECK (water_bbl >= 0),
    hours_on double precision CHECK (hours_on BETWEEN 0 AND 25),
    downtime_hours double precision CHECK (downtime_hours BETWEEN 0 AND 25),
    downtime_reason text,
    tubing_psi double precision,
    casing_psi double precision,
    choke_64ths integer,
    notes text NOT NULL DEFAULT '',
    entry_method text NOT NULL,
    location jsonb,
    quality_score integer NOT NULL CHECK (quality_score BETWEEN 0 AND 100),
    flags jsonb NOT NULL DEFAULT '[]',
    version integer NOT NULL,
    server_seq bigint NOT NULL,
    deleted_at timestamptz
);
CREATE UNIQUE INDEX production_org_well_day ON production (org_id, well_id, production_date)
    WHERE deleted_at IS NULL;
CREATE INDEX production_org_seq ON production (org_id, server_seq);
CREATE TABLE production_aliases (
    alias_id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    production_id uuid NOT NULL REFERENCES production (id)
);
CREATE TABLE production_versions (
    production_id uuid NOT NULL REFERENCES production (id),
    version integer NOT NULL,
    org_id uuid NOT NULL REFERENCES organizations (id),
    event_id uuid NOT NULL,
    device_id uuid NOT NULL,
    user_id uuid NOT NULL,
    changed_fields text[] NOT NULL,
    values jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (production_id, version)
);
CREATE TABLE conflicts (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    aggregate_id uuid NOT NULL,
    event_id uuid NOT NULL,
    base_version integer NOT NULL,
    server_version integer NOT NULL,
    fields text[] NOT NULL,
    mine jsonb NOT NULL,
    theirs jsonb NOT NULL,
    policy text NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    server_seq bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by uuid
);
CREATE INDEX conflicts_org_status ON conflicts (org_id, status);
CREATE TABLE quarantine (
    id bigserial PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    device_id uuid NOT NULL,
    event_id uuid,
    envelope jsonb NOT NULL,
    reasons jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    actor_id uuid,
    action text NOT NULL,
    target text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    at timestamptz NOT NULL DEFAULT now()
)
"""

APP_ROLE = "wellpulse_app"


def upgrade() -> None:
    for statement in SCHEMA.split(";"):
        if statement.strip():
            op.execute(statement)
    op.execute(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN"
        f" CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$"
    )
    op.execute(f"GRANT {APP_ROLE} TO CURRENT_USER")
    tenant = "org_id = nullif(current_setting('app.org_id', true), '')::uuid"
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant ON {table} USING ({tenant}) WITH CHECK ({tenant})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
    op.execute("ALTER TABLE organizations ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE organizations FORCE ROW LEVEL SECURITY")
    # Org slugs are not secret: login finds the org by slug before it knows the tenant.
    op.execute("CREATE POLICY read_any ON organizations FOR SELECT USING (true)")
    op.execute(
        "CREATE POLICY own_org ON organizations FOR UPDATE"
        " USING (id = nullif(current_setting('app.org_id', true), '')::uuid)"
    )
    op.execute(f"GRANT SELECT, UPDATE ON organizations TO {APP_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON SEQUENCE server_seq TO {APP_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
