"""`fieldapp` devices against a real `sync-server run` process, through the command line only.

Each device is its own data directory driven by `python -m fieldapp` subprocesses, as an operator
would use it; the server is a real uvicorn process on the session's Postgres.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fieldkit import CliResult, assert_user_error, days_ago, run_cli
from live_server import LiveServer
from serverkit import PASSWORD, new_org
from synckit import add_wells, server_production

pytestmark = pytest.mark.slow
USERS = (("op0", "operator"), ("op1", "operator"), ("boss", "supervisor"))


def ok(result: CliResult) -> str:
    assert result.code == 0, f"exit {result.code}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def register(folder: Path, server: LiveServer, org: str, user: str) -> Path:
    out = ok(
        run_cli(
            folder,
            "init",
            "--server",
            server.url,
            "--org",
            org,
            "--user",
            user,
            "--password-stdin",
            stdin=f"{PASSWORD}\n",
        )
    )
    assert "registered device" in out and "pulled" in out
    return folder


def two_devices(
    server: LiveServer, url: str, tmp: Path, wells: int
) -> tuple[str, list[str], Path, Path]:
    """A fresh org with `wells` wells and two registered laptops (op0, op1)."""
    org = new_org(url, USERS)
    apis = add_wells(url, org, wells)
    return (
        org,
        apis,
        register(tmp / "a", server, org, "op0"),
        register(tmp / "b", server, org, "op1"),
    )


def record(folder: Path, api: str, day: str, oil: float, notes: str = "") -> str:
    return ok(
        run_cli(
            folder,
            "record",
            "production",
            "--well",
            api,
            "--date",
            day,
            "--oil",
            str(oil),
            "--gas",
            str(oil * 1.5),
            "--water",
            "12",
            "--hours",
            "24",
            "--notes",
            notes,
        )
    )


def status(folder: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(ok(run_cli(folder, "status", "--json")))
    return result


def exported(folder: Path, tmp: Path) -> list[str]:
    out = tmp / f"{folder.name}.csv"
    ok(run_cli(folder, "export", "production", "--out", str(out)))
    return sorted(out.read_text().splitlines()[1:])


def test_two_devices_offline_on_different_wells_end_with_the_same_records(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org, apis, a, b = two_devices(live_server, database_url, tmp_path, 2)
    w1, w2 = apis
    assert status(a)["wells"] == 2
    for n in (1, 2):
        record(a, w1, days_ago(n).isoformat(), 100 + n)
        record(b, w2, days_ago(n).isoformat(), 50 + n)
    assert status(a)["pending"] == 2
    for folder in (a, b, a):
        assert "pending=0" in ok(run_cli(folder, "sync"))
    sa, sb = status(a), status(b)
    assert (sa["pending"], sb["pending"]) == (0, 0)
    assert (sa["acknowledged"], sb["acknowledged"]) == (2, 2)
    assert sa["production_records"] == sb["production_records"] == 4
    assert sa["cursor"] == sb["cursor"] and sa["last_sync"]
    assert len(server_production(database_url, org)) == 4
    assert exported(a, tmp_path) == exported(b, tmp_path)
    for folder in (a, b):
        assert "ok:" in ok(run_cli(folder, "verify"))


def test_the_same_well_day_with_different_oil_is_a_conflict_resolved_from_the_command_line(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org, apis, a, b = two_devices(live_server, database_url, tmp_path, 1)
    (w1,) = apis
    day = days_ago(1).isoformat()
    record(a, w1, day, 100)
    record(b, w1, day, 130)
    ok(run_cli(a, "sync"))
    assert "conflicts=1" in ok(run_cli(b, "sync"))
    ok(run_cli(a, "sync"))
    seen = {}
    for folder in (a, b):
        (conflict,) = json.loads(ok(run_cli(folder, "conflicts", "--json")))
        seen[folder.name] = conflict
        assert status(folder)["conflicts"] == 1
    assert seen["a"]["fields"] == ["gas_mcf", "oil_bbl"]  # gas is 1.5 x oil in `record`
    assert (seen["a"]["mine"]["oil_bbl"], seen["a"]["theirs"]["oil_bbl"]) == (100.0, 130.0)
    assert (seen["b"]["mine"]["oil_bbl"], seen["b"]["theirs"]["oil_bbl"]) == (130.0, 100.0)
    assert seen["a"]["conflict_id"] == seen["b"]["conflict_id"]
    assert "oil_bbl: mine=100.0 theirs=130.0" in ok(run_cli(a, "conflicts"))

    cid = seen["a"]["conflict_id"]
    assert "kept mine" in ok(run_cli(a, "resolve", cid, "--keep", "mine"))
    message = assert_user_error(run_cli(a, "resolve", cid, "--keep", "theirs"))
    assert "already resolved" in message
    for folder in (a, b, a):
        ok(run_cli(folder, "sync"))
    for folder in (a, b):
        assert status(folder)["conflicts"] == 0
        assert json.loads(ok(run_cli(folder, "conflicts", "--json"))) == []
        (closed,) = json.loads(ok(run_cli(folder, "conflicts", "--all", "--json")))
        # B raised it, so the server calls A's side "theirs"; A kept its own
        assert closed["resolution"]["keep"] == "theirs"
        assert closed["resolution"]["values"]["oil_bbl"] == 100.0
    assert exported(a, tmp_path) == exported(b, tmp_path)
    (only,) = server_production(database_url, org).values()
    assert only["oil"] == 100.0


def test_disjoint_corrections_from_two_devices_merge_without_conflict(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org, apis, a, b = two_devices(live_server, database_url, tmp_path, 1)
    (w1,) = apis
    day = days_ago(2).isoformat()
    record(a, w1, day, 100)
    ok(run_cli(a, "sync"))
    ok(run_cli(b, "sync"))
    assert "corrected" in record(a, w1, day, 100, notes="choke changed")  # notes only
    assert "corrected" in ok(
        run_cli(
            b,
            "record",
            "production",
            "--well",
            w1,
            "--date",
            day,
            "--oil",
            "104",
            "--gas",
            "150",
            "--water",
            "12",
            "--hours",
            "24",
        )
    )
    for folder in (a, b, a):
        assert "conflicts=0" in ok(run_cli(folder, "sync"))
    (only,) = server_production(database_url, org).values()
    assert (only["oil"], only["notes"]) == (104.0, "choke changed")
    assert exported(a, tmp_path) == exported(b, tmp_path)


def test_sync_with_no_server_fails_in_one_line_and_keeps_everything_pending(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    (w1,) = add_wells(database_url, org, 1)
    a = register(tmp_path / "a", live_server, org, "op0")
    record(a, w1, days_ago(1).isoformat(), 90)
    live_server.kill()
    try:
        failed = run_cli(a, "sync")
    finally:
        live_server.start()
    message = assert_user_error(failed)
    assert "unreachable" in message and "1 event(s) stay pending" in message
    assert status(a)["pending"] == 1
    assert "pending=0" in ok(run_cli(a, "sync"))


def test_init_with_a_wrong_password_creates_nothing(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    folder = tmp_path / "a"
    result = run_cli(
        folder,
        "init",
        "--server",
        live_server.url,
        "--org",
        org,
        "--user",
        "op0",
        "--password-stdin",
        stdin="wrong password\n",
    )
    assert "sign-in refused" in assert_user_error(result)
    assert not (folder / "keys.json").exists() and not (folder / "store.db").exists()
    local = run_cli(tmp_path / "l", "init", "--local")
    ok(local)
    assert "local-only" in assert_user_error(run_cli(tmp_path / "l", "sync"))
