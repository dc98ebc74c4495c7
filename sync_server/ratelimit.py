"""Per-device request rate limit (sliding 60 s window): 429 with Retry-After beyond it.

Photo uploads (`/api/v1/uploads…`, one request per chunk of up to 1 MiB) count against a
budget of their own, so a laptop sending a day's photos does not starve its next sync, and a
sync does not stall its photos."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from sync_server.problems import Problem, problem_response
from sync_server.services.tokens import TokenError, read_access_token

WINDOW_S = 60.0


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}

    def check(self, key: str) -> None:
        """Count one request for `key`; raise a 429 Problem when over the limit."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW_S:
            hits.popleft()
        if len(hits) >= self.per_minute:
            retry = max(1, math.ceil(hits[0] + WINDOW_S - now))
            raise Problem(
                429,
                "Too many requests",
                f"over {self.per_minute} requests per minute; retry in {retry} s",
                headers={"Retry-After": str(retry)},
            )
        hits.append(now)
        if len(self._hits) > 50_000:  # forget idle callers so memory stays bounded
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - WINDOW_S}


def caller_key(request: Request) -> str:
    """The device from a valid token, else the client address."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        try:
            who = read_access_token(header[7:], request.app.state.tokens.secret)
            return f"device:{who.device_id}"
        except TokenError:
            pass
    return f"addr:{request.client.host if request.client else 'unknown'}"


UPLOADS = "/api/v1/uploads"


class RateLimitMiddleware:
    """Applies the limiter to every /api/v1 request before it reaches an endpoint (the
    `uploads` one, when given, to the upload protocol's requests)."""

    def __init__(
        self, app: ASGIApp, limiter: RateLimiter, uploads: RateLimiter | None = None
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.uploads = uploads or limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/v1/"):
            request = Request(scope)
            limiter = self.uploads if scope["path"].startswith(UPLOADS) else self.limiter
            try:
                limiter.check(caller_key(request))
            except Problem as exc:
                response = problem_response(request, exc.status, exc.title, exc.detail)
                response.headers.update(exc.headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
