"""The service routes outside the API proper: liveness, readiness and metrics."""

from __future__ import annotations

from .operation import Operation

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
)
