from __future__ import annotations

from typing import Any

import psycopg
from starlette.testclient import TestClient

from .conftest import login, new_org, org_id


def test_login_registers_the_device_once_and_returns_its_secret_once(
    client: TestClient, database_url: str
) -> None:
    org = new_org(database_url)
    first = login(client, org)
    assert isinstance(first["device_secret"], str) and len(first["device_secret"]) == 64
    assert first["user"]["role"] == "operator"  # type: ignore[index]
    again = login(client, org, device_id=first["device_id"])
    assert again["device_id"] == first["device_id"]
    assert again["device_secret"] is None
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {again['access_token']}"})
    assert me.json()["device_id"] == first["device_id"]


def test_wrong_password_unknown_user_and_unknown_org_look_the_same(
    client: TestClient, database_url: str
) -> None:
    org = new_org(database_url)
    answers = [
        client.post("/api/v1/auth/login", json=body)
        for body in (
            {"org": org, "username": "op", "password": "nope", "device_name": "x"},
            {"org": org, "username": "ghost", "password": "nope", "device_name": "x"},
            {"org": "no-such-org", "username": "op", "password": "nope", "device_name": "x"},
        )
    ]
    assert {r.status_code for r in answers} == {401}
    assert {r.json()["detail"] for r in answers} == {"wrong organization, user name or password"}
    assert all(r.headers["content-type"] == "application/problem+json" for r in answers)


def refresh(client: TestClient, token: object) -> Any:
    return client.post("/api/v1/auth/refresh", json={"refresh_token": token})


def test_refresh_rotates_and_reuse_of_a_dead_token_revokes_the_family(
    client: TestClient, database_url: str
) -> None:
    org = new_org(database_url)
    first = login(client, org)
    rotated = refresh(client, first["refresh_token"])
    assert rotated.status_code == 200
    newest = rotated.json()["refresh_token"]
    assert newest != first["refresh_token"]
    third = refresh(client, newest)  # the successor was used: the device heard that answer
    assert third.status_code == 200
    reuse = refresh(client, first["refresh_token"])
    assert reuse.status_code == 401
    assert "reused" in reuse.json()["detail"]
    after = refresh(client, third.json()["refresh_token"])
    assert after.status_code == 401  # the whole family died with the reuse


def test_a_refresh_whose_answer_was_lost_can_be_retried_once_within_the_grace(
    client: TestClient, database_url: str
) -> None:
    org = new_org(database_url)
    first = login(client, org)
    lost = refresh(client, first["refresh_token"])  # the server rotated; the laptop never heard
    assert lost.status_code == 200
    retry = refresh(client, first["refresh_token"])
    assert retry.status_code == 200, retry.text
    assert refresh(client, lost.json()["refresh_token"]).status_code == 401  # never delivered
    assert refresh(client, retry.json()["refresh_token"]).status_code == 200


def test_a_retry_after_the_grace_is_reuse(client: TestClient, database_url: str) -> None:
    org = new_org(database_url)
    first = login(client, org)
    successor = refresh(client, first["refresh_token"]).json()["refresh_token"]
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE refresh_tokens SET used_at = now() - interval '10 minutes'"
            " WHERE used_at IS NOT NULL AND org_id = %s",
            (org_id(database_url, org),),
        )
    assert "reused" in refresh(client, first["refresh_token"]).json()["detail"]
    assert refresh(client, successor).status_code == 401


def test_bad_bodies_and_tokens_are_rfc7807(client: TestClient) -> None:
    malformed = client.post(
        "/api/v1/auth/login", content=b'{"org": ', headers={"content-type": "application/json"}
    )
    assert (malformed.status_code, malformed.json()["title"]) == (400, "Malformed JSON")
    unknown = client.post(
        "/api/v1/auth/login",
        json={"org": "a-b", "username": "u", "password": "p", "device_name": "d", "extra": 1},
    )
    assert unknown.status_code == 422
    assert {"field": "extra", "message": "Extra inputs are not permitted"} in unknown.json()[
        "errors"
    ]
    assert client.get("/api/v1/me").status_code == 401
    forged = client.get("/api/v1/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": "x" * 20}).status_code == 401
