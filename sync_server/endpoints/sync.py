"""POST /api/v1/sync/batch."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from shared.contracts import MAX_BATCH_EVENTS, BatchRequest
from sync_server.endpoints.common import parse_body, principal
from sync_server.problems import Problem
from sync_server.services.ingest import BatchRefused, ingest_batch
from sync_server.services.pull import changes_after


async def batch(request: Request) -> Response:
    who = principal(request, "operator", "supervisor", "admin")
    req = await parse_body(request, BatchRequest)
    if len(req.events) > MAX_BATCH_EVENTS:
        raise Problem(413, "Payload too large", f"at most {MAX_BATCH_EVENTS} events per batch")
    try:
        result = await ingest_batch(request.app.state.db, who, req)
    except BatchRefused as exc:
        raise Problem(exc.status, "Batch refused", str(exc)) from None
    counter = request.app.state.metrics.ingest
    for item in result.results:
        counter.labels(item.status).inc()
    return JSONResponse(result.model_dump(mode="json", exclude_none=True))


async def changes(request: Request) -> Response:
    who = principal(request)
    try:
        cursor = int(request.query_params.get("cursor", "0"))
        limit = int(request.query_params.get("limit", "500"))
    except ValueError:
        raise Problem(422, "Invalid request", "cursor and limit are whole numbers") from None
    if cursor < 0 or limit < 1:
        raise Problem(422, "Invalid request", "cursor must be >= 0 and limit >= 1")
    page = await changes_after(request.app.state.db, who.org_id, cursor, limit)
    return JSONResponse(page.model_dump(mode="json"))
