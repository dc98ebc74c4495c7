"""Shared components: RFC 7807 error responses, headers and hand-written answer schemas."""

from __future__ import annotations

from .operation import ALL_ROLES, JsonSchema, Operation

PROBLEM_MEDIA_TYPE = "application/problem+json"

# --- errors (RFC 7807, as sync_server.problems writes them) -------------------------------------

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: (
        "BadRequest",
        "The body is not JSON, or the server cannot take it (such as an"
        " unsupported protocol_version), or a query or path parameter is invalid"
        " (`errors` names it).",
    ),
    401: ("Unauthorized", "No valid Bearer access token, or wrong credentials."),
    403: ("Forbidden", "The caller's role or device may not do this."),
    404: (
        "NotFound",
        "No such well, lease, field, upload or photo in the caller's organization (or the photo"
        " was removed, or its bytes have not been uploaded yet: `title` says which).",
    ),
    409: (
        "OffsetConflict",
        "The chunk does not start at the upload's offset: `Upload-Offset` and `offset` say"
        " where the server is; send from there.",
    ),
    415: ("UnsupportedMediaType", "A chunk must be sent as `application/offset+octet-stream`."),
    413: (
        "PayloadTooLarge",
        "The body is over 2 MB, the batch over 500 events, a chunk over 1 MiB, or a photo"
        " over the organization's per-photo limit (`limit_bytes`).",
    ),
    422: (
        "InvalidRequest",
        "The body or a parameter does not match the schema; `errors` names every offending field.",
    ),
    429: ("TooManyRequests", "Over the per-device request rate; retry after `Retry-After` s."),
    503: (
        "NotReady",
        "Not now: the database is unreachable or not migrated to the code's head,"
        " or (push) the organization is busy with another batch; retry after"
        " `Retry-After` s when given.",
    ),
}


def error_statuses(op: Operation) -> tuple[int, ...]:
    """Every error status `op` can answer: its own `errors` and those implied by its kind."""
    statuses = set(op.errors)
    if op.auth:
        statuses.add(401)
        if set(op.roles) != set(ALL_ROLES):
            statuses.add(403)
    if op.request is not None:
        statuses.update((400, 413, 422))
    if op.raw_request is not None:
        statuses.update((400, 413, 415))
    if op.path.startswith("/api/v1/"):
        statuses.add(429)  # the rate limiter runs before any /api/v1/ endpoint
    return tuple(sorted(statuses))


PROBLEM: JsonSchema = {
    "type": "object",
    "description": "RFC 7807 problem details. Further members may follow.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The request path."},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
    },
    "additionalProperties": True,
}
FIELD_ERROR: JsonSchema = {
    "type": "object",
    "required": ["field", "message"],
    "properties": {
        "field": {"type": "string", "description": "Dotted path of the field, such as events.3."},
        "message": {"type": "string"},
    },
    "additionalProperties": False,
}

HEADERS: dict[str, JsonSchema] = {
    "RequestId": {
        "description": "The request's X-Request-ID, or a new id when it sent none (or not one"
        " of 1-64 visible ASCII characters).",
        "required": True,
        "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,64}$"},
    },
    "RetryAfter": {
        "description": "Seconds to wait before the next request.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    },
    "RetryAfterMaybe": {
        "description": "Seconds to wait before retrying, when the wait is known.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "ETag": {
        "description": "Strong entity tag of the answer; send it as If-None-Match to get a 304"
        " while the answer is unchanged.",
        "required": True,
        "schema": {"type": "string", "pattern": '^"[0-9a-f]{16,64}"$'},
    },
    "CacheControl": {
        "description": "`private, no-cache`: keep it, but revalidate with If-None-Match.",
        "required": True,
        "schema": {"type": "string"},
    },
    "UploadOffset": {
        "description": "The bytes of the upload the server holds: where the next chunk starts.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
    "UploadLength": {
        "description": "The upload's declared size in bytes.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    },
    "WwwAuthenticate": {
        "description": "`Bearer` when the access token is missing or invalid.",
        "schema": {"type": "string"},
    },
}


def error_response(status: int, description: str) -> JsonSchema:
    headers: dict[str, JsonSchema] = {"X-Request-ID": {"$ref": "#/components/headers/RequestId"}}
    if status == 429:
        headers["Retry-After"] = {"$ref": "#/components/headers/RetryAfter"}
    if status == 503:
        headers["Retry-After"] = {"$ref": "#/components/headers/RetryAfterMaybe"}
    if status == 409:
        headers["Upload-Offset"] = {"$ref": "#/components/headers/UploadOffset"}
    if status == 401:
        headers["WWW-Authenticate"] = {"$ref": "#/components/headers/WwwAuthenticate"}
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Problem"},
            {"properties": {"status": {"const": status}}},
        ]
    }
    return {
        "description": description,
        "headers": headers,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
    }


NOT_MODIFIED: JsonSchema = {
    "description": "Not modified: If-None-Match names the current ETag (or is `*`); no body.",
    "headers": {
        "X-Request-ID": {"$ref": "#/components/headers/RequestId"},
        "ETag": {"$ref": "#/components/headers/ETag"},
        "Cache-Control": {"$ref": "#/components/headers/CacheControl"},
    },
}
IF_NONE_MATCH: JsonSchema = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "ETags of answers the caller holds (or `*`); 304 when one is current.",
    "schema": {"type": "string"},
}


# --- answers that are not pydantic models ------------------------------------------------------

HAND_WRITTEN: dict[str, JsonSchema] = {
    "Health": {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"const": "ok"}},
        "additionalProperties": False,
    },
    "Readiness": {
        "type": "object",
        "required": ["status", "migration"],
        "properties": {
            "status": {"const": "ready"},
            "migration": {"type": "string", "description": "The current Alembic revision."},
        },
        "additionalProperties": False,
    },
    "Metrics": {"type": "string"},
    "PhotoBytes": {"type": "string", "format": "binary"},
    "OpenApiDocument": {"type": "object", "required": ["openapi", "info", "paths"]},
    "Me": {
        "type": "object",
        "required": ["user_id", "org_id", "device_id", "role"],
        "properties": {
            "user_id": {"type": "string", "format": "uuid"},
            "org_id": {"type": "string", "format": "uuid"},
            "device_id": {"type": "string", "format": "uuid"},
            "role": {"enum": list(ALL_ROLES)},
        },
        "additionalProperties": False,
    },
}
