"""Real Postgres for the server and end-to-end tests: embedded by default, or
TEST_DATABASE_URL's server. Each test session gets a fresh database on that server, migrated to
head. The fixtures are registered for the whole suite by tests/conftest.py; the helpers
(`new_org`, `login`, `org_id`) are imported by the tests that need them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from sync_server.app import create_app
from sync_server.db.embedded import ensure_database, start_embedded
from sync_server.db.migrate import upgrade
from sync_server.services import admin
from sync_server.settings import Settings

PASSWORD = "field-password-1"


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL") or start_embedded(
        tmp_path_factory.mktemp("server") / "data"
    )
    name = f"wellpulse_test_{secrets.token_hex(4)}"
    ensure_database(server_url, name)
    url = _with_database(server_url, name)
    upgrade(url)
    yield url
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        data_dir=Path(tmp_path_factory.mktemp("server-data")),
        database_url=database_url,
        jwt_secret=secrets.token_hex(32),
        rate_limit_per_minute=100_000,  # every test client shares one address
    )


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def new_org(url: str, users: tuple[tuple[str, str], ...] = (("op", "operator"),)) -> str:
    """A fresh organization with users (name, role), all with PASSWORD; returns its slug."""
    slug = f"org-{secrets.token_hex(4)}"
    admin.create_org(url, slug, slug.upper())
    for username, role in users:
        admin.create_user(url, slug, username, role, PASSWORD)
    return slug


def login(client: TestClient, org: str, username: str = "op", **extra: object) -> dict[str, object]:
    response = client.post(
        "/api/v1/auth/login",
        json={
            "org": org,
            "username": username,
            "password": PASSWORD,
            "device_name": "laptop 7",
            **extra,
        },
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def org_id(url: str, slug: str) -> UUID:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT id FROM organizations WHERE slug = %s", (slug,)).fetchone()
    assert row is not None
    return UUID(str(row[0]))


@pytest.fixture(scope="session")
def live_server_process(
    database_url: str, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    """One real `sync-server run` process (tests/support/live_server.py) for the session, on
    this session's database and with `settings`' JWT secret, so tokens from `login(client, …)`
    work on it too. Use the `live_server` fixture, which restarts it if a test stopped it."""
    from live_server import LiveServer

    with LiveServer(
        database_url,
        tmp_path_factory.mktemp("live-server"),
        jwt_secret=settings.jwt_secret,
        rate_limit=settings.rate_limit_per_minute,
    ) as server:
        yield server


@pytest.fixture
def live_server(live_server_process: object) -> object:
    """The session's live server (a `live_server.LiveServer`), running and ready."""
    from live_server import LiveServer

    assert isinstance(live_server_process, LiveServer)
    if not live_server_process.running():
        live_server_process.start()
    return live_server_process
