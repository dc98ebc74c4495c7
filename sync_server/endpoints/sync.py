"""POST /api/v1/sync/batch (push) and GET /api/v1/sync/changes (pull)."""

from __future__ import annotations

from collections import Counter

from starlette.requests import Request
from starlette.responses import Response

from shared.contracts import BatchRequest
from sync_server.endpoints.common import int_param, parse_body, principal
from sync_server.problems import Problem
from sync_server.services.ingest import BatchRefused, ingest_batch
from sync_server.services.pull import changes_after


async def batch(request: Request) -> Response:
    who = principal(request, "operator", "supervisor", "admin")
    req = await parse_body(request, BatchRequest)
    most = request.app.state.settings.max_batch_events
    if len(req.events) > most:
        raise Problem(413, "Payload too large", f"at most {most} events per batch")
    try:
        result = await ingest_batch(request.app.state.db, who, req)
    except BatchRefused as exc:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        raise Problem(exc.status, "Batch refused", str(exc), headers=headers) from None
    counter = request.app.state.metrics.ingest
    for status, count in Counter(item.status for item in result.results).items():
        counter.labels(status).inc(count)
    return Response(result.model_dump_json(exclude_none=True), media_type="application/json")


async def changes(request: Request) -> Response:
    who = principal(request)
    cursor = int_param(request, "cursor", 0, least=0)
    limit = int_param(request, "limit", 500, least=1)
    page = await changes_after(request.app.state.db, who.org_id, cursor, limit)
    return Response(page, media_type="application/json")
