"""The SQL of the production aggregates (docs/analytics-server.md): what one row of
`analytics_daily` / `analytics_monthly` holds, written once for the rebuild and the refresh.

Four levels, each computed from the one before it, always by recomputing whole rows (never by
adding deltas, so a refresh gives exactly what a rebuild gives):

1. a well's day, from its live `production` row (status, BOE, local day length, downtime by
   reason);
2. a well's month, from its days;
3. the lease, field and organization days, from the well days (the well's lease and field as
   `wells` holds them now), one `GROUPING SETS` pass;
4. the lease, field and organization months, from the well months, the same way.

Every statement takes `%(org)s`; a level's `where` adds the filter that picks the rows to
recompute (nothing for a rebuild, the affected keys for a refresh). Downtime by reason is
summed in a second pass over the rows that have any (`jsonb_each`), so the common day without
downtime costs nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass

VALUES = (
    "wells, reading_days, producing_days, shut_in_days, oil, gas, water, boe,"
    " hours_on, downtime_hours, day_hours, downtime_by_reason"
)

# a reading's status (shared.analytics.series.DayStatus): hours known decide; unknown hours
# fall back to the volumes
_PRODUCING = (
    "p.hours_on > 0 OR (p.hours_on IS NULL AND (p.oil_bbl > 0 OR p.gas_mcf > 0 OR p.water_bbl > 0))"
)
_SHUT_IN = (
    "p.hours_on = 0 OR (p.hours_on IS NULL AND p.oil_bbl = 0 AND p.gas_mcf = 0 AND p.water_bbl = 0)"
)
_DAY_HOURS = (
    "extract(epoch FROM ((p.production_date + 1)::timestamp AT TIME ZONE o.timezone)"
    " - (p.production_date::timestamp AT TIME ZONE o.timezone))::float8 / 3600"
)
UNSPECIFIED_REASON = "UNSPECIFIED"  # downtime hours stored without a reason code


def well_days(join: str = "", where: str = "") -> str:
    """INSERT of the well-day rows of the live production rows `join` and `where` pick."""
    return f"""
INSERT INTO analytics_daily (org_id, scope, scope_id, day, {VALUES})
SELECT p.org_id, 'well', p.well_id, p.production_date, 1, 1,
       CASE WHEN {_PRODUCING} THEN 1 ELSE 0 END,
       CASE WHEN {_SHUT_IN} THEN 1 ELSE 0 END,
       p.oil_bbl, p.gas_mcf, p.water_bbl, p.oil_bbl + p.gas_mcf / 6,
       coalesce(p.hours_on, 0), coalesce(p.downtime_hours, 0), {_DAY_HOURS},
       CASE WHEN p.downtime_hours > 0 THEN jsonb_build_object(
           coalesce(nullif(p.downtime_reason, ''), '{UNSPECIFIED_REASON}'), p.downtime_hours)
       ELSE '{{}}'::jsonb END
  FROM production p JOIN organizations o ON o.id = p.org_id {join}
 WHERE p.org_id = %(org)s AND p.deleted_at IS NULL {where}
"""


@dataclass(frozen=True, slots=True)
class Level:
    """How the rows of one level are grouped from the rows of the level below."""

    target: str  # analytics_daily | analytics_monthly
    period: str  # the target's period column
    source: str  # the table of the rows summed (their scope is 'well')
    scope: str  # SQL for the target row's scope
    scope_id: str  # SQL for its scope id
    key: str  # SQL for its period, from the source row `a`
    groups: str  # GROUP BY, with {extra} where the reason key joins each group
    wells: str  # SQL for the number of wells

    def _source(self, join: str, where: str) -> str:
        return (
            f"FROM {self.source} a JOIN wells w ON w.id = a.scope_id AND w.org_id = a.org_id"
            f" {join} WHERE a.org_id = %(org)s AND a.scope = 'well' {where}"
        )

    def insert(self, join: str = "", where: str = "") -> str:
        """INSERT of the level's rows grouped from the source rows `join` and `where` pick."""
        keys = f"{self.scope} AS scope, {self.scope_id} AS scope_id, {self.key} AS period"
        totals = (
            f"SELECT {keys}, {self.wells} AS wells, sum(a.reading_days) AS reading_days,"
            " sum(a.producing_days) AS producing_days, sum(a.shut_in_days) AS shut_in_days,"
            " sum(a.oil) AS oil, sum(a.gas) AS gas, sum(a.water) AS water, sum(a.boe) AS boe,"
            " sum(a.hours_on) AS hours_on, sum(a.downtime_hours) AS downtime_hours,"
            f" sum(a.day_hours) AS day_hours {self._source(join, where)}"
            f" GROUP BY {self.groups.format(extra='')}"
        )
        exploded = self._source(
            f"{join} CROSS JOIN jsonb_each(a.downtime_by_reason) e",
            f"{where} AND a.downtime_by_reason <> '{{}}'::jsonb",
        )
        by_reason = (
            f"SELECT {keys}, e.key AS reason, sum(e.value::float8) AS hours {exploded}"
            f" GROUP BY {self.groups.format(extra=', e.key')}"
        )
        return (
            f"WITH t AS ({totals}),"
            f" r AS (SELECT scope, scope_id, period, jsonb_object_agg(reason, hours) AS reasons"
            f" FROM ({by_reason}) x GROUP BY scope, scope_id, period)"
            f" INSERT INTO {self.target} (org_id, scope, scope_id, {self.period}, {VALUES})"
            f" SELECT %(org)s, t.scope, t.scope_id, t.period, t.wells, t.reading_days,"
            " t.producing_days, t.shut_in_days, t.oil, t.gas, t.water, t.boe, t.hours_on,"
            " t.downtime_hours, t.day_hours, coalesce(r.reasons, '{}'::jsonb)"
            " FROM t LEFT JOIN r USING (scope, scope_id, period)"
            " WHERE t.scope_id IS NOT NULL"  # the lease or field set of wells that have none
        )


_MONTH = "date_trunc('month', a.day)::date"
WELL_MONTHS = Level(
    target="analytics_monthly",
    period="month",
    source="analytics_daily",
    scope="'well'",
    scope_id="a.scope_id",
    key=_MONTH,
    groups=f"a.scope_id, {_MONTH}{{extra}}",
    wells="max(a.wells)",
)


def _rollup(target: str, period: str, source: str, source_period: str) -> Level:
    p = f"a.{source_period}"
    return Level(
        target=target,
        period=period,
        source=source,
        scope="CASE WHEN grouping(w.lease_id) = 0 THEN 'lease'"
        " WHEN grouping(w.field_id) = 0 THEN 'field' ELSE 'org' END",
        scope_id="CASE WHEN grouping(w.lease_id) = 0 THEN w.lease_id"
        " WHEN grouping(w.field_id) = 0 THEN w.field_id ELSE a.org_id END",
        key=p,
        groups=f"GROUPING SETS ((w.lease_id, {p}{{extra}}), (w.field_id, {p}{{extra}}),"
        f" (a.org_id, {p}{{extra}}))",
        wells="sum(a.wells)",
    )


ROLLUP_DAYS = _rollup("analytics_daily", "day", "analytics_daily", "day")
ROLLUP_MONTHS = _rollup("analytics_monthly", "month", "analytics_monthly", "month")
ROLLUPS = "('lease', 'field', 'org')"
