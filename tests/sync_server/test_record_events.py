"""Equipment, maintenance, incidents, photos, wells and voids pushed through the real app and
Postgres (docs/design.md §3 event types, docs/sync-protocol.md push results)."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from starlette.testclient import TestClient

from shared.contracts import EventType as E
from shared.events import new_id

from .conftest import new_org, org_id
from .test_sync_batch import DAY, Device, add_well, recorded, statuses
from .test_sync_changes import pull

ROLES = (("op0", "operator"), ("op1", "operator"), ("boss", "supervisor"))
SHA = "ab" * 32


def org(client: TestClient, url: str) -> tuple[str, str, Device, Device]:
    slug = new_org(url, ROLES)
    return slug, add_well(url, slug), Device(client, slug, "op0"), Device(client, slug, "op1")


def other_well(url: str, slug: str, api: str = "4250120133") -> str:
    well_id, owner = str(uuid4()), org_id(url, slug)
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO wells (id, org_id, api_number, name, server_seq)"
            " VALUES (%s, %s, %s, 'Other 2H', next_server_seq(%s))",
            (well_id, owner, api, owner),
        )
    return well_id


def push1(dev: Device, kind: E, aggregate: str, payload: dict[str, Any], base: int = 0) -> Any:
    """Push one event; its result (the response must be a 200)."""
    event = dev.event(kind, aggregate, payload, base)
    response = dev.push(event)
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    assert result["event_id"] == event["event_id"]
    return result


def rejected(url: str, result: dict[str, Any], rule: str) -> None:
    """Rejected for `rule`, with no seq or version, and kept in quarantine with its reasons."""
    assert result["status"] == "rejected", result
    assert "server_seq" not in result and "version" not in result
    assert [r["rule"] for r in result["reasons"]] == [rule]
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT reasons FROM quarantine WHERE event_id = %s", (result["event_id"],)
        ).fetchone()
    assert row is not None and [r["rule"] for r in row[0]] == [rule]


def one(url: str, sql: str, *params: Any) -> Any:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()


def aggregate(url: str, aggregate_id: str) -> tuple[str, str | None, dict[str, Any], int] | None:
    return one(
        url,
        "SELECT aggregate_type, well_id::text, state, version FROM aggregates WHERE id = %s",
        aggregate_id,
    )


def pump(well: str, **extra: Any) -> dict[str, Any]:
    return {
        "well_id": well,
        "equipment_type": "rod pump",
        "manufacturer": "Lufkin",
        "serial_number": "LF-1",
        "status": "operational",
        **extra,
    }


def changes(**values: Any) -> dict[str, Any]:
    return {"changes": values}


def maintenance(well: str, equipment: str | None) -> dict[str, Any]:
    return {
        "well_id": well,
        "equipment_id": equipment,
        "performed_on": DAY.isoformat(),
        "maintenance_type": "repack stuffing box",
        "cost": 250.0,
    }


def photo(target_type: str, target: str) -> dict[str, Any]:
    return {
        "target_type": target_type,
        "target_id": target,
        "sha256": SHA,
        "content_type": "image/jpeg",
        "size": 2048,
        "caption": "leak",
    }


def test_equipment_added_is_a_record_at_version_one_and_only_once(
    client: TestClient, database_url: str
) -> None:
    _, well, a, b = org(client, database_url)
    unit = new_id()
    result = push1(a, E.EQUIPMENT_ADDED, unit, pump(well))
    assert (result["status"], result["version"]) == ("accepted", 1)
    kind, on, state, version = aggregate(database_url, unit)  # type: ignore[misc]
    assert (kind, on, version) == ("equipment", well, 1)
    assert (state["equipment_type"], state["serial_number"], state["status"]) == (
        "rod pump",
        "LF-1",
        "operational",
    )
    rejected(database_url, push1(b, E.EQUIPMENT_ADDED, unit, pump(well)), "aggregate_exists")
    nowhere = new_id()
    rejected(database_url, push1(a, E.EQUIPMENT_ADDED, nowhere, pump(new_id())), "unknown_well")
    assert aggregate(database_url, nowhere) is None
    assert aggregate(database_url, unit)[2]["manufacturer"] == "Lufkin"  # type: ignore[index]


def test_equipment_updates_apply_merge_and_conflict_like_production(
    client: TestClient, database_url: str
) -> None:
    _, well, a, b = org(client, database_url)
    unit = new_id()
    push1(a, E.EQUIPMENT_ADDED, unit, pump(well))
    result = push1(a, E.EQUIPMENT_UPDATED, unit, changes(status="failed"), base=1)
    assert (result["status"], result["version"], result.get("merged")) == ("accepted", 2, None)
    assert aggregate(database_url, unit)[2:] == (
        pump(well, status="failed")
        | {  # type: ignore[index]
            "model": "",
            "installed_on": None,
            "notes": "",
        },
        2,
    )

    merged = push1(b, E.EQUIPMENT_UPDATED, unit, changes(notes="new rods"), base=1)
    assert (merged["status"], merged["version"], merged["merged"]) == ("accepted", 3, True)
    state = aggregate(database_url, unit)[2]  # type: ignore[index]
    assert (state["status"], state["notes"]) == ("failed", "new rods")

    clash = push1(b, E.EQUIPMENT_UPDATED, unit, changes(status="maintenance"), base=1)
    assert (clash["status"], clash["version"]) == ("conflict", 4)  # last write wins
    assert aggregate(database_url, unit)[2]["status"] == "maintenance"  # type: ignore[index]
    assert one(
        database_url,
        "SELECT aggregate_type, aggregate_id::text, fields, mine, theirs, status FROM conflicts"
        " WHERE id = %s",
        clash["conflict_id"],
    ) == ("equipment", unit, ["status"], {"status": "maintenance"}, {"status": "failed"}, "open")
    assert one(
        database_url,
        "SELECT array_agg(version ORDER BY version) FROM aggregate_versions"
        " WHERE aggregate_id = %s",
        unit,
    ) == ([1, 2, 3, 4],)

    unknown = push1(a, E.EQUIPMENT_UPDATED, new_id(), changes(status="failed"), base=1)
    rejected(database_url, unknown, "unknown_equipment")


def test_an_equipment_update_that_changes_nothing_is_no_conflict(
    client: TestClient, database_url: str
) -> None:
    _, well, a, b = org(client, database_url)
    unit = new_id()
    push1(a, E.EQUIPMENT_ADDED, unit, pump(well))
    push1(a, E.EQUIPMENT_UPDATED, unit, changes(status="failed"), base=1)
    same = push1(b, E.EQUIPMENT_UPDATED, unit, changes(status="failed"), base=1)
    assert (same["status"], same["version"]) == ("accepted", 2)
    assert "conflict_id" not in same


def test_maintenance_needs_live_equipment_of_its_own_well(
    client: TestClient, database_url: str
) -> None:
    slug, well, a, _ = org(client, database_url)
    elsewhere = other_well(database_url, slug)
    unit = new_id()
    push1(a, E.EQUIPMENT_ADDED, unit, pump(elsewhere))
    job = new_id()
    rejected(
        database_url,
        push1(a, E.MAINTENANCE_LOGGED, job, maintenance(well, unit)),
        "record_mismatch",
    )
    rejected(
        database_url,
        push1(a, E.MAINTENANCE_LOGGED, job, maintenance(well, new_id())),
        "unknown_equipment",
    )
    assert aggregate(database_url, job) is None
    result = push1(a, E.MAINTENANCE_LOGGED, job, maintenance(elsewhere, unit))
    assert (result["status"], result["version"]) == ("accepted", 1)
    kind, on, state, _ = aggregate(database_url, job)  # type: ignore[misc]
    assert (kind, on, state["equipment_id"], state["cost"]) == (
        "maintenance",
        elsewhere,
        unit,
        250.0,
    )
    bare = push1(a, E.MAINTENANCE_LOGGED, new_id(), maintenance(well, None))
    assert bare["status"] == "accepted"


def test_incidents_with_and_without_a_well(client: TestClient, database_url: str) -> None:
    _, well, a, _ = org(client, database_url)
    base = {
        "incident_type": "spill",
        "severity": "high",
        "occurred_at": "2024-05-01T13:00:00Z",
        "description": "stuffing box leak",
        "injuries": False,
    }
    on_well, loose = new_id(), new_id()
    assert push1(a, E.INCIDENT_REPORTED, on_well, base | {"well_id": well})["status"] == "accepted"
    assert push1(a, E.INCIDENT_REPORTED, loose, base)["status"] == "accepted"
    assert aggregate(database_url, on_well)[:2] == ("incident", well)  # type: ignore[index]
    assert aggregate(database_url, loose)[:2] == ("incident", None)  # type: ignore[index]
    assert aggregate(database_url, loose)[2]["severity"] == "high"  # type: ignore[index]
    stray = push1(a, E.INCIDENT_REPORTED, new_id(), base | {"well_id": new_id()})
    rejected(database_url, stray, "unknown_well")


def test_photos_attach_to_a_well_that_exists(client: TestClient, database_url: str) -> None:
    _, well, a, _ = org(client, database_url)
    to_well = new_id()
    assert push1(a, E.PHOTO_ATTACHED, to_well, photo("well", well))["status"] == "accepted"
    kind, on, state, version = aggregate(database_url, to_well)  # type: ignore[misc]
    assert (kind, on, state["sha256"], version) == ("photo", well, SHA, 1)
    rejected(
        database_url, push1(a, E.PHOTO_ATTACHED, new_id(), photo("well", new_id())), "unknown_well"
    )
    rejected(
        database_url,
        push1(a, E.PHOTO_ATTACHED, new_id(), photo("production", new_id())),
        "unknown_production",
    )
    # a well's id is no equipment
    rejected(
        database_url,
        push1(a, E.PHOTO_ATTACHED, new_id(), photo("equipment", well)),
        "unknown_equipment",
    )


@pytest.mark.parametrize("target_type", ["production", "equipment", "maintenance"])
def test_photos_attach_to_a_record_by_id_in_a_batch_of_their_own(
    client: TestClient, database_url: str, target_type: str
) -> None:
    _, well, a, _ = org(client, database_url)
    target = new_id()
    created = {
        "production": (E.PRODUCTION_RECORDED, recorded(well)),
        "equipment": (E.EQUIPMENT_ADDED, pump(well)),
        "maintenance": (E.MAINTENANCE_LOGGED, maintenance(well, None)),
    }[target_type]
    assert push1(a, created[0], target, created[1])["status"] == "accepted"
    attached = new_id()
    result = push1(a, E.PHOTO_ATTACHED, attached, photo(target_type, target))  # alone
    assert (result["status"], result.get("version")) == ("accepted", 1), result
    kind, on, state, _ = aggregate(database_url, attached)  # type: ignore[misc]
    assert (kind, on, state["target_id"]) == ("photo", well, target)


def well_payload(api: str = "42-501-20135", **extra: Any) -> dict[str, Any]:
    return {
        "api_number": api,
        "name": "Jones 2H",
        "field": "Spraberry",
        "lease": "Jones",
        "latitude": 32.1,
        "longitude": -102.3,
        **extra,
    }


def test_wells_are_the_office_s_operators_may_not_register_or_update_them(
    client: TestClient, database_url: str
) -> None:
    _, well, a, _ = org(client, database_url)
    fresh = new_id()
    rejected(database_url, push1(a, E.WELL_REGISTERED, fresh, well_payload()), "role")
    rejected(database_url, push1(a, E.WELL_UPDATED, well, changes(name="Renamed")), "role")
    assert one(database_url, "SELECT count(*) FROM wells WHERE id = %s", fresh) == (0,)
    assert one(database_url, "SELECT name, version FROM wells WHERE id = %s", well) == (
        "Smith 1H",
        1,
    )


def test_a_supervisor_registers_and_updates_a_well(client: TestClient, database_url: str) -> None:
    slug, _, _, _ = org(client, database_url)
    boss = Device(client, slug, "boss")
    fresh = new_id()
    result = push1(boss, E.WELL_REGISTERED, fresh, well_payload())
    assert (result["status"], result["version"]) == ("accepted", 1)
    assert one(
        database_url,
        "SELECT w.api_number, w.name, f.name, l.name, w.latitude, w.version FROM wells w"
        " JOIN fields f ON f.id = w.field_id JOIN leases l ON l.id = w.lease_id WHERE w.id = %s",
        fresh,
    ) == ("4250120135", "Jones 2H", "Spraberry", "Jones", 32.1, 1)
    again = push1(boss, E.WELL_REGISTERED, new_id(), well_payload("4250120135", name="Dup"))
    rejected(database_url, again, "well_exists")
    renamed = push1(boss, E.WELL_UPDATED, fresh, changes(name="Jones 2H-R", status="shut_in"))
    assert (renamed["status"], renamed["version"]) == ("accepted", 2)
    assert one(database_url, "SELECT name, status, version FROM wells WHERE id = %s", fresh) == (
        "Jones 2H-R",
        "shut_in",
        2,
    )
    assert one(
        database_url,
        "SELECT count(*) FROM wells WHERE api_number = '4250120135' AND org_id = %s",
        org_id(database_url, slug),
    ) == (1,)
    rejected(database_url, push1(boss, E.WELL_UPDATED, new_id(), changes(name="X")), "unknown_well")


def test_a_registered_well_comes_in_a_pull_even_at_one_change_a_page(
    client: TestClient, database_url: str
) -> None:
    slug, _, a, _ = org(client, database_url)
    boss = Device(client, slug, "boss")
    cursor = pull(a)["next_cursor"]
    fresh = new_id()
    assert push1(boss, E.WELL_REGISTERED, fresh, well_payload())["status"] == "accepted"
    everything = pull(a, cursor)["changes"]
    (listed,) = [c for c in everything if c["kind"] == "well"]
    assert listed["data"]["id"] == fresh
    assert (listed["data"]["api_number"], listed["data"]["field"]) == ("4250120135", "Spraberry")
    assert [c["data"]["event_type"] for c in everything if c["kind"] == "event"] == [
        "well.registered"
    ]
    paged, at = [], cursor
    while True:  # one change a page, as a slow link might ask: every change still comes
        page = pull(a, at, limit=1)
        paged += [c["kind"] for c in page["changes"]]
        at = page["next_cursor"]
        if not page["has_more"]:
            break
    assert sorted(paged) == sorted(c["kind"] for c in everything)
    seqs = [c["server_seq"] for c in everything]
    assert len(set(seqs)) == len(seqs), everything  # one seq per change


def void(well: str) -> dict[str, Any]:
    return {"well_id": well, "production_date": DAY.isoformat(), "reason": "wrong well"}


@pytest.mark.parametrize("one_batch", [False, True])
def test_a_voided_well_day_can_be_recorded_again_and_not_voided_twice(
    client: TestClient, database_url: str, one_batch: bool
) -> None:
    _, well, a, _ = org(client, database_url)
    old, new = new_id(), new_id()
    assert push1(a, E.PRODUCTION_RECORDED, old, recorded(well))["status"] == "accepted"
    events = [
        a.event(E.PRODUCTION_VOIDED, old, void(well), base=1),
        a.event(E.PRODUCTION_RECORDED, new, recorded(well, oil=80.0)),
    ]
    if one_batch:
        results = a.push(*events).json()["results"]
    else:
        results = [a.push(e).json()["results"][0] for e in events]
    assert [(r["status"], r["version"]) for r in results] == [("accepted", 2), ("accepted", 1)]
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT id::text, oil_bbl, version, deleted_at IS NOT NULL FROM production"
            " WHERE well_id = %s AND production_date = %s ORDER BY deleted_at NULLS LAST",
            (well, DAY),
        ).fetchall()
    assert rows == [(old, 100.0, 2, True), (new, 80.0, 1, False)]
    rejected(
        database_url, push1(a, E.PRODUCTION_VOIDED, old, void(well), base=2), "unknown_production"
    )
    fix = {"well_id": well, "production_date": DAY.isoformat(), "changes": {"oil_bbl": 1.0}}
    gone = push1(a, E.PRODUCTION_CORRECTED, old, fix, base=2)
    rejected(database_url, gone, "unknown_production")
    assert push1(a, E.PRODUCTION_VOIDED, new, void(well), base=1)["status"] == "accepted"


def test_a_nul_character_is_rejected_and_kept_verbatim_in_quarantine(
    client: TestClient, database_url: str
) -> None:
    _, well, a, _ = org(client, database_url)
    record = new_id()
    event = a.event(E.PRODUCTION_RECORDED, record, recorded(well, notes="a\u0000b"))
    response = a.push(event)
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    assert result["status"] == "rejected"
    assert "nul_character" in [r["rule"] for r in result["reasons"]]
    with psycopg.connect(database_url) as conn:
        text, reasons = conn.execute(
            "SELECT envelope::text, reasons FROM quarantine WHERE event_id = %s",
            (event["event_id"],),
        ).fetchone()  # type: ignore[misc]
        assert conn.execute(
            "SELECT count(*) FROM production WHERE id = %s", (record,)
        ).fetchone() == (0,)
    assert json.loads(text) == event  # as sent, NUL included
    assert "nul_character" in [r["rule"] for r in reasons]
    after = a.event(E.PRODUCTION_RECORDED, record, recorded(well, notes="a b"))
    assert statuses(a.push(after)) == ["accepted"]  # the chain goes on past the rejection


def test_maintenance_and_incidents_keep_the_geofence_verdict_in_their_state(
    client: TestClient, database_url: str
) -> None:
    _, well, a, _ = org(client, database_url)
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE wells SET latitude = 31.9686, longitude = -102.0779 WHERE id = %s", (well,)
        )
    far = {"lat": 31.9786, "lon": -102.0779, "source": "gps"}
    job = new_id()
    push1(a, E.MAINTENANCE_LOGGED, job, {**maintenance(well, None), "location": far})
    state = aggregate(database_url, job)[2]  # type: ignore[index]
    assert state["geofence"] == {"distance_m": 1112.0, "distance_ft": 3648.1, "outside": True}
    spill = new_id()
    near = {"lat": 31.9687, "lon": -102.0779, "source": "typed"}
    report = {
        "well_id": well,
        "incident_type": "spill",
        "severity": "low",
        "occurred_at": "2026-05-01T10:00:00Z",
        "description": "a drip at the wellhead",
        "location": near,
    }
    push1(a, E.INCIDENT_REPORTED, spill, report)
    assert aggregate(database_url, spill)[2]["geofence"]["outside"] is False  # type: ignore[index]
    quiet = new_id()
    push1(a, E.INCIDENT_REPORTED, quiet, {**report, "location": None})
    assert "geofence" not in aggregate(database_url, quiet)[2]  # type: ignore[index]
    read = {c["record"]["id"]: c["record"] for c in pull(a)["changes"] if c.get("record")}
    assert read[job]["values"]["geofence"]["outside"] is True
