"""Stored forecasts and decline fits per well (docs/analytics-api.md "Stored results").

`analytics_forecasts` keeps one result per (organization, well, kind, metric, params): the
answer's JSON as the API serves it, the well's data version it was computed from (the highest
`server_seq` of the well's production rows, voided rows included, so any record, correction,
void or resolution of the well moves it) and `code_version` (the analytics code's version and
the organization's time zone). The API and `sync-server analytics forecast` serve the stored
result while both versions match, and recompute it otherwise.

Revision ID: 0006
"""

from alembic import op

revision = "0006"
down_revision = "0005"

APP_ROLE = "wellpulse_app"

SCHEMA = """
CREATE TABLE analytics_forecasts (
    org_id uuid NOT NULL REFERENCES organizations (id),
    well_id uuid NOT NULL REFERENCES wells (id),
    kind text NOT NULL CHECK (kind IN ('forecast', 'decline')),
    metric text NOT NULL CHECK (metric IN ('oil', 'gas', 'water')),
    params jsonb NOT NULL,
    data_version bigint NOT NULL,
    code_version text NOT NULL,
    result jsonb NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, well_id, kind, metric, params)
)
"""


def upgrade() -> None:
    op.execute(SCHEMA)
    tenant = "org_id = nullif(current_setting('app.org_id', true), '')::uuid"
    op.execute("ALTER TABLE analytics_forecasts ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE analytics_forecasts FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant ON analytics_forecasts USING ({tenant}) WITH CHECK ({tenant})"
    )
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON analytics_forecasts TO {APP_ROLE}")
