"""GET /api/v1/conflicts and GET /api/v1/quarantine: what needs a supervisor's attention."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from sync_server.endpoints.common import bad_param, int_param, optional_int, principal, uuid_param
from sync_server.services import review

OFFICE = ("supervisor", "admin")
STATUSES = ("open", "resolved", "all")


async def conflicts(request: Request) -> Response:
    who = principal(request, *OFFICE)
    status = request.query_params.get("status", "open")
    if status not in STATUSES:
        raise bad_param("status", f"must be one of {', '.join(STATUSES)}")
    page = await review.conflicts(
        request.app.state.db,
        who.org_id,
        status=None if status == "all" else status,
        limit=int_param(request, "limit", 100, least=1),
        before=optional_int(request, "before", least=1),
    )
    return Response(page.model_dump_json(), media_type="application/json")


async def quarantine(request: Request) -> Response:
    who = principal(request, *OFFICE)
    page = await review.quarantine(
        request.app.state.db,
        who.org_id,
        device_id=uuid_param(request, "device_id"),
        limit=int_param(request, "limit", 100, least=1),
        before=optional_int(request, "before", least=1),
    )
    return Response(page.model_dump_json(), media_type="application/json")
