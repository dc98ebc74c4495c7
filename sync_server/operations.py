"""The table of the server's HTTP operations that the OpenAPI document is built from.

To document a new route, add one `Operation` to `OPERATIONS`: its method and path exactly as in
`create_app`, the pydantic model of its 200 answer (or the name of a hand-written schema in
`openapi._HAND_WRITTEN`, with `media_type` for non-JSON answers) and of its request body if
any, who may call it, its parameters, and the error statuses its endpoint raises itself. For
example:

    Operation("get", "/api/v1/conflicts", "listConflicts", "Open conflicts", "sync",
              ConflictsPage, auth=True, roles=("supervisor", "admin"), errors=(422,),
              params=(Param("cursor", {"type": "integer", "minimum": 0}, "Where to go on."),)),

The statuses every operation of a kind can return are added for you (`openapi.error_statuses`): 401
with a Bearer token, 403 when only some roles may call it, 400/413/422 with a JSON body, 429
under `/api/v1/`. Component schemas come from the pydantic models, so the wire contracts stay
the single source. tests/sync_server/test_openapi.py fails for a route missing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel

from shared.contracts import (
    BatchRequest,
    BatchResponse,
    ChangesPage,
    LoginRequest,
    LoginResponse,
    RefreshRequest,
    Role,
    TokenPair,
)
from shared.reviews import ConflictList, QuarantineList

JsonSchema = dict[str, Any]
ALL_ROLES: tuple[str, ...] = get_args(Role)
OFFICE = ("supervisor", "admin")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter; path parameters are always required."""

    name: str
    schema: JsonSchema
    description: str
    where: Literal["query", "path", "header"] = "query"
    required: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    method: Literal["get", "post", "put", "patch", "delete", "head"]
    path: str
    operation_id: str
    summary: str
    tag: str
    response: type[BaseModel] | str  # a pydantic model or a key of _HAND_WRITTEN
    request: type[BaseModel] | None = None
    auth: bool = False  # needs a Bearer access token
    roles: tuple[str, ...] = ALL_ROLES  # who of the authenticated callers may call it
    params: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()  # raised by the endpoint itself (see error_statuses)
    media_type: str = "application/json"  # of the 200 answer
    description: str = ""


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "get",
        "/healthz",
        "healthz",
        "Liveness",
        "health",
        "Health",
        description="Answers as long as the process serves requests.",
    ),
    Operation(
        "get",
        "/readyz",
        "readyz",
        "Readiness",
        "health",
        "Readiness",
        errors=(503,),
        description="Ready when the database is reachable and migrated to the code's head.",
    ),
    Operation(
        "get",
        "/metrics",
        "metrics",
        "Prometheus metrics",
        "health",
        "Metrics",
        media_type="text/plain",
        description="Prometheus text exposition format.",
    ),
    Operation("get", "/api/v1/openapi.json", "openapi", "This document", "docs", "OpenApiDocument"),
    Operation(
        "post",
        "/api/v1/auth/login",
        "login",
        "Log in and register the device",
        "auth",
        LoginResponse,
        LoginRequest,
        errors=(401,),
        description="401 for a wrong organization, user name or password, or a disabled"
        " user, without saying which. `device_secret` only on the first registration.",
    ),
    Operation(
        "post",
        "/api/v1/auth/refresh",
        "refresh",
        "Rotate a refresh token",
        "auth",
        TokenPair,
        RefreshRequest,
        errors=(401,),
        description="The old refresh token dies; presenting a dead one again revokes every"
        " session of its device (401).",
    ),
    Operation("get", "/api/v1/me", "me", "The caller of the access token", "auth", "Me", auth=True),
    Operation(
        "post",
        "/api/v1/sync/batch",
        "pushBatch",
        "Push a batch of events",
        "sync",
        BatchResponse,
        BatchRequest,
        auth=True,
        errors=(400, 403, 413, 503),
        description="At most 500 events per batch and 2 MB per body (413: split and"
        " retry). 400 for an unsupported `protocol_version`, 403 when `device_id` is not"
        " the token's device. Results come in request order; `expected_seq` alone means"
        " nothing was applied and the client resends from there.",
    ),
    Operation(
        "get",
        "/api/v1/sync/changes",
        "pullChanges",
        "Pull changes after a cursor",
        "sync",
        ChangesPage,
        auth=True,
        errors=(422,),
        params=(
            Param(
                "cursor",
                {"type": "integer", "minimum": 0, "default": 0},
                "The `next_cursor` of the previous page (0 at first).",
            ),
            Param(
                "limit",
                {"type": "integer", "minimum": 1, "default": 500},
                "Page size; the server caps it at 1000.",
            ),
        ),
    ),
    Operation(
        "get",
        "/api/v1/conflicts",
        "listConflicts",
        "Conflicts, newest first",
        "review",
        ConflictList,
        auth=True,
        roles=OFFICE,
        errors=(422,),
        params=(
            Param(
                "status",
                {"enum": ["open", "resolved", "all"], "default": "open"},
                "Which conflicts.",
            ),
            Param(
                "limit",
                {"type": "integer", "minimum": 1, "default": 100},
                "Page size; the server caps it at 500.",
            ),
            Param(
                "before",
                {"type": "integer", "minimum": 1},
                "The `next_before` of the previous page.",
            ),
        ),
    ),
    Operation(
        "get",
        "/api/v1/quarantine",
        "listQuarantine",
        "Rejected events, newest first",
        "review",
        QuarantineList,
        auth=True,
        roles=OFFICE,
        errors=(422,),
        description="Every event the server rejected, as the device sent it, with the reasons.",
        params=(
            Param("device_id", {"type": "string", "format": "uuid"}, "Only this device."),
            Param(
                "limit",
                {"type": "integer", "minimum": 1, "default": 100},
                "Page size; the server caps it at 500.",
            ),
            Param(
                "before",
                {"type": "integer", "minimum": 1},
                "The `next_before` of the previous page.",
            ),
        ),
    ),
)

TAGS = {
    "health": "Liveness, readiness and metrics (not rate limited)",
    "docs": "This OpenAPI document",
    "auth": "Login, token refresh and the caller (docs/sync-protocol.md)",
    "sync": "Push and pull (docs/sync-protocol.md)",
    "review": "What needs a supervisor: conflicts and rejected events",
}
