"""`sync-server` administration commands through real processes against the test database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg
from starlette.testclient import TestClient

from sync_server.db.migrate import head_revision

from .test_analytics_refresh import assert_same, expected, make_org, push_history, stored


def sync_server(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sync_server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        check=False,
        timeout=60,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("sync-server: error: ")
    return lines[0]


def test_org_and_user_creation_and_their_user_errors(database_url: str) -> None:
    slug = f"cli-{secrets.token_hex(3)}"
    made = sync_server(database_url, "org", "create", slug, "--name", "Cli Oil")
    assert made.returncode == 0, made.stderr
    assert "already exists" in one_error_line(
        sync_server(database_url, "org", "create", slug, "--name", "Again")
    )
    assert "not a valid organization slug" in one_error_line(
        sync_server(database_url, "org", "create", "Bad Slug!", "--name", "x")
    )
    args = ("user", "create", "--org", slug, "--username", "ann", "--role", "supervisor")
    created = sync_server(database_url, *args, "--password-stdin", stdin="long-enough-1\n")
    assert created.returncode == 0, created.stderr
    assert "already exists" in one_error_line(
        sync_server(database_url, *args, "--password-stdin", stdin="long-enough-1\n")
    )
    assert "at least 8" in one_error_line(
        sync_server(
            database_url,
            "user",
            "create",
            "--org",
            slug,
            "--username",
            "bob",
            "--role",
            "operator",
            "--password-stdin",
            stdin="short\n",
        )
    )
    assert "no organization" in one_error_line(
        sync_server(
            database_url,
            "user",
            "create",
            "--org",
            "nope-org",
            "--username",
            "c",
            "--role",
            "operator",
            "--password-stdin",
            stdin="long-enough-1\n",
        )
    )
    usage = sync_server(database_url, *args[:-1], "king", "--password-stdin", stdin="x\n")
    assert usage.returncode == 2
    assert "invalid choice" in one_error_line(usage)
    with psycopg.connect(database_url) as conn:
        count = conn.execute(
            "SELECT count(*) FROM users u JOIN organizations o ON o.id = u.org_id"
            " WHERE o.slug = %s",
            (slug,),
        ).fetchone()
    assert count == (1,)


def test_migrate_reports_the_head_revision(database_url: str) -> None:
    result = sync_server(database_url, "migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"database at migration {head_revision()}"


def test_well_import_creates_updates_and_reports_bad_rows(
    database_url: str, tmp_path: Path
) -> None:
    slug = f"wells-{secrets.token_hex(3)}"
    assert sync_server(database_url, "org", "create", slug, "--name", "W").returncode == 0
    path = tmp_path / "wells.csv"
    path.write_text(
        "api_number,name,lease,field,latitude,longitude,status,type\n"
        "42-501-20130,Smith 1H,Smith,Wolfcamp,31.9,-102.1,active,oil\n"
        "42-501-20131,Smith 2,Smith,Wolfcamp,,,shut_in,gas\n"
        "99-001-00001,Nowhere,,,,,active,oil\n"
        "42-501-20133,Bad Lat,,,95,0,active,oil\n"
    )
    first = sync_server(database_url, "well", "import", "--org", slug, str(path))
    assert "created=2 updated=0 unchanged=0 rejected=2" in first.stdout
    assert "line 4:" in first.stdout and "line 5:" in first.stdout
    assert "2 rows rejected" in one_error_line(first)
    path.write_text(
        "api_number,name,lease,field,latitude,longitude,status,type\n"
        "4250120130,Smith 1H,Smith,Wolfcamp,31.9,-102.1,active,oil\n"
        "4250120131,Smith 2 (renamed),Smith,Wolfcamp,,,shut_in,gas\n"
    )
    second = sync_server(database_url, "well", "import", "--org", slug, str(path))
    assert second.returncode == 0, second.stderr
    assert "created=0 updated=1 unchanged=1 rejected=0" in second.stdout
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT w.name, w.version, f.name FROM wells w JOIN organizations o ON o.id = w.org_id"
            " LEFT JOIN fields f ON f.id = w.field_id WHERE o.slug = %s ORDER BY w.api_number",
            (slug,),
        ).fetchall()
    assert rows == [("Smith 1H", 1, "Wolfcamp"), ("Smith 2 (renamed)", 2, "Wolfcamp")]
    missing = sync_server(database_url, "well", "import", "--org", slug, str(tmp_path / "x.csv"))
    assert "file not found" in one_error_line(missing)


def test_analytics_rebuild_restores_an_orgs_aggregates_and_names_every_org(
    client: TestClient, database_url: str
) -> None:
    org = make_org(client, database_url)
    push_history(org)
    with psycopg.connect(database_url) as conn:
        for table in ("analytics_daily_rollups", "analytics_monthly"):
            conn.execute(f"DELETE FROM {table} WHERE org_id = %s", (org.id,))
    one = sync_server(database_url, "analytics", "rebuild", "--org", org.slug)
    assert one.returncode == 0, one.stderr
    daily, monthly = stored(database_url, org)
    rollups = len([k for k in daily if k[0] != "well"])
    line = (
        f"{org.slug}: analytics_daily_rollups={rollups} analytics_monthly={len(monthly)} rows in "
    )
    assert one.stdout.startswith(line) and one.stdout.endswith(" s\n")
    assert_same((daily, monthly), expected(org))
    every = sync_server(database_url, "analytics", "rebuild")
    assert every.returncode == 0, every.stderr
    assert f"\n{org.slug}: " in f"\n{every.stdout}"
    assert "no organization 'nope'" in one_error_line(
        sync_server(database_url, "analytics", "rebuild", "--org", "nope")
    )
