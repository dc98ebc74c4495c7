"""The OpenAPI 3.1 document of the server (docs/sync-protocol.md), built from the table of
operations in `sync_server.operations`: component schemas from the pydantic wire contracts, the
RFC 7807 problem answers every operation can give (`error_statuses`), and the paths.
"""

from __future__ import annotations

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from sync_server.operations import ALL_ROLES, OPERATIONS, TAGS, JsonSchema, Operation

REF = "#/components/schemas/{model}"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# --- errors (RFC 7807, as sync_server.problems writes them) -------------------------------------

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: (
        "BadRequest",
        "The body is not JSON, or the server cannot take it (such as an"
        " unsupported protocol_version).",
    ),
    401: ("Unauthorized", "No valid Bearer access token, or wrong credentials."),
    403: ("Forbidden", "The caller's role or device may not do this."),
    413: ("PayloadTooLarge", "The body is over 2 MB or the batch over 500 events."),
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
    if op.path.startswith("/api/v1/"):
        statuses.add(429)  # the rate limiter runs before any /api/v1/ endpoint
    return tuple(sorted(statuses))


_PROBLEM: JsonSchema = {
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
_FIELD_ERROR: JsonSchema = {
    "type": "object",
    "required": ["field", "message"],
    "properties": {
        "field": {"type": "string", "description": "Dotted path of the field, such as events.3."},
        "message": {"type": "string"},
    },
    "additionalProperties": False,
}

_HEADERS: dict[str, JsonSchema] = {
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
    "WwwAuthenticate": {
        "description": "`Bearer` when the access token is missing or invalid.",
        "schema": {"type": "string"},
    },
}


def _error_response(status: int, description: str) -> JsonSchema:
    headers: dict[str, JsonSchema] = {"X-Request-ID": {"$ref": "#/components/headers/RequestId"}}
    if status == 429:
        headers["Retry-After"] = {"$ref": "#/components/headers/RetryAfter"}
    if status == 503:
        headers["Retry-After"] = {"$ref": "#/components/headers/RetryAfterMaybe"}
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


# --- answers that are not pydantic models ------------------------------------------------------

_HAND_WRITTEN: dict[str, JsonSchema] = {
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


# --- the document -------------------------------------------------------------------------------


ModelKey = tuple[type[BaseModel], JsonSchemaMode]


def _model_schemas(ops: tuple[Operation, ...]) -> tuple[dict[ModelKey, JsonSchema], JsonSchema]:
    """(the `$ref` of every (model, mode), the component schemas) of every model in `ops`.

    Requests are described as pydantic validates them, answers as it serializes them; one call
    for all models keeps shared and same-named models apart in the components."""
    wanted: list[ModelKey] = []
    for op in ops:
        if op.request is not None:
            wanted.append((op.request, "validation"))
        if not isinstance(op.response, str):
            wanted.append((op.response, "serialization"))
    refs, defs = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF)
    return {key: refs[key] for key in wanted}, defs.get("$defs", {})


def _operation(op: Operation, refs: dict[ModelKey, JsonSchema]) -> JsonSchema:
    if isinstance(op.response, str):
        answer: JsonSchema = {"$ref": REF.format(model=op.response)}
    else:
        answer = refs[(op.response, "serialization")]
    request_id = {"X-Request-ID": {"$ref": "#/components/headers/RequestId"}}
    responses: dict[str, JsonSchema] = {
        "200": {
            "description": "OK",
            "headers": request_id,
            "content": {op.media_type: {"schema": answer}},
        }
    }
    for status in error_statuses(op):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status][0]}"}
    out: JsonSchema = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "security": [{"bearerAuth": list(op.roles)}] if op.auth else [],
        "responses": responses,
    }
    if op.description:
        out["description"] = op.description
    out["parameters"] = [
        {"$ref": "#/components/parameters/RequestId"},
        *(
            {
                "name": p.name,
                "in": p.where,
                "required": p.required or p.where == "path",
                "description": p.description,
                "schema": p.schema,
            }
            for p in op.params
        ),
    ]
    if op.request is not None:
        out["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(op.request, "validation")]}},
        }
    return out


def build_document(ops: tuple[Operation, ...] = OPERATIONS, version: str = "1") -> JsonSchema:
    """The whole OpenAPI 3.1 document of `ops` (a plain JSON-able dict)."""
    refs, model_defs = _model_schemas(ops)
    paths: dict[str, dict[str, JsonSchema]] = {}
    for op in ops:
        if op.method in paths.get(op.path, {}):
            raise ValueError(f"{op.method.upper()} {op.path} is documented twice")
        paths.setdefault(op.path, {})[op.method] = _operation(op, refs)
    written = {**_HAND_WRITTEN, "Problem": _PROBLEM, "FieldError": _FIELD_ERROR}
    if clash := set(model_defs) & set(written):
        raise ValueError(f"pydantic models named like hand-written schemas: {sorted(clash)}")
    schemas = {**model_defs, **written}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "WellPulse Field sync server",
            "version": version,
            "description": "Push and pull of field events (docs/sync-protocol.md). Every error is"
            " an RFC 7807 `application/problem+json` body.",
        },
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": {
                name: _error_response(status, text)
                for status, (name, text) in ERROR_RESPONSES.items()
            },
            "headers": _HEADERS,
            "parameters": {
                "RequestId": {
                    "name": "X-Request-ID",
                    "in": "header",
                    "required": False,
                    "description": "Echoed in the response and the access log when it is 1-64"
                    " visible ASCII characters.",
                    "schema": {"type": "string"},
                }
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "The access_token of /api/v1/auth/login or /refresh"
                    " (15 minutes). Roles: operator, supervisor, admin.",
                }
            },
        },
    }
