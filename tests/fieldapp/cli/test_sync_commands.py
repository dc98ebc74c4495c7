"""`fieldapp link` (and `init --server` pointing to it) through the command line, against a
real `sync-server run` process: a local store registered later keeps its records and sends
them with the next `fieldapp sync`; every refusal is one line on stderr, non-zero, and changes
nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clikit import ok
from fieldkit import PASSPHRASE, CliResult, assert_user_error, days_ago, run_cli, snapshot
from linkkit import local_store
from live_server import LiveServer
from serverkit import PASSWORD, new_org
from synckit import add_wells

pytestmark = pytest.mark.slow
USERS = (("boss", "supervisor"), ("op", "operator"))


def link(
    data: Path,
    url: str,
    org: str,
    user: str = "boss",
    password: str = PASSWORD,
    passphrase: str | None = PASSPHRASE,
) -> CliResult:
    args = ("link", "--server", url, "--org", org, "--user", user, "--password-stdin")
    return run_cli(data, *args, stdin=f"{password}\n", passphrase=passphrase)


def test_link_then_sync_sends_the_local_records(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    add_wells(database_url, org, 1)
    data = tmp_path / "field"
    work = local_store(data, PASSPHRASE)
    before = snapshot(data)
    result = ok(
        run_cli(
            data,
            "--passphrase-stdin",
            "link",
            "--server",
            live_server.url,
            "--org",
            org,
            "--user",
            "boss",
            "--password-stdin",
            passphrase=None,
            stdin=f"{PASSPHRASE}\n{PASSWORD}\n",
        )
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("registered device ") and f"boss@{org}" in lines[0]
    assert "1 wells matched" in lines[1] and f"{work.events - 1} pending" in lines[1]
    kept = Path(lines[2].removeprefix("the local store is kept unchanged in "))
    assert kept.parent == tmp_path and snapshot(kept) == before
    assert "pending=0 conflicts=0 rejected=0" in ok(run_cli(data, "sync")).stdout
    status = json.loads(ok(run_cli(data, "status", "--json")).stdout)
    assert status["mode"] == "server" and status["production_records"] == work.records
    assert status["acknowledged"] == work.events - 1
    assert ok(run_cli(data, "verify")).stdout.startswith("ok:")


def test_link_refusals_are_one_line_and_change_nothing(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    data = tmp_path / "field"
    local_store(data, PASSPHRASE)
    before = snapshot(data)
    url = live_server.url
    init = ("init", "--server", url, "--org", org, "--user", "boss", "--password-stdin")
    cases = {
        r"sign-in refused": lambda: link(data, url, org, password="wrong password"),
        r"wrong passphrase": lambda: link(data, url, org, passphrase="not the passphrase"),
        r"needs the store passphrase": lambda: link(data, url, org, passphrase=None),
        r"no well with API number .*operator": lambda: link(data, url, org, user="op"),
        r"not an http": lambda: link(data, "ftp://x", org),
        r"cannot sign in: org": lambda: link(data, url, "Not A Slug"),
        r"fieldapp link --server": lambda: run_cli(data, *init, stdin=f"{PASSWORD}\n"),
        r"127\.0\.0\.1:9|connect|reach": lambda: link(data, "http://127.0.0.1:9", org),
    }
    for expect, run in cases.items():  # one at a time: a link refuses a store open elsewhere
        result = run()
        message = assert_user_error(result)
        assert re.search(expect, message, re.I), (expect, message)
    assert snapshot(data) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["field"]
    ok(link(data, url, org))
    again = assert_user_error(link(data, url, org))
    assert "already registered" in again


def test_a_keystore_store_links_and_then_opens_and_syncs_without_the_passphrase(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    keyring = tmp_path / "keyring.json"
    data = tmp_path / "field"
    ok(run_cli(data, "init", "--local", keyring_file=keyring))
    ok(run_cli(data, "well", "add", "--api", "42-003-12345", "--name", "W", keyring_file=keyring))
    day = days_ago(1).isoformat()
    record = ("record", "production", "--well", "4200312345", "--date", day)
    ok(run_cli(data, *record, "--oil", "5", "--gas", "6", "--water", "1", keyring_file=keyring))
    args = ("link", "--server", live_server.url, "--org", org, "--user", "boss")
    ok(run_cli(data, *args, "--password-stdin", stdin=f"{PASSWORD}\n", keyring_file=keyring))
    entries = json.loads(keyring.read_text())
    assert sum(k.endswith(":refresh-token") for k in entries) == 1  # the new store's session
    assert sum(k.endswith(":store-key") for k in entries) == 2  # the kept store still opens
    synced = ok(run_cli(data, "sync", passphrase=None, keyring_file=keyring))
    assert "accepted=2" in synced.stdout and "pending=0" in synced.stdout
    status = json.loads(
        ok(run_cli(data, "status", "--json", passphrase=None, keyring_file=keyring)).stdout
    )
    assert status["mode"] == "server" and status["acknowledged"] == 2


def test_sync_sends_attached_photos_after_the_events_and_says_so_per_photo(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    from photocorekit import write_jpeg

    org = new_org(database_url, USERS)
    (api,) = add_wells(database_url, org, 1)
    data = tmp_path / "field"
    local_store(data, PASSPHRASE)
    ok(link(data, live_server.url, org))
    shots = [write_jpeg(tmp_path / f"{n}.jpg", seed=n) for n in (1, 2)]
    ok(run_cli(data, "photo", "add", "--to", f"well:{api}", *map(str, shots)))
    lines = ok(run_cli(data, "sync")).stdout.splitlines()
    assert [line.split(" (")[0] for line in lines[:2]] == [
        "photo 1/2 on the server",
        "photo 2/2 on the server",
    ]
    assert re.search(r"pending=0 .*; photos: 2 uploaded \([\d,]+ bytes\)$", lines[-1])
    listed = json.loads(ok(run_cli(data, "photo", "list", "--json")).stdout)
    assert [p["upload_state"] for p in listed] == ["on_server", "on_server"]
