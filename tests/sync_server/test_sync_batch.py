"""POST /api/v1/sync/batch through the real app and Postgres (docs/sync-protocol.md push)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import psycopg
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import DeviceIdentity, build_event, new_id

from .conftest import login, new_org, org_id

DAY = date.today() - timedelta(days=3)


class Device:
    """A device's signing identity and chain head, as the desktop client keeps them."""

    def __init__(self, client: TestClient, org: str, username: str = "op") -> None:
        session = login(client, org, username)
        self.client = client
        self.token = session["access_token"]
        self.identity = DeviceIdentity(
            UUID(str(session["org_id"])),
            UUID(str(session["device_id"])),
            UUID(str(session["user"]["id"])),
            str(session["device_secret"]),  # type: ignore[index]
        )
        self.seq, self.prev = 0, ""

    def event(
        self, kind: EventType, aggregate: str, payload: dict[str, Any], base: int = 0
    ) -> dict[str, Any]:
        self.seq += 1
        sealed = build_event(
            self.identity,
            device_seq=self.seq,
            prev_hash=self.prev,
            event_type=kind,
            aggregate_id=aggregate,
            payload=payload,
            base_version=base,
        )
        self.prev = sealed.hash
        return sealed.envelope

    def push(self, *events: dict[str, Any], protocol: int = 1) -> Any:
        return self.client.post(
            "/api/v1/sync/batch",
            json={
                "protocol_version": protocol,
                "device_id": str(self.identity.device_id),
                "events": list(events),
            },
            headers={"Authorization": f"Bearer {self.token}"},
        )


def add_well(url: str, org: str) -> str:
    well_id, owner = str(uuid4()), org_id(url, org)
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO wells (id, org_id, api_number, name, server_seq)"
            " VALUES (%s, %s, '4250120130', 'Smith 1H', next_server_seq(%s))",
            (well_id, owner, owner),
        )
    return well_id


def recorded(well_id: str, oil: float = 100.0, **extra: Any) -> dict[str, Any]:
    return {
        "well_id": well_id,
        "production_date": DAY.isoformat(),
        "oil_bbl": oil,
        "gas_mcf": 120.0,
        "water_bbl": 30.0,
        "hours_on": 24.0,
        "downtime_hours": None,
        "downtime_reason": None,
        "tubing_psi": None,
        "casing_psi": None,
        "choke_64ths": None,
        "notes": "",
        "entry_method": "MANUAL",
        "location": None,
        **extra,
    }


def corrected(well_id: str, **changes: Any) -> dict[str, Any]:
    return {"well_id": well_id, "production_date": DAY.isoformat(), "changes": changes}


def statuses(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["status"] for r in response.json()["results"]]


def setup(client: TestClient, url: str, users: int = 1) -> tuple[list[Device], str]:
    org = new_org(url, tuple((f"op{i}", "operator") for i in range(users)))
    well = add_well(url, org)
    return [Device(client, org, f"op{i}") for i in range(users)], well


def test_accepted_then_the_same_batch_again_is_all_duplicate(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    record = new_id()
    batch = [
        dev.event(EventType.PRODUCTION_RECORDED, record, recorded(well)),
        dev.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, notes="gauged"), base=1),
    ]
    first = dev.push(*batch)
    assert statuses(first) == ["accepted", "accepted"]
    assert [r["version"] for r in first.json()["results"]] == [1, 2]
    again = dev.push(*batch)
    assert statuses(again) == ["duplicate", "duplicate"]
    assert [r["server_seq"] for r in again.json()["results"]] == [
        r["server_seq"] for r in first.json()["results"]
    ]
    with psycopg.connect(database_url) as conn:
        assert conn.execute(
            "SELECT version, notes FROM production WHERE id = %s", (record,)
        ).fetchone() == (2, "gauged")
        assert conn.execute(
            "SELECT count(*) FROM events WHERE aggregate_id = %s", (record,)
        ).fetchone() == (2,)


def test_a_gap_is_answered_with_expected_seq_and_applies_nothing(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well))  # seq 1, never sent
    late = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well, oil=5.0))
    response = dev.push(late)
    assert response.json() == {"results": [], "expected_seq": 1}


def test_tampering_a_bad_signature_and_a_broken_chain_are_rejected_and_quarantined(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    tampered = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well))
    tampered["payload"]["oil_bbl"] = 999.0
    forged = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well))
    forged["signature"] = "0" * 64
    response = dev.push(tampered, forged)
    assert statuses(response) == ["rejected", "rejected"]
    rules = [[r["rule"] for r in x["reasons"]] for x in response.json()["results"]]
    assert rules == [["hash"], ["signature"]]
    other = Device(client, new_org(database_url))
    other.seq, other.prev = 0, "f" * 64  # claims a chain the server never saw
    broken = other.event(
        EventType.WELL_REGISTERED, new_id(), {"api_number": "4250120131", "name": "X"}
    )
    assert [r["rule"] for r in other.push(broken).json()["results"][0]["reasons"]] == ["chain"]
    with psycopg.connect(database_url) as conn:
        kept = conn.execute(
            "SELECT envelope->'payload'->>'oil_bbl' FROM quarantine WHERE event_id = %s",
            (tampered["event_id"],),
        ).fetchone()
    assert kept == ("999.0",)  # verbatim, as received


def test_same_event_id_with_other_content_is_an_id_conflict(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    event = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well))
    assert statuses(dev.push(event)) == ["accepted"]
    altered = dict(event, hash="a" * 64)
    assert statuses(dev.push(altered)) == ["id_conflict"]


def test_validation_errors_reject_and_warnings_flag(client: TestClient, database_url: str) -> None:
    (dev,), well = setup(client, database_url)
    bad = dev.event(
        EventType.PRODUCTION_RECORDED, new_id(), recorded(well, hours_on=20.0, downtime_hours=4.0)
    )
    response = dev.push(bad)
    assert statuses(response) == ["rejected"]
    assert response.json()["results"][0]["reasons"][0]["rule"] == "downtime_reason_required"
    odd = dev.event(
        EventType.PRODUCTION_RECORDED,
        new_id(),
        recorded(well, hours_on=20.0, downtime_hours=2.0, downtime_reason="POWER"),
    )
    assert statuses(dev.push(odd)) == ["accepted"]
    with psycopg.connect(database_url) as conn:
        score, flags = conn.execute(
            "SELECT quality_score, flags FROM production WHERE id = %s", (odd["aggregate_id"],)
        ).fetchone()  # type: ignore[misc]
    assert score < 100
    assert [f["rule"] for f in flags] == ["hours_sum"]


def test_disjoint_changes_merge_and_overlapping_ones_conflict_keeping_both(
    client: TestClient, database_url: str
) -> None:
    (a, b), well = setup(client, database_url, users=2)
    record = new_id()
    assert statuses(a.push(a.event(EventType.PRODUCTION_RECORDED, record, recorded(well)))) == [
        "accepted"
    ]
    notes = a.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, notes="A"), base=1)
    oil = b.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=111.0), base=1)
    assert statuses(a.push(notes)) == ["accepted"]
    merged = b.push(oil).json()["results"][0]
    assert (merged["status"], merged.get("merged"), merged["version"]) == ("accepted", True, 3)
    again = a.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=90.0), base=2)
    result = a.push(again).json()["results"][0]
    assert result["status"] == "conflict"
    with psycopg.connect(database_url) as conn:
        assert conn.execute(
            "SELECT oil_bbl, notes FROM production WHERE id = %s", (record,)
        ).fetchone() == (90.0, "A")  # last write wins, by arrival
        conflict = conn.execute(
            "SELECT fields, mine, theirs, status FROM conflicts WHERE id = %s",
            (result["conflict_id"],),
        ).fetchone()
    assert conflict == (["oil_bbl"], {"oil_bbl": 90.0}, {"oil_bbl": 111.0}, "open")


def test_the_same_well_day_from_two_devices_becomes_one_record_with_an_alias(
    client: TestClient, database_url: str
) -> None:
    (a, b), well = setup(client, database_url, users=2)
    first = a.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well, oil=100.0))
    second = b.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well, oil=105.0))
    assert statuses(a.push(first)) == ["accepted"]
    assert statuses(b.push(second)) == ["conflict"]
    with psycopg.connect(database_url) as conn:
        assert conn.execute(
            "SELECT production_id::text FROM production_aliases WHERE alias_id = %s",
            (second["aggregate_id"],),
        ).fetchone() == (first["aggregate_id"],)
        assert conn.execute(
            "SELECT count(*) FROM production WHERE well_id = %s", (well,)
        ).fetchone() == (1,)


def test_whole_request_refusals_write_nothing(client: TestClient, database_url: str) -> None:
    (dev,), well = setup(client, database_url)
    event = dev.event(EventType.PRODUCTION_RECORDED, new_id(), recorded(well))
    wrong = dev.push(event, protocol=9)
    assert wrong.status_code == 400
    assert "speaks 1" in wrong.json()["detail"]
    too_many = dev.push(*([event] * 501))
    assert too_many.status_code == 413
    unauthenticated = client.post("/api/v1/sync/batch", json={})
    assert unauthenticated.status_code == 401
    with psycopg.connect(database_url) as conn:
        assert conn.execute(
            "SELECT count(*) FROM events WHERE event_id = %s", (event["event_id"],)
        ).fetchone() == (0,)
