"""GET /api/v1/sync/changes: cursor pages of events, conflicts and wells, per organization."""

from __future__ import annotations

from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id

from .test_sync_batch import DAY, Device, corrected, recorded, setup, statuses


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


def test_each_event_carries_the_record_as_its_version_left_it(
    client: TestClient, database_url: str
) -> None:
    (a, b), well = setup(client, database_url, users=2)
    first, second = new_id(), new_id()
    a.push(a.event(EventType.PRODUCTION_RECORDED, first, recorded(well, oil=100.0)))
    # the same well-day from another device: a change against the first record, aliased to it
    b.push(b.event(EventType.PRODUCTION_RECORDED, second, recorded(well, oil=90.0)))
    b.push(b.event(EventType.PRODUCTION_CORRECTED, second, corrected(well, notes="gauged"), base=2))
    void = {"well_id": well, "production_date": DAY.isoformat(), "reason": "duplicate"}
    assert statuses(a.push(a.event(EventType.PRODUCTION_VOIDED, first, void, base=3))) == [
        "accepted"
    ]
    records = [c["record"] for c in pull(a)["changes"] if c["kind"] == "event"]
    assert [r["id"] for r in records] == [first] * 4  # the alias resolves to the first record
    assert [r["version"] for r in records] == [1, 2, 3, 4]
    assert [r["values"]["oil_bbl"] for r in records] == [100.0, 90.0, 90.0, 90.0]
    assert records[2]["values"]["notes"] == "gauged"
    assert [r["deleted"] for r in records] == [False, False, False, True]
    assert records[0]["well_id"] == well and records[0]["production_date"] == DAY.isoformat()
    assert records[0]["entry_method"] == "MANUAL" and records[0]["kind"] == "production"


def test_equipment_events_carry_their_state_and_wells_carry_none(
    client: TestClient, database_url: str
) -> None:
    (a,), well = setup(client, database_url)
    pump = new_id()
    added = {"well_id": well, "equipment_type": "rod pump", "serial_number": "RP-1"}
    a.push(a.event(EventType.EQUIPMENT_ADDED, pump, added))
    a.push(a.event(EventType.EQUIPMENT_UPDATED, pump, {"changes": {"status": "failed"}}, base=1))
    changes = pull(a)["changes"]
    assert changes[0]["kind"] == "well" and changes[0]["record"] is None
    states = [c["record"] for c in changes if c["kind"] == "event"]
    assert [(s["kind"], s["version"], s["values"]["status"]) for s in states] == [
        ("equipment", 1, "operational"),
        ("equipment", 2, "failed"),
    ]
    assert states[1]["values"]["serial_number"] == "RP-1" and states[1]["well_id"] == well
