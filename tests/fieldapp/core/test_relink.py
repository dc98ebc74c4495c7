"""`core.relink`: a local store's log copied into another real SQLCipher store under a new
identity, with every record's values kept, and the check that notices when they are not."""

from __future__ import annotations

import json
from pathlib import Path

from fieldkit import create_store
from linkkit import OFFICE_API, OWN_API, fill_local_store
from photocorekit import write_jpeg

from fieldapp.core.eventlog import iter_events
from fieldapp.core.photo_store import list_photos, photo_bytes
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import pending_uploads
from fieldapp.core.photos import attach
from fieldapp.core.relink import WellMap, copy_log, differences, well_map
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import register_well
from shared.contracts import WellRegistered


def bodies(store: Store) -> list[dict[str, object]]:
    with store.read() as conn:
        return [json.loads(e.body) for e in iter_events(conn)]


def test_every_event_is_copied_in_order_under_the_new_identity(tmp_path: Path) -> None:
    with create_store(tmp_path / "old") as old, create_store(tmp_path / "new") as new:
        fill_local_store(old)
        wells = well_map(old, new)
        assert wells == WellMap({}, sorted([OFFICE_API, OWN_API]))
        report = copy_log(old, new, wells)
        before, after = bodies(old), bodies(new)
        assert report.copied == len(before) == len(after) and not report.problems
        kept = ("event_type", "aggregate_id", "payload", "base_version", "recorded_at")
        assert [{k: b[k] for k in kept} for b in after] == [{k: b[k] for k in kept} for b in before]
        assert {b["device_id"] for b in after} == {str(new.identity.device_id)}
        assert not {b["event_id"] for b in after} & {b["event_id"] for b in before}
        with old.read() as a, new.read() as b:
            flags = "SELECT issues FROM event_log ORDER BY device_seq"
            assert a.exec_driver_sql(flags).all() == b.exec_driver_sql(flags).all()
        assert new.status().pending == report.copied
        assert verify_store(new).ok
        assert differences(old, new, wells) == []


def test_a_well_the_target_has_becomes_that_well(tmp_path: Path) -> None:
    with create_store(tmp_path / "old") as old, create_store(tmp_path / "new") as new:
        work = fill_local_store(old)
        theirs, _ = register_well(new, WellRegistered(api_number=OFFICE_API, name="Office 1"))
        wells = well_map(old, new)
        assert wells.ids == {work.office_well: theirs.well_id} and wells.missing == [OWN_API]
        report = copy_log(old, new, wells)
        assert report.left_out == 1 and not report.problems
        assert differences(old, new, wells) == []
        with new.read() as conn:
            on_office = conn.exec_driver_sql(
                "SELECT count(*) FROM production WHERE well_id = ?", (theirs.well_id,)
            ).scalar_one()
            names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM wells ORDER BY name")]
        assert on_office == 3 and names == ["Back forty", "Office 1"]  # the office's name stands
        moved = [b for b in bodies(new) if b["event_type"] == "production.recorded"]
        assert {b["payload"]["well_id"] for b in moved} == {theirs.well_id, work.own_well}  # type: ignore[index]


def test_a_copy_that_lost_a_value_is_told_apart(tmp_path: Path) -> None:
    with create_store(tmp_path / "old") as old, create_store(tmp_path / "new") as new:
        work = fill_local_store(old)
        wells = well_map(old, new)
        copy_log(old, new, wells)
        with new.write() as txn:
            txn.db.execute(
                "UPDATE production SET oil_bbl = oil_bbl + 1 WHERE well_id = ?", (work.own_well,)
            )
            txn.db.execute("DELETE FROM incidents")
        found = differences(old, new, wells)
        assert len(found) == 3
        assert sum("production" in p and "differs in oil_bbl" in p for p in found) == 2
        assert any(p.startswith("incidents ") and "missing" in p for p in found)


def test_photos_keep_their_bytes_and_upload_queue_in_the_copy(tmp_path: Path) -> None:
    """A photo attached offline to the office's well: the copy shows it on the server's well,
    with its bytes, its thumbnail and its queued upload pointing at the copied event."""
    picked = [write_jpeg(tmp_path / f"p{n}.jpg", seed=n) for n in range(3)]
    with create_store(tmp_path / "old") as old, create_store(tmp_path / "new") as new:
        fill_local_store(old)
        attach(old, PhotoTarget.parse(f"well:{OFFICE_API}"), picked, caption="tank")
        theirs, _ = register_well(new, WellRegistered(api_number=OFFICE_API, name="Office"))
        wells = well_map(old, new)
        copy_log(old, new, wells)
        assert differences(old, new, wells) == []
        assert verify_store(new).ok
        copied = list_photos(new)
        assert len(copied) == 3 and {p.target_id for p in copied} == {theirs.well_id}
        originals = {p.photo_id: p for p in list_photos(old)}
        for photo in copied:
            assert photo_bytes(new, photo.photo_id) == photo_bytes(old, photo.photo_id)
            assert photo_bytes(new, photo.photo_id, thumbnail=True) is not None
            assert photo.sha256 == originals[photo.photo_id].sha256
        queued = pending_uploads(new)
        assert len(queued) == 3
        with new.read() as conn:
            attached = {e.device_seq for e in iter_events(conn) if e.event_type == "photo.attached"}
        assert {u.queued_seq for u in queued} == attached
        with new.write() as txn:  # a lost blob is told apart
            txn.db.execute("DELETE FROM photo_blobs WHERE kind = 'thumbnail'")
        assert len(differences(old, new, wells)) == 3
