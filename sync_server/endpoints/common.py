"""Request parsing and authentication shared by the endpoints."""

from __future__ import annotations

import hashlib
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from sync_server.problems import Problem, invalid
from sync_server.services.tokens import Principal, TokenError, read_access_token

M = TypeVar("M", bound=BaseModel)


async def parse_body(request: Request, model: type[M]) -> M:
    """The request body as `model`: 413 when too large, 400 when not JSON, 422 when invalid."""
    limit = request.app.state.settings.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Problem(413, "Payload too large", f"the body is over {limit} bytes")
    body = await request.body()
    if len(body) > limit:
        raise Problem(413, "Payload too large", f"the body is over {limit} bytes")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise Problem(400, "Malformed JSON", "the body is not valid JSON") from None
        raise invalid(exc) from None


def principal(request: Request, *roles: str) -> Principal:
    """The caller from its Bearer token; 401 without a valid one, 403 without the role."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Problem(
            401,
            "Unauthorized",
            "a Bearer access token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        who = read_access_token(token, request.app.state.tokens.secret)
    except TokenError as exc:
        raise Problem(
            401, "Unauthorized", str(exc), headers={"WWW-Authenticate": "Bearer"}
        ) from None
    if roles and who.role not in roles:
        raise Problem(403, "Forbidden", f"this needs the role {' or '.join(roles)}")
    return who


def bad_param(name: str, message: str) -> Problem:
    return Problem(
        422, "Invalid request", f"{name}: {message}", errors=[{"field": name, "message": message}]
    )


def int_param(request: Request, name: str, default: int | None, *, least: int) -> int:
    """A whole-number query parameter >= `least` (422 naming it otherwise)."""
    text = request.query_params.get(name)
    if text is None and default is not None:
        return default
    try:
        value = int(text or "")
    except ValueError:
        value = least - 1
    if value < least:
        raise bad_param(name, f"must be a whole number >= {least}")
    return value


def optional_int(request: Request, name: str, *, least: int) -> int | None:
    return int_param(request, name, None, least=least) if name in request.query_params else None


def uuid_param(request: Request, name: str) -> UUID | None:
    text = request.query_params.get(name)
    if text is None:
        return None
    try:
        return UUID(text)
    except ValueError:
        raise bad_param(name, "must be a UUID") from None


def tag_matches(header: str, tag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110 13.1.2): `*`, or any listed tag, W/ or not."""
    if header.strip() == "*":
        return True
    return any(part.strip().removeprefix("W/") == tag for part in header.split(","))


def etag_json(request: Request, answer: BaseModel) -> Response:
    """`answer` as JSON with a strong ETag (a hash of the body); 304 without a body when the
    request's If-None-Match names it."""
    body = answer.model_dump_json().encode()
    tag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    headers = {"ETag": tag, "Cache-Control": "private, no-cache"}
    if tag_matches(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
