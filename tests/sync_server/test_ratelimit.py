from __future__ import annotations

from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from sync_server.app import create_app
from sync_server.problems import Problem
from sync_server.ratelimit import RateLimiter
from sync_server.settings import Settings


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_limit_is_per_caller_over_a_sliding_minute() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock)
    for _ in range(3):
        limiter.check("device:a")
    limiter.check("device:b")  # another device has its own budget
    clock.now += 20
    with pytest.raises(Problem) as refused:
        limiter.check("device:a")
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "40"
    clock.now += 40
    limiter.check("device:a")


def test_over_the_limit_the_api_answers_429_with_retry_after(settings: Settings) -> None:
    with TestClient(create_app(replace(settings, rate_limit_per_minute=3))) as limited:
        codes = [limited.get("/api/v1/me").status_code for _ in range(4)]
        assert codes == [401, 401, 401, 429]
        refused = limited.get("/api/v1/me")
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) >= 1
        assert limited.get("/healthz").status_code == 200  # health is never limited


def test_photo_uploads_have_a_budget_of_their_own(settings: Settings) -> None:
    tight = replace(settings, rate_limit_per_minute=2, upload_rate_per_minute=3)
    with TestClient(create_app(tight)) as limited:
        uploads = [limited.head(f"/api/v1/uploads/{n}").status_code for n in range(4)]
        assert uploads == [401, 401, 401, 429]  # the fourth upload request of the minute
        assert [limited.get("/api/v1/me").status_code for _ in range(3)] == [401, 401, 429]
