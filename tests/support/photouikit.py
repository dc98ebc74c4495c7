"""Photos for the desktop tests: real JPEGs attached to a record, and a photo of another device
whose metadata arrived (as after a pull) but whose bytes did not."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from photocorekit import GPS_LAT, GPS_LON, write_jpeg

from fieldapp.core.photo_store import PhotoInfo
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photos import attach
from fieldapp.core.store import Store
from shared.contracts import EventType
from shared.events import new_id

THEIR_SHA = "ab" * 32


def attach_jpegs(
    store: Store, target: PhotoTarget, folder: Path, *seeds: int, caption: str = ""
) -> list[PhotoInfo]:
    """Attach one real camera JPEG per seed (taken a day apart, with GPS); the photos."""
    files = [
        write_jpeg(
            folder / f"IMG_{seed:04d}.jpg",
            seed=seed,
            taken=datetime(2026, 11, seed % 28 + 1, 9, 30),
            gps=(GPS_LAT, GPS_LON),
        )
        for seed in seeds
    ]
    results = attach(store, target, files, caption)
    assert all(r.photo is not None for r in results), [r.refusal for r in results]
    return [r.photo for r in results if r.photo is not None]


def their_photo(store: Store, target_type: str, target_id: str, caption: str = "spill") -> str:
    """A photo another device attached: its metadata only; the photo id."""
    photo_id = str(new_id())
    payload = {
        "target_type": target_type,
        "target_id": target_id,
        "sha256": THEIR_SHA,
        "content_type": "image/jpeg",
        "size": 1234,
        "caption": caption,
        "width": 640,
        "height": 480,
        "location": {"lat": 31.9, "lon": -102.1, "source": "photo"},
        "taken_at": "2026-11-19T08:30:00",
    }
    with store.write() as txn:
        txn.append(EventType.PHOTO_ATTACHED, photo_id, payload)
    return photo_id
