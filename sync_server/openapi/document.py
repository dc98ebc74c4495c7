"""The OpenAPI 3.1 document of the server (docs/sync-protocol.md), built from one table of
operations.

To document a new route, add one `Operation` to the `OPERATIONS` of its resource module
(health, auth, sync, review, analytics, settings, photos): its method and path exactly as in
`create_app`, the
pydantic model of its 200 answer (or the name of a hand-written schema in
`components.HAND_WRITTEN`, with `media_type` for non-JSON answers) and of its request body if
any, who may call it, its parameters, and the error statuses its endpoint raises itself. For
example:

    Operation("get", "/api/v1/conflicts", "listConflicts", "Open conflicts", "sync",
              ConflictsPage, auth=True, roles=("supervisor", "admin"), errors=(422,),
              params=(Param("cursor", {"type": "integer", "minimum": 0}, "Where to go on."),)),

The statuses every operation of a kind can return are added for you (`error_statuses`): 401
with a Bearer token, 403 when only some roles may call it, 400/413/422 with a JSON body, 429
under `/api/v1/`. With `etag=True` the 200 also carries ETag and Cache-Control, and the
If-None-Match parameter and the 304 are documented. Component schemas come from the pydantic
models, so the wire contracts stay the single source. tests/sync_server/test_openapi.py fails
for a route missing here.
"""

from __future__ import annotations

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from . import analytics, auth, health, photos, review, settings, sync
from .components import (
    ERROR_RESPONSES,
    FIELD_ERROR,
    HAND_WRITTEN,
    HEADERS,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    PROBLEM,
    error_response,
    error_statuses,
)
from .operation import JsonSchema, Operation

REF = "#/components/schemas/{model}"
SUCCESS = {200: "OK", 201: "Created", 204: "No Content"}

DOCS = Operation(
    "get", "/api/v1/openapi.json", "openapi", "This document", "docs", "OpenApiDocument"
)
OPERATIONS: tuple[Operation, ...] = (
    *health.OPERATIONS,
    DOCS,
    *auth.OPERATIONS,
    *sync.OPERATIONS,
    *review.OPERATIONS,
    *analytics.OPERATIONS,
    *settings.OPERATIONS,
    *photos.OPERATIONS,
)

TAGS = {
    "health": "Liveness, readiness and metrics (not rate limited)",
    "docs": "This OpenAPI document",
    "auth": "Login, token refresh and the caller (docs/sync-protocol.md Auth)",
    "sync": "Push and pull (docs/sync-protocol.md Push, Pull)",
    "review": "What needs a supervisor: conflicts and rejected events",
    "analytics": "Production series, trends, anomalies, forecasts and declines"
    " (docs/analytics-api.md)",
    "settings": "The organization's validation thresholds (docs/design.md §6.2)",
    "photos": "Resumable photo uploads and reading photos (docs/photos-server.md)",
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
        if op.response is not None and not isinstance(op.response, str):
            wanted.append((op.response, "serialization"))
    refs, defs = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF)
    return {key: refs[key] for key in wanted}, defs.get("$defs", {})


def _operation(op: Operation, refs: dict[ModelKey, JsonSchema]) -> JsonSchema:
    request_id = {"X-Request-ID": {"$ref": "#/components/headers/RequestId"}}
    success: JsonSchema = {"description": SUCCESS.get(op.status, "OK"), "headers": request_id}
    if op.response is not None:
        if isinstance(op.response, str):
            answer: JsonSchema = {"$ref": REF.format(model=op.response)}
        else:
            answer = refs[(op.response, "serialization")]
        success["content"] = {op.media_type: {"schema": answer}}
    responses: dict[str, JsonSchema] = {str(op.status): success}
    if op.etag:
        success["headers"] = {
            **request_id,
            "ETag": {"$ref": "#/components/headers/ETag"},
            "Cache-Control": {"$ref": "#/components/headers/CacheControl"},
        }
        responses["304"] = {"$ref": "#/components/responses/NotModified"}
    for header, key in op.headers:
        success["headers"] = {**success["headers"], header: {"$ref": f"#/components/headers/{key}"}}
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
        *([{"$ref": "#/components/parameters/IfNoneMatch"}] if op.etag else []),
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
    if op.raw_request is not None:
        binary = {"type": "string", "format": "binary"}
        out["requestBody"] = {"required": True, "content": {op.raw_request: {"schema": binary}}}
    return out


def build_document(ops: tuple[Operation, ...] = OPERATIONS, version: str = "1") -> JsonSchema:
    """The whole OpenAPI 3.1 document of `ops` (a plain JSON-able dict)."""
    refs, model_defs = _model_schemas(ops)
    paths: dict[str, dict[str, JsonSchema]] = {}
    for op in ops:
        if op.method in paths.get(op.path, {}):
            raise ValueError(f"{op.method.upper()} {op.path} is documented twice")
        paths.setdefault(op.path, {})[op.method] = _operation(op, refs)
    written = {**HAND_WRITTEN, "Problem": PROBLEM, "FieldError": FIELD_ERROR}
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
                **{
                    name: error_response(status, text)
                    for status, (name, text) in ERROR_RESPONSES.items()
                },
                "NotModified": NOT_MODIFIED,
            },
            "headers": HEADERS,
            "parameters": {
                "IfNoneMatch": IF_NONE_MATCH,
                "RequestId": {
                    "name": "X-Request-ID",
                    "in": "header",
                    "required": False,
                    "description": "Echoed in the response and the access log when it is 1-64"
                    " visible ASCII characters.",
                    "schema": {"type": "string"},
                },
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
