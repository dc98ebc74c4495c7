"""`SyncClient` over real httpx with a `MockTransport`: a fake server handler, nothing else
faked."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from uuid import uuid4

import httpx
import pytest

from fieldapp.sync.client import EXPIRY_MARGIN_S, SyncClient, Tokens, token_expiry
from fieldapp.sync.errors import (
    AuthRejected,
    Refused,
    ServerBusy,
    TooLarge,
    Unreachable,
)
from shared.contracts import LoginRequest, TokenPair

NOW = 1_800_000_000.0
Handler = Callable[[httpx.Request], httpx.Response]
EMPTY_PAGE = {"changes": [], "next_cursor": 0, "has_more": False}


def jwt(exp: float, name: str = "a") -> str:
    """A JWT-shaped token (unsigned: the client only reads `exp`)."""

    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part({'exp': exp, 'sub': name})}.signature"


FRESH, EXPIRED = jwt(NOW + 900, "fresh"), jwt(NOW - 60, "expired")


class Server:
    """Records every request; `answer(request)` is set by each test."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []
        self.log: list[tuple[str, str]] = []  # (what, detail), shared with the token sink

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.log.append((request.url.path, request.headers.get("Authorization", "")))
        return self.answer(request)

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def client_for(
    server: Server, tokens: Tokens | None = None, sink: list[TokenPair] | None = None
) -> SyncClient:
    def on_tokens(pair: TokenPair) -> None:
        server.log.append(("stored", pair.access_token))
        if sink is not None:
            sink.append(pair)

    http = httpx.Client(transport=httpx.MockTransport(server), base_url="http://sync.test")
    return SyncClient(http, tokens, on_tokens=on_tokens, clock=lambda: NOW)


def refreshing(new: TokenPair, then: Handler) -> Handler:
    """Answers /auth/refresh with `new`, everything else with `then`."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/auth/refresh":
            return httpx.Response(200, json=new.model_dump())
        return then(request)

    return answer


def page(_: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=EMPTY_PAGE)


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> Handler:
    def answer(_: httpx.Request) -> httpx.Response:
        body = {"type": "about:blank", "title": "problem", "status": status, "detail": detail}
        return httpx.Response(
            status,
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/problem+json", **(headers or {})},
        )

    return answer


# --- tokens ---------------------------------------------------------------------------------


def test_token_expiry_reads_the_exp_claim_and_gives_0_for_anything_else() -> None:
    assert token_expiry(jwt(1234.5)) == 1234.5
    for junk in ("opaque", "a.!!!.c", "a." + base64.urlsafe_b64encode(b"[1]").decode() + ".c"):
        assert token_expiry(junk) == 0.0


def test_login_stores_the_tokens_and_hands_them_to_on_tokens() -> None:
    org_id, device_id, user_id = uuid4(), uuid4(), uuid4()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "access_token": FRESH,
                "refresh_token": "refresh-1",
                "org_id": str(org_id),
                "device_id": str(device_id),
                "device_secret": "s3cret",
                "user": {"id": str(user_id), "role": "operator"},
            },
        )

    server, sink = Server(answer), []
    client = client_for(server, sink=sink)
    result = client.login(
        LoginRequest(org="acme", username="op", password="pw", device_name="laptop 7")
    )
    assert server.paths() == ["/api/v1/auth/login"]
    sent = json.loads(server.requests[0].content)
    assert sent == {
        "org": "acme",
        "username": "op",
        "password": "pw",
        "device_name": "laptop 7",
        "device_id": None,
    }
    assert "Authorization" not in server.requests[0].headers
    assert (result.device_id, result.device_secret, result.user.id) == (
        device_id,
        "s3cret",
        user_id,
    )
    assert sink == [TokenPair(access_token=FRESH, refresh_token="refresh-1")]
    assert client.tokens == Tokens(FRESH, "refresh-1")


def test_a_fresh_access_token_is_sent_without_refreshing() -> None:
    server = Server(page)
    client_for(server, Tokens(FRESH, "refresh-1")).pull(0)
    assert server.log == [("/api/v1/sync/changes", f"Bearer {FRESH}")]


@pytest.mark.parametrize(
    "access",
    [EXPIRED, jwt(NOW + EXPIRY_MARGIN_S - 1), "opaque-unreadable", None],
    ids=["expired", "inside-margin", "unreadable", "missing"],
)
def test_a_stale_access_token_is_refreshed_before_the_request_and_stored_first(
    access: str | None,
) -> None:
    new = TokenPair(access_token=FRESH, refresh_token="refresh-2")
    server, sink = Server(refreshing(new, page)), []
    client = client_for(server, Tokens(access, "refresh-1"), sink)
    client.pull(0)
    assert server.log == [
        ("/api/v1/auth/refresh", ""),
        ("stored", FRESH),  # on_tokens ran before the new token was used
        ("/api/v1/sync/changes", f"Bearer {FRESH}"),
    ]
    assert json.loads(server.requests[0].content) == {"refresh_token": "refresh-1"}
    assert sink == [new]
    assert client.tokens == Tokens(FRESH, "refresh-2")


def test_a_401_refreshes_once_and_retries_once_with_the_new_token() -> None:
    other = jwt(NOW + 900, "other")
    new = TokenPair(access_token=other, refresh_token="refresh-2")

    def batch(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == f"Bearer {FRESH}":
            return problem(401, "token revoked")(request)
        return httpx.Response(200, json={"results": []})

    server, sink = Server(refreshing(new, batch)), []
    client = client_for(server, Tokens(FRESH, "refresh-1"), sink)
    response = client.push("dev-1", ['{"event_id":"e1"}'])
    assert response.results == []
    assert server.log == [
        ("/api/v1/sync/batch", f"Bearer {FRESH}"),
        ("/api/v1/auth/refresh", ""),
        ("stored", other),
        ("/api/v1/sync/batch", f"Bearer {other}"),
    ]
    first, _, retry = server.requests
    assert retry.content == first.content  # the same batch, byte for byte
    assert sink == [new] and client.requests == 3


def test_a_401_after_the_refresh_raises_auth_rejected() -> None:
    new = TokenPair(access_token=jwt(NOW + 900, "other"), refresh_token="refresh-2")
    server = Server(refreshing(new, problem(401, "device revoked")))
    client = client_for(server, Tokens(FRESH, "refresh-1"))
    with pytest.raises(AuthRejected, match="device revoked"):
        client.pull(3)
    assert server.paths() == [
        "/api/v1/sync/changes",
        "/api/v1/auth/refresh",
        "/api/v1/sync/changes",
    ]


def test_a_refresh_answered_401_raises_auth_rejected_and_stores_nothing() -> None:
    server, sink = Server(problem(401, "refresh token reused")), []
    client = client_for(server, Tokens(EXPIRED, "refresh-1"), sink)
    with pytest.raises(AuthRejected, match="sign in again"):
        client.pull(0)
    assert server.paths() == ["/api/v1/auth/refresh"] and sink == []
    assert client.tokens == Tokens(EXPIRED, "refresh-1")


def test_without_a_refresh_token_it_raises_auth_rejected_without_asking() -> None:
    server = Server(page)
    with pytest.raises(AuthRejected):
        client_for(server, Tokens(EXPIRED, None)).pull(0)
    assert server.requests == []


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [
        (429, "7", 7.0),
        (503, "2.5", 2.5),
        (500, None, None),
        (502, "Wed, 21 Oct 2026 07:28:00 GMT", None),
        (429, "-3", 0.0),
    ],
)
def test_429_and_5xx_raise_server_busy_with_retry_after(
    status: int, retry_after: str | None, expected: float | None
) -> None:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    client = client_for(Server(problem(status, "slow down", headers)), Tokens(FRESH, "r"))
    with pytest.raises(ServerBusy, match="slow down") as caught:
        client.pull(0)
    assert caught.value.retryable and caught.value.retry_after == expected
    assert str(status) in str(caught.value)


def test_413_raises_too_large() -> None:
    client = client_for(Server(problem(413, "over 2 MB")), Tokens(FRESH, "r"))
    with pytest.raises(TooLarge, match="over 2 MB") as caught:
        client.push("dev-1", ['{"event_id":"e1"}'])
    assert not caught.value.retryable


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_other_4xx_raise_refused_with_the_status_and_the_problem_detail(status: int) -> None:
    client = client_for(Server(problem(status, f"detail for {status}")), Tokens(FRESH, "r"))
    with pytest.raises(Refused) as caught:
        client.pull(0)
    assert caught.value.status == status and not caught.value.retryable
    assert f"detail for {status}" in str(caught.value)


def test_a_4xx_without_a_problem_body_still_says_something() -> None:
    client = client_for(Server(lambda _: httpx.Response(403, text="<html>")), Tokens(FRESH, "r"))
    with pytest.raises(Refused, match="403 Forbidden") as caught:
        client.pull(0)
    assert caught.value.status == 403


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError]
)
def test_transport_errors_raise_unreachable(failure: type[httpx.TransportError]) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise failure("the line went dead", request=request)

    client = client_for(Server(answer), Tokens(FRESH, "r"))
    with pytest.raises(Unreachable, match="the line went dead") as caught:
        client.pull(0)
    assert caught.value.retryable and failure.__name__ in str(caught.value)


# --- push, pull, health ---------------------------------------------------------------------


def test_push_sends_the_envelope_texts_byte_for_byte() -> None:
    events = [
        '{"event_id":"e1","payload":{"oil_bbl":41.0,"notes":"señal"}}',
        '{"payload": {"oil_bbl": 41}, "event_id": "e2"}',  # spacing and order kept as stored
    ]
    results = [
        {"event_id": "e1", "status": "accepted", "server_seq": 9, "version": 1},
        {"event_id": "e2", "status": "duplicate"},
    ]
    server = Server(lambda _: httpx.Response(200, json={"results": results}))
    response = client_for(server, Tokens(FRESH, "r")).push("dev-1", events)
    (request,) = server.requests
    assert (request.method, request.url.path) == ("POST", "/api/v1/sync/batch")
    assert request.headers["Content-Type"] == "application/json"
    assert (
        request.content
        == (
            '{"protocol_version":1,"device_id":"dev-1","events":['
            '{"event_id":"e1","payload":{"oil_bbl":41.0,"notes":"señal"}},'
            '{"payload": {"oil_bbl": 41}, "event_id": "e2"}]}'
        ).encode()
    )
    assert b"41.0" in request.content and b'"oil_bbl": 41}' in request.content
    body = json.loads(request.content)
    assert body["protocol_version"] == 1 and len(body["events"]) == 2
    assert [(r.event_id, r.status, r.server_seq) for r in response.results] == [
        ("e1", "accepted", 9),
        ("e2", "duplicate", None),
    ]


def test_pull_passes_cursor_and_limit() -> None:
    change = {"server_seq": 43, "kind": "well", "data": {"id": "w1"}}

    def answer(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"changes": [change], "next_cursor": 43, "has_more": True})

    server = Server(answer)
    client = client_for(server, Tokens(FRESH, "r"))
    result = client.pull(42, limit=250)
    client.pull(7)
    first, second = server.requests
    assert (first.method, first.url.path) == ("GET", "/api/v1/sync/changes")
    assert dict(first.url.params) == {"cursor": "42", "limit": "250"}
    assert dict(second.url.params) == {"cursor": "7", "limit": "1000"}
    assert (result.next_cursor, result.has_more, result.changes[0].server_seq) == (43, True, 43)


@pytest.mark.parametrize(
    ("status", "expected"), [(200, True), (204, False), (404, False), (503, False)]
)
def test_healthy_is_true_only_for_200(status: int, expected: bool) -> None:
    server = Server(lambda _: httpx.Response(status))
    assert client_for(server).healthy() is expected
    assert server.log == [("/healthz", "")]  # no token needed, none refreshed


def test_healthy_is_false_when_the_server_cannot_be_reached() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    assert client_for(Server(answer)).healthy() is False
