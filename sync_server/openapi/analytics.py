"""Production series, trends, anomalies, forecasts and declines (docs/analytics-api.md)."""

from __future__ import annotations

from pydantic import BaseModel

from shared.analytics_contracts import (
    AnomaliesAnswer,
    DeclineAnswer,
    ForecastAnswer,
    SeriesAnswer,
    TrendAnswer,
)

from .operation import JsonSchema, Operation, Param

WELL = Param(
    "well_id",
    {"type": "string", "format": "uuid"},
    "The well (404 when the caller's organization has no such well).",
    where="path",
)
DAY: JsonSchema = {"type": "string", "format": "date"}
FROM = Param("from", DAY, "First day (inclusive); default: the first day of data.")
TO = Param("to", DAY, "Last day (inclusive); default: the last day of data. Not before `from`.")
METRIC = Param(
    "metric", {"enum": ["oil", "gas", "water"], "default": "oil"}, "Which rate (per day)."
)
ERRORS = (400, 404)


def _well_op(
    name: str, summary: str, answer: type[BaseModel], *params: Param, text: str
) -> Operation:
    return Operation(
        "get",
        f"/api/v1/analytics/wells/{{well_id}}/{name}",
        f"wellAnalytics{name.capitalize()}",
        summary,
        "analytics",
        answer,
        auth=True,
        errors=ERRORS,
        etag=True,
        params=(WELL, *params),
        description=text,
    )


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "get",
        "/api/v1/analytics/series",
        "analyticsSeries",
        "Per-period production totals of a well, lease, field or the organization",
        "analytics",
        SeriesAnswer,
        auth=True,
        errors=ERRORS,
        etag=True,
        description="Daily, ISO-weekly or monthly totals (oil, gas, water, BOE, producing and"
        " shut-in days, uptime, GOR, water cut, downtime by reason) over the days with data"
        " within [from, to], in the organization's time zone. A lease, field or organization"
        " is the sum of its wells.",
        params=(
            Param(
                "scope",
                {"enum": ["well", "lease", "field", "org"], "default": "org"},
                "What to total.",
            ),
            Param(
                "id",
                {"type": "string", "format": "uuid"},
                "The well, lease or field (required unless scope=org; for org, the caller's"
                " organization id or nothing).",
            ),
            Param(
                "interval", {"enum": ["day", "week", "month"], "default": "day"}, "Period length."
            ),
            FROM,
            TO,
        ),
    ),
    _well_op(
        "trend",
        "Least-squares trend of a well's daily rates",
        TrendAnswer,
        Param(
            "window",
            {
                "oneOf": [
                    {"const": "all"},
                    {"type": "string", "pattern": "^[0-9]+$"},
                ],
                "default": "30",
                "examples": ["30", "90", "365", "all"],
            },
            "Calendar days back from the last day (2 to 36600), or `all`.",
        ),
        text="Oil, gas and water: slope per day, % change over the window, R², p-value and"
        " direction, over the rates (normalised to a full day on) of producing days.",
    ),
    _well_op(
        "anomalies",
        "Days whose rate is far from the well's recent median",
        AnomaliesAnswer,
        FROM,
        TO,
        text="Robust z-score of each producing day's rate against the median and scaled MAD of"
        " the trailing producing days (shared.analytics.anomalies), kept to [from, to].",
    ),
    _well_op(
        "forecast",
        "Forecast of a well's daily rate with a 95 % prediction interval",
        ForecastAnswer,
        METRIC,
        Param(
            "horizon",
            {"type": "integer", "minimum": 1, "maximum": 90, "default": 7},
            "Days ahead of the last producing day.",
        ),
        text="ETS (or the documented fallback for short series) over the producing days. The"
        " result is stored with the well's data version and served again until the well's data"
        " change; `refusal` says why there is no forecast.",
    ),
    _well_op(
        "decline",
        "Arps decline fit with EUR and remaining reserves",
        DeclineAnswer,
        Param("metric", {"enum": ["oil", "gas"], "default": "oil"}, "Which rate (per day)."),
        Param(
            "terminal_decline",
            {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.06},
            "Switch to exponential at this decline, a fraction a year.",
        ),
        Param(
            "economic_limit",
            {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1e6, "default": 2.0},
            "EUR counts production down to this rate (bbl/day or Mcf/day).",
        ),
        text="Hyperbolic fit (0 <= b <= 2) on producing days, stored like the forecast;"
        " `refusal` says why the data cannot support a fit.",
    ),
)
