"""A token of organization A can neither read nor write organization B's data: not through any
endpoint, not by naming B's ids (wells, records, conflicts, devices, events), not by claiming B
in the envelope, and not by pulling from any cursor.

Covered elsewhere, not repeated here (tests/sync_server/test_tenancy.py): the app role with
A's `app.org_id` sees no row of B in any tenant table and cannot insert for B; a refresh token
made up with B's org prefix is refused (refresh takes no access token, so there is no "A's
access token with B's refresh token" case).

Server sequence numbers may be allocated per organization, so nothing here assumes they are
unique across organizations or contiguous: what crosses (or not) is compared by ids.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import jwt
import psycopg
import pytest
from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import DeviceIdentity, build_event, new_id

from .conftest import new_org, org_id
from .test_sync_batch import DAY, Device, add_well, corrected, recorded, statuses


@dataclass
class Tenant:
    slug: str
    org: UUID
    devices: list[Device]
    well: str
    record: str
    conflict_id: str = ""
    event_ids: list[str] = field(default_factory=list)


def org_b(client: TestClient, url: str) -> Tenant:
    """B: two devices, a well, a record corrected by both against version 1 (an open conflict)."""
    slug = new_org(url, (("op0", "operator"), ("op1", "operator")))
    well = add_well(url, slug)
    b1, b2 = Device(client, slug, "op0"), Device(client, slug, "op1")
    record = new_id()
    events = [b1.event(EventType.PRODUCTION_RECORDED, record, recorded(well))]
    assert statuses(b1.push(events[-1])) == ["accepted"]
    events.append(
        b2.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=111.0), base=1)
    )
    assert statuses(b2.push(events[-1])) == ["accepted"]
    events.append(
        b1.event(EventType.PRODUCTION_CORRECTED, record, corrected(well, oil_bbl=90.0), base=1)
    )
    clash = b1.push(events[-1]).json()["results"][0]
    assert clash["status"] == "conflict", clash
    return Tenant(
        slug,
        org_id(url, slug),
        [b1, b2],
        well,
        record,
        str(clash["conflict_id"]),
        [e["event_id"] for e in events],
    )


def org_a(client: TestClient, url: str) -> Tenant:
    """A: one device, its own well and one accepted record of its own."""
    slug = new_org(url)
    well = add_well(url, slug)
    dev = Device(client, slug)
    record = new_id()
    event = dev.event(EventType.PRODUCTION_RECORDED, record, recorded(well))
    assert statuses(dev.push(event)) == ["accepted"]
    return Tenant(slug, org_id(url, slug), [dev], well, record, event_ids=[event["event_id"]])


def snapshot(url: str, org: UUID) -> dict[str, list[str]]:
    """Every row of `org` in every table that has an org_id (read as the owner), and the org."""
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public'"
                " AND column_name = 'org_id' ORDER BY table_name"
            )
        ]
        rows = {
            table: sorted(
                r[0]
                for r in conn.execute(
                    f"SELECT to_jsonb(t)::text FROM {table} t WHERE org_id = %s", (org,)
                )
            )
            for table in tables
        }
        rows["organizations"] = [
            r[0]
            for r in conn.execute(
                "SELECT to_jsonb(o)::text FROM organizations o WHERE id = %s", (org,)
            )
        ]
    assert rows["events"] and rows["production"] and rows["conflicts"]  # something to protect
    return rows


def conflict_status(url: str, conflict_id: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT status FROM conflicts WHERE id = %s", (conflict_id,)).fetchone()
    assert row is not None
    return str(row[0])


def attempt(
    client: TestClient,
    a: Tenant,
    kind: EventType,
    aggregate: str,
    payload: dict[str, Any],
    base: int = 0,
    *,
    as_org: UUID | None = None,
    as_device: DeviceIdentity | None = None,
    event_id: UUID | None = None,
) -> dict[str, Any]:
    """One event pushed by a fresh device of A (so the device's chain never matters), signed
    with that device's secret; `as_org` / `as_device` put other ids in the envelope."""
    dev = Device(client, a.slug)
    ids = as_device or dev.identity
    identity = DeviceIdentity(
        as_org or dev.identity.org_id, ids.device_id, ids.user_id, dev.identity.device_secret
    )
    sealed = build_event(
        identity,
        device_seq=1,
        prev_hash="",
        event_type=kind,
        aggregate_id=aggregate,
        payload=payload,
        base_version=base,
        event_id=event_id,
    )
    response = dev.push(sealed.envelope)
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert result["event_id"] == sealed.envelope["event_id"]
    answer: dict[str, Any] = result
    return answer


def rules(result: dict[str, Any]) -> list[str]:
    return [r["rule"] for r in result.get("reasons") or []]


# --- writes ---------------------------------------------------------------------------------------


def test_a_cannot_record_production_on_a_well_of_b(client: TestClient, database_url: str) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    before = snapshot(database_url, b.org)
    result = attempt(
        client,
        a,
        EventType.PRODUCTION_RECORDED,
        new_id(),
        recorded(b.well, oil=5.0) | {"production_date": "2020-01-02"},
    )
    assert result["status"] == "rejected"
    assert "unknown_well" in rules(result)
    same_day = attempt(client, a, EventType.PRODUCTION_RECORDED, new_id(), recorded(b.well))
    assert same_day["status"] == "rejected"  # not a change against B's record of that day
    assert snapshot(database_url, b.org) == before


@pytest.mark.parametrize(
    ("kind", "on_wells_of", "base", "change"),
    [
        (EventType.PRODUCTION_CORRECTED, "b", 1, {"changes": {"oil_bbl": 1.0}}),
        (EventType.PRODUCTION_CORRECTED, "b", 3, {"changes": {"notes": "mine now"}}),
        (EventType.PRODUCTION_CORRECTED, "a", 1, {"changes": {"oil_bbl": 1.0}}),
        (EventType.PRODUCTION_VOIDED, "b", 3, {"reason": "gone"}),
        (EventType.PRODUCTION_VOIDED, "a", 1, {"reason": "gone"}),
    ],
)
def test_a_cannot_correct_or_void_a_record_of_b(
    client: TestClient,
    database_url: str,
    kind: EventType,
    on_wells_of: str,
    base: int,
    change: dict[str, Any],
) -> None:
    """B's record id as the aggregate, with B's well-day or A's own well in the payload."""
    b, a = org_b(client, database_url), org_a(client, database_url)
    before = snapshot(database_url, b.org)
    well = b.well if on_wells_of == "b" else a.well
    payload = {"well_id": well, "production_date": DAY.isoformat(), **change}
    result = attempt(client, a, kind, b.record, payload, base)
    assert result["status"] == "rejected", result
    assert "server_seq" not in result and "version" not in result
    assert snapshot(database_url, b.org) == before


def test_a_cannot_take_the_id_of_a_record_of_b_for_its_own(
    client: TestClient, database_url: str
) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    before = snapshot(database_url, b.org)
    mine = recorded(a.well) | {"production_date": "2021-06-01"}
    result = attempt(client, a, EventType.PRODUCTION_RECORDED, b.record, mine)
    assert result["status"] == "rejected", result
    assert snapshot(database_url, b.org) == before


@pytest.mark.parametrize("keep", ["mine", "theirs"])
@pytest.mark.parametrize("aggregate", ["conflict", "record"])
def test_a_cannot_resolve_a_conflict_of_b(
    client: TestClient, database_url: str, keep: str, aggregate: str
) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    before = snapshot(database_url, b.org)
    target = b.conflict_id if aggregate == "conflict" else b.record
    payload = {"conflict_id": b.conflict_id, "keep": keep, "values": {"oil_bbl": 1.0}}
    result = attempt(client, a, EventType.CONFLICT_RESOLVED, target, payload, base=3)
    assert result["status"] == "rejected", result
    assert conflict_status(database_url, b.conflict_id) == "open"
    assert snapshot(database_url, b.org) == before


def test_a_batch_naming_a_device_of_b_is_forbidden(client: TestClient, database_url: str) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    before = snapshot(database_url, b.org)
    dev, theirs = Device(client, a.slug), b.devices[0].identity
    as_b = DeviceIdentity(
        theirs.org_id, theirs.device_id, theirs.user_id, dev.identity.device_secret
    )
    for identity in (dev.identity, as_b):
        sealed = build_event(
            identity,
            device_seq=b.devices[0].seq + 1,
            prev_hash=b.devices[0].prev,
            event_type=EventType.PRODUCTION_CORRECTED,
            aggregate_id=b.record,
            payload=corrected(b.well, notes="A was here"),
            base_version=3,
        )
        response = client.post(
            "/api/v1/sync/batch",
            json={
                "protocol_version": 1,
                "device_id": str(theirs.device_id),
                "events": [sealed.envelope],
            },
            headers={"Authorization": f"Bearer {dev.token}"},
        )
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert snapshot(database_url, b.org) == before


@pytest.mark.parametrize("claim", ["org", "org_device_user"])
def test_envelopes_claiming_the_org_of_b_are_rejected(
    client: TestClient, database_url: str, claim: str
) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    before = snapshot(database_url, b.org)
    theirs = b.devices[0].identity
    as_device = theirs if claim == "org_device_user" else None
    for kind, aggregate, payload, base in [
        (
            EventType.PRODUCTION_RECORDED,
            new_id(),
            recorded(b.well) | {"production_date": "2022-03-04"},
            0,
        ),
        (
            EventType.PRODUCTION_RECORDED,
            new_id(),
            recorded(a.well) | {"production_date": "2022-03-04"},
            0,
        ),
        (EventType.PRODUCTION_CORRECTED, b.record, corrected(b.well, notes="A was here"), 3),
    ]:
        result = attempt(
            client, a, kind, aggregate, payload, base, as_org=theirs.org_id, as_device=as_device
        )
        assert result["status"] == "rejected", result
        assert "identity" in rules(result)
    assert snapshot(database_url, b.org) == before


def test_reusing_an_event_id_of_b_reveals_and_changes_nothing(
    client: TestClient, database_url: str
) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    before = snapshot(database_url, b.org)
    for event_id in b.event_ids:
        mine = recorded(a.well) | {"production_date": f"2023-0{b.event_ids.index(event_id) + 1}-01"}
        result = attempt(
            client, a, EventType.PRODUCTION_RECORDED, new_id(), mine, event_id=UUID(event_id)
        )
        assert result["status"] in ("id_conflict", "rejected"), result  # never B's "duplicate"
        assert "server_seq" not in result and "version" not in result
    assert snapshot(database_url, b.org) == before


# --- reads ----------------------------------------------------------------------------------------


def pull(
    client: TestClient, token: object, cursor: int, limit: int = 500, **extra: str
) -> dict[str, Any]:
    response = client.get(
        "/api/v1/sync/changes",
        params={"cursor": cursor, "limit": limit, **extra},
        headers={"Authorization": f"Bearer {token}", "X-Org-Id": extra.get("org_id", "")},
    )
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def ids_of(change: dict[str, Any]) -> set[str]:
    """The ids a change names: its event, record, well, conflict, device, organization."""
    data = change["data"]
    payload = data.get("payload") or {}
    found = {
        data.get("id"),
        data.get("event_id"),
        data.get("aggregate_id"),
        data.get("org_id"),
        data.get("device_id"),
        data.get("conflict_id"),
        data.get("well_id"),
        payload.get("well_id"),
        payload.get("conflict_id"),
    }
    return {str(x) for x in found if x}


def test_pulls_from_every_cursor_show_nothing_of_b(client: TestClient, database_url: str) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    theirs = pull(client, b.devices[0].token, 0)["changes"]
    assert {c["kind"] for c in theirs} == {"well", "event", "conflict"}
    b_ids = set().union(*map(ids_of, theirs)) | {str(b.org), b.well, b.record, b.conflict_id}
    b_ids |= {str(d.identity.device_id) for d in b.devices} | set(b.event_ids)
    b_ids |= {str(d.identity.user_id) for d in b.devices}

    everything = pull(client, a.devices[0].token, 0)["changes"]
    own = set().union(*map(ids_of, everything))
    assert {a.well, a.record, *a.event_ids} <= own  # A does see its own
    assert not own & b_ids

    b_seqs = {c["server_seq"] for c in theirs}
    cursors = sorted({0} | {s + d for s in b_seqs for d in (-2, -1, 0, 1) if s + d >= 0})
    for cursor in cursors:
        for limit in (1, 2, 500):
            page = pull(client, a.devices[0].token, cursor, limit)
            text = json.dumps(page)
            assert not [x for x in b_ids if x in text], (cursor, limit)
            named = set().union(set(), *map(ids_of, page["changes"]))
            assert named <= own, (cursor, limit)
    asking = pull(client, a.devices[0].token, 0, org_id=str(b.org))  # a tenant hint is ignored
    assert set().union(*map(ids_of, asking["changes"])) == own

    walked: set[str] = set()
    cursor, more = 0, True
    while more:
        page = pull(client, a.devices[0].token, cursor, limit=1)
        walked |= set().union(set(), *map(ids_of, page["changes"]))
        cursor, more = page["next_cursor"], page["has_more"]
    assert walked == own


def test_me_answers_for_the_token_org_and_forged_tokens_for_b_are_refused(
    client: TestClient, database_url: str
) -> None:
    b, a = org_b(client, database_url), org_a(client, database_url)
    mine = a.devices[0]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {mine.token}"})
    assert me.status_code == 200, me.text
    assert me.json()["org_id"] == str(a.org)
    assert me.json()["device_id"] == str(mine.identity.device_id)
    assert me.json()["user_id"] == str(mine.identity.user_id)

    header, body, signature = str(mine.token).split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    as_b = claims | {
        "org": str(b.org),
        "dev": str(b.devices[0].identity.device_id),
        "sub": str(b.devices[0].identity.user_id),
    }
    swapped = base64.urlsafe_b64encode(json.dumps(as_b).encode()).rstrip(b"=").decode()
    forged = [
        f"{header}.{swapped}.{signature}",  # A's signature over B's claims
        jwt.encode(as_b, "not-the-server-secret-but-long-enough-for-hs256", algorithm="HS256"),
        jwt.encode(as_b, "", algorithm="none"),
    ]
    event = b.devices[0].event(
        EventType.PRODUCTION_CORRECTED, b.record, corrected(b.well, notes="forged"), base=3
    )
    before = snapshot(database_url, b.org)
    for token in forged:
        auth = {"Authorization": f"Bearer {token}"}
        calls = [
            client.get("/api/v1/me", headers=auth),
            client.get("/api/v1/sync/changes?cursor=0", headers=auth),
            client.post(
                "/api/v1/sync/batch",
                headers=auth,
                json={
                    "protocol_version": 1,
                    "device_id": str(b.devices[0].identity.device_id),
                    "events": [event],
                },
            ),
        ]
        assert [r.status_code for r in calls] == [401, 401, 401], token
        assert {r.headers["content-type"] for r in calls} == {"application/problem+json"}
    assert snapshot(database_url, b.org) == before
