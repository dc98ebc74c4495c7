"""GET /api/v1/analytics/…: per-period series, and a well's trend, anomalies, forecast and
decline (docs/analytics-api.md). Any role of the organization may read them; row-level
security keeps every query to the caller's organization, and an unknown well (or one of another
organization) is a 404. Every 200 carries a strong ETag; If-None-Match answers 304."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from uuid import UUID

import anyio
from starlette.requests import Request
from starlette.responses import Response

from shared.analytics import answers as compute
from shared.analytics.answers import WellData
from shared.analytics_contracts import (
    METRICS,
    DeclineAnswer,
    ForecastAnswer,
    Interval,
    Metric,
    Scope,
)
from sync_server.endpoints.analytics_params import Query
from sync_server.endpoints.common import etag_json, principal
from sync_server.problems import Problem
from sync_server.services import analytics_reads as reads
from sync_server.services import analytics_rollups as rollups
from sync_server.services import analytics_store as store

SCOPES: tuple[Scope, ...] = ("well", "lease", "field", "org")
INTERVALS: tuple[Interval, ...] = ("day", "week", "month")
DECLINE_METRICS: tuple[Metric, ...] = ("oil", "gas")
MAX_HORIZON = 90
MAX_ECONOMIC_LIMIT = 1e6


def not_found(what: str, ident: UUID) -> Problem:
    return Problem(404, "Not found", f"no {what} {ident} in this organization")


async def series(request: Request) -> Response:
    who = principal(request)
    query = Query(request)
    scope = query.choice("scope", SCOPES, "org")
    text = query.text("id")
    scope_id = who.org_id if scope == "org" and text is None else query.uuid("id", text)
    interval = query.choice("interval", INTERVALS, "day")
    first, last = query.span()
    query.done()
    async with request.app.state.db.tenant(who.org_id) as conn:
        wells = await reads.scope_wells(conn, who.org_id, scope, scope_id)
        if wells is None:
            raise not_found("organization" if scope == "org" else scope, scope_id)
        tz = await reads.timezone(conn, who.org_id)
        if scope != "well" and await rollups.present(conn):
            days = await rollups.daily_rows(conn, who.org_id, scope, scope_id, first, last)
            answer = await anyio.to_thread.run_sync(
                rollups.rollup_answer, scope, scope_id, days, tz, interval, len(wells)
            )
            return etag_json(request, answer)
        per_well = await reads.scope_rows(conn, who.org_id, wells, first, last)
    answer = await anyio.to_thread.run_sync(
        compute.series_answer, scope, scope_id, per_well, tz, interval, first, last, len(wells)
    )
    return etag_json(request, answer)


async def _well(request: Request, well_id: UUID, org_id: UUID) -> tuple[WellData, str]:
    async with request.app.state.db.tenant(org_id) as conn:
        if await reads.well(conn, org_id, well_id) is None:
            raise not_found("well", well_id)
        return await reads.well_data(conn, org_id, well_id), await reads.timezone(conn, org_id)


async def trend(request: Request) -> Response:
    who = principal(request)
    query = Query(request, request.path_params)
    well_id, window = query.well_id(), query.window()
    query.done()
    data, tz = await _well(request, well_id, who.org_id)
    answer = await anyio.to_thread.run_sync(compute.trend_answer, data, tz, window)
    return etag_json(request, answer)


async def anomalies(request: Request) -> Response:
    who = principal(request)
    query = Query(request, request.path_params)
    well_id = query.well_id()
    first, last = query.span()
    query.done()
    data, tz = await _well(request, well_id, who.org_id)
    answer = await anyio.to_thread.run_sync(compute.anomalies_answer, data, tz, first, last)
    return etag_json(request, answer)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


async def forecast(request: Request) -> Response:
    who = principal(request)
    query = Query(request, request.path_params)
    well_id = query.well_id()
    metric = query.choice("metric", METRICS, "oil")
    horizon = query.integer("horizon", compute.DEFAULT_HORIZON, least=1, most=MAX_HORIZON)
    query.done()

    def run(data: WellData, tz: str) -> ForecastAnswer:
        return compute.forecast_answer(data, tz, metric, horizon, _now())

    answer = await store.answer(
        request.app.state.db,
        who.org_id,
        well_id,
        "forecast",
        metric,
        compute.forecast_params(horizon),
        run,
    )
    if answer is None:
        raise not_found("well", well_id)
    return etag_json(request, answer)


async def decline(request: Request) -> Response:
    who = principal(request)
    query = Query(request, request.path_params)
    well_id = query.well_id()
    metric = query.choice("metric", DECLINE_METRICS, "oil")
    terminal = query.fraction(
        "terminal_decline", compute.DEFAULT_TERMINAL_DECLINE, above=0.0, below=1.0
    )
    limit = query.fraction(
        "economic_limit", compute.DEFAULT_ECONOMIC_LIMIT, above=0.0, below=MAX_ECONOMIC_LIMIT
    )
    query.done()
    run = partial(_decline, metric=metric, terminal=terminal, limit=limit)
    answer = await store.answer(
        request.app.state.db,
        who.org_id,
        well_id,
        "decline",
        metric,
        compute.decline_params(terminal, limit),
        run,
    )
    if answer is None:
        raise not_found("well", well_id)
    return etag_json(request, answer)


def _decline(
    data: WellData, tz: str, *, metric: Metric, terminal: float, limit: float
) -> DeclineAnswer:
    return compute.decline_answer(data, tz, metric, terminal, limit, _now())
