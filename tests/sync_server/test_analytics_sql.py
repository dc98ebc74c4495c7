"""The SQL of the aggregates (sync_server/services/analytics_sql.py): its well-day source (what
every stored level groups) equals the 'well' rows of the view `analytics_daily` that readers
see, row for row, on real pushed data with every kind of day (producing, partial, shut in,
hours unknown, DST days, downtime without a reason code)."""

from __future__ import annotations

from typing import Any

import psycopg
from starlette.testclient import TestClient

from sync_server.services.analytics_sql import UNSPECIFIED_REASON, WELL_DAYS

from .test_analytics_refresh import make_org, push_history

COLUMNS = (
    "scope, scope_id, day, wells, reading_days, producing_days, shut_in_days, oil, gas, water,"
    " boe, hours_on, downtime_hours, day_hours"
)


def rows(url: str, sql: str, org: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, {"org": org}).fetchall()


def test_the_grouped_well_days_are_the_views_well_rows(
    client: TestClient, database_url: str
) -> None:
    org = make_org(client, database_url)
    push_history(org)
    with psycopg.connect(database_url) as conn:  # downtime hours with no reason code
        conn.execute(
            "UPDATE production SET downtime_reason = NULL WHERE id = (SELECT id FROM production"
            " WHERE org_id = %s AND downtime_hours > 0 LIMIT 1)",
            (org.id,),
        )
    view = rows(
        database_url,
        f"SELECT {COLUMNS}, downtime_by_reason FROM analytics_daily"
        " WHERE org_id = %(org)s AND scope = 'well' ORDER BY scope_id, day",
        org.id,
    )
    source = rows(
        database_url,
        f"SELECT {COLUMNS}, CASE WHEN a.downtime_hours > 0"
        " THEN jsonb_build_object(a.reason, a.downtime_hours) ELSE '{}'::jsonb END"
        f" FROM {WELL_DAYS} a WHERE a.org_id = %(org)s ORDER BY scope_id, day",
        org.id,
    )
    assert len(view) == len(org.live) > 0
    assert source == view
    reasons = {k for *_, by_reason in view for k in by_reason}
    assert UNSPECIFIED_REASON in reasons and {"POWER", "ROD_PART", "PUMP_FAIL"} <= reasons
    assert {r[-2] for r in view} == {23.0, 24.0, 25.0}  # day_hours
