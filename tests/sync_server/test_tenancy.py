"""Row-level security: org A's session sees and writes nothing of org B's."""

from __future__ import annotations

from uuid import uuid4

import psycopg
import pytest
from starlette.testclient import TestClient

from sync_server.settings import APP_ROLE

from .conftest import login, new_org, org_id

TENANT_TABLES = (
    "users",
    "devices",
    "refresh_tokens",
    "companies",
    "fields",
    "leases",
    "wells",
    "events",
    "production",
    "production_aliases",
    "production_versions",
    "conflicts",
    "quarantine",
    "audit_log",
)


def test_every_tenant_table_forces_row_level_security(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relname = ANY(%s)",
            (list(TENANT_TABLES),),
        ).fetchall()
    assert {r[0] for r in rows} == set(TENANT_TABLES)
    assert all(r[1] and r[2] for r in rows)


def test_the_app_role_with_org_a_sees_no_row_of_org_b(
    client: TestClient, database_url: str
) -> None:
    a, b = new_org(database_url), new_org(database_url)
    login(client, a)
    login(client, b)
    a_id, b_id = org_id(database_url, a), org_id(database_url, b)
    with psycopg.connect(database_url) as conn:
        conn.execute(f"SET ROLE {APP_ROLE}")
        conn.execute("SELECT set_config('app.org_id', %s, false)", (str(a_id),))
        for table in TENANT_TABLES:
            orgs = {r[0] for r in conn.execute(f"SELECT DISTINCT org_id FROM {table}")}
            assert b_id not in orgs, table
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO companies (id, org_id, name) VALUES (%s, %s, 'stolen')",
                (uuid4(), b_id),
            )


def test_without_a_tenant_setting_the_app_role_sees_nothing(database_url: str) -> None:
    new_org(database_url)
    with psycopg.connect(database_url) as conn:
        conn.execute(f"SET ROLE {APP_ROLE}")
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)


def test_a_token_of_org_a_cannot_use_a_refresh_token_made_up_for_org_b(
    client: TestClient, database_url: str
) -> None:
    a, b = new_org(database_url), new_org(database_url)
    mine = login(client, a)
    secret_part = str(mine["refresh_token"]).split(".", 1)[1]
    guessed = f"{org_id(database_url, b)}.{secret_part}"
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": guessed}).status_code == 401
