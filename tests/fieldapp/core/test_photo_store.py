"""Photo bytes in the encrypted store, and photos another device attached (metadata first)."""

from __future__ import annotations

import hashlib

import pytest

from fieldapp.core.errors import IntegrityError, UnknownRecordError
from fieldapp.core.photo_store import cache_photo_bytes, get_photo, list_photos, photo_bytes
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import EventType
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
