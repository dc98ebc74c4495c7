"""The sync engine against the real app in-process (TestClient) and real Postgres."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
from fieldkit import days_ago
from serverkit import new_org
from starlette.testclient import TestClient
from synckit import Device, add_wells, server_production

from shared.contracts import Location

TWO = (("op0", "operator"), ("op1", "operator"))


def two_devices(
    client: TestClient, url: str, tmp: Path, wells: int
) -> tuple[str, list[str], Device, Device]:
    """A fresh org with `wells` wells and two registered laptops (op0, op1)."""
    org = new_org(url, TWO)
    apis = add_wells(url, org, wells)
    a = Device.register(tmp / "a", client, org, "op0")
    return org, apis, a, Device.register(tmp / "b", client, org, "op1")


def test_two_devices_record_different_wells_and_converge(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org, apis, a, b = two_devices(client, database_url, tmp_path, 2)
    w1, w2 = apis
    a.sync(), b.sync()
    for n in range(1, 4):
        a.record(w1, days_ago(n), oil=100 + n)
        b.record(w2, days_ago(n), oil=200 + n)
    assert a.store.status().pending == 3
    report = a.sync()
    assert (report.pushed.counts, report.pending) == ({"accepted": 3}, 0)
    b.sync(), a.sync()
    server = server_production(database_url, org)
    assert len(server) == 6
    assert a.production() == b.production() == server
    assert a.store.status().acknowledged == 3 and b.store.status().acknowledged == 3
    assert a.verify() == [] and b.verify() == []


def test_the_same_well_day_on_two_devices_is_a_conflict_both_see_and_resolve(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    from fieldapp.core.conflicts import list_conflicts, resolve

    org, apis, a, b = two_devices(client, database_url, tmp_path, 1)
    (w1,) = apis
    day = days_ago(2)
    a.record(w1, day, oil=100.0)
    b.record(w1, day, oil=140.0)
    a.sync()
    report = b.sync()
    assert report.pushed.counts == {"conflict": 1}
    a.sync()
    with a.store.read() as conn:
        on_a = list_conflicts(conn, a.device_id)
    with b.store.read() as conn:
        on_b = list_conflicts(conn, b.device_id)
    assert len(on_a) == len(on_b) == 1
    assert (on_a[0].mine["oil_bbl"], on_a[0].theirs["oil_bbl"]) == (100.0, 140.0)
    assert (on_b[0].mine["oil_bbl"], on_b[0].theirs["oil_bbl"]) == (140.0, 100.0)
    # last write wins meanwhile: both show B's value, and nothing is lost
    assert a.day(w1, day)["oil_bbl"] == b.day(w1, day)["oil_bbl"] == 140.0
    resolve(a.store, on_a[0].conflict_id, "mine")
    assert a.day(w1, day)["oil_bbl"] == 100.0 and a.store.status().conflicts == 0
    a.sync(), b.sync()
    assert a.production() == b.production() == server_production(database_url, org)
    assert b.day(w1, day)["oil_bbl"] == 100.0
    assert a.store.status().conflicts == b.store.status().conflicts == 0
    assert a.verify() == [] and b.verify() == []


def test_changes_to_different_fields_of_one_record_merge_without_conflict(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    from fieldapp.core.production import correct_production
    from shared.contracts import ProductionChanges

    org, apis, a, b = two_devices(client, database_url, tmp_path, 1)
    (w1,) = apis
    day = days_ago(3)
    record = a.record(w1, day, oil=100.0)
    a.sync(), b.sync()
    correct_production(a.store, record, ProductionChanges(notes="stuffing box leak"))
    correct_production(b.store, record, ProductionChanges(oil_bbl=96.5))
    assert a.sync().pushed.counts == {"accepted": 1}
    report = b.sync()
    assert report.pushed.counts == {"accepted": 1} and report.conflicts == 0
    a.sync()
    for device in (a, b):
        row = device.day(w1, day)
        assert row is not None
        assert (row["oil_bbl"], row["notes"], row["version"]) == (96.5, "stuffing box leak", 3)
        assert device.verify() == []
    assert a.production() == b.production() == server_production(database_url, org)


def test_a_rejected_event_is_kept_with_its_reasons_and_can_be_fixed_and_resubmitted(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    from fieldapp.core.rejections import list_rejections, resubmit
    from shared.contracts import EventType
    from shared.events import new_id

    org = new_org(database_url, TWO)
    (w1,) = add_wells(database_url, org, 1)
    a = Device.register(tmp_path / "a", client, org, "op0")
    day = days_ago(1)
    good = a.record(w1, days_ago(2), oil=80.0)
    payload = {
        "well_id": a.well_id(w1),
        "production_date": day.isoformat(),
        "oil_bbl": -5.0,
        "gas_mcf": 10.0,
        "water_bbl": 1.0,
        "hours_on": 24.0,
        "notes": "typo",
    }
    with a.store.write() as txn:  # as an older app whose rules let a negative volume through
        txn.append(EventType.PRODUCTION_RECORDED, new_id(), payload)
    assert a.day(w1, day) is not None
    report = a.sync()
    assert report.pushed.counts == {"accepted": 1, "rejected": 1}
    assert (report.pending, report.rejected) == (0, 1)
    assert a.day(w1, day) is None  # the server never took it: the record is not shown as kept
    assert a.day(w1, days_ago(2))["record_id"] == good
    with a.store.read() as conn:
        (rejected,) = list_rejections(conn)
    assert rejected.payload["oil_bbl"] == -5.0 and rejected.payload["notes"] == "typo"
    assert any(r["field"] == "oil_bbl" for r in rejected.reasons), rejected.reasons
    assert a.verify() == []

    new_seq = resubmit(a.store, rejected.device_seq, {"oil_bbl": 5.0})
    assert new_seq == rejected.device_seq + 1
    assert a.store.status().rejected == 0
    assert a.sync().pushed.counts == {"accepted": 1}
    assert a.day(w1, day)["oil_bbl"] == 5.0
    assert server_production(database_url, org)[(a.well_id(w1), day.isoformat())]["oil"] == 5.0
    assert a.verify() == []


def test_a_resolution_made_on_a_stale_view_is_refused_shown_and_made_again(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    from fieldapp.core.conflicts import get_conflict, list_conflicts, resolve
    from fieldapp.core.production import correct_production
    from fieldapp.core.rejections import list_rejections
    from shared.contracts import ProductionChanges

    org, apis, a, b = two_devices(client, database_url, tmp_path, 1)
    (w1,) = apis
    day = days_ago(2)
    a.record(w1, day, oil=100.0)
    b.record(w1, day, oil=140.0)
    a.sync()
    assert b.sync().pushed.counts == {"conflict": 1}
    a.sync()  # A sees the conflict, and B's 140 standing meanwhile
    with a.store.read() as conn:
        (conflict,) = list_conflicts(conn, a.device_id)
    on_b = b.day(w1, day)
    assert on_b is not None and on_b["oil_bbl"] == 140.0
    correct_production(b.store, on_b["record_id"], ProductionChanges(oil_bbl=150.0))
    assert b.sync().pushed.counts == {"accepted": 1}  # B changes the record again

    resolve(a.store, conflict.conflict_id, "mine")  # on A's view, which never saw the 150
    assert a.day(w1, day)["oil_bbl"] == 100.0
    report = a.sync()
    assert report.pushed.counts == {"rejected": 1}
    with a.store.read() as conn:
        (refused,) = [r for r in list_rejections(conn) if r.event_type == "conflict.resolved"]
        reopened = get_conflict(conn, a.device_id, conflict.conflict_id)
    (why,) = refused.reasons
    assert (why["rule"], why["field"]) == ("stale_resolution", "oil_bbl")
    assert "oil_bbl is now 150.0" in why["message"]
    assert reopened.status == "open"  # to be resolved again, against what stands now
    assert reopened.current["oil_bbl"] == 150.0
    assert a.day(w1, day)["oil_bbl"] == 150.0
    assert server_production(database_url, org)[(a.well_id(w1), day.isoformat())]["oil"] == 150.0

    resolve(a.store, conflict.conflict_id, "mine")  # again, having seen the 150
    assert a.sync().pushed.counts == {"accepted": 1}
    b.sync()
    assert a.day(w1, day)["oil_bbl"] == b.day(w1, day)["oil_bbl"] == 100.0
    assert a.production() == b.production() == server_production(database_url, org)
    assert a.store.status().conflicts == b.store.status().conflicts == 0
    assert a.verify() == [] and b.verify() == []


def test_the_device_takes_the_orgs_thresholds_with_each_sync_and_both_sides_agree(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    import psycopg
    from serverkit import login

    from fieldapp.core import org_thresholds

    org = new_org(database_url, (("op0", "operator"), ("boss", "admin")))
    (w1,) = add_wells(database_url, org, 1)
    a = Device.register(tmp_path / "a", client, org, "op0")
    a.sync()
    first = org_thresholds.in_force(a.store)
    assert first.source == "organization" and first.thresholds.max_oil_bbl == 10_000.0
    boss = login(client, org, "boss")["access_token"]
    changed = client.patch(
        "/api/v1/settings/validation",
        headers={"Authorization": f"Bearer {boss}"},
        json={"max_oil_bbl": 500, "timezone": "America/Denver"},
    )
    assert changed.status_code == 200, changed.text
    assert a.store.thresholds.max_oil_bbl == 10_000.0  # not until the next sync
    a.sync()
    now = org_thresholds.in_force(a.store)
    assert (now.thresholds.max_oil_bbl, now.thresholds.timezone) == (500.0, "America/Denver")
    assert now.etag == changed.headers["ETag"] != first.etag
    record_id = a.record(w1, days_ago(1), oil=600.0)  # checked with the org's maximum
    with a.store.read() as conn:
        (flags,) = conn.exec_driver_sql(
            "SELECT flags FROM production WHERE record_id = ?", (record_id,)
        ).one()
    assert '"oil_max"' in flags
    sent = a.engine.client.requests
    a.sync()
    assert org_thresholds.in_force(a.store).etag == now.etag  # 304: nothing new to keep
    assert a.engine.client.requests > sent
    with psycopg.connect(database_url) as conn:
        (server_flags,) = conn.execute(
            "SELECT flags FROM production WHERE id = %s", (record_id,)
        ).fetchone()  # type: ignore[misc]
    assert [f["rule"] for f in server_flags] == ["oil_max"]
    assert a.verify() == []


def test_an_entry_outside_the_geofence_is_flagged_on_both_sides_and_pulled_with_it(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, TWO)
    (api,) = add_wells(database_url, org, 1)
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE wells SET latitude = 31.9686, longitude = -102.0779 WHERE api_number = %s",
            (api,),
        )
    a = Device.register(tmp_path / "a", client, org, "op0")
    b = Device.register(tmp_path / "b", client, org, "op1")
    far = Location(lat=31.9786, lon=-102.0779, accuracy_m=5.0, source="gps")
    a.record(api, days_ago(1), oil=100, location=far)
    laptop = a.day(api, days_ago(1))
    assert laptop is not None and "outside_geofence" in laptop["flags"]
    assert a.sync().pending == 0
    with psycopg.connect(database_url) as conn:
        (flags,) = conn.execute(
            "SELECT p.flags FROM production p JOIN organizations o ON o.id = p.org_id"
            " WHERE o.slug = %s",
            (org,),
        ).fetchone() or (None,)
    assert [f["rule"] for f in flags] == ["outside_geofence"]  # the server's own check
    b.sync()
    pulled = b.day(api, days_ago(1))
    assert pulled is not None and pulled["latitude"] == 31.9786 and pulled["accuracy_m"] == 5.0
    assert [f["rule"] for f in json.loads(pulled["flags"])] == ["outside_geofence"]
    assert pulled["quality_score"] == 85
