"""Push and pull of events (docs/sync-protocol.md Push, Pull)."""

from __future__ import annotations

from shared.contracts import BatchRequest, BatchResponse, ChangesPage

from .operation import Operation, Param

OPERATIONS: tuple[Operation, ...] = (
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
)
