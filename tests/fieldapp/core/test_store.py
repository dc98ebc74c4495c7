from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from corekit import PASSPHRASE, snapshot_files

from fieldapp.core import database
from fieldapp.core.errors import (
    LockedError,
    StoreError,
    StoreExistsError,
    StoreNotFoundError,
    WrongKeyError,
)
from fieldapp.core.keys import KEY_FILE_NAME
from fieldapp.core.keystore import Keystore
from fieldapp.core.schema import CURRENT_VERSION
from fieldapp.core.store import NEXT_KEY_FILE, Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import Well


def test_a_new_store_is_empty_encrypted_and_in_wal_mode(store: Store) -> None:
    status = store.status()
    assert (status.events, status.pending, status.wells, status.mode) == (0, 0, 0, "local")
    assert status.schema_version == CURRENT_VERSION == 7
    header = store.db_path.read_bytes()[:16]
    assert header != b"SQLite format 3\x00"
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"


def test_creating_twice_in_one_folder_is_refused(store: Store, no_keystore: Keystore) -> None:
    with pytest.raises(StoreExistsError):
        Store.create(store.data_dir, PASSPHRASE, no_keystore)


def test_opening_a_folder_without_store_says_how_to_create_one(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    with pytest.raises(StoreNotFoundError, match="fieldapp init"):
        Store.open(tmp_path, no_keystore, lambda: PASSPHRASE)


def test_passphrase_mode_needs_the_passphrase(store: Store, no_keystore: Keystore) -> None:
    store.close()
    with pytest.raises(LockedError):
        Store.open(store.data_dir, no_keystore, lambda: None)
    with Store.open(store.data_dir, no_keystore, lambda: PASSPHRASE) as reopened:
        assert reopened.identity == store.identity


def test_a_wrong_passphrase_changes_no_byte(
    store: Store, well: Well, no_keystore: Keystore
) -> None:
    store.close()
    before = snapshot_files(store.data_dir)
    with pytest.raises(WrongKeyError):
        Store.open(store.data_dir, no_keystore, lambda: "not the passphrase")
    assert snapshot_files(store.data_dir) == before


def test_a_wrong_raw_key_changes_no_byte(store: Store, well: Well) -> None:
    store.close()
    before = snapshot_files(store.data_dir)
    with pytest.raises(WrongKeyError):
        Store.open_with_key(store.data_dir, b"\x01" * 32)
    with pytest.raises(WrongKeyError):
        database.connect(store.db_path, b"\x01" * 32)
    assert snapshot_files(store.data_dir) == before


def test_keystore_mode_opens_without_a_passphrase(
    tmp_path: Path, memory_keystore: Keystore
) -> None:
    with Store.create(tmp_path / "d", PASSPHRASE, memory_keystore) as created:
        assert created.keyfile.use_keystore
    with Store.open(tmp_path / "d", memory_keystore, None) as reopened:
        assert reopened.status().events == 0


def test_recovery_passphrase_unlocks_after_a_keystore_reset_and_heals_it(
    tmp_path: Path, memory_keystore: Keystore
) -> None:
    Store.create(tmp_path / "d", PASSPHRASE, memory_keystore).close()
    backend = memory_keystore.backend
    backend.entries.clear()  # type: ignore[attr-defined]
    with pytest.raises(LockedError):
        Store.open(tmp_path / "d", memory_keystore, lambda: None)
    Store.open(tmp_path / "d", memory_keystore, lambda: PASSPHRASE).close()
    Store.open(tmp_path / "d", memory_keystore, None).close()  # the keystore has it again


def test_a_stale_keystore_key_falls_back_to_the_passphrase(
    tmp_path: Path, memory_keystore: Keystore
) -> None:
    created = Store.create(tmp_path / "d", PASSPHRASE, memory_keystore)
    store_id = created.keyfile.store_id
    created.close()
    memory_keystore.save(store_id, b"\x02" * 32)
    with pytest.raises(LockedError):
        Store.open(tmp_path / "d", memory_keystore, lambda: None)
    Store.open(tmp_path / "d", memory_keystore, lambda: PASSPHRASE).close()


def test_key_file_holds_no_key_and_is_private(store: Store) -> None:
    path = store.data_dir / KEY_FILE_NAME
    assert path.stat().st_mode & 0o777 == 0o600
    text = path.read_text()
    assert store._key.hex() not in text
    assert json.loads(text)["kdf"]["name"] == "argon2id"


def test_rekey_locks_out_the_old_key_and_keeps_the_data(
    store: Store, well: Well, no_keystore: Keystore
) -> None:
    old_key = store._key
    store.rekey(PASSPHRASE, no_keystore)
    assert store.status().wells == 1
    store.close()
    with pytest.raises(WrongKeyError):
        database.connect(store.db_path, old_key)
    with Store.open(store.data_dir, no_keystore, lambda: PASSPHRASE) as reopened:
        assert reopened.status().wells == 1
        assert verify_store(reopened).ok


def test_rekey_refuses_a_wrong_passphrase_and_changes_nothing(
    store: Store, no_keystore: Keystore
) -> None:
    key = store._key
    with pytest.raises(WrongKeyError):
        store.rekey("wrong passphrase", no_keystore)
    store.close()
    Store.open_with_key(store.data_dir, key).close()


def test_a_rekey_interrupted_after_reencryption_is_finished_on_open(
    store: Store, well: Well, no_keystore: Keystore
) -> None:
    """Simulate a crash between `PRAGMA rekey` and replacing keys.json."""
    new_key = b"\x07" * 32
    pending = store.keyfile.rewrapped(new_key, PASSPHRASE)
    store.close()
    (store.data_dir / NEXT_KEY_FILE).write_text(json.dumps(pending.to_json()))
    raw = database.connect(store.db_path, store._key or _reopen_key(store))
    raw.execute("PRAGMA journal_mode = DELETE")
    raw.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    raw.close()
    with Store.open(store.data_dir, no_keystore, lambda: PASSPHRASE) as reopened:
        assert reopened.status().wells == 1
    assert not (store.data_dir / NEXT_KEY_FILE).exists()
    Store.open_with_key(store.data_dir, new_key).close()


def _reopen_key(store: Store) -> bytes:
    return store.keyfile.unwrap(PASSPHRASE)


def test_a_closed_store_cannot_be_read_or_written(store: Store, well: Well) -> None:
    store.close()
    assert store.closed
    with pytest.raises(LockedError), store.read():
        pass
    with pytest.raises(LockedError), store.write():
        pass


def test_init_refusals_write_nothing_anywhere(tmp_path: Path, memory_keystore: Keystore) -> None:
    with pytest.raises(StoreError, match="at least"):
        Store.create(tmp_path / "short", "short", memory_keystore)
    with pytest.raises(StoreError, match="time zone"):
        Store.create(tmp_path / "tz", PASSPHRASE, memory_keystore, timezone="Mars/Olympus")
    assert not (tmp_path / "short").exists()
    assert not (tmp_path / "tz").exists()
    assert memory_keystore.backend.entries == {}  # type: ignore[attr-defined]


def test_an_init_interrupted_before_the_database_is_reported_not_crashed(
    store: Store, no_keystore: Keystore
) -> None:
    store.close()
    for leftover in store.data_dir.glob("store.db*"):
        leftover.unlink()
    with pytest.raises(StoreError, match="never finished"):
        Store.open(store.data_dir, no_keystore, lambda: PASSPHRASE)


def test_an_init_interrupted_before_its_schema_committed_is_reported(
    store: Store, no_keystore: Keystore
) -> None:
    key = store.keyfile.unwrap(PASSPHRASE)
    store.close()
    for leftover in store.data_dir.glob("store.db*"):
        leftover.unlink()
    database.create_database(store.db_path, key)  # the file exists, the schema never committed
    with pytest.raises(StoreError, match="never finished"):
        Store.open(store.data_dir, no_keystore, lambda: PASSPHRASE)


def test_two_openers_of_one_store_append_in_turn_without_breaking_the_chain(
    store: Store, well: Well
) -> None:
    """The desktop app and the command line on one store: each write starts from the chain head
    the database holds, not from the one its opener saw last."""
    from fieldapp.core.production import save_production
    from shared.contracts import ProductionRecorded

    def record(on: Store, days_back: int) -> None:
        day = date(2026, 11, 1) + timedelta(days=days_back)
        details = ProductionRecorded(
            well_id=well.well_id, production_date=day, oil_bbl=50.0, gas_mcf=60.0, water_bbl=5.0
        )
        save_production(on, details, today=None)

    other = Store.open_with_key(store.data_dir, _reopen_key(store))
    try:
        record(store, 1)
        record(other, 2)  # the second opener appends after the first's event
        record(store, 3)  # and the first after the second's, though it never saw it
        record(other, 4)
        assert store.head.last_seq == other.head.last_seq - 1
        assert verify_store(store).problems == []
        assert store.status().production_records == 4
    finally:
        other.close()
