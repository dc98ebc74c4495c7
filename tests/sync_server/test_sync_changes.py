"""GET /api/v1/sync/changes: cursor pages of events, conflicts and wells, per organization."""

from __future__ import annotations

from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id

from .test_sync_batch import Device, corrected, recorded, setup


def pull(dev: Device, cursor: int = 0, limit: int = 500) -> dict:  # type: ignore[type-arg]
    response = dev.client.get(
        f"/api/v1/sync/changes?cursor={cursor}&limit={limit}",
        headers={"Authorization": f"Bearer {dev.token}"},
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_pull_pages_through_wells_events_and_conflicts_in_server_order(
    client: TestClient, database_url: str
) -> None:
    (a, b), well = setup(client, database_url, users=2)
    record = new_id()
    a.push(a.event(EventType.PRODUCTION_RECORDED, record, recorded(well)))
    b.push(b.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=1.0), base=1))
    a.push(a.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=2.0), base=1))
    everything = pull(b)
    kinds = [c["kind"] for c in everything["changes"]]
    assert kinds == ["well", "event", "event", "event", "conflict"]
    seqs = [c["server_seq"] for c in everything["changes"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert everything["changes"][1]["data"]["event_id"]  # the envelope as received
    assert everything["changes"][1]["version"] == 1
    assert everything["changes"][-1]["data"]["fields"] == ["oil_bbl"]
    assert everything["has_more"] is False

    pages, cursor = [], 0
    while True:
        page = pull(b, cursor, limit=2)
        pages.append([c["server_seq"] for c in page["changes"]])
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert [s for p in pages for s in p] == seqs
    assert pull(b, cursor)["changes"] == []


def test_another_organization_pulls_nothing_of_this_one(
    client: TestClient, database_url: str
) -> None:
    (a,), well = setup(client, database_url)
    a.push(a.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well)))
    (stranger,), _ = setup(client, database_url)
    theirs = pull(stranger)["changes"]
    assert [c["kind"] for c in theirs] == ["well"]  # only its own well
    assert theirs[0]["data"]["id"] != well


def test_bad_cursor_is_a_problem(client: TestClient, database_url: str) -> None:
    (a,), _ = setup(client, database_url)
    response = client.get(
        "/api/v1/sync/changes?cursor=abc", headers={"Authorization": f"Bearer {a.token}"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
