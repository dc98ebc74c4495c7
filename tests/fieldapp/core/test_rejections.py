"""Rejected events as the Sync screen lists them, a page at a time, and sending each kind of
record again fixed: on real stores, with the answers written by the real outbox code, and
against the real server app in-process (TestClient) on real Postgres."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from answerkit import ROLE, accepted, answer, many_rejections, rejected
from corekit import TODAY
from fieldkit import PASSPHRASE, CliResult, create_store, days_ago, fail_keystore
from pydantic import ValidationError
from serverkit import new_org
from starlette.testclient import TestClient
from synckit import Device, add_wells

from fieldapp.core.equipment import add_equipment
from fieldapp.core.outbox import pending_events
from fieldapp.core.outcomes import record_outcomes
from fieldapp.core.production import save_production
from fieldapp.core.rejections import (
    RejectionError,
    list_rejections,
    open_rejection_count,
    open_rejections,
    resubmit,
)
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import EquipmentAdded, EventType, ProductionRecorded
from shared.events import new_id

MAX_OIL = {"rule": "max_oil", "field": "oil_bbl", "message": "over the well's limit"}


def test_a_rejection_names_the_fields_to_fix_and_leaves_once_resubmitted(
    store: Store, well: Well
) -> None:
    entry = ProductionRecorded(
        well_id=well.well_id,
        production_date=TODAY - timedelta(days=5),
        oil_bbl=100.0,
        gas_mcf=120.0,
        water_bbl=30.0,
        hours_on=24.0,
    )
    save_production(store, entry, today=TODAY)
    answer(store, accepted(1), rejected(MAX_OIL))
    with store.read() as conn:
        (shown,) = open_rejections(conn, 50)
    assert (shown.well_name, shown.day) == ("Smith 1H", entry.production_date.isoformat())
    assert shown.fixable == ("oil_bbl",) and shown.can_resubmit
    assert shown.values["oil_bbl"] == 100.0
    assert shown.rejection.summary() == "oil_bbl: over the well's limit"
    assert (shown.conflict_id, shown.conflict_open) == ("", False)

    resubmit(store, shown.rejection.device_seq, {"oil_bbl": 90.0})
    with store.read() as conn:
        assert open_rejections(conn, 50) == [] and open_rejection_count(conn) == 0
        pending = pending_events(conn, 50)
        (old,) = [o for o in record_outcomes(conn, 50) if o.status == "rejected"]
    assert [(p.event_type, p.values["oil_bbl"]) for p in pending] == [("production.recorded", 90.0)]
    assert old.detail == "resubmitted"


def test_ten_thousand_rejections_page_in_order_each_once_while_some_are_fixed(
    store: Store, well: Well
) -> None:
    answer(store, accepted(1))
    refused = many_rejections(store, well.well_id, 10_000)
    with store.read() as conn:
        assert open_rejection_count(conn) == 10_000
    seen: list[int] = []
    after = 0
    while True:
        with store.read() as conn:
            page = open_rejections(conn, 200, after=after)
        if not page:
            break
        assert len(page) <= 200
        seen.extend(r.rejection.device_seq for r in page)
        after = page[-1].rejection.device_seq
        if len(seen) == 2_000:  # meanwhile one shown and one not shown are settled
            with store.write() as txn:
                txn.db.executemany(
                    "UPDATE rejections SET resolved_by_seq = 1 WHERE device_seq = ?",
                    [(seen[5],), (refused[7_000],)],
                )
    assert seen == sorted(set(seen))
    assert set(seen) == set(refused) - {refused[7_000]}
    with store.read() as conn:
        (first,) = open_rejections(conn, 1)
        assert open_rejection_count(conn) == 9_998
        assert len(list_rejections(conn, include_resolved=True, after=refused[-10])) == 9
    assert (first.well_name, first.rejection.reasons) == ("Smith 1H", ROLE)
    assert not first.can_resubmit and first.fixable == ()
    with pytest.raises(RejectionError, match="record it again instead"):
        resubmit(store, first.rejection.device_seq, {})


def test_what_the_contract_refuses_is_not_sent_again(store: Store, well: Well) -> None:
    add_equipment(store, EquipmentAdded(well_id=well.well_id, equipment_type="Tank"), today=TODAY)
    answer(store, accepted(1), rejected({"rule": "r", "field": "serial_number", "message": "?"}))
    with store.read() as conn:
        (shown,) = open_rejections(conn, 5)
    assert shown.fixable == ("serial_number",) and shown.can_resubmit
    with pytest.raises(ValidationError):
        resubmit(store, shown.rejection.device_seq, {"status": "broken"})
    with pytest.raises(ValidationError):
        resubmit(store, shown.rejection.device_seq, {"no_such_field": 1})
    with store.read() as conn:
        assert open_rejection_count(conn) == 1 and pending_events(conn, 5) == []


# --- against the real server ------------------------------------------------------------------


def equipment_added(device: Device, api: str) -> dict[str, Any]:
    return {
        "well_id": device.well_id(api),
        "equipment_type": "",  # the contract wants a type
        "manufacturer": "Lufkin",
        "model": "C-320",
        "serial_number": "LF-1",
        "installed_on": None,
        "status": "operational",
        "notes": "",
    }


def maintenance_logged(device: Device, api: str) -> dict[str, Any]:
    return maintenance_logged_payload(device.well_id(api))


def maintenance_logged_payload(well_id: str) -> dict[str, Any]:
    return {
        "well_id": well_id,
        "equipment_id": None,
        "performed_on": days_ago(3).isoformat(),
        "maintenance_type": "Stuffing box repack",
        "description": "",
        "technician": "J. Ortiz",
        "cost": -120.0,  # a cost is never negative
        "next_due": None,
    }


def incident_reported(device: Device, api: str) -> dict[str, Any]:
    return {
        "well_id": device.well_id(api),
        "incident_type": "leak",
        "severity": "extreme",  # not a severity the contract knows
        "occurred_at": f"{days_ago(1).isoformat()}T09:30:00Z",
        "location": None,
        "location_description": "tank battery",
        "description": "drip at the flange",
        "injuries": False,
        "environmental_impact": "",
        "regulatory_notification_required": False,
    }


REFUSED: dict[str, tuple[Callable[[Device, str], dict[str, Any]], str, Any]] = {
    EventType.EQUIPMENT_ADDED: (equipment_added, "equipment_type", "Pumping unit"),
    EventType.MAINTENANCE_LOGGED: (maintenance_logged, "cost", 120.0),
    EventType.INCIDENT_REPORTED: (incident_reported, "severity", "low"),
}


def server_payload(database_url: str, event_id: str) -> dict[str, Any]:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT envelope -> 'payload' FROM events WHERE event_id = %s", (event_id,)
        ).fetchone()
    assert row is not None, f"the server holds no event {event_id}"
    payload: dict[str, Any] = row[0]
    return payload


def send_refused(
    device: Device, event_type: str, aggregate_id: str, payload: dict[str, Any]
) -> int:
    """Append the event as an older app whose rules let it through; the server refuses it."""
    with device.store.write() as txn:
        sealed = txn.append(EventType(event_type), aggregate_id, payload)
    assert device.sync().pushed.counts == {"rejected": 1}
    return int(sealed.body["device_seq"])


def fixed_and_accepted(
    device: Device, database_url: str, seq: int, field: str, value: Any
) -> dict[str, Any]:
    """Send seq again with `field` fixed; it is accepted: the payload the server holds."""
    with device.store.read() as conn:
        (shown,) = open_rejections(conn, 10)
    assert shown.rejection.device_seq == seq
    assert shown.fixable == (field,) and shown.can_resubmit, shown
    new_seq = resubmit(device.store, seq, {field: value})
    assert new_seq > seq and device.store.status().rejected == 0
    assert device.sync().pushed.counts == {"accepted": 1}
    assert device.verify() == []
    with device.store.read() as conn:
        event_id = conn.exec_driver_sql(
            "SELECT event_id FROM event_log WHERE device_seq = ?", (new_seq,)
        ).scalar_one()
    return server_payload(database_url, str(event_id))


@pytest.mark.parametrize("event_type", sorted(REFUSED))
def test_a_refused_record_of_each_kind_is_fixed_and_accepted(
    event_type: str, client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url)
    (w1,) = add_wells(database_url, org, 1)
    a = Device.register(tmp_path / "a", client, org, "op")
    make, field, fix = REFUSED[event_type]
    payload = make(a, w1)
    seq = send_refused(a, event_type, str(new_id()), payload)
    with a.store.read() as conn:
        (refused,) = list_rejections(conn)
    assert any(r["field"].endswith(field) for r in refused.reasons), refused.reasons

    held = fixed_and_accepted(a, database_url, seq, field, fix)
    assert held[field] == fix
    untouched = {k: v for k, v in payload.items() if k != field}
    assert {k: held[k] for k in untouched if k in held} == {
        k: v for k, v in untouched.items() if k in held
    }
    a.close()


def test_a_refused_change_to_equipment_is_fixed_and_accepted(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url)
    (w1,) = add_wells(database_url, org, 1)
    a = Device.register(tmp_path / "a", client, org, "op")
    pump = add_equipment(
        a.store, EquipmentAdded(well_id=a.well_id(w1), equipment_type="Rod pump"), today=None
    )
    assert a.sync().pushed.counts == {"accepted": 1}
    with a.store.read() as conn:
        version = conn.exec_driver_sql(
            "SELECT version FROM equipment WHERE equipment_id = ?", (pump.equipment_id,)
        ).scalar_one()
    with a.store.write() as txn:  # a status the contract does not know
        sealed = txn.append(
            EventType.EQUIPMENT_UPDATED,
            pump.equipment_id,
            {"changes": {"status": "broken", "notes": "seized"}},
            base_version=int(version),
        )
    assert a.sync().pushed.counts == {"rejected": 1}
    seq = int(sealed.body["device_seq"])

    held = fixed_and_accepted(a, database_url, seq, "status", "failed")
    assert held == {"changes": {"status": "failed", "notes": "seized"}}
    with a.store.read() as conn:
        row = conn.exec_driver_sql(
            "SELECT status, notes FROM equipment WHERE equipment_id = ?", (pump.equipment_id,)
        ).one()
    assert tuple(row) == ("failed", "seized")
    a.close()


def test_the_cli_sends_a_refused_maintenance_entry_again_through_resubmit(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """`fieldapp resubmit SEQ --set FIELD=VALUE` goes through the same `resubmit`."""
    folder = tmp_path / "laptop"
    with create_store(folder, [("4250120130", "Smith 1H")]) as laptop:
        with laptop.read() as conn:
            well_id = str(conn.exec_driver_sql("SELECT well_id FROM wells").scalar_one())
        entry = {**maintenance_logged_payload(well_id), "cost": -5.0}
        with laptop.write() as txn:
            sealed = txn.append(EventType.MAINTENANCE_LOGGED, new_id(), entry)
        cost = {"rule": "payload", "field": "cost", "message": "Input should be >= 0"}
        answer(laptop, accepted(1), rejected(cost))
    seq = int(sealed.body["device_seq"])

    done = cli(folder, "resubmit", str(seq), "--set", "cost=12.5")
    assert done.code == 0, done
    assert f"resubmitted seq {seq} as seq {seq + 1}" in done.stdout
    again = cli(folder, "resubmit", str(seq), "--set", "cost=13")
    assert again.code != 0 and "already resubmitted" in again.stderr
    with Store.open(folder, fail_keystore(), lambda: PASSPHRASE) as reopened:
        with reopened.read() as conn:
            (waiting,) = pending_events(conn, 5)
        assert reopened.status().rejected == 0
    assert (waiting.event_type, waiting.values["cost"]) == ("maintenance.logged", 12.5)
    assert waiting.values["maintenance_type"] == "Stuffing box repack"
