"""`sync-server demo` against real Postgres: org, users, wells, and simulated history that went
in through the real ingest path (validated, versioned, flagged, served by pull)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from serverkit import _with_database
from starlette.testclient import TestClient

from shared.api_number import normalize_api_number
from shared.validation import org_today
from sync_server.db.embedded import ensure_database
from wellpulse_demo.server_seed import DEMO_PASSWORD, DemoSummary, run_demo

DAYS, WELLS = 60, 6


@pytest.fixture(scope="module")
def demo(database_url: str) -> DemoSummary:
    return run_demo(database_url, days=DAYS, wells=WELLS)


def query(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        org = conn.execute("SELECT id FROM organizations WHERE slug = 'demo'").fetchone()
        assert org is not None
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org[0]),))
        return conn.execute(sql, (org[0], *params)).fetchall()


def counts(url: str) -> tuple[Any, ...]:
    tables = ("users", "wells", "production", "events", "devices")
    sql = ", ".join(f"(SELECT count(*) FROM {t} WHERE org_id = %(org)s)" for t in tables)
    with psycopg.connect(url) as conn:
        org = conn.execute("SELECT id FROM organizations WHERE slug = 'demo'").fetchone()
        assert org is not None
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org[0]),))
        row = conn.execute(f"SELECT {sql}", {"org": org[0]}).fetchone()
    assert row is not None
    return tuple(row)


def test_the_org_and_its_users_can_log_in_with_the_documented_password(
    demo: DemoSummary, database_url: str, client: TestClient
) -> None:
    assert demo.created and demo.org == "demo" and demo.password == DEMO_PASSWORD
    with psycopg.connect(database_url) as conn:
        org = conn.execute(
            "SELECT name, timezone FROM organizations WHERE slug = 'demo'"
        ).fetchone()
    assert org == ("Demo Energy", "America/Chicago")
    users = query(database_url, "SELECT username, role FROM users WHERE org_id = %s")
    assert sorted(users) == [
        ("admin", "admin"),
        ("operator1", "operator"),
        ("operator2", "operator"),
        ("supervisor", "supervisor"),
    ]
    response = client.post(
        "/api/v1/auth/login",
        json={
            "org": "demo",
            "username": "operator1",
            "password": DEMO_PASSWORD,
            "device_name": "demo laptop",
        },
    )
    assert response.status_code == 200, response.text


def test_wells_and_one_production_record_per_well_day(demo: DemoSummary, database_url: str) -> None:
    wells = query(
        database_url,
        "SELECT w.api_number, f.name FROM wells w JOIN fields f ON f.id = w.field_id"
        " WHERE w.org_id = %s",
    )
    assert len(wells) == demo.wells == WELLS
    assert len({field for _, field in wells}) == 2
    rows = query(
        database_url,
        "SELECT count(*), count(DISTINCT (well_id, production_date)), min(production_date),"
        " max(production_date), count(*) FILTER (WHERE entry_method = 'IMPORT' AND version = 1)"
        " FROM production WHERE org_id = %s AND deleted_at IS NULL",
    )[0]
    yesterday = org_today("America/Chicago") - timedelta(days=1)
    assert rows == (
        DAYS * WELLS,
        DAYS * WELLS,
        yesterday - timedelta(days=DAYS - 1),
        yesterday,
        DAYS * WELLS,
    )
    down = query(
        database_url,
        "SELECT count(*) FILTER (WHERE downtime_reason IS NULL) FROM production"
        " WHERE org_id = %s AND downtime_hours > 0",
    )[0][0]
    assert down == 0


def test_the_history_is_events_of_the_import_device_served_by_pull(
    demo: DemoSummary, database_url: str, client: TestClient
) -> None:
    assert demo.events == DAYS * WELLS
    device = query(
        database_url,
        "SELECT d.name, d.last_seq, u.username FROM devices d JOIN users u ON u.id = d.user_id"
        " WHERE d.org_id = %s AND d.name = 'office history import'",
    )
    assert device == [("office history import", DAYS * WELLS, "admin")]
    kinds = query(
        database_url, "SELECT event_type, count(*) FROM events WHERE org_id = %s GROUP BY 1"
    )
    assert kinds == [("production.recorded", DAYS * WELLS)]
    session = client.post(
        "/api/v1/auth/login",
        json={
            "org": "demo",
            "username": "supervisor",
            "password": DEMO_PASSWORD,
            "device_name": "office pc",
        },
    ).json()
    pulled: list[dict[str, Any]] = []
    cursor, more = 0, True
    while more:
        page = client.get(
            f"/api/v1/sync/changes?cursor={cursor}&limit=1000",
            headers={"Authorization": f"Bearer {session['access_token']}"},
        ).json()
        pulled += page["changes"]
        cursor, more = page["next_cursor"], page["has_more"]
    assert Counter(c["kind"] for c in pulled) == {"well": WELLS, "event": DAYS * WELLS}
    event = next(c for c in pulled if c["kind"] == "event")
    assert event["data"]["payload"]["entry_method"] == "IMPORT"


def test_planted_anomalies_are_stored_with_warning_flags(
    demo: DemoSummary, database_url: str
) -> None:
    assert {a.kind for a in demo.anomalies} == {"oil_spike", "gor_jump", "water_cut_jump"}
    for anomaly in demo.anomalies:
        api = normalize_api_number(demo.well_apis[anomaly.well])
        score, flags = query(
            database_url,
            "SELECT p.quality_score, p.flags FROM production p JOIN wells w ON w.id = p.well_id"
            " WHERE p.org_id = %s AND w.api_number = %s AND p.production_date = %s",
            api,
            anomaly.production_date,
        )[0]
        assert score < 100
        assert {"rule": anomaly.rule, "severity": "warning"}.items() <= next(
            f for f in flags if f["rule"] == anomaly.rule
        ).items()
        assert all(f["severity"] != "error" for f in flags)
    assert demo.flagged >= len(demo.anomalies)
    assert demo.flagged < DAYS * WELLS * 0.3


def test_running_it_again_changes_nothing(demo: DemoSummary, database_url: str) -> None:
    before = counts(database_url)
    again = run_demo(database_url, days=DAYS, wells=WELLS)
    assert not again.created and again.org == "demo"
    assert counts(database_url) == before == (4, WELLS, DAYS * WELLS, DAYS * WELLS, before[4])


def test_the_command_line_builds_a_demo_once(database_url: str, tmp_path: Path) -> None:
    name = f"wellpulse_demo_{secrets.token_hex(4)}"
    ensure_database(database_url, name)
    url = _with_database(database_url, name)
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "sync_server", "--data-dir", str(tmp_path), "demo"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args], capture_output=True, text=True, env=env, check=False, timeout=300
        )

    try:
        first = run("--days", "45", "--wells", "3")
        assert first.returncode == 0, first.stderr
        assert "created organization demo" in first.stdout
        assert "password: wellpulse-demo" in first.stdout
        assert "wells: 3" in first.stdout and "135 events accepted" in first.stdout
        second = run()
        assert second.returncode == 0, second.stderr
        assert "already exists; nothing changed" in second.stdout
        usage = run("--days", "0")
        assert usage.returncode == 2
        assert usage.stderr.strip().splitlines() == [
            "sync-server: error: --days and --wells must be at least 1"
        ]
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
