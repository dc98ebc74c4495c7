"""POST /api/v1/auth/login, POST /api/v1/auth/refresh, GET /api/v1/me."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from shared.contracts import LoginRequest, RefreshRequest
from sync_server.endpoints.common import parse_body, principal
from sync_server.problems import Problem
from sync_server.services import auth


async def login(request: Request) -> Response:
    req = await parse_body(request, LoginRequest)
    try:
        result = await auth.login(request.app.state.db, req, request.app.state.tokens)
    except auth.AuthError as exc:
        raise Problem(401, "Unauthorized", str(exc)) from None
    return JSONResponse(result.model_dump(mode="json"))


async def refresh(request: Request) -> Response:
    req = await parse_body(request, RefreshRequest)
    try:
        pair = await auth.refresh(request.app.state.db, req.refresh_token, request.app.state.tokens)
    except auth.AuthError as exc:
        raise Problem(401, "Unauthorized", str(exc)) from None
    return JSONResponse(pair.model_dump(mode="json"))


async def me(request: Request) -> Response:
    who = principal(request)
    return JSONResponse(
        {
            "user_id": str(who.user_id),
            "org_id": str(who.org_id),
            "device_id": str(who.device_id),
            "role": who.role,
        }
    )
