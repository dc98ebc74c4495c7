"""Photo bytes in the encrypted store, and photos another device attached (metadata first)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from corekit import TODAY, record

from fieldapp.core.errors import IntegrityError, UnknownRecordError
from fieldapp.core.incidents import report_incident
from fieldapp.core.maintenance import log_maintenance
from fieldapp.core.photo_store import cache_photo_bytes, get_photo, list_photos, photo_bytes
from fieldapp.core.photo_uploads import queue_upload
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import Well, register_well
from shared.contracts import EventType, IncidentReported, MaintenanceLogged, WellRegistered
from shared.events import new_id

THEIR_BYTES = b"\xff\xd8 another device's processed photo \xff\xd9"
THEIR_SHA = hashlib.sha256(THEIR_BYTES).hexdigest()


def _their_photo(store: Store, well: Well) -> str:
    """A photo whose metadata arrived but whose bytes did not (as after a pull)."""
    photo_id = str(new_id())
    payload = {
        "target_type": "well",
        "target_id": well.well_id,
        "sha256": THEIR_SHA,
        "content_type": "image/jpeg",
        "size": len(THEIR_BYTES),
        "caption": "spill",
        "location": {"lat": 31.9, "lon": -102.1, "source": "photo"},
        "taken_at": "2026-11-19T08:30:00",
    }
    with store.write() as txn:
        txn.append(EventType.PHOTO_ATTACHED, photo_id, payload)
    return photo_id


def test_a_photo_without_its_bytes_lists_and_answers_none_until_cached(
    store: Store, well: Well
) -> None:
    photo_id = _their_photo(store, well)
    (listed,) = list_photos(store)
    assert (listed.cached, listed.thumbnail_cached, listed.upload_state) == (
        False,
        False,
        "on_server",
    )
    assert (listed.latitude, listed.location_source) == (31.9, "photo")
    assert photo_bytes(store, photo_id) is None
    assert photo_bytes(store, photo_id, thumbnail=True) is None

    cache_photo_bytes(store, THEIR_SHA, b"thumb v1", thumbnail=True)
    cache_photo_bytes(store, THEIR_SHA, b"thumb v2", thumbnail=True)  # a newer rendering
    assert photo_bytes(store, photo_id, thumbnail=True) == b"thumb v2"
    assert photo_bytes(store, photo_id) is None  # thumbnails first; the photo on demand
    cache_photo_bytes(store, THEIR_SHA, THEIR_BYTES, thumbnail=False)
    assert photo_bytes(store, photo_id) == THEIR_BYTES
    with store.read() as conn:
        assert get_photo(conn, photo_id).cached


def test_fetched_bytes_that_do_not_match_the_hash_are_not_kept(store: Store, well: Well) -> None:
    photo_id = _their_photo(store, well)
    with pytest.raises(IntegrityError, match="do not match"):
        cache_photo_bytes(store, THEIR_SHA, THEIR_BYTES + b"tampered", thumbnail=False)
    with pytest.raises(IntegrityError, match="empty"):
        cache_photo_bytes(store, THEIR_SHA, b"", thumbnail=True)
    assert photo_bytes(store, photo_id) is None


def test_an_unknown_photo_is_an_error(store: Store) -> None:
    with pytest.raises(UnknownRecordError, match="unknown photo"):
        photo_bytes(store, "nope")


def test_photos_of_a_well_include_those_of_its_records(store: Store, well: Well) -> None:
    """The Photos page lists a well's photos: its own and those of its maintenance, equipment,
    incidents and production days; an incident away from any well has none."""
    other = register_well(store, WellRegistered(api_number="42-501-20131", name="Jones 2"))[0]
    entry = log_maintenance(
        store,
        MaintenanceLogged(well_id=well.well_id, performed_on=TODAY, maintenance_type="Pump"),
        today=TODAY,
    )
    day = record(store, well, 1, 10.0)
    loose = report_incident(
        store,
        IncidentReported(
            incident_type="spill",
            severity="low",
            occurred_at=datetime(2026, 11, 19, 9, 0, tzinfo=UTC),
            description="on the lease road",
        ),
    )
    ids = {
        name: _metadata_only(store, kind, target, n)
        for n, (name, kind, target) in enumerate(
            [
                ("well", "well", well.well_id),
                ("maintenance", "maintenance", entry.maintenance_id),
                ("production", "production", day),
                ("other well", "well", other.well_id),
                ("road", "incident", loose.incident_id),
            ]
        )
    }
    mine = {p.photo_id for p in list_photos(store, well_id=well.well_id)}
    assert mine == {ids["well"], ids["maintenance"], ids["production"]}
    assert [p.photo_id for p in list_photos(store, well_id=other.well_id)] == [ids["other well"]]
    by_id = {p.photo_id: p for p in list_photos(store)}
    assert by_id[ids["maintenance"]].well_id == well.well_id
    assert by_id[ids["road"]].well_id is None


def _metadata_only(store: Store, kind: str, target: str, n: int) -> str:
    photo_id = str(new_id())
    payload = {
        "target_type": kind,
        "target_id": target,
        "sha256": f"{n:064x}",
        "content_type": "image/jpeg",
        "size": 10,
    }
    with store.write() as txn:
        txn.append(EventType.PHOTO_ATTACHED, photo_id, payload)
    return photo_id


def test_verify_names_photo_bytes_that_changed_or_went_missing(store: Store, well: Well) -> None:
    _their_photo(store, well)
    cache_photo_bytes(store, THEIR_SHA, THEIR_BYTES, thumbnail=False)
    assert verify_store(store).ok
    with store.write() as txn:  # bytes changed under their hash, and an upload without bytes
        txn.db.execute("UPDATE photo_blobs SET data = ? WHERE sha256 = ?", (b"x", THEIR_SHA))
        queue_upload(txn.db, "c" * 64, 5, "image/jpeg", 1)
    assert verify_store(store).problems == [
        f"photo bytes {THEIR_SHA[:12]}: do not match their sha256",
        f"photo bytes {'c' * 12}: queued for upload but missing",
    ]
