"""Ingest edge cases: a device's own sequence of edits, ids taken elsewhere, values storage
cannot hold, repeated ids, and what must never leave a device unable to sync."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import psycopg
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id

from .conftest import new_org
from .test_sync_batch import DAY, Device, add_well, corrected, recorded, setup, statuses


def row(url: str, sql: str, *params: Any) -> Any:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()


def oil_and_version(url: str, record: str) -> Any:
    return row(url, "SELECT oil_bbl, version FROM production WHERE id = %s", record)


def test_a_devices_own_earlier_edits_are_no_conflict_even_under_manual_policy(
    client: TestClient, database_url: str
) -> None:
    org = new_org(database_url)
    row(
        database_url,
        "UPDATE organizations SET conflict_policy = 'manual' WHERE slug = %s RETURNING 1",
        org,
    )
    well = add_well(database_url, org)
    dev = Device(client, org)
    record = new_id()
    offline = dev.push(  # recorded then corrected before the first sync: base 0
        dev.event(EventType.PRODUCTION_RECORDED, record, recorded(well)),
        dev.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=95.0), base=0),
    )
    assert statuses(offline) == ["accepted", "accepted"]
    twice = dev.push(  # two corrections made offline against the same synced version
        dev.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=96.0), base=2),
        dev.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=97.0), base=2),
    )
    assert statuses(twice) == ["accepted", "accepted"]
    assert not any(r.get("merged") for r in twice.json()["results"])
    assert oil_and_version(database_url, record) == (97.0, 4)
    assert row(database_url, "SELECT count(*) FROM conflicts WHERE aggregate_id = %s", record) == (
        0,
    )


def test_an_id_taken_in_another_org_is_rejected_and_the_device_goes_on(
    client: TestClient, database_url: str
) -> None:
    (a,), well_a = setup(client, database_url)
    (b,), well_b = setup(client, database_url)
    equipment = new_id()
    added = {"well_id": well_a, "equipment_type": "pump jack"}
    assert statuses(a.push(a.event(EventType.EQUIPMENT_ADDED, equipment, added))) == ["accepted"]
    theirs = {"well_id": well_b, "equipment_type": "separator"}
    taken = b.push(b.event(EventType.EQUIPMENT_ADDED, equipment, theirs))
    assert taken.json()["results"][0]["reasons"][0]["rule"] == "aggregate_exists"
    after = b.push(b.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well_b)))
    assert statuses(after) == ["accepted"]  # its chain went on past the rejected event
    assert row(
        database_url, "SELECT state->>'equipment_type' FROM aggregates WHERE id = %s", equipment
    ) == ("pump jack",)


def test_nan_and_infinity_are_rejected_not_stored_and_not_a_server_error(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    events = [
        dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well, tubing_psi=value))
        for value in (float("nan"), float("inf"))
    ]
    events.append(
        dev.event(
            EventType.WELL_REGISTERED,
            new_id(),
            {"api_number": "4250120131", "name": "X", "latitude": float("nan"), "extra": 2**70},
        )
    )
    body = {"protocol_version": 1, "device_id": str(dev.identity.device_id), "events": events}
    response = client.post(  # NaN and Infinity as Python's json writes them (not strict JSON)
        "/api/v1/sync/batch",
        content=json.dumps(body),
        headers={"Authorization": f"Bearer {dev.token}", "Content-Type": "application/json"},
    )
    assert statuses(response) == ["rejected"] * 3
    rules = [{r["rule"] for r in x["reasons"]} for x in response.json()["results"]]
    assert all("non_finite" in r or "payload" in r for r in rules)
    assert "non_finite" in rules[0] and "non_finite" in rules[1]
    assert row(
        database_url, "SELECT count(*) FROM quarantine WHERE device_id = %s", dev.identity.device_id
    ) == (3,)


def test_an_id_conflict_takes_its_place_in_the_chain(client: TestClient, database_url: str) -> None:
    (dev,), well = setup(client, database_url)
    first = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well))
    assert statuses(dev.push(first)) == ["accepted"]
    reused = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well, oil=90.0))
    reused["event_id"] = first["event_id"]  # a device bug: a new event under an old id
    assert statuses(dev.push(reused)) == ["id_conflict"]
    following = dev.event(
        EventType.PRODUCTION_CORRECTED, first["aggregate_id"], corrected(well, notes="next"), base=1
    )
    assert statuses(dev.push(following)) == ["accepted"]


def test_the_same_event_id_twice_in_a_batch_is_refused_whole(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    event = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well))
    response = dev.push(event, event)
    assert response.status_code == 422
    assert "more than once" in response.json()["detail"]
    assert statuses(dev.push(event)) == ["accepted"]


def test_a_base_version_past_the_record_or_out_of_range_is_rejected(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    record = new_id()
    dev.push(dev.event(EventType.PRODUCTION_RECORDED, record, recorded(well)))
    ahead = dev.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, notes="x"), base=7)
    huge = dev.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, notes="y"), base=2**40)
    response = dev.push(ahead, huge)
    reasons = [[r["rule"] for r in x["reasons"]] for x in response.json()["results"]]
    assert reasons == [["base_version"], ["envelope"]]
    assert oil_and_version(database_url, record) == (100.0, 1)


def test_a_resolution_is_validated_against_the_wells_history(
    client: TestClient, database_url: str
) -> None:
    (a, b), well = setup(client, database_url, users=2)
    steady = [
        a.event(
            EventType.PRODUCTION_RECORDED,
            new_id(),
            recorded(well, production_date=(DAY - timedelta(days=d)).isoformat()),
        )
        for d in range(1, 11)
    ]
    assert statuses(a.push(*steady)) == ["accepted"] * 10
    record = new_id()
    a.push(a.event(EventType.PRODUCTION_RECORDED, record, recorded(well)))
    a.push(a.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=101.0), base=1))
    later = b.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=105.0), base=1)
    clash = b.push(later).json()["results"][0]
    chosen = {"conflict_id": clash["conflict_id"], "keep": "mine", "values": {"oil_bbl": 400.0}}
    assert statuses(a.push(a.event(EventType.CONFLICT_RESOLVED, record, chosen))) == ["accepted"]
    score, flags = row(
        database_url, "SELECT quality_score, flags FROM production WHERE id = %s", record
    )
    assert score < 100
    assert "oil_vs_median" in {f["rule"] for f in flags}


def test_a_conflict_of_a_record_voided_since_can_still_be_closed(
    client: TestClient, database_url: str
) -> None:
    (a, b), well = setup(client, database_url, users=2)
    record = new_id()
    a.push(a.event(EventType.PRODUCTION_RECORDED, record, recorded(well)))
    a.push(a.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=1.0), base=1))
    later = b.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=2.0), base=1)
    clash = b.push(later).json()["results"][0]
    void = {"well_id": well, "production_date": DAY.isoformat(), "reason": "wrong well"}
    assert statuses(a.push(a.event(EventType.PRODUCTION_VOIDED, record, void, base=3))) == [
        "accepted"
    ]
    close = {"conflict_id": clash["conflict_id"], "keep": "theirs"}
    assert statuses(b.push(b.event(EventType.CONFLICT_RESOLVED, record, close))) == ["accepted"]
    assert row(
        database_url, "SELECT status FROM conflicts WHERE id = %s", clash["conflict_id"]
    ) == ("resolved",)
