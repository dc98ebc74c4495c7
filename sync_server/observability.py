"""Request ids, structured JSON logs and Prometheus metrics, as one ASGI middleware."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("sync_server.access")


class Metrics:
    """One registry per app, so tests and several apps in a process never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.request_seconds = Histogram(
            "wellpulse_http_request_duration_seconds",
            "HTTP request duration by route",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.ingest = Counter(
            "wellpulse_ingest_events_total",
            "Pushed events by result",
            ["result"],
            registry=self.registry,
        )
        self.pool = Gauge(
            "wellpulse_db_pool", "Database pool statistics", ["stat"], registry=self.registry
        )


def route_of(scope: Scope) -> str:
    """The route template (not the raw path), so ids in URLs do not explode label counts."""
    for route in scope["app"].routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", scope["path"]))
    return "unmatched"


def request_id_of(scope: Scope) -> str:
    """The caller's X-Request-ID (first 64 characters) when it is visible ASCII, else a new id.

    Header bytes are not necessarily UTF-8, and the id is echoed in a response header and logs.
    """
    given: bytes = dict(scope.get("headers") or []).get(b"x-request-id", b"")[:64]
    if given and all(0x21 <= byte <= 0x7E for byte in given):
        return given.decode("ascii")
    return uuid.uuid4().hex


class RequestMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_of(scope)
            self.metrics.request_seconds.labels(scope["method"], route, str(status)).observe(
                seconds
            )
            log.info(_json_line(request_id, scope["method"], route, status, seconds))


def _json_line(request_id: str, method: str, route: str, status: int, seconds: float) -> str:
    record: dict[str, Any] = {
        "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "request_id": request_id,
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
    }
    return json.dumps(record, sort_keys=True)


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    for stat, value in request.app.state.db.stats().items():
        metrics.pool.labels(stat).set(value)
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
