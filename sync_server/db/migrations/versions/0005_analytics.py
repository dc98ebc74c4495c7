"""Production aggregates on the server: daily and monthly totals per well, lease, field and
organization (docs/analytics-server.md).

`analytics_daily` has one row per (scope, scope id, day) with at least one reading and
`analytics_monthly` the same per month (keyed by the 1st); for scope 'org' the scope id is the
organization's id. Counts are well-days; `day_hours` sums the local day lengths of the reading
well-days (23 or 25 on the daylight-saving days of the org's time zone), `timed_day_hours` those
of the readings with hours on reported (uptime's denominator, as in shared.analytics);
`downtime_by_reason` maps a reason code to its downtime hours ('unspecified' without one).

A well's day is one `production` row, so `analytics_daily` is a view: its 'well' rows are
computed from the live production rows as they are read (always current, nothing to copy: 7.3
million rows for 10,000 wells over two years), its lease, field and org rows come from the
table `analytics_daily_rollups`. `analytics_monthly` is a table for every scope. The push
pipeline refreshes the rows of the well-days it changes in its own transaction; `sync-server
analytics rebuild` recomputes an organization's. The tables hold derived data: no foreign keys
(a key check per row would double a rebuild's time), only the tenant policy; the view runs
with its reader's rights (`security_invoker`), so the policies of `production` apply.

Revision ID: 0005
"""

from alembic import op

revision = "0005"
down_revision = "0004"

APP_ROLE = "wellpulse_app"
TABLES = ("analytics_daily_rollups", "analytics_monthly")

COLUMNS = """
    org_id uuid NOT NULL,
    scope text NOT NULL CHECK (scope IN ({scopes})),
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
    timed_day_hours double precision NOT NULL,
    downtime_by_reason jsonb NOT NULL DEFAULT '{{}}',
    PRIMARY KEY (org_id, scope, scope_id, {period})
"""

# shared.analytics.series.DayStatus: known hours decide; unknown hours fall back to volumes
WELL_DAYS = """
SELECT p.org_id, 'well'::text AS scope, p.well_id AS scope_id, p.production_date AS day,
       1 AS wells, 1 AS reading_days,
       CASE WHEN p.hours_on > 0 OR (p.hours_on IS NULL
                 AND (p.oil_bbl > 0 OR p.gas_mcf > 0 OR p.water_bbl > 0)) THEN 1 ELSE 0 END
           AS producing_days,
       CASE WHEN p.hours_on = 0 OR (p.hours_on IS NULL
                 AND p.oil_bbl = 0 AND p.gas_mcf = 0 AND p.water_bbl = 0) THEN 1 ELSE 0 END
           AS shut_in_days,
       p.oil_bbl AS oil, p.gas_mcf AS gas, p.water_bbl AS water,
       p.oil_bbl + p.gas_mcf / 6 AS boe,
       coalesce(p.hours_on, 0) AS hours_on, coalesce(p.downtime_hours, 0) AS downtime_hours,
       extract(epoch FROM ((p.production_date + 1)::timestamp AT TIME ZONE o.timezone)
           - (p.production_date::timestamp AT TIME ZONE o.timezone))::float8 / 3600 AS day_hours,
       CASE WHEN p.hours_on IS NULL THEN 0 ELSE 1 END
           * extract(epoch FROM ((p.production_date + 1)::timestamp AT TIME ZONE o.timezone)
           - (p.production_date::timestamp AT TIME ZONE o.timezone))::float8 / 3600
           AS timed_day_hours,
       CASE WHEN p.downtime_hours > 0 THEN jsonb_build_object(
           coalesce(nullif(p.downtime_reason, ''), 'unspecified'), p.downtime_hours)
       ELSE '{}'::jsonb END AS downtime_by_reason
  FROM production p JOIN organizations o ON o.id = p.org_id
 WHERE p.deleted_at IS NULL
"""

VALUES = (
    "org_id, scope, scope_id, day, wells, reading_days, producing_days, shut_in_days, oil, gas,"
    " water, boe, hours_on, downtime_hours, day_hours, timed_day_hours, downtime_by_reason"
)


def upgrade() -> None:
    rollups = "'lease', 'field', 'org'"
    every = f"'well', {rollups}"
    daily = COLUMNS.format(period="day", scopes=rollups)
    monthly = COLUMNS.format(period="month", scopes=every)
    op.execute(f"CREATE TABLE analytics_daily_rollups ({daily})")
    op.execute(f"CREATE TABLE analytics_monthly ({monthly}, CHECK (extract(day FROM month) = 1))")
    op.execute(
        "CREATE VIEW analytics_daily WITH (security_invoker = true) AS"
        f" {WELL_DAYS} UNION ALL SELECT {VALUES} FROM analytics_daily_rollups"
    )
    # the rollups of a day read every well's reading of that day
    op.execute(
        "CREATE INDEX production_org_day ON production (org_id, production_date)"
        " WHERE deleted_at IS NULL"
    )
    tenant = "org_id = nullif(current_setting('app.org_id', true), '')::uuid"
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant ON {table} USING ({tenant}) WITH CHECK ({tenant})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT ON analytics_daily TO {APP_ROLE}")
