"""/api/v1/openapi.json: complete, valid OpenAPI 3.1, and the real app keeps to it (schemathesis,
authenticated as a fresh organization's operator, against the real app and Postgres)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id
from sync_server.app import create_app
from sync_server.endpoints.photos import CHUNK_TYPE
from sync_server.openapi import build_document
from sync_server.settings import Settings

from .test_sync_batch import corrected, recorded, setup

Document = dict[str, Any]


def undocumented(app: Starlette, document: Document) -> list[str]:
    """'METHOD path' of every route of `app` missing from `document`, and vice versa."""
    routed: set[str] = set()
    for route in app.routes:
        assert isinstance(route, Route), f"{route!r}: only plain Routes are documented so far"
        methods = set(route.methods or ())
        if "GET" in methods:
            methods.discard("HEAD")  # Starlette adds HEAD to every GET
        path = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)  # {id:uuid} is {id} in OpenAPI
        routed.update(f"{method} {path}" for method in methods)
    documented = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }
    return sorted(routed ^ documented)


def resolve(document: Document, ref: str) -> Any:
    assert ref.startswith("#/"), f"only local references: {ref}"
    node: Any = document
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and key in node, f"{ref} does not resolve"
        node = node[key]
    return node


def refs_in(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs_in(value)


def test_every_route_is_documented(settings: Settings) -> None:
    assert undocumented(create_app(settings), build_document()) == []


def test_an_undocumented_route_is_caught(settings: Settings) -> None:
    app = create_app(settings)

    async def hidden(request: object) -> None: ...

    app.router.routes.append(Route("/api/v1/hidden", hidden, methods=["DELETE"]))
    assert undocumented(app, build_document()) == ["DELETE /api/v1/hidden"]


def test_every_status_has_a_schema_and_every_ref_resolves() -> None:
    document = build_document()
    for ref in refs_in(document):
        resolve(document, ref)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation["responses"], f"{method} {path}"
            for status, response in operation["responses"].items():
                if "$ref" in response:
                    response = resolve(document, response["$ref"])
                if status == "304":  # Not Modified has no body (RFC 9110), only its validator
                    assert "content" not in response and response["headers"]["ETag"]
                    assert operation["responses"]["200"]["headers"]["ETag"]
                    continue
                if status == "204" or (method == "head" and status == "200"):
                    assert "content" not in response, f"{method} {path} {status} has a body"
                    continue  # No Content, and HEAD answers headers only (RFC 9110)
                assert response["content"], f"{method} {path} {status}"
                for media_type, content in response["content"].items():
                    assert content.get("schema"), f"{method} {path} {status} {media_type}"
                if status.startswith(("4", "5")):
                    assert list(response["content"]) == ["application/problem+json"]
            if operation["security"]:
                assert "401" in operation["responses"], f"{method} {path}"
            if path.startswith("/api/v1/"):
                limited = resolve(document, operation["responses"]["429"]["$ref"])
                assert limited["headers"]["Retry-After"]


def test_the_served_document_is_valid_openapi_3_1(client: TestClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == build_document()
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.validate()  # the OpenAPI 3.1 meta-schema, as schemathesis checks it
    for name, schema in response.json()["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name  # JSON Schema 2020-12 (schemathesis's)
    assert {op.ok().label for op in loaded.get_all_operations()} >= {
        "POST /api/v1/sync/batch",
        "GET /api/v1/sync/changes",
        "POST /api/v1/auth/login",
    }


@pytest.mark.parametrize(
    "body",
    [
        {"org": "ab\x00", "username": "op", "password": "p", "device_name": "d"},
        {"org": "acme", "username": "op\x00", "password": "p", "device_name": "d"},
        {"org": "acme", "username": "op", "password": "p", "device_name": "laptop\n7"},
    ],
)
def test_control_characters_in_login_names_are_invalid_not_a_crash(
    client: TestClient, body: dict[str, str]
) -> None:  # found by schemathesis: Postgres text cannot hold NUL
    assert client.post("/api/v1/auth/login", json=body).status_code == 422


def test_an_unreadable_request_id_is_replaced(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": b"caf\xe9"})  # not UTF-8
    assert response.status_code == 200
    assert response.headers["x-request-id"].isalnum()


def test_a_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = client.delete("/api/v1/sync/changes")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


# --- schemathesis against the real app and Postgres ---------------------------------------------
#
# `schemathesis.pytest.from_fixture` would load the document from the running app lazily, but its
# parametrization sets `Function._nodeid`, which pytest 9.2 no longer has. So the schema is loaded
# from the same `build_document()` at import (test_the_served_document_... proves they are equal)
# and every request goes through a schemathesis ASGI session on a second app instance: its own
# pool in schemathesis's event loop, the same test database. All phases run (explicit examples,
# the deterministic coverage cases, then derandomized fuzzing), one pytest item per operation
# (under pytest 9.2 they all show the test's bare name; a failure's curl line names the call).

# A photo upload's chunk is bytes, not a JSON schema: schemathesis sends small generated ones.
schemathesis.openapi.media_type(CHUNK_TYPE, st.binary(max_size=4096))
SCHEMA = schemathesis.openapi.from_dict(build_document(), config=schemathesis.Config())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    unsupported_method,  # 405 with Allow for the methods a path does not have
]
BOUNDED = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    # Every example is a real request against Postgres: slow by Hypothesis' standards.
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def app_session(settings: Settings) -> Iterator[requests.Session]:
    """A schemathesis ASGI session on its own app (the session fixture migrated the database)."""
    with schemathesis.python.asgi.get_client(create_app(settings, migrate=False)) as session:
        yield session
    shutdown_lifespans()  # close that app's pool before the test database is dropped


@pytest.fixture(scope="module")
def operator(client: TestClient, database_url: str) -> dict[str, str]:
    """A fresh organization's operator (token, device id); the org has a well, production events
    and an open conflict, so pulled pages hold every kind of change."""
    (mine, theirs), well = setup(client, database_url, users=2)
    day = new_id()
    for device, event in [
        (mine, mine.event(EventType.PRODUCTION_RECORDED, day, recorded(well))),
        (
            theirs,
            theirs.event(EventType.PRODUCTION_CORRECTED, day, corrected(well, oil_bbl=1.0), base=1),
        ),
        (
            mine,
            mine.event(EventType.PRODUCTION_CORRECTED, day, corrected(well, oil_bbl=2.0), base=1),
        ),
    ]:
        assert device.push(event).status_code == 200
    return {"token": str(mine.token), "device_id": str(mine.identity.device_id)}


def auth(operator: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {operator['token']}"}  # a new dict: calls extend it


@SCHEMA.parametrize()
@BOUNDED
def test_the_app_keeps_to_its_document(
    case: schemathesis.Case, app_session: requests.Session, operator: dict[str, str]
) -> None:
    case.call_and_validate(session=app_session, headers=auth(operator), checks=CHECKS)


@SCHEMA.include(operation_id="pushBatch").parametrize()
@BOUNDED
def test_a_push_from_the_token_device_keeps_to_the_document(
    case: schemathesis.Case, app_session: requests.Session, operator: dict[str, str]
) -> None:
    """Generated batches past the protocol and device gates, so ingest sees generated events."""
    if isinstance(case.body, dict):
        case.body = {**case.body, "protocol_version": 1, "device_id": operator["device_id"]}
    case.call_and_validate(session=app_session, headers=auth(operator), checks=CHECKS)
