"""The organization's validation thresholds: `GET`/`PATCH /api/v1/settings/validation`, the
`sync-server org settings` command, and the screening of pushed events with them
(docs/design.md §6.2). Real Postgres, real HTTP through TestClient, real processes for the CLI.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id
from shared.thresholds import DEFAULT_THRESHOLDS, as_settings

from .conftest import login, new_org, org_id
from .test_cli import one_error_line, sync_server
from .test_sync_batch import DAY, Device, add_well, recorded, statuses

PATH = "/api/v1/settings/validation"
USERS = (("op", "operator"), ("boss", "admin"))


def bearer(token: object, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **more}


def org_with_admin(client: TestClient, url: str) -> tuple[str, str, str]:
    org = new_org(url, USERS)
    return (
        org,
        str(login(client, org)["access_token"]),
        str(login(client, org, "boss")["access_token"]),
    )


def audit(url: str, slug: str) -> list[dict[str, Any]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT actor_id, target, details FROM audit_log"
            " WHERE org_id = %s AND action = 'org.settings' ORDER BY id",
            (org_id(url, slug),),
        ).fetchall()
    return [{"actor": r[0], "target": r[1], "details": r[2]} for r in rows]


def test_any_user_reads_the_defaults_with_an_etag_and_gets_304_while_unchanged(
    client: TestClient, database_url: str
) -> None:
    _, op, _ = org_with_admin(client, database_url)
    got = client.get(PATH, headers=bearer(op))
    assert got.status_code == 200, got.text
    assert got.json() == as_settings(DEFAULT_THRESHOLDS)
    etag = got.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get(PATH, headers=bearer(op, **{"If-None-Match": etag}))
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    stale = client.get(PATH, headers=bearer(op, **{"If-None-Match": '"not-it"'}))
    assert stale.status_code == 200
    assert client.get(PATH).status_code == 401


def test_an_admin_changes_thresholds_audited_and_the_etag_moves(
    client: TestClient, database_url: str
) -> None:
    org, op, boss = org_with_admin(client, database_url)
    before = client.get(PATH, headers=bearer(op)).headers["ETag"]
    changed = client.patch(
        PATH, headers=bearer(boss), json={"max_oil_bbl": 40000, "history_days": 45}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["max_oil_bbl"] == 40000.0 and changed.json()["history_days"] == 45
    after = client.get(PATH, headers=bearer(op, **{"If-None-Match": before}))
    assert after.status_code == 200 and after.headers["ETag"] != before
    assert after.json() == changed.json()
    with psycopg.connect(database_url) as conn:
        (stored,) = conn.execute(
            "SELECT validation FROM organizations WHERE slug = %s", (org,)
        ).fetchone()  # type: ignore[misc]
    assert stored == {"max_oil_bbl": 40000.0, "history_days": 45}  # only what differs
    (entry,) = audit(database_url, org)
    assert entry["actor"] is not None and entry["details"]["via"] == "api"
    assert entry["details"]["changes"]["max_oil_bbl"] == {"from": 10000.0, "to": 40000.0}
    reset = client.patch(PATH, headers=bearer(boss), json={"history_days": None})
    assert reset.json()["history_days"] == 30 and reset.json()["max_oil_bbl"] == 40000.0
    same = client.patch(PATH, headers=bearer(boss), json={"max_oil_bbl": 40000})
    assert same.status_code == 200 and len(audit(database_url, org)) == 2  # no change, no entry


def test_only_admins_change_and_bad_settings_are_422_naming_them(
    client: TestClient, database_url: str
) -> None:
    org, op, boss = org_with_admin(client, database_url)
    refused = client.patch(PATH, headers=bearer(op), json={"max_oil_bbl": 1})
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    cases = [
        ({"max_oil_bl": 1}, "max_oil_bl"),
        ({"median_low_ratio": 2}, "median_low_ratio"),
        ({"max_oil_bbl": -5}, "max_oil_bbl"),
        ({"max_oil_bbl": "40000"}, "max_oil_bbl"),
        ({"history_days": 2.5}, "history_days"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": None}, "timezone"),
    ]
    for body, field in cases:
        bad = client.patch(PATH, headers=bearer(boss), json=body)
        assert bad.status_code == 422, (body, bad.text)
        problem = bad.json()
        assert bad.headers["content-type"] == "application/problem+json"
        assert problem["status"] == 422 and problem["instance"] == PATH
        assert field in {e["field"] for e in problem["errors"]}, problem
    assert client.patch(PATH, headers=bearer(boss), content=b"{nope").status_code == 400
    assert client.get(PATH, headers=bearer(op)).json() == as_settings(DEFAULT_THRESHOLDS)
    assert audit(database_url, org) == []


def test_an_organization_sees_and_changes_only_its_own(
    client: TestClient, database_url: str
) -> None:
    _, _, boss_a = org_with_admin(client, database_url)
    _, op_b, _ = org_with_admin(client, database_url)
    client.patch(PATH, headers=bearer(boss_a), json={"max_oil_bbl": 777})
    assert client.get(PATH, headers=bearer(op_b)).json()["max_oil_bbl"] == 10000.0


def test_the_server_screens_pushed_events_with_the_orgs_thresholds(
    client: TestClient, database_url: str
) -> None:
    org = new_org(database_url, (("op", "operator"), ("boss", "admin")))
    well = add_well(database_url, org)
    dev = Device(client, org, "op")
    big = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well, oil=12_000.0))
    assert statuses(dev.push(big)) == ["accepted"]  # above the default maximum: a warning
    boss = str(login(client, org, "boss")["access_token"])
    client.patch(PATH, headers=bearer(boss), json={"max_oil_bbl": 40000})
    day_before = (DAY - timedelta(days=1)).isoformat()
    values = recorded(well, oil=12_000.0, production_date=day_before)
    again = dev.event(EventType.PRODUCTION_RECORDED, new_id(), values)
    assert statuses(dev.push(again)) == ["accepted"]
    with psycopg.connect(database_url) as conn:
        flags = dict(
            conn.execute(
                "SELECT id::text, flags FROM production WHERE id = ANY(%s)",
                ([big["aggregate_id"], again["aggregate_id"]],),
            ).fetchall()
        )
    assert [f["rule"] for f in flags[big["aggregate_id"]]] == ["oil_max"]
    assert flags[again["aggregate_id"]] == []


def test_the_command_line_shows_and_sets_thresholds(database_url: str) -> None:
    org = new_org(database_url)
    shown = sync_server(database_url, "org", "settings", "--org", org)
    assert shown.returncode == 0, shown.stderr
    assert "max_oil_bbl            10000.0  (default)" in shown.stdout
    set_ = sync_server(
        database_url,
        "org",
        "settings",
        "--org",
        org,
        "--set",
        "max_oil_bbl=40000",
        "--set",
        "day_change_pct=35",
        "--set",
        "timezone=America/Denver",
    )
    assert set_.returncode == 0, set_.stderr
    lines = dict(line.split(None, 1) for line in set_.stdout.splitlines())
    assert (lines["max_oil_bbl"], lines["day_change_pct"]) == ("40000.0", "35.0")
    assert lines["timezone"] == "America/Denver" and lines["history_days"] == "30  (default)"
    (entry,) = audit(database_url, org)
    assert entry["actor"] is None and entry["details"]["via"] == "cli"
    reset = sync_server(
        database_url, "org", "settings", "--org", org, "--set", "day_change_pct=default"
    )
    assert "day_change_pct         20.0  (default)" in reset.stdout
    for bad, words in (
        ("max_oil_bl=4", "unknown setting"),
        ("max_oil_bbl=lots", "must be a number"),
        ("median_low_ratio=1.5", "between 0 and 1"),
        ("history_days", "expected KEY=VALUE"),
    ):
        result = sync_server(database_url, "org", "settings", "--org", org, "--set", bad)
        assert result.returncode == 2, (bad, result.stderr)
        assert words in one_error_line(result)
    missing = sync_server(database_url, "org", "settings", "--org", "no-such-org")
    assert missing.returncode == 1 and "no organization" in one_error_line(missing)
    after = sync_server(database_url, "org", "settings", "--org", org)
    assert "max_oil_bbl            40000.0\n" in after.stdout
