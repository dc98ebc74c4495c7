"""`fieldapp init --local`, `status`, `verify` and `rekey` (docs/design.md §7)."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import pytest
from clikit import API_A, RoundTrip, ok, open_store
from fieldkit import PASSPHRASE, assert_user_error, create_store, fail_keystore, run_cli

from fieldapp.core import database
from fieldapp.core.errors import WrongKeyError
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store

STATUS_KEYS = {
    "mode",
    "device_id",
    "schema_version",
    "events",
    "pending",
    "acknowledged",
    "conflicts",
    "rejected",
    "wells",
    "production_records",
    "last_sync",
    "cursor",
    "thresholds",
}


def test_init_local_creates_the_store_that_status_and_verify_read(round_trip: RoundTrip) -> None:
    data = round_trip.data
    assert "passphrase only" in round_trip.created.stdout
    assert (data / "keys.json").is_file()
    assert (data / "store.db").is_file()

    st = json.loads(ok(round_trip.status).stdout)
    assert set(st) == STATUS_KEYS
    UUID(st["device_id"])
    assert st["mode"] == "local"
    assert isinstance(st["schema_version"], int)
    assert st["schema_version"] >= 1
    assert (st["events"], st["pending"], st["wells"], st["production_records"]) == (4, 4, 2, 2)
    assert (st["acknowledged"], st["conflicts"], st["rejected"]) == (0, 0, 0)
    assert (st["last_sync"], st["cursor"]) == (None, None)
    rules = st["thresholds"]
    assert (rules["source"], rules["etag"]) == ("device", None)
    assert rules["values"]["max_oil_bbl"] == 10_000.0 and rules["values"]["timezone"]

    assert ok(round_trip.verified).stdout.startswith("ok: 4 events")


def test_init_refusing_a_short_passphrase_leaves_no_key_behind(tmp_path: Path) -> None:
    data, keyring_file = tmp_path / "store", tmp_path / "keyring.json"
    result = run_cli(data, "init", "--local", passphrase="short", keyring_file=keyring_file)
    assert "at least 8 characters" in assert_user_error(result)
    assert not data.exists() or not any(data.iterdir())
    assert not keyring_file.exists() or json.loads(keyring_file.read_text()) == {}


def test_init_refuses_an_unknown_time_zone(tmp_path: Path) -> None:
    data = tmp_path / "store"
    result = run_cli(data, "init", "--local", "--timezone", "Mars/Olympus")
    assert "Mars/Olympus" in assert_user_error(result)
    assert not (data / "keys.json").exists()
    assert not (data / "store.db").exists()


def test_rekey_reads_a_single_passphrase_line_from_stdin_once(tmp_path: Path) -> None:
    data = tmp_path / "store"
    create_store(data, [(API_A, "Alpha 1")]).close()  # its key is not in any keystore
    result = run_cli(data, "--passphrase-stdin", "rekey", passphrase=None, stdin=f"{PASSPHRASE}\n")
    assert "re-encrypted" in ok(result).stdout
    status = json.loads(ok(run_cli(data, "status", "--json")).stdout)
    assert status["events"] == 1


def test_rekey_retires_the_old_key_and_keeps_the_passphrase(tmp_path: Path) -> None:
    data = tmp_path / "store"
    with create_store(data, [(API_A, "Alpha 1")]) as store:
        old_key = store._key
        old_keyfile = (data / "keys.json").read_bytes()
    database.connect(data / "store.db", old_key).close()  # the old key works before the rekey

    result = ok(run_cli(data, "rekey"))
    assert "re-encrypted" in result.stdout
    assert not (data / "keys.next.json").exists()
    assert (data / "keys.json").read_bytes() != old_keyfile
    with pytest.raises(WrongKeyError):
        database.connect(data / "store.db", old_key)
    with pytest.raises(WrongKeyError):
        Store.open_with_key(data, old_key)

    status = json.loads(ok(run_cli(data, "status", "--json")).stdout)
    assert (status["events"], status["wells"]) == (1, 1)
    with open_store(data) as store:
        assert store._key != old_key
        assert verify_store(store).ok
        database.connect(data / "store.db", store._key).close()


def test_status_shows_the_thresholds_in_force_and_where_they_came_from(tmp_path: Path) -> None:
    from fieldapp.core import org_thresholds

    data = tmp_path / "store"
    create_store(data).close()
    text = ok(run_cli(data, "status")).stdout
    assert "thresholds: from this device (defaults)" in text
    assert "max_oil_bbl: 10000.0 (default)" in text
    with Store.open(data, fail_keystore(), lambda: PASSPHRASE) as store:
        org_thresholds.adopt(store, {"max_oil_bbl": 40000}, '"v2"')
    text = ok(run_cli(data, "status")).stdout
    assert "thresholds: from the organization, checked 20" in text
    assert "max_oil_bbl: 40000.0\n" in text and "history_days: 30 (default)" in text
