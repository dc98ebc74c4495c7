"""`link_store`: a local-only store registered with the real server app later (Starlette's
TestClient over the session's Postgres), its records copied under the server's identity and
sent with the next sync exactly once; and every way it can fail leaving the store as it was."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fieldkit import PASSPHRASE, TIMEZONE, days_ago, fail_keystore, snapshot
from linkkit import (
    OFFICE_API,
    local_store,
    record,
    server_events,
    server_records,
)
from serverkit import PASSWORD, new_org
from starlette.testclient import TestClient
from synckit import FAST, Device, add_wells, server_production

from fieldapp.core import org_thresholds
from fieldapp.core.errors import WrongKeyError
from fieldapp.core.eventlog import iter_events
from fieldapp.core.folder_swap import staging_dir
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import register_well
from fieldapp.sync.connect import Registration, engine_for
from fieldapp.sync.errors import AuthRejected, Unreachable
from fieldapp.sync.link import LinkRefused, link_store
from shared.contracts import WellRegistered

USERS = (("boss", "supervisor"), ("op", "operator"), ("op2", "operator"))


def reg(org: str, user: str, password: str = PASSWORD) -> Registration:
    return Registration("http://testserver", org, user, password, TIMEZONE, "test laptop")


def siblings(data: Path) -> list[str]:
    return sorted(p.name for p in data.parent.iterdir() if p != data)


def log_of(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as conn:
        return [(e.event_type, e.aggregate_id, e.body) for e in iter_events(conn)]


def test_a_linked_store_keeps_its_records_and_sends_each_once(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    add_wells(database_url, org, 1)  # the office already has OFFICE_API
    data = tmp_path / "field"
    work = local_store(data, PASSPHRASE)
    before = snapshot(data)
    with Store.open(data, fail_keystore(), lambda: PASSPHRASE) as old:
        old_log = log_of(old)

    linked = link_store(data, PASSPHRASE, fail_keystore(), client, reg(org, "boss"), backoff=FAST)
    store = linked.store
    try:
        assert snapshot(linked.kept) == before  # the old store, byte for byte, beside it
        assert linked.kept.name.startswith("field.local-")
        assert siblings(data) == [linked.kept.name]  # no staging folder left
        assert (linked.wells_matched, linked.wells_sent) == (1, 1)
        assert linked.copied == work.events - 1  # the office's well is not registered again
        assert store.meta["mode"] == "server" and store.identity.device_secret
        assert org_thresholds.known_etag(store)  # the org's thresholds, before the first sync
        status = store.status()
        assert status.pending == linked.copied and status.production_records == work.records
        assert verify_store(store).ok
        new_log = log_of(store)
        assert [(t, a) for t, a, _ in new_log] == [
            (t, a) for t, a, _ in old_log if (t, a) != ("well.registered", work.office_well)
        ]

        report = engine_for(store, fail_keystore(), http=client, backoff=FAST).sync()
        assert report.complete and report.rejected == 0 and report.conflicts == 0
        device = str(store.identity.device_id)
        sent = server_events(database_url, device)
        assert sent == [(t, a) for t, a, _ in new_log]  # every event, once, in order
        assert server_records(database_url, org) == {
            "production": work.records,
            "equipment": 1,
            "maintenance": 1,
            "incident": 1,
        }
        office_id = next(w for w, _ in server_production(database_url, org) if w != work.own_well)
        days = server_production(database_url, org)
        assert days[(office_id, days_ago(2).isoformat())]["notes"] == "gauge re-read"
        assert days[(office_id, days_ago(2).isoformat())]["oil"] == 98
        again = engine_for(store, fail_keystore(), http=client, backoff=FAST).sync()
        assert again.complete and sum(again.pushed.counts.values()) == 0
        assert server_events(database_url, device) == sent
        assert verify_store(store).ok
    finally:
        store.close()


def test_a_well_day_the_server_already_has_becomes_its_record(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    add_wells(database_url, org, 1)
    other = Device.register(tmp_path / "other", client, org, "op2")
    other.record(OFFICE_API, days_ago(1), oil=77)
    other.sync()
    data = tmp_path / "field"
    with Store.create(data, PASSPHRASE, fail_keystore(), timezone=TIMEZONE) as old:
        well, _ = register_well(old, WellRegistered(api_number=OFFICE_API, name="Mine 1"))
        record(old, well.well_id, 1, 90)
        record(old, well.well_id, 2, 91)
    linked = link_store(data, PASSPHRASE, fail_keystore(), client, reg(org, "op"), backoff=FAST)
    with linked.store as store:
        assert store.status().production_records == 2 and verify_store(store).ok
        engine_for(store, fail_keystore(), http=client, backoff=FAST).sync()
        days = server_production(database_url, org)
        assert len(days) == 2  # the shared day is one record
        assert sorted(v["oil"] for v in days.values()) == [90, 91]  # last write wins
    other.close()


def test_an_operator_cannot_bring_wells_the_office_does_not_have(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    add_wells(database_url, org, 1)
    data = tmp_path / "field"
    local_store(data, PASSPHRASE)
    before = snapshot(data)
    with pytest.raises(LinkRefused, match=r"no well with API number 4200312345.*operator"):
        link_store(data, PASSPHRASE, fail_keystore(), client, reg(org, "op"), backoff=FAST)
    assert snapshot(data) == before and siblings(data) == []


def test_failures_leave_the_local_store_as_it_was(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    data = tmp_path / "field"
    local_store(data, PASSPHRASE)
    before = snapshot(data)

    def attempt(http: httpx.Client, registration: Registration, passphrase: str) -> None:
        link_store(data, passphrase, fail_keystore(), http, registration, backoff=FAST)

    with pytest.raises(AuthRejected, match="sign-in refused"):
        attempt(client, reg(org, "boss", "not the password"), PASSPHRASE)
    with pytest.raises(WrongKeyError, match="wrong passphrase"):
        attempt(client, reg(org, "boss"), "not the passphrase")
    with (
        httpx.Client(base_url="http://127.0.0.1:9", timeout=2.0) as nowhere,
        pytest.raises(Unreachable),
    ):
        attempt(nowhere, reg(org, "boss"), PASSPHRASE)
    assert snapshot(data) == before and siblings(data) == []

    # a crash mid-copy left a half-built store beside it: the next attempt starts afresh
    with Store.create(staging_dir(data), PASSPHRASE, fail_keystore()) as half:
        register_well(half, WellRegistered(api_number=OFFICE_API, name="half"))
    linked = link_store(data, PASSPHRASE, fail_keystore(), client, reg(org, "boss"), backoff=FAST)
    with linked.store as store:
        assert siblings(data) == [linked.kept.name] and snapshot(linked.kept) == before
        assert store.status().wells == 2 and verify_store(store).ok
    registered = snapshot(data)
    with pytest.raises(LinkRefused, match="already registered with a sync server"):
        attempt(client, reg(org, "boss"), PASSPHRASE)
    assert snapshot(data) == registered


def test_a_store_open_in_another_program_is_not_moved(
    client: TestClient, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    data = tmp_path / "field"
    local_store(data, PASSPHRASE)
    with Store.open(data, fail_keystore(), lambda: PASSPHRASE) as app:  # the desktop app
        with pytest.raises(LinkRefused, match="open in another program"):
            link_store(data, PASSPHRASE, fail_keystore(), client, reg(org, "boss"), backoff=FAST)
        assert app.status().mode == "local" and siblings(data) == []
