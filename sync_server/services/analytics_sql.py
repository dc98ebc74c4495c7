"""The SQL of the production aggregates (docs/analytics-server.md): how the rows of
`analytics_monthly` and `analytics_daily_rollups` are grouped, written once for the rebuild
and the refresh.

A well's day is the view `analytics_daily`'s 'well' row (migration 0005: computed from the
live `production` row as it is read — status, BOE, local day length, downtime by reason).
Three levels are stored, each grouped from the rows below it and always recomputed whole
(never by adding deltas: counts are equal to a rebuild's, float sums equal up to the order of
summation):

1. a well's month, from its days;
2. the lease, field and organization days, from the well days (each well's lease and field as
   `wells` holds them now), in one `GROUPING SETS` pass;
3. the lease, field and organization months, from the well months, the same way.

The refresh's statements are `Level.insert(join, where)`, where `join` and `where` pick the
rows to recompute (the affected keys). The rebuild writes levels 1 and 2 with `ONE_PASS`, one
statement over the whole organization, then level 3 with `ROLLUP_MONTHS.insert()`. Every
statement takes `%(org)s`. Downtime by reason: from well days the reason is one more key of
the refresh's groups; from well months the maps are exploded (`jsonb_each`) over the rows that
have any; the rebuild groups the reasons of the well days apart, over the rows with downtime
only. Either way the common day without downtime costs nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.analytics.series import UNSPECIFIED_REASON  # downtime hours without a reason code

VALUES = (
    "wells, reading_days, producing_days, shut_in_days, oil, gas, water, boe,"
    " hours_on, downtime_hours, day_hours, timed_day_hours, downtime_by_reason"
)
ROLLUPS = "('lease', 'field', 'org')"

# The local length of every day of the org's history, computed once per statement as an array
# (an InitPlan) and looked up per row by the day's offset from the first (the bounds come from
# the index production_org_day), rather than converted twice per row.
_FIRST = (
    "(SELECT min(production_date) FROM production WHERE org_id = %(org)s AND deleted_at IS NULL)"
)
_LAST = (
    "(SELECT max(production_date) FROM production WHERE org_id = %(org)s AND deleted_at IS NULL)"
)
_LENGTHS = f"""(SELECT array_agg(extract(epoch FROM
    ((g::date + 1)::timestamp AT TIME ZONE o.timezone) - (g::timestamp AT TIME ZONE o.timezone)
    )::float8 / 3600 ORDER BY g)
  FROM organizations o, generate_series({_FIRST}, {_LAST}, interval '1 day') g
 WHERE o.id = %(org)s)"""

# The 'well' rows of the view analytics_daily (migration 0005), as the stored levels group
# them: the same definitions (shared.analytics.series.DayStatus: known hours decide, unknown
# hours fall back to the volumes), the day length looked up, the month, the downtime unbuilt.
WELL_DAYS = f"""(SELECT p.org_id, 'well'::text AS scope, p.well_id AS scope_id,
       p.production_date AS day, 1 AS wells, 1 AS reading_days,
       CASE WHEN p.hours_on > 0 OR (p.hours_on IS NULL
                 AND (p.oil_bbl > 0 OR p.gas_mcf > 0 OR p.water_bbl > 0)) THEN 1 ELSE 0 END
           AS producing_days,
       CASE WHEN p.hours_on = 0 OR (p.hours_on IS NULL
                 AND p.oil_bbl = 0 AND p.gas_mcf = 0 AND p.water_bbl = 0) THEN 1 ELSE 0 END
           AS shut_in_days,
       p.oil_bbl AS oil, p.gas_mcf AS gas, p.water_bbl AS water,
       p.oil_bbl + p.gas_mcf / 6 AS boe,
       coalesce(p.hours_on, 0) AS hours_on, coalesce(p.downtime_hours, 0) AS downtime_hours,
       ({_LENGTHS})[p.production_date - {_FIRST} + 1] AS day_hours,
       CASE WHEN p.hours_on IS NULL THEN 0 ELSE 1 END
           * ({_LENGTHS})[p.production_date - {_FIRST} + 1] AS timed_day_hours,
       date_trunc('month', p.production_date::timestamp)::date AS month,
       coalesce(nullif(p.downtime_reason, ''), '{UNSPECIFIED_REASON}') AS reason
  FROM production p
 WHERE p.deleted_at IS NULL)"""


_SUMS = (
    "sum(a.reading_days) AS reading_days, sum(a.producing_days) AS producing_days,"
    " sum(a.shut_in_days) AS shut_in_days, sum(a.oil) AS oil, sum(a.gas) AS gas,"
    " sum(a.water) AS water, sum(a.boe) AS boe, sum(a.hours_on) AS hours_on,"
    " sum(a.downtime_hours) AS downtime_hours, sum(a.day_hours) AS day_hours,"
    " sum(a.timed_day_hours) AS timed_day_hours"
)
_RESUMS = _SUMS.replace("(a.", "(t.")


@dataclass(frozen=True, slots=True)
class Level:
    """How the rows of one stored level are grouped from the rows of the level below.

    From well days (`reason` a column) one pass groups by the reason too, and the groups are
    then folded into one row each, the reasons into `downtime_by_reason`; from well months
    (reasons already a map) the totals and the exploded maps are two passes, joined."""

    target: str  # the table written
    period: str  # the target's period column
    source: str  # the relation of the rows summed, as `a` (their scope is 'well')
    scope: str  # SQL for the target row's scope
    scope_id: str  # SQL for its scope id
    key: str  # SQL for its period, from the source row `a`
    groups: str  # GROUP BY, with {extra} where the reason key joins each group
    wells: str  # SQL for the number of wells, from the grouped rows `t`
    places: bool  # joins `wells` (w) for the lease and field
    from_days: bool  # the source rows are well days

    def _source(self, join: str, where: str) -> str:
        wells = " JOIN wells w ON w.id = a.scope_id AND w.org_id = a.org_id" if self.places else ""
        return (
            f"FROM {self.source} a{wells} {join}"
            f" WHERE a.org_id = %(org)s AND a.scope = 'well' {where}"
        )

    def _keys(self) -> str:
        return f"{self.scope} AS scope, {self.scope_id} AS scope_id, {self.key} AS period"

    def _write(self, rows: str) -> str:
        return (
            f"{rows} INSERT INTO {self.target} (org_id, scope, scope_id, {self.period}, {VALUES})"
            " SELECT %(org)s, scope, scope_id, period, wells, reading_days, producing_days,"
            " shut_in_days, oil, gas, water, boe, hours_on, downtime_hours, day_hours,"
            " timed_day_hours, reasons"
            " FROM f WHERE scope_id IS NOT NULL"  # the lease or field set of wells with none
        )

    def insert(self, join: str = "", where: str = "") -> str:
        """INSERT of the level's rows grouped from the source rows `join` and `where` pick."""
        return self._from_days(join, where) if self.from_days else self._from_maps(join, where)

    def _from_days(self, join: str, where: str) -> str:
        reason = "CASE WHEN a.downtime_hours > 0 THEN a.reason END"
        split = (
            f"SELECT {self._keys()}, {reason} AS reason, sum(a.wells) AS wells, {_SUMS}"
            f" {self._source(join, where)} GROUP BY {self.groups.format(extra=', ' + reason)}"
        )
        folded = (
            f"SELECT scope, scope_id, period, {self.wells} AS wells, {_RESUMS},"
            " coalesce(jsonb_object_agg(reason, downtime_hours)"
            " FILTER (WHERE reason IS NOT NULL), '{}'::jsonb) AS reasons"
            " FROM t GROUP BY scope, scope_id, period"
        )
        return self._write(f"WITH t AS ({split}), f AS ({folded})")

    def _from_maps(self, join: str, where: str) -> str:
        totals = (
            f"SELECT {self._keys()}, sum(a.wells) AS wells, {_SUMS}"
            f" {self._source(join, where)} GROUP BY {self.groups.format(extra='')}"
        )
        exploded = self._source(
            f"{join} CROSS JOIN jsonb_each(a.downtime_by_reason) e",
            f"{where} AND a.downtime_by_reason <> '{{}}'::jsonb",
        )
        by_reason = (
            f"SELECT {self._keys()}, e.key AS reason, sum(e.value::float8) AS hours {exploded}"
            f" GROUP BY {self.groups.format(extra=', e.key')}"
        )
        return self._write(
            f"WITH t AS ({totals}),"
            " r AS (SELECT scope, scope_id, period, jsonb_object_agg(reason, hours) AS reasons"
            f" FROM ({by_reason}) x GROUP BY scope, scope_id, period),"
            " f AS (SELECT t.*, coalesce(r.reasons, '{}'::jsonb) AS reasons"
            " FROM t LEFT JOIN r USING (scope, scope_id, period))"
        )


WELL_MONTHS = Level(
    target="analytics_monthly",
    period="month",
    source=WELL_DAYS,
    scope="'well'",
    scope_id="a.scope_id",
    key="a.month",
    groups="a.scope_id, a.month{extra}",
    wells="1",
    places=False,
    from_days=True,
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
        wells="sum(t.wells)",
        places=True,
        from_days=source_period == "day",
    )


ROLLUP_DAYS = _rollup("analytics_daily_rollups", "day", WELL_DAYS, "day")
ROLLUP_MONTHS = _rollup("analytics_monthly", "month", "analytics_monthly", "month")


def _place(column: str) -> str:
    """CASE over a grouping of lease, field and day: the row's scope or scope id."""
    if column == "scope":
        return (
            "CASE WHEN grouping(lease_id) = 0 THEN 'lease'"
            " WHEN grouping(field_id) = 0 THEN 'field' ELSE 'org' END"
        )
    return (
        "CASE WHEN grouping(lease_id) = 0 THEN lease_id"
        " WHEN grouping(field_id) = 0 THEN field_id ELSE %(org)s::uuid END"
    )


def _one_pass() -> str:
    """The rebuild's well months and lease, field and organization days, written by one
    statement from one pass over the well days (and a second over the few with downtime).

    The pass keeps two groupings per row (by well and month; by field, lease and day), not
    the four of the three places and the reason: the lease, field and org days are then
    summed from the (field, lease, day) groups, a few thousand rows. The reasons are grouped
    apart over the rows with downtime only (a text key in every grouping doubles its cost).
    Its result row is (days written, months written)."""
    source = (
        f"FROM {WELL_DAYS} a JOIN wells w ON w.id = a.scope_id AND w.org_id = a.org_id"
        " WHERE a.org_id = %(org)s"
    )
    keys = (
        "grouping(a.scope_id) AS days, a.scope_id AS well, a.month, w.field_id, w.lease_id, a.day"
    )
    sets = "(a.scope_id, a.month{r}), (w.field_id, w.lease_id, a.day{r})"
    totals = (
        f"SELECT {keys}, sum(a.wells) AS wells, {_SUMS} {source}"
        f" GROUP BY GROUPING SETS ({sets.format(r='')})"
    )
    reasons = (
        f"SELECT {keys}, a.reason, sum(a.downtime_hours) AS hours {source}"
        f" AND a.downtime_hours > 0 GROUP BY GROUPING SETS ({sets.format(r=', a.reason')})"
    )
    month_reasons = (
        "SELECT well, month, jsonb_object_agg(reason, hours) AS reasons"
        " FROM r WHERE days = 0 GROUP BY well, month"
    )
    places = "GROUPING SETS ((lease_id, day{r}), (field_id, day{r}), (day{r}))"
    place_days = (
        f"SELECT {_place('scope')} AS scope, {_place('id')} AS scope_id, day,"
        f" sum(wells) AS wells, {_SUMS.replace('(a.', '(')}"
        f" FROM g WHERE days = 1 GROUP BY {places.format(r='')}"
    )
    place_reasons = (
        "SELECT scope, scope_id, day, jsonb_object_agg(reason, hours) AS reasons FROM"
        f" (SELECT {_place('scope')} AS scope, {_place('id')} AS scope_id, day, reason,"
        f" sum(hours) AS hours FROM r WHERE days = 1 GROUP BY {places.format(r=', reason')}) x"
        " GROUP BY scope, scope_id, day"
    )
    numbers = (
        "reading_days, producing_days, shut_in_days, oil, gas, water, boe, hours_on,"
        " downtime_hours, day_hours, timed_day_hours, coalesce(reasons, '{}'::jsonb)"
    )
    return (
        f"WITH g AS ({totals}), r AS ({reasons}),"
        f" m AS (INSERT INTO analytics_monthly (org_id, scope, scope_id, month, {VALUES})"
        f" SELECT %(org)s, 'well', well, month, 1, {numbers}"
        f" FROM g LEFT JOIN ({month_reasons}) mr USING (well, month) WHERE g.days = 0"
        " RETURNING 1),"
        f" pd AS ({place_days}), pr AS ({place_reasons}),"
        f" d AS (INSERT INTO analytics_daily_rollups (org_id, scope, scope_id, day, {VALUES})"
        f" SELECT %(org)s, scope, scope_id, day, wells, {numbers}"
        " FROM pd LEFT JOIN pr USING (scope, scope_id, day) WHERE scope_id IS NOT NULL"
        " RETURNING 1)"
        " SELECT (SELECT count(*) FROM d), (SELECT count(*) FROM m)"
    )


ONE_PASS = _one_pass()
