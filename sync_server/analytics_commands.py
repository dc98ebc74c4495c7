"""`sync-server analytics summary|trend|forecast|decline --org SLUG --well API` and the bulk
`analytics forecast --org SLUG` (docs/analytics-api.md): the same answers as the API, over the
owner's connection, printed as a table or as the API's JSON."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from pydantic import BaseModel

from shared.analytics_contracts import (
    DeclineAnswer,
    ForecastAnswer,
    Metric,
    SeriesAnswer,
    TrendAnswer,
)
from shared.api_number import ApiNumberError, normalize_api_number
from sync_server.db.pool import TENANT_SQL
from sync_server.services import analytics_compute as compute
from sync_server.services import analytics_reads as reads
from sync_server.services.admin import AdminError, org_id_of
from sync_server.services.analytics_compute import WellData


@dataclass(frozen=True, slots=True)
class Well:
    api_number: str
    name: str
    data: WellData
    tz: str


def load_well(url: str, org: str, api: str) -> Well:
    """The well `api` of the organization `org` with its rows; AdminError when there is none."""
    try:
        number = normalize_api_number(api)
    except ApiNumberError as exc:
        raise AdminError(f"--well {api!r}: {exc}") from None
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org_id = org_id_of(conn, org)
        conn.execute(TENANT_SQL, (str(org_id),))
        found = conn.execute(reads.WELL_BY_API, {"org": org_id, "api": number}).fetchone()
        if found is None:
            raise AdminError(f"no well with API number {api} in '{org}'")
        well_id = UUID(str(found["id"]))
        rows = conn.execute(reads.ROWS, reads.rows_params(org_id, [well_id])).fetchall()
        tz_row = conn.execute(reads.TIMEZONE, {"org": org_id}).fetchone()
    tz = str(tz_row["timezone"]) if tz_row else "UTC"
    data = reads.well_data_from([well_id], rows)[0]
    return Well(str(found["api_number"]), str(found["name"]), data, tz)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def summary(well: Well, days: int) -> SeriesAnswer:
    """Daily totals of the last `days` days of data."""
    last = max((r.production_date for r in well.data.rows), default=None)
    first = None if last is None else last - timedelta(days=days - 1)
    return compute.series_answer(
        "well", well.data.well_id, [well.data.rows], well.tz, "day", first, last, 1
    )


def trend(well: Well, days: int) -> TrendAnswer:
    return compute.trend_answer(well.data, well.tz, days or None)


def forecast(well: Well, days: int, metric: Metric) -> ForecastAnswer:
    return compute.forecast_answer(well.data, well.tz, metric, days, _now())


def decline(
    well: Well, days: int, metric: Metric, terminal_decline: float, economic_limit: float
) -> DeclineAnswer:
    """The fit over the last `days` days of data (0: all of it)."""
    data = well.data
    if days and data.rows:
        since = max(r.production_date for r in data.rows) - timedelta(days=days - 1)
        data = WellData(
            data.well_id, tuple(r for r in data.rows if r.production_date >= since), data.version
        )
    return compute.decline_answer(data, well.tz, metric, terminal_decline, economic_limit, _now())


# --- tables -------------------------------------------------------------------------------------


def _n(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in lines)


def summary_table(well: Well, answer: SeriesAnswer) -> str:
    rows = [
        [
            p.label,
            _n(p.totals.oil_bbl),
            _n(p.totals.gas_mcf),
            _n(p.totals.water_bbl),
            _n(p.totals.boe),
            _n(p.totals.hours_on),
            "producing" if p.totals.producing_days else "shut in" if p.totals.shut_in_days else "-",
        ]
        for p in answer.periods
    ]
    head = f"{well.api_number} {well.name} ({answer.timezone})"
    table = _table(["day", "oil bbl", "gas mcf", "water bbl", "boe", "hours", "status"], rows)
    return f"{head}\n{table}"


def trend_table(well: Well, answer: TrendAnswer) -> str:
    rows = [
        [metric]
        + (
            ["-", "-", "-", "-", "too few points", "0"]
            if line is None
            else [
                _n(line.slope_per_day, 3),
                _n(line.pct_change),
                _n(line.r_squared, 3),
                _n(line.p_value, 4),
                line.direction,
                str(line.n),
            ]
        )
        for metric, line in answer.trends.items()
    ]
    window = "all days" if answer.window is None else f"last {answer.window} days"
    head = f"{well.api_number} {well.name}: trend of daily rates, {window} to {answer.last_day}"
    return (
        head + "\n" + _table(["metric", "slope/day", "change %", "R²", "p", "direction", "n"], rows)
    )


def forecast_table(well: Well, answer: ForecastAnswer) -> str:
    head = f"{well.api_number} {well.name}: {answer.metric} rate forecast"
    if answer.forecast is None:
        return f"{head}: none ({answer.refusal})"
    body = answer.forecast
    rows = [[p.day.isoformat(), _n(p.mean), _n(p.lower), _n(p.upper)] for p in body.points]
    method = f"{body.method}, {body.n_obs} producing days" + (f"; {body.note}" if body.note else "")
    return f"{head} ({method})\n" + _table(["day", "mean", "95% low", "95% high"], rows)


def decline_table(well: Well, answer: DeclineAnswer) -> str:
    head = f"{well.api_number} {well.name}: Arps decline of the {answer.metric} rate"
    if answer.fit is None:
        return f"{head}: no fit ({answer.refusal})"
    f = answer.fit
    rows = [
        ["qi (per day)", _n(f.qi)],
        ["Di (per day)", _n(f.di, 5)],
        ["b", _n(f.b, 3)],
        ["terminal decline (a year)", _n(answer.terminal_decline, 3)],
        ["economic limit (per day)", _n(answer.economic_limit)],
        ["R²", _n(f.r_squared, 3)],
        ["RMSE", _n(f.rmse, 2)],
        ["producing days fitted", str(f.n_obs)],
        ["cumulative", _n(f.cumulative, 0)],
        ["EUR", _n(f.eur, 0)],
        ["remaining", _n(f.remaining, 0)],
        ["economic limit reached", "-" if f.limit_day is None else f.limit_day.isoformat()],
    ]
    return f"{head}\n" + _table(["", "value"], rows)


def render(answer: BaseModel, table: Callable[[], str], as_json: bool) -> str:
    return answer.model_dump_json(indent=2) if as_json else table()


def run_well_command(url: str, args: Any) -> str:
    """What `analytics summary|trend|forecast|decline` prints."""
    well = load_well(url, args.org, args.well)
    command, days = args.analytics_command, args.days
    if command == "summary":
        s = summary(well, days if days is not None else 30)
        return render(s, lambda: summary_table(well, s), args.json)
    if command == "trend":
        t = trend(well, days if days is not None else 30)
        return render(t, lambda: trend_table(well, t), args.json)
    if command == "forecast":
        f = forecast(well, days if days is not None else compute.DEFAULT_HORIZON, args.metric)
        return render(f, lambda: forecast_table(well, f), args.json)
    d = decline(well, days or 0, args.metric, args.terminal_decline, args.economic_limit)
    return render(d, lambda: decline_table(well, d), args.json)
