"""GET /api/v1/conflicts and /api/v1/quarantine: the supervisor's review lists."""

from __future__ import annotations

from typing import Any

import psycopg
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id

from .conftest import login, new_org
from .test_sync_batch import Device, add_well, corrected, recorded, statuses

ROLES = (("op0", "operator"), ("op1", "operator"), ("boss", "supervisor"))


def get(client: TestClient, token: str, path: str) -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def org_with_a_conflict_and_a_rejection(
    client: TestClient, url: str
) -> tuple[str, Device, Device, dict[str, Any], dict[str, Any]]:
    org = new_org(url, ROLES)
    well = add_well(url, org)
    a, b = Device(client, org, "op0"), Device(client, org, "op1")
    record = new_id()
    assert statuses(a.push(a.event(EventType.PRODUCTION_RECORDED, record, recorded(well)))) == [
        "accepted"
    ]
    a.push(a.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=1.0), base=1))
    clash = b.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=2.0), base=1)
    assert statuses(b.push(clash)) == ["conflict"]
    bad = b.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well, oil=-3.0))
    assert statuses(b.push(bad)) == ["rejected"]
    return org, a, b, clash, bad


def test_operators_may_not_read_the_review_lists(client: TestClient, database_url: str) -> None:
    _org, a, *_ = org_with_a_conflict_and_a_rejection(client, database_url)
    for path in ("/api/v1/conflicts", "/api/v1/quarantine"):
        response = get(client, str(a.token), path)
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"


def test_a_supervisor_sees_the_open_conflict_with_both_values_then_its_resolution(
    client: TestClient, database_url: str
) -> None:
    org, a, b, clash, _ = org_with_a_conflict_and_a_rejection(client, database_url)
    boss = str(login(client, org, "boss")["access_token"])
    open_ = get(client, boss, "/api/v1/conflicts").json()
    (item,) = open_["conflicts"]
    assert (item["status"], item["fields"]) == ("open", ["oil_bbl"])
    assert (item["mine"], item["theirs"]) == ({"oil_bbl": 2.0}, {"oil_bbl": 1.0})
    assert item["event_id"] == clash["event_id"]
    assert item["device_id"] == str(b.identity.device_id)
    assert open_["next_before"] is None
    resolution = {"conflict_id": item["id"], "keep": "theirs"}
    resolve = a.event(EventType.CONFLICT_RESOLVED, item["aggregate_id"], resolution, base=3)
    assert statuses(a.push(resolve)) == ["accepted"]
    assert get(client, boss, "/api/v1/conflicts").json()["conflicts"] == []
    (done,) = get(client, boss, "/api/v1/conflicts?status=resolved").json()["conflicts"]
    assert done["resolution"]["keep"] == "theirs"
    assert done["resolution"]["values"] == {"oil_bbl": 1.0}
    assert done["resolved_at"] is not None
    assert len(get(client, boss, "/api/v1/conflicts?status=all").json()["conflicts"]) == 1


def test_the_quarantine_shows_each_rejected_event_as_sent_with_its_reasons(
    client: TestClient, database_url: str
) -> None:
    org, a, _b, _, bad = org_with_a_conflict_and_a_rejection(client, database_url)
    boss = str(login(client, org, "boss")["access_token"])
    (kept,) = get(client, boss, "/api/v1/quarantine").json()["events"]
    assert kept["envelope"] == bad
    assert kept["event_id"] == bad["event_id"]
    assert "volume_negative" in {r["rule"] for r in kept["reasons"]}
    mine = get(client, boss, f"/api/v1/quarantine?device_id={a.identity.device_id}").json()
    assert mine["events"] == []


def test_pages_run_newest_first_and_bad_parameters_are_named(
    client: TestClient, database_url: str
) -> None:
    org, _, b, _, _ = org_with_a_conflict_and_a_rejection(client, database_url)
    for _ in range(2):  # two more rejections: unknown wells
        b.push(b.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(str(new_id()))))
    boss = str(login(client, org, "boss")["access_token"])
    seen, before = [], ""
    while True:
        page = get(client, boss, f"/api/v1/quarantine?limit=1{before}").json()
        seen += [e["id"] for e in page["events"]]
        if page["next_before"] is None:
            break
        before = f"&before={page['next_before']}"
    assert len(seen) == 3 and seen == sorted(seen, reverse=True)
    for query in ("status=maybe", "limit=0", "before=x"):
        bad = get(client, boss, f"/api/v1/conflicts?{query}")
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == query.split("=")[0]
    assert get(client, boss, "/api/v1/quarantine?device_id=nope").status_code == 422


def test_a_supervisor_of_another_org_sees_nothing_of_this_one(
    client: TestClient, database_url: str
) -> None:
    org_with_a_conflict_and_a_rejection(client, database_url)
    other = new_org(database_url, (("boss", "supervisor"),))
    boss = str(login(client, other, "boss")["access_token"])
    assert get(client, boss, "/api/v1/conflicts?status=all").json()["conflicts"] == []
    assert get(client, boss, "/api/v1/quarantine").json()["events"] == []
    with psycopg.connect(database_url) as conn:  # while the rows do exist
        assert conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] > 0  # type: ignore[index]
