from __future__ import annotations

import json
import logging

import pytest
from starlette.testclient import TestClient

from .conftest import login, new_org


def test_requests_carry_an_id_are_logged_as_json_and_measured_by_route(
    client: TestClient, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    token = login(client, new_org(database_url))["access_token"]
    with caplog.at_level(logging.INFO, logger="sync_server.access"):
        response = client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {token}", "X-Request-ID": "abc123"}
        )
    assert response.headers["x-request-id"] == "abc123"
    record = json.loads(caplog.records[-1].getMessage())
    assert record["request_id"] == "abc123"
    assert (record["route"], record["status"], record["method"]) == ("/api/v1/me", 200, "GET")
    assert client.get("/healthz").headers["x-request-id"]  # generated when not given

    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    text = metrics.text
    assert 'wellpulse_http_request_duration_seconds_count{method="GET",route="/api/v1/me",' in text
    assert 'wellpulse_db_pool{stat="pool_max"}' in text
