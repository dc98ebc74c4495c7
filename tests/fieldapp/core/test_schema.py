"""Every released schema opens with today's code: a store made by any older schema is upgraded."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from corekit import PASSPHRASE, TODAY
from sqlalchemy import Connection

from fieldapp.core import database
from fieldapp.core.analytics_source import TOTALS, group_series
from fieldapp.core.conflicts import list_conflicts
from fieldapp.core.errors import StoreError
from fieldapp.core.incidents import get_incident, list_incidents, report_incident
from fieldapp.core.keystore import Keystore
from fieldapp.core.outbox import next_batch, record_results
from fieldapp.core.photo_store import get_photo, list_photos, photo_bytes
from fieldapp.core.production import save_production
from fieldapp.core.rejections import list_rejections
from fieldapp.core.schema import CURRENT_VERSION, migrate, schema_version
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import register_well
from shared.contracts import (
    BatchResponse,
    EventResult,
    EventType,
    IncidentReported,
    ProductionRecorded,
    WellRegistered,
)
from shared.events import new_id


def test_schema_1_store_is_upgraded_with_its_data_intact(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    folder = tmp_path / "v1"
    store = Store.create(folder, PASSPHRASE, no_keystore)
    well = register_well(store, WellRegistered(api_number="4250120130", name="Old 1"))[0]
    rec = save_production(
        store,
        ProductionRecorded(
            well_id=well.well_id,
            production_date=TODAY,
            oil_bbl=10,
            gas_mcf=20,
            water_bbl=5,
            hours_on=24,
        ),
        today=TODAY,
    )
    key = store.keyfile.unwrap(PASSPHRASE)
    store.close()
    downgrade_to_v1(folder, key)

    with Store.open(folder, no_keystore, lambda: PASSPHRASE) as upgraded:
        assert upgraded.migrations_applied == [2, 3, 4, 5, 6, 7]
        status = upgraded.status()
        assert (status.schema_version, status.wells, status.production_records) == (7, 1, 1)
        assert verify_store(upgraded).ok
        with upgraded.read() as conn:
            assert paging_indexes(conn) == PAGING_INDEXES
            assert conn.exec_driver_sql(
                "SELECT oil_bbl FROM production WHERE record_id = ?", (rec.record_id,)
            ).scalar_one() == pytest.approx(10.0)
            assert conn.exec_driver_sql("SELECT count(*) FROM receipts").scalar_one() == 0


def downgrade_to_v1(folder: Path, key: bytes) -> None:
    """Drop everything schemas 2 to 5 added, leaving exactly the released schema-1 layout."""
    raw = database.connect(folder / database.DB_FILE_NAME, key)
    raw.execute("BEGIN IMMEDIATE")
    for table in (
        "equipment",
        "maintenance",
        "photos",
        "photo_blobs",
        "photo_uploads",
        "incidents",
        "sync_state",
        "receipts",
        "rejections",
        "conflicts",
        "server_changes",
        "aliases",
    ):
        raw.execute(f"DROP TABLE {table}")
    raw.execute("DROP INDEX production_by_day")
    raw.execute("PRAGMA user_version = 1")
    raw.execute("COMMIT")
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()
    assert tables == {"store_meta", "event_log", "outbox", "wells", "production"}


def test_schema_1_created_fresh_matches_a_downgraded_store(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    """`schema_target=1` writes the released v1 layout, then opening upgrades it."""
    store = Store.create(tmp_path / "fresh", PASSPHRASE, no_keystore, schema_target=1)
    assert store.migrations_applied == [2, 3, 4, 5, 6, 7]
    store.close()


def test_schema_2_store_gains_the_sync_tables_with_its_answers_intact(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    store = Store.create(tmp_path / "v2", PASSPHRASE, no_keystore, schema_target=2)
    assert store.migrations_applied == [3, 4, 5, 6, 7]
    well = register_well(store, WellRegistered(api_number="4250120130", name="Old 2"))[0]
    with store.write() as txn:
        txn.db.execute(
            "INSERT INTO conflicts (conflict_id, aggregate_id, mine, theirs, fields, status,"
            " opened_at) VALUES ('c1', ?, '{}', '{}', '[]', 'open', 'now')",
            (well.well_id,),
        )
    store.close()
    with Store.open(tmp_path / "v2", no_keystore, lambda: PASSPHRASE) as reopened:
        assert reopened.migrations_applied == []
        assert reopened.status().conflicts == 1
        with reopened.read() as conn:
            kind = conn.exec_driver_sql("SELECT aggregate_type FROM conflicts").scalar_one()
            assert kind == "production"  # the column schema 3 added, with its default
            assert conn.exec_driver_sql("SELECT count(*) FROM server_changes").scalar_one() == 0
            assert paging_indexes(conn) == PAGING_INDEXES
        assert verify_store(reopened).ok


def test_schema_3_store_gains_location_description_with_its_incidents_intact(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    """A schema-3 store holds an incident written by the app of that time (no words for where);
    upgraded, the incident reads as before with a blank location description, and new reports
    keep one."""
    folder = tmp_path / "v3"
    store = Store.create(folder, PASSPHRASE, no_keystore)
    well = register_well(store, WellRegistered(api_number="4250120130", name="Old 3"))[0]
    old_id = new_id()
    with store.write() as txn:  # the payload exactly as a schema-3 app dumped it
        txn.append(EventType.INCIDENT_REPORTED, old_id, dict(V3_INCIDENT, well_id=well.well_id))
    key = store.keyfile.unwrap(PASSPHRASE)
    store.close()
    downgrade_to_v3(folder, key)

    with Store.open(folder, no_keystore, lambda: PASSPHRASE) as upgraded:
        assert upgraded.migrations_applied == [4, 5, 6, 7]
        assert upgraded.status().schema_version == 7
        assert verify_store(upgraded).ok
        with upgraded.read() as conn:
            old = get_incident(conn, old_id)
        assert (old.well_id, old.description) == (well.well_id, "flange weeping")
        assert old.severity == "high"
        assert old.location_description == "" and old.injuries
        new = report_incident(
            upgraded,
            IncidentReported(
                incident_type="leak",
                severity="low",
                occurred_at=datetime(2026, 11, 19, 9, 0, tzinfo=UTC),
                description="drip at the separator",
                location_description="separator, east end",
            ),
        )
        with upgraded.read() as conn:
            assert [i.location_description for i in list_incidents(conn)] == [
                "separator, east end",
                "",
            ]
        assert new.location_description == "separator, east end"
        assert verify_store(upgraded).ok


V3_INCIDENT = {
    "incident_type": "spill",
    "severity": "high",
    "occurred_at": "2026-11-18T13:00:00Z",
    "location": None,
    "description": "flange weeping",
    "injuries": True,
    "environmental_impact": "",
    "regulatory_notification_required": True,
}


def downgrade_to_v3(folder: Path, key: bytes) -> None:
    """Take away what schemas 4 and 5 added, leaving the released schema-3 layout."""
    raw = database.connect(folder / database.DB_FILE_NAME, key)
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("ALTER TABLE incidents DROP COLUMN location_description")
    for index in PAGING_INDEXES:
        raw.execute(f"DROP INDEX {index}")
    undo_v7(raw)
    raw.execute("DROP INDEX production_by_day")
    raw.execute("PRAGMA user_version = 3")
    raw.execute("COMMIT")
    columns = {r[1] for r in raw.execute("PRAGMA table_info(incidents)")}
    raw.close()
    assert "location_description" not in columns and "description" in columns


def test_schema_4_store_gains_the_paging_indexes_with_its_problems_intact(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    """A schema-4 store holding an open and a resolved conflict and an open and a resolved
    rejection: upgraded, the lists page through the new partial indexes and count the same."""
    folder = tmp_path / "v4"
    store = Store.create(folder, PASSPHRASE, no_keystore)
    well = register_well(store, WellRegistered(api_number="4250120130", name="Old 4"))[0]
    with store.write() as txn:
        for n in range(2):
            txn.append(EventType.WELL_UPDATED, well.well_id, {"changes": {"lease": f"L{n}"}})
        txn.db.executemany(
            "INSERT INTO conflicts (conflict_id, aggregate_id, mine, theirs, fields, status,"
            " opened_at) VALUES (?, ?, '{}', '{}', '[]', ?, 'now')",
            [("c1", well.well_id, "open"), ("c2", well.well_id, "resolved")],
        )
    sent = next_batch(store, limit=3, max_bytes=1_000_000)
    refused = {"status": "rejected", "reasons": [{"rule": "r", "field": "", "message": "no"}]}
    answers = [{"status": "accepted", "server_seq": 1, "version": 1}, refused, refused]
    results = [EventResult(event_id=i.event_id, **a) for i, a in zip(sent, answers, strict=True)]
    record_results(store, sent, BatchResponse(results=results))
    with store.write() as txn:  # the second refusal was resolved (sent again) before the upgrade
        txn.db.execute("UPDATE rejections SET resolved_by_seq = 9 WHERE device_seq = 3")
    key = store.keyfile.unwrap(PASSPHRASE)
    store.close()
    downgrade_to_v4(folder, key)

    with Store.open(folder, no_keystore, lambda: PASSPHRASE) as upgraded:
        assert upgraded.migrations_applied == [5, 6, 7]
        status = upgraded.status()
        assert (status.schema_version, status.conflicts, status.rejected) == (7, 1, 1)
        with upgraded.read() as conn:
            assert paging_indexes(conn) == PAGING_INDEXES
            assert [c.conflict_id for c in list_conflicts(conn, "d", after=("", ""))] == ["c1"]
            assert [r.device_seq for r in list_rejections(conn, after=1, limit=5)] == [2]
            plans = [
                str(conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all())
                for sql, params in PAGE_QUERIES
            ]
        assert "conflicts_open" in plans[0] and "rejections_open" in plans[1], plans
        assert verify_store(upgraded).ok


PAGING_INDEXES = {"conflicts_open", "rejections_open"}
PAGE_QUERIES = (
    (
        "SELECT conflict_id FROM conflicts WHERE status = 'open'"
        " AND (opened_at, conflict_id) > (?, ?) ORDER BY opened_at, conflict_id LIMIT 200",
        ("", ""),
    ),
    (
        "SELECT device_seq FROM rejections WHERE device_seq > ? AND resolved_by_seq IS NULL"
        " ORDER BY device_seq LIMIT 200",
        (0,),
    ),
)


def paging_indexes(conn: Connection) -> set[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN (?, ?)",
        tuple(PAGING_INDEXES),
    )
    return {str(r[0]) for r in rows}


def downgrade_to_v4(folder: Path, key: bytes) -> None:
    """Take away what schema 5 added (two indexes), leaving the released schema-4 layout."""
    raw = database.connect(folder / database.DB_FILE_NAME, key)
    raw.execute("BEGIN IMMEDIATE")
    for index in PAGING_INDEXES:
        raw.execute(f"DROP INDEX {index}")
    undo_v7(raw)
    raw.execute("DROP INDEX production_by_day")
    raw.execute("PRAGMA user_version = 4")
    raw.execute("COMMIT")
    indexes = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    raw.close()
    assert not indexes & PAGING_INDEXES and "receipts_server_seq" in indexes


def test_a_store_from_a_newer_app_is_refused(store: Store) -> None:
    with store.write() as txn:
        txn.conn.exec_driver_sql(f"PRAGMA user_version = {CURRENT_VERSION + 1}")
    with store.write() as txn, pytest.raises(StoreError, match="newer"):
        migrate(txn.conn)
    with store.read() as conn:
        assert schema_version(conn) == CURRENT_VERSION + 1


def test_schema_5_store_gains_the_day_totals_index_and_sums_through_it(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    """A schema-5 store with two wells' records: upgraded, the Charts screen's day totals
    read the new covering index and add up what was recorded."""
    folder = tmp_path / "v5"
    store = Store.create(folder, PASSPHRASE, no_keystore)
    for n, api in enumerate(("4250120130", "4250120131")):
        well = register_well(store, WellRegistered(api_number=api, name=f"Old {n}"))[0]
        save_production(
            store,
            ProductionRecorded(
                well_id=well.well_id,
                production_date=TODAY,
                oil_bbl=10.0 + n,
                gas_mcf=5.0,
                water_bbl=1.0,
                hours_on=24.0,
            ),
            today=TODAY,
        )
    key = store.keyfile.unwrap(PASSPHRASE)
    store.close()
    raw = database.connect(folder / database.DB_FILE_NAME, key)
    undo_v7(raw)
    raw.execute("DROP INDEX production_by_day")
    raw.execute("PRAGMA user_version = 5")
    raw.close()

    with Store.open(folder, no_keystore, lambda: PASSPHRASE) as upgraded:
        assert upgraded.migrations_applied == [6, 7]
        with upgraded.read() as conn:
            series, version = group_series(conn, None, "UTC", 2)
            plan = str(conn.exec_driver_sql("EXPLAIN QUERY PLAN " + TOTALS.format(where="")).all())
        assert "production_by_day" in plan and "TEMP B-TREE" not in plan
        assert series is not None and series.first == TODAY
        assert (list(series.oil), list(series.gas)) == ([21.0], [10.0])
        assert version[0] == 2 and verify_store(upgraded).ok


V7_PHOTO_COLUMNS = (
    "width",
    "height",
    "taken_at",
    "latitude",
    "longitude",
    "location_source",
    "camera",
    "original_name",
    "original_size",
    "removed",
    "removed_reason",
)


def undo_v7(raw: Any) -> None:
    """Take away what schema 7 added (inside the caller's transaction): the photo columns, the
    upload queue, and `photo_blobs` back to its schema-2 form (one blob per sha256)."""
    raw.execute("DROP TABLE photo_uploads")
    raw.execute("DROP INDEX photos_target")
    raw.execute("DROP INDEX photos_sha256")
    for column in V7_PHOTO_COLUMNS:
        raw.execute(f"ALTER TABLE photos DROP COLUMN {column}")
    raw.execute("DROP TABLE photo_blobs")
    raw.execute("CREATE TABLE photo_blobs (sha256 TEXT PRIMARY KEY, data BLOB NOT NULL)")


V6_PHOTO_BYTES = b"\xff\xd8\xff\xe0 a schema-6 blob \xff\xd9"
V6_SHA = hashlib.sha256(V6_PHOTO_BYTES).hexdigest()


def test_schema_6_store_gains_the_photo_columns_blob_kinds_and_upload_queue(
    tmp_path: Path, no_keystore: Keystore
) -> None:
    """A schema-6 store holding a `photo.attached` as the app of that time wrote it (no
    dimensions, no location) and its blob: upgraded, the photo lists with blank metadata, its
    bytes are the 'photo' kind, and a caption and a removal project onto it."""
    folder = tmp_path / "v6"
    store = Store.create(folder, PASSPHRASE, no_keystore)
    well = register_well(store, WellRegistered(api_number="4250120130", name="Old 6"))[0]
    photo_id = new_id()
    payload = dict(V6_PHOTO, target_id=well.well_id, sha256=V6_SHA, size=len(V6_PHOTO_BYTES))
    with store.write() as txn:
        txn.append(EventType.PHOTO_ATTACHED, photo_id, payload)
    key = store.keyfile.unwrap(PASSPHRASE)
    store.close()
    raw = database.connect(folder / database.DB_FILE_NAME, key)
    raw.execute("BEGIN IMMEDIATE")
    undo_v7(raw)
    raw.execute("INSERT INTO photo_blobs (sha256, data) VALUES (?, ?)", (V6_SHA, V6_PHOTO_BYTES))
    raw.execute("PRAGMA user_version = 6")
    raw.execute("COMMIT")
    raw.close()

    with Store.open(folder, no_keystore, lambda: PASSPHRASE) as upgraded:
        assert upgraded.migrations_applied == [7]
        assert verify_store(upgraded).ok
        (old,) = list_photos(upgraded)
        assert (old.photo_id, old.target, old.caption) == (
            str(photo_id),
            f"well:{well.well_id}",
            "old caption",
        )
        assert (old.width, old.taken_at, old.latitude, old.camera, old.removed) == (
            None,
            None,
            None,
            "",
            False,
        )
        assert old.upload_state == "on_server"  # nothing queued it: schema 6 never uploaded
        assert photo_bytes(upgraded, str(photo_id)) == V6_PHOTO_BYTES
        assert photo_bytes(upgraded, str(photo_id), thumbnail=True) is None
        with upgraded.write() as txn:  # a caption and a removal, as today's app writes them
            changes = {"changes": {"caption": "new caption"}}
            txn.append(EventType.PHOTO_UPDATED, photo_id, changes, base_version=0)
            txn.append(EventType.PHOTO_REMOVED, photo_id, {"reason": "blurry"}, base_version=0)
        assert list_photos(upgraded) == []
        with upgraded.read() as conn:
            gone = get_photo(conn, str(photo_id))
        assert (gone.caption, gone.removed, gone.removed_reason) == ("new caption", True, "blurry")
        assert verify_store(upgraded).ok


V6_PHOTO = {
    "target_type": "well",
    "content_type": "image/jpeg",
    "caption": "old caption",
}
