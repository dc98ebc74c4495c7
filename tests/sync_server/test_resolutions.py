"""`conflict.resolved` events pushed through the real app and Postgres (docs/sync-protocol.md
conflicts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import new_id

from .conftest import new_org
from .test_sync_batch import DAY, Device, add_well, corrected, recorded, statuses
from .test_sync_changes import pull

ROLES = (("op0", "operator"), ("op1", "operator"), ("boss", "supervisor"))
RECORDED, CORRECTED = EventType.PRODUCTION_RECORDED, EventType.PRODUCTION_CORRECTED
RESOLVED = EventType.CONFLICT_RESOLVED


@dataclass
class Scene:
    """An org where `a` corrected a record (theirs) and `b` then corrected the same fields
    against the same base (mine): conflict `conflict_id` on `record`."""

    org: str
    well: str
    a: Device
    b: Device
    record: str
    conflict_id: str
    raised: dict[str, Any]  # b's push result


def scene(
    client: TestClient,
    url: str,
    *,
    policy: str | None = None,
    theirs: dict[str, Any] | None = None,
    mine: dict[str, Any] | None = None,
) -> Scene:
    org = new_org(url, ROLES)
    if policy is not None:
        with psycopg.connect(url) as conn:
            conn.execute(
                "UPDATE organizations SET conflict_policy = %s WHERE slug = %s", (policy, org)
            )
    well = add_well(url, org)
    a, b = Device(client, org, "op0"), Device(client, org, "op1")
    record = new_id()
    assert statuses(a.push(a.event(RECORDED, record, recorded(well)))) == ["accepted"]
    fix = corrected(well, **(theirs or {"oil_bbl": 90.0}))
    assert statuses(a.push(a.event(CORRECTED, record, fix, base=1))) == ["accepted"]
    clash = b.event(CORRECTED, record, corrected(well, **(mine or {"oil_bbl": 111.0})), base=1)
    raised = b.push(clash).json()["results"][0]
    assert raised["status"] == "conflict", raised
    return Scene(org, well, a, b, record, str(raised["conflict_id"]), raised)


def resolve(
    dev: Device,
    s: Scene,
    keep: str = "mine",
    *,
    values: dict[str, Any] | None = None,
    aggregate: str | None = None,
    conflict_id: str | None = None,
    base: int = 3,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"conflict_id": conflict_id or s.conflict_id, "keep": keep}
    if values is not None:
        payload["values"] = values
    event = dev.event(RESOLVED, aggregate or s.record, payload, base=base)
    response = dev.push(event)
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    assert result["event_id"] == event["event_id"]
    return dict(result)


def one(url: str, sql: str, *params: Any) -> Any:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchone()


def record_now(url: str, record: str) -> tuple[float, float, str, int]:
    return one(
        url, "SELECT oil_bbl, water_bbl, notes, version FROM production WHERE id = %s", record
    )


def conflict_now(url: str, conflict_id: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        cur = conn.execute(
            "SELECT status, mine, theirs, fields, policy, aggregate_type, resolution,"
            " resolved_by::text AS resolved_by, resolved_at, server_seq FROM conflicts"
            " WHERE id = %s",
            (conflict_id,),
        )
        names = [c.name for c in cur.description or ()]
        row = cur.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def rules(result: dict[str, Any]) -> list[str]:
    assert result["status"] == "rejected", result
    assert "server_seq" not in result and "version" not in result
    return [r["rule"] for r in result["reasons"]]


def quarantined(url: str, event_id: str) -> list[str]:
    row = one(url, "SELECT reasons FROM quarantine WHERE event_id = %s", event_id)
    assert row is not None, f"event {event_id} is not in quarantine"
    return [r["rule"] for r in row[0]]


def user(dev: Device) -> str:
    return str(dev.identity.user_id)


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_keeping_either_side_writes_it_as_a_new_version_and_closes_the_conflict(
    client: TestClient, database_url: str, keep: str
) -> None:
    s = scene(client, database_url)  # last write wins: b's 111 stands at version 3
    conflict = conflict_now(database_url, s.conflict_id)
    assert (conflict["mine"], conflict["theirs"]) == ({"oil_bbl": 111.0}, {"oil_bbl": 90.0})
    moved = s.a.event(CORRECTED, s.record, corrected(s.well, oil_bbl=95.0), base=3)
    assert statuses(s.a.push(moved)) == ["accepted"]  # the record moves on meanwhile: v4
    cursor = pull(s.a)["next_cursor"]

    result = resolve(s.a, s, keep)
    chosen = conflict[keep]["oil_bbl"]
    assert (result["status"], result["version"]) == ("accepted", 5)
    assert record_now(database_url, s.record)[0] == chosen
    assert record_now(database_url, s.record)[3] == 5
    fields, values, event_id, by = one(
        database_url,
        "SELECT changed_fields, values, event_id::text, user_id::text FROM production_versions"
        " WHERE production_id = %s AND version = 5",
        s.record,
    )
    assert (fields, values["oil_bbl"], by) == (["oil_bbl"], chosen, user(s.a))

    closed = conflict_now(database_url, s.conflict_id)
    assert closed["status"] == "resolved"
    assert closed["resolution"] == {
        "keep": keep,
        "values": {"oil_bbl": chosen},
        "event_id": event_id,
        "device_id": str(s.a.identity.device_id),
        "user_id": user(s.a),
        "version": 5,
    }
    assert closed["resolved_by"] == user(s.a)
    assert closed["resolved_at"] is not None
    assert closed["server_seq"] > cursor > s.raised["server_seq"]

    changes = pull(s.b, cursor)["changes"]
    seqs = [c["server_seq"] for c in changes]
    assert len(set(seqs)) == len(seqs) and min(seqs) > cursor
    (notice,) = [c for c in changes if c["kind"] == "conflict"]
    assert notice["server_seq"] == closed["server_seq"]
    assert notice["data"]["conflict_id"] == s.conflict_id
    assert notice["data"]["status"] == "resolved"
    assert notice["data"]["resolution"]["keep"] == keep
    (event,) = [c for c in changes if c["kind"] == "event"]
    assert (event["data"]["event_type"], event["version"]) == ("conflict.resolved", 5)


def test_keeping_mine_when_it_already_stands_leaves_the_record_and_closes_the_conflict(
    client: TestClient, database_url: str
) -> None:
    s = scene(client, database_url)  # last write wins wrote mine (111) as version 3
    result = resolve(s.b, s, "mine")
    oil, _water, _notes, version = record_now(database_url, s.record)
    assert (result["status"], oil) == ("accepted", 111.0)
    assert result["version"] == version  # the version the record is at after the decision
    closed = conflict_now(database_url, s.conflict_id)
    assert closed["status"] == "resolved"
    assert closed["resolution"]["values"] == {"oil_bbl": 111.0}
    assert closed["resolution"]["version"] == version
    assert closed["resolved_by"] == user(s.b)


def test_explicit_values_win_and_a_field_outside_the_conflict_is_refused(
    client: TestClient, database_url: str
) -> None:
    s = scene(
        client,
        database_url,
        theirs={"oil_bbl": 90.0, "water_bbl": 40.0},
        mine={"oil_bbl": 111.0, "water_bbl": 44.0},
    )
    assert conflict_now(database_url, s.conflict_id)["fields"] == ["oil_bbl", "water_bbl"]
    before = record_now(database_url, s.record)
    for values in ({"gas_mcf": 1.0}, {"water_bbl": 42.0, "notes": "x"}):
        refused = resolve(s.a, s, "mine", values=values)
        assert rules(refused) == ["resolution_fields"]
        assert quarantined(database_url, refused["event_id"]) == ["resolution_fields"]
    assert record_now(database_url, s.record) == before
    assert conflict_now(database_url, s.conflict_id)["status"] == "open"

    result = resolve(s.a, s, "theirs", values={"water_bbl": 42.0})
    assert (result["status"], result["version"]) == ("accepted", 4)
    assert record_now(database_url, s.record)[:2] == (111.0, 42.0)  # only the given field
    closed = conflict_now(database_url, s.conflict_id)
    assert (closed["status"], closed["resolution"]["values"]) == ("resolved", {"water_bbl": 42.0})


def test_a_conflict_is_resolved_once_and_only_by_naming_it_and_its_record(
    client: TestClient, database_url: str
) -> None:
    s = scene(client, database_url)
    other = new_id()  # a real record of the same org, but not the conflict's
    later = recorded(s.well) | {"production_date": (DAY - timedelta(days=1)).isoformat()}
    assert statuses(s.a.push(s.a.event(RECORDED, other, later))) == ["accepted"]
    refusals = {
        "record_mismatch": [resolve(s.a, s, aggregate=other), resolve(s.a, s, aggregate=new_id())],
        "unknown_conflict": [resolve(s.a, s, conflict_id=new_id())],
    }
    for rule, results in refusals.items():
        for result in results:
            assert rules(result) == [rule]
            assert quarantined(database_url, result["event_id"]) == [rule]
    assert conflict_now(database_url, s.conflict_id)["status"] == "open"

    assert resolve(s.a, s, "theirs")["status"] == "accepted"
    second = resolve(s.b, s, "mine")
    assert rules(second) == ["conflict_already_resolved"]
    assert quarantined(database_url, second["event_id"]) == ["conflict_already_resolved"]
    closed = conflict_now(database_url, s.conflict_id)
    assert (closed["resolution"]["keep"], closed["resolved_by"]) == ("theirs", user(s.a))
    assert record_now(database_url, s.record)[0] == 90.0  # the first decision stands


def test_the_audit_log_names_who_resolved_and_a_supervisor_may_resolve_an_operators_conflict(
    client: TestClient, database_url: str
) -> None:
    s = scene(client, database_url)
    boss = Device(client, s.org, "boss")
    result = resolve(boss, s, "theirs")
    assert result["status"] == "accepted"
    assert record_now(database_url, s.record)[0] == 90.0
    assert conflict_now(database_url, s.conflict_id)["resolved_by"] == user(boss)
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT actor_id::text, action, details FROM audit_log WHERE target = %s",
            (f"conflict:{s.conflict_id}",),
        ).fetchall()
    assert [(actor, action) for actor, action, _ in rows] == [(user(boss), "conflict.resolve")]
    assert rows[0][2]["keep"] == "theirs"
    assert rows[0][2]["event_id"] == result["event_id"]


def unchanged_after(url: str, s: Scene, values: dict[str, Any]) -> list[str]:
    """Push a resolution with `values`; assert it was rejected and changed nothing; its rules."""
    before = record_now(url, s.record)
    count = "SELECT count(*) FROM production_versions WHERE production_id = %s"
    versions = one(url, count, s.record)
    result = resolve(s.a, s, "mine", values=values)
    reasons = rules(result)
    assert quarantined(url, result["event_id"]) == reasons
    assert record_now(url, s.record) == before
    assert one(url, count, s.record) == versions
    assert conflict_now(url, s.conflict_id)["status"] == "open"
    assert resolve(s.a, s, "theirs")["status"] == "accepted"  # still open to a valid one
    return reasons


def test_a_resolution_whose_values_break_a_validation_error_rule_is_rejected(
    client: TestClient, database_url: str
) -> None:
    reasons = unchanged_after(database_url, scene(client, database_url), {"oil_bbl": -5.0})
    assert reasons == ["volume_negative"]  # the rule that refused it is named


def test_a_resolution_above_the_usual_maximum_is_taken_with_a_warning(
    client: TestClient, database_url: str
) -> None:
    """Above the organization's usual maximum is possible (a high-rate well): a flag."""
    s = scene(client, database_url)
    result = resolve(s.a, s, "mine", values={"oil_bbl": 20_000.0})
    assert result["status"] == "accepted", result
    oil, flags = one(database_url, "SELECT oil_bbl, flags FROM production WHERE id = %s", s.record)
    assert oil == 20_000.0 and "oil_max" in [f["rule"] for f in flags]


@pytest.mark.parametrize(
    "values",
    [
        {"oil_bbl": "lots"},
        {"oil_bbl": "12"},
        {"oil_bbl": None},
        {"oil_bbl": True},
        {"notes": 5},
    ],
)
def test_a_resolution_whose_values_are_off_the_contract_is_rejected_not_a_server_error(
    client: TestClient, database_url: str, values: dict[str, Any]
) -> None:
    s = scene(
        client,
        database_url,
        theirs={"oil_bbl": 90.0, "notes": "t"},
        mine={"oil_bbl": 111.0, "notes": "m"},
    )
    assert unchanged_after(database_url, s, values)


def test_under_manual_policy_the_server_value_stays_until_mine_is_chosen(
    client: TestClient, database_url: str
) -> None:
    s = scene(client, database_url, policy="manual", mine={"oil_bbl": 111.0, "notes": "from b"})
    assert s.raised["version"] == 3  # notes did not overlap: written; oil kept
    assert record_now(database_url, s.record)[0::2] == (90.0, "from b")
    opened = conflict_now(database_url, s.conflict_id)
    assert (opened["status"], opened["policy"]) == ("open", "manual")
    assert (opened["mine"], opened["theirs"]) == ({"oil_bbl": 111.0}, {"oil_bbl": 90.0})

    result = resolve(s.a, s, "mine")
    assert (result["status"], result["version"]) == ("accepted", 4)
    assert record_now(database_url, s.record) == (111.0, 30.0, "from b", 4)
    assert one(
        database_url,
        "SELECT changed_fields FROM production_versions WHERE production_id = %s AND version = 4",
        s.record,
    ) == (["oil_bbl"],)
    assert conflict_now(database_url, s.conflict_id)["status"] == "resolved"


def equipment_conflict(client: TestClient, url: str) -> tuple[Device, str, str]:
    org = new_org(url, ROLES)
    well = add_well(url, org)
    a, b = Device(client, org, "op0"), Device(client, org, "op1")
    pump = new_id()
    added = {"well_id": well, "equipment_type": "rod pump", "status": "operational"}
    assert statuses(a.push(a.event(EventType.EQUIPMENT_ADDED, pump, added))) == ["accepted"]
    update = EventType.EQUIPMENT_UPDATED
    assert statuses(a.push(a.event(update, pump, {"changes": {"status": "failed"}}, base=1))) == [
        "accepted"
    ]
    raised = b.push(b.event(update, pump, {"changes": {"status": "maintenance"}}, base=1))
    (result,) = raised.json()["results"]
    assert result["status"] == "conflict"
    return a, pump, str(result["conflict_id"])


def test_an_equipment_conflict_resolves_into_the_equipment_state(
    client: TestClient, database_url: str
) -> None:
    a, pump, conflict_id = equipment_conflict(client, database_url)
    s = Scene("", "", a, a, pump, conflict_id, {})
    result = resolve(a, s, "theirs")
    assert (result["status"], result["version"]) == ("accepted", 4)
    state, version = one(database_url, "SELECT state, version FROM aggregates WHERE id = %s", pump)
    assert (state["status"], version) == ("failed", 4)
    assert one(
        database_url,
        "SELECT changed_fields FROM aggregate_versions WHERE aggregate_id = %s AND version = 4",
        pump,
    ) == (["status"],)
    assert conflict_now(database_url, conflict_id)["status"] == "resolved"


def test_an_equipment_resolution_off_the_contract_is_rejected(
    client: TestClient, database_url: str
) -> None:
    a, pump, conflict_id = equipment_conflict(client, database_url)
    s = Scene("", "", a, a, pump, conflict_id, {})
    result = resolve(a, s, "mine", values={"status": "exploded"})  # not an equipment status
    assert result["status"] == "rejected", result
    state, version = one(database_url, "SELECT state, version FROM aggregates WHERE id = %s", pump)
    assert (state["status"], version) == ("maintenance", 3)
    assert conflict_now(database_url, conflict_id)["status"] == "open"


def test_a_well_day_recorded_twice_resolves_by_the_second_device_s_own_id_once_per_batch(
    client: TestClient, database_url: str
) -> None:
    org = new_org(database_url, ROLES)
    well = add_well(database_url, org)
    a, b = Device(client, org, "op0"), Device(client, org, "op1")
    first, second = new_id(), new_id()
    assert statuses(a.push(a.event(RECORDED, first, recorded(well, oil=100.0)))) == ["accepted"]
    raised = b.push(b.event(RECORDED, second, recorded(well, oil=105.0))).json()["results"][0]
    assert raised["status"] == "conflict"
    conflict_id = str(raised["conflict_id"])
    opened = conflict_now(database_url, conflict_id)
    assert (opened["mine"], opened["theirs"]) == ({"oil_bbl": 105.0}, {"oil_bbl": 100.0})
    theirs = {"conflict_id": conflict_id, "keep": "theirs"}
    both = b.push(
        b.event(RESOLVED, second, theirs, base=2),  # b's id: an alias of the first
        b.event(RESOLVED, second, theirs | {"keep": "mine"}, base=2),
    )
    assert statuses(both) == ["accepted", "rejected"]
    assert both.json()["results"][1]["reasons"][0]["rule"] == "conflict_already_resolved"
    assert record_now(database_url, first)[::3] == (100.0, 3)
    assert conflict_now(database_url, conflict_id)["resolution"]["keep"] == "theirs"


# --- stale resolutions: the record changed after the conflict was raised -----------------------


def change_again(s: Scene, dev: Device, base: int, **changes: Any) -> None:
    fix = dev.event(CORRECTED, s.record, corrected(s.well, **changes), base=base)
    assert statuses(dev.push(fix)) == ["accepted"]


def test_a_resolution_made_before_a_newer_change_of_its_field_is_refused_as_stale(
    client: TestClient, database_url: str
) -> None:
    s = scene(client, database_url)  # raised at version 2; b's 111 stands at version 3
    assert s.raised["version"] == 3
    change_again(s, s.b, 3, oil_bbl=120.0)  # b changes the field again: version 4
    before = record_now(database_url, s.record)

    stale = resolve(s.a, s, "theirs", base=3)  # a decided on version 3: it never saw the 120
    assert rules(stale) == ["stale_resolution"]
    (why,) = stale["reasons"]
    assert why["field"] == "oil_bbl"
    assert "oil_bbl is now 120.0" in why["message"] and "version 4" in why["message"]
    assert "resolve the conflict again" in why["message"]
    assert quarantined(database_url, stale["event_id"]) == ["stale_resolution"]
    assert record_now(database_url, s.record) == before  # the newer value was not overwritten
    assert conflict_now(database_url, s.conflict_id)["status"] == "open"
    explicit = resolve(s.a, s, "mine", values={"oil_bbl": 111.0}, base=3)
    assert rules(explicit) == ["stale_resolution"]  # chosen values are no way around it

    again = resolve(s.a, s, "theirs", base=4)  # after a pull: made against version 4
    assert (again["status"], again["version"]) == ("accepted", 5)
    assert record_now(database_url, s.record)[::3] == (90.0, 5)
    closed = conflict_now(database_url, s.conflict_id)
    assert (closed["status"], closed["resolution"]["keep"]) == ("resolved", "theirs")
    assert closed["resolved_by"] == user(s.a)


def test_a_resolution_is_not_stale_for_changes_it_has_seen_or_that_leave_its_fields(
    client: TestClient, database_url: str
) -> None:
    s = scene(client, database_url)
    # the version the raising event itself wrote (3, last write wins) is part of the conflict:
    # a device that never pulled after it may still resolve
    assert resolve(s.a, s, "theirs", base=2)["status"] == "accepted"

    s = scene(client, database_url)
    change_again(s, s.b, 3, notes="gauged twice")  # version 4 leaves oil alone
    result = resolve(s.a, s, "theirs", base=3)
    assert (result["status"], result["version"]) == ("accepted", 5)
    assert record_now(database_url, s.record)[::2] == (90.0, "gauged twice")

    s = scene(client, database_url)
    change_again(s, s.b, 3, oil_bbl=120.0)  # b's own change: b resolves knowing it
    result = resolve(s.b, s, "theirs", base=3)
    assert (result["status"], result["version"]) == ("accepted", 5)
    assert record_now(database_url, s.record)[0] == 90.0


def test_an_equipment_resolution_is_refused_as_stale_after_a_newer_status(
    client: TestClient, database_url: str
) -> None:
    a, pump, conflict_id = equipment_conflict(client, database_url)  # raised at 2, now 3
    s = Scene("", "", a, a, pump, conflict_id, {})
    boss = Device(client, org_of(database_url, pump), "boss")
    update = boss.event(EventType.EQUIPMENT_UPDATED, pump, {"changes": {"status": "removed"}}, 3)
    assert statuses(boss.push(update)) == ["accepted"]  # version 4
    stale = resolve(a, s, "theirs", base=3)
    assert rules(stale) == ["stale_resolution"]
    assert 'status is now "removed"' in stale["reasons"][0]["message"]
    state, version = one(database_url, "SELECT state, version FROM aggregates WHERE id = %s", pump)
    assert (state["status"], version) == ("removed", 4)
    assert resolve(a, s, "theirs", base=4)["status"] == "accepted"
    state, version = one(database_url, "SELECT state, version FROM aggregates WHERE id = %s", pump)
    assert (state["status"], version) == ("failed", 5)


def org_of(url: str, aggregate_id: str) -> str:
    (slug,) = one(
        url,
        "SELECT o.slug FROM aggregates a JOIN organizations o ON o.id = a.org_id WHERE a.id = %s",
        aggregate_id,
    )
    return str(slug)
