"""RFC 7807 problem details for every API error."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger("sync_server.errors")

PROBLEM_TYPE = "https://wellpulse.example/problems/"


class Problem(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    request: Request, status: int, title: str, detail: str = "", **extra: Any
) -> JSONResponse:
    body = {
        "type": PROBLEM_TYPE + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.url.path,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


async def on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    response = problem_response(request, exc.status, exc.title, exc.detail, **exc.extra)
    response.headers.update(exc.headers)
    return response


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = problem_response(request, exc.status_code, str(exc.detail))
    response.headers.update(exc.headers or {})  # such as Allow on a 405
    return response


async def on_unexpected(request: Request, exc: Exception) -> Response:
    """Any other failure: a 500 problem naming the request id (the traceback goes to the log)."""
    request_id = request.scope.get("state", {}).get("request_id", "")
    log.error("unhandled error in request %s", request_id, exc_info=exc)
    return problem_response(
        request,
        500,
        "Internal server error",
        f"the server failed; quote request id {request_id} when you report it",
    )


def invalid(exc: ValidationError) -> Problem:
    """422 naming every offending field."""
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
    ]
    first = errors[0]
    return Problem(422, "Invalid request", f"{first['field']}: {first['message']}", errors=errors)
