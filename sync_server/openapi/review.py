"""What needs a supervisor: conflicts and rejected events."""

from __future__ import annotations

from shared.reviews import ConflictList, QuarantineList

from .operation import OFFICE, Operation, Param

OPERATIONS: tuple[Operation, ...] = (
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
