"""Production aggregates kept current on the server: daily and monthly totals per well, lease,
field and organization (docs/analytics-server.md).

`analytics_daily` holds one row per (scope, scope id, day) that has at least one reading,
`analytics_monthly` the same per month (keyed by the 1st). For scope 'org' the scope id is the
organization's id. Counts are well-days; `day_hours` is the sum of the local day lengths of the
reading well-days (23 or 25 on the daylight-saving days of the org's time zone);
`downtime_by_reason` maps a reason code to its downtime hours. The push pipeline refreshes the
rows of the well-days it changes in its own transaction; `sync-server analytics rebuild`
recomputes an organization's rows.

Revision ID: 0005
"""

from alembic import op

revision = "0005"
down_revision = "0004"

APP_ROLE = "wellpulse_app"
TABLES = ("analytics_daily", "analytics_monthly")

COLUMNS = """
    org_id uuid NOT NULL REFERENCES organizations (id),
    scope text NOT NULL CHECK (scope IN ('well', 'lease', 'field', 'org')),
    scope_id uuid NOT NULL,
    {period} date NOT NULL,
    wells integer NOT NULL,
    reading_days integer NOT NULL,
    producing_days integer NOT NULL,
    shut_in_days integer NOT NULL,
    oil double precision NOT NULL,
    gas double precision NOT NULL,
    water double precision NOT NULL,
    boe double precision NOT NULL,
    hours_on double precision NOT NULL,
    downtime_hours double precision NOT NULL,
    day_hours double precision NOT NULL,
    downtime_by_reason jsonb NOT NULL DEFAULT '{{}}',
    PRIMARY KEY (org_id, scope, scope_id, {period})
"""


def upgrade() -> None:
    op.execute(f"CREATE TABLE analytics_daily ({COLUMNS.format(period='day')})")
    op.execute(
        f"CREATE TABLE analytics_monthly ({COLUMNS.format(period='month')},"
        " CHECK (extract(day FROM month) = 1))"
    )
    tenant = "org_id = nullif(current_setting('app.org_id', true), '')::uuid"
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant ON {table} USING ({tenant}) WITH CHECK ({tenant})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
