"""`sync-server` administration commands through real processes against the test database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import psycopg


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
        sync_server(database_url, "user", "create", "--org", slug, "--username", "bob",
                    "--role", "operator", "--password-stdin", stdin="short\n")
    )  # fmt: skip
    assert "no organization" in one_error_line(
        sync_server(database_url, "user", "create", "--org", "nope-org", "--username", "c",
                    "--role", "operator", "--password-stdin", stdin="long-enough-1\n")
    )  # fmt: skip
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
    assert result.stdout.strip() == "database at migration 0001"
