"""Attaching photos to records, captions, removal and export (docs/photos.md "On the laptop")."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import photokit
import pytest
from corekit import TODAY
from photocorekit import GPS_LAT, GPS_LON, write_jpeg, write_not_an_image, write_png
from PIL import Image

from fieldapp.core.errors import StoreError, UnknownRecordError, ValidationFailedError
from fieldapp.core.eventlog import iter_events
from fieldapp.core.maintenance import MaintenanceEntry, log_maintenance
from fieldapp.core.photo_store import get_photo, list_photos, photo_bytes
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photos import attach, export_photo, remove_photo, set_caption
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from fieldapp.core.wells import Well
from shared.contracts import MaintenanceLogged, PhotoAttached
from shared.images import MAX_INPUT_BYTES

TAKEN = datetime(2026, 11, 19, 8, 30)


@pytest.fixture
def entry(store: Store, well: Well) -> MaintenanceEntry:
    details = MaintenanceLogged(well_id=well.well_id, performed_on=TODAY, maintenance_type="Pump")
    return log_maintenance(store, details, today=TODAY)


def _target(entry: MaintenanceEntry) -> PhotoTarget:
    return PhotoTarget("maintenance", entry.maintenance_id)


def _payloads(store: Store, event_type: str) -> list[dict[str, object]]:
    with store.read() as conn:
        return [
            json.loads(ev.body)["payload"]
            for ev in iter_events(conn)
            if ev.event_type == event_type
        ]


def test_attach_keeps_the_processed_photo_and_writes_its_event_with_the_metadata(
    store: Store, entry: MaintenanceEntry, tmp_path: Path
) -> None:
    picked = write_jpeg(tmp_path / "stuffing box.jpg", taken=TAKEN, gps=(GPS_LAT, GPS_LON))
    (result,) = attach(store, _target(entry), [picked], caption="leaking stuffing box")
    assert result.ok and not result.duplicate and result.refusal is None and result.reason is None
    photo = result.photo
    assert photo is not None
    assert (photo.target_type, photo.target_id) == ("maintenance", entry.maintenance_id)
    assert (photo.width, photo.height, photo.caption) == (800, 600, "leaking stuffing box")
    assert photo.taken_at == TAKEN
    assert photo.latitude == pytest.approx(GPS_LAT, abs=1e-4)
    assert photo.longitude == pytest.approx(GPS_LON, abs=1e-4)
    assert photo.location_source == "photo"
    assert "FieldCam 9" in photo.camera
    assert (photo.original_name, photo.original_size) == ("stuffing box.jpg", picked.stat().st_size)
    assert (photo.upload_state, photo.cached, photo.thumbnail_cached) == ("pending", True, True)

    data = photo_bytes(store, photo.photo_id)
    thumb = photo_bytes(store, photo.photo_id, thumbnail=True)
    assert data is not None and thumb is not None and len(thumb) < len(data) == photo.size
    with Image.open(picked) as original, Image.open(__import__("io").BytesIO(data)) as kept:
        assert kept.format == "JPEG" and original.getexif() and not kept.getexif()

    (payload,) = _payloads(store, "photo.attached")
    sent = PhotoAttached.model_validate(payload)  # what the server will be sent, validated
    assert (str(sent.target_id), sent.sha256, sent.size) == (
        entry.maintenance_id,
        photo.sha256,
        photo.size,
    )
    assert sent.location is not None and sent.location.source == "photo"
    assert (sent.width, sent.height, sent.camera) == (800, 600, photo.camera)
    assert result.line().startswith(f"attached {photo.photo_id} sha256 {photo.sha256[:12]}")
    assert verify_store(store).ok  # the events replay to the same rows


def test_a_batch_with_bad_files_attaches_the_good_ones_and_names_each_refusal(
    store: Store, well: Well, tmp_path: Path
) -> None:
    good = write_jpeg(tmp_path / "a.jpg", seed=1)
    svg = write_not_an_image(tmp_path / "drawing.jpg")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.jpg"
    png = write_png(tmp_path / "b.png")
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as handle:  # sparse: over the limit without writing 25 MiB
        handle.truncate(MAX_INPUT_BYTES + 1)

    results = attach(
        store, PhotoTarget("well", well.api_number), [good, svg, empty, missing, png, huge]
    )
    assert [r.file for r in results] == [good, svg, empty, missing, png, huge]
    assert [r.ok for r in results] == [True, False, False, False, True, False]
    refused = {r.file.name: r for r in results if not r.ok}
    assert {name: r.code for name, r in refused.items()} == {
        "drawing.jpg": "not_an_image",
        "empty.png": "empty",
        "missing.jpg": "unreadable",
        "huge.jpg": "too_large",
    }
    assert str(refused["huge.jpg"].refusal).startswith("huge.jpg is 25.0 MiB, over the limit")
    assert str(refused["missing.jpg"].refusal).startswith("missing.jpg cannot be read (")
    assert all(r.refusal and "\n" not in r.refusal for r in refused.values())
    assert refused["empty.png"].line() == f"refused: {empty} is empty (0 bytes)"
    assert {p.original_name for p in list_photos(store)} == {"a.jpg", "b.png"}
    assert len(_payloads(store, "photo.attached")) == 2


def test_an_unknown_target_or_a_long_caption_is_refused_before_any_file_is_read(
    store: Store, well: Well, tmp_path: Path
) -> None:
    never_read = tmp_path / "does-not-exist.jpg"
    with pytest.raises(UnknownRecordError, match="unknown maintenance"):
        attach(store, PhotoTarget("maintenance", "nope"), [never_read])
    with pytest.raises(ValidationFailedError, match="caption"):
        attach(store, PhotoTarget("well", well.well_id), [never_read], caption="x" * 401)
    assert _payloads(store, "photo.attached") == []


def test_the_same_photo_twice_is_stored_once(
    store: Store, well: Well, entry: MaintenanceEntry, tmp_path: Path
) -> None:
    first = write_jpeg(tmp_path / "one.jpg", seed=7)
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(first.read_bytes())
    on_entry = attach(store, _target(entry), [first, copy])
    on_well = attach(store, PhotoTarget("well", well.well_id), [copy])
    assert [r.duplicate for r in on_entry] == [False, True]
    assert on_entry[0].photo == on_entry[1].photo  # the same record, no second event
    assert on_well[0].photo is not None and on_entry[0].photo is not None
    assert on_well[0].photo.sha256 == on_entry[0].photo.sha256
    assert on_well[0].photo.photo_id != on_entry[0].photo.photo_id
    with store.read() as conn:
        blobs = conn.exec_driver_sql("SELECT kind FROM photo_blobs ORDER BY kind").all()
        queued = conn.exec_driver_sql("SELECT count(*) FROM photo_uploads").scalar_one()
    assert [b[0] for b in blobs] == ["photo", "thumbnail"] and queued == 1
    assert len(_payloads(store, "photo.attached")) == 2


def test_caption_and_removal_are_events_and_removal_keeps_the_history(
    store: Store, entry: MaintenanceEntry, tmp_path: Path
) -> None:
    (result,) = attach(store, _target(entry), [write_jpeg(tmp_path / "g.jpg")])
    assert result.photo is not None
    photo_id = result.photo.photo_id
    assert set_caption(store, photo_id, "broken gauge").caption == "broken gauge"
    assert set_caption(store, photo_id, "broken gauge").caption == "broken gauge"  # no event
    assert _payloads(store, "photo.updated") == [{"changes": {"caption": "broken gauge"}}]

    removed = remove_photo(store, photo_id, "wrong well")
    assert (removed.removed, removed.removed_reason) == (True, "wrong well")
    assert list_photos(store) == [] and list_photos(store, _target(entry)) == []
    assert _payloads(store, "photo.removed") == [{"reason": "wrong well"}]
    with store.read() as conn:
        assert get_photo(conn, photo_id).caption == "broken gauge"  # the row stays
    assert photo_bytes(store, photo_id) is not None  # and so do its bytes
    with pytest.raises(StoreError, match="was removed"):
        set_caption(store, photo_id, "again")
    with pytest.raises(StoreError, match="was removed"):
        remove_photo(store, photo_id)
    with pytest.raises(UnknownRecordError):
        remove_photo(store, "no-such-photo")
    assert verify_store(store).ok


def test_list_is_newest_first_and_filters_by_record(
    store: Store, well: Well, entry: MaintenanceEntry, tmp_path: Path
) -> None:
    older = write_jpeg(tmp_path / "older.jpg", seed=1, taken=datetime(2026, 11, 1, 9, 0))
    newer = write_jpeg(tmp_path / "newer.jpg", seed=2, taken=datetime(2026, 11, 18, 9, 0))
    untimed = write_png(tmp_path / "screen.png", seed=3)
    attach(store, _target(entry), [older, untimed])
    attach(store, PhotoTarget("well", well.well_id), [newer])
    assert [p.original_name for p in list_photos(store)] == ["newer.jpg", "older.jpg", "screen.png"]
    assert [p.original_name for p in list_photos(store, _target(entry))] == [
        "older.jpg",
        "screen.png",
    ]


def test_export_writes_the_processed_jpeg(
    store: Store, entry: MaintenanceEntry, tmp_path: Path
) -> None:
    (result,) = attach(store, _target(entry), [write_jpeg(tmp_path / "e.jpg")])
    assert result.photo is not None
    out = tmp_path / "out.jpg"
    out.write_bytes(b"old")
    assert export_photo(store, result.photo.photo_id, out) == result.photo.size
    assert out.read_bytes() == photo_bytes(store, result.photo.photo_id)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    with pytest.raises(StoreError, match="cannot write"):
        export_photo(store, result.photo.photo_id, tmp_path / "no-dir" / "x.jpg")
    with pytest.raises(UnknownRecordError):
        export_photo(store, "no-such-photo", out)


def test_the_hostile_corpus_is_refused_file_by_file_and_the_real_photos_go_in(
    store: Store, well: Well, tmp_path: Path
) -> None:
    """Issue 17 §5's files (tests/support/photokit.py) in one batch with a HEIC and a WebP:
    each hostile one is refused with its code, the real ones are attached (absurd EXIF fields
    are dropped, never a refusal)."""
    corpus = {
        "bomb.png": photokit.pixel_bomb(),
        "cut.jpg": photokit.truncated_jpeg(),
        "zip.jpg": photokit.jpeg_with_zip(),
        "html.jpg": photokit.jpeg_with_html(),
        "svg.jpg": photokit.svg_renamed(),
        "frames.gif": photokit.animated_gif(),
        "exif.jpg": photokit.oversized_exif_jpeg(),
        "exif.png": photokit.huge_exif_png(),
        "phone.heic": photokit.heic(),
        "web.webp": photokit.webp(),
    }
    files = []
    for name, data in corpus.items():
        (tmp_path / name).write_bytes(data)
        files.append(tmp_path / name)
    files.append(photokit.big_file(tmp_path / "huge.jpg"))
    results = attach(store, PhotoTarget("well", well.well_id), files)
    codes = {r.file.name: r.code for r in results}
    assert codes == {
        "bomb.png": "too_many_pixels",
        "cut.jpg": "truncated",
        "zip.jpg": "trailing_data",
        "html.jpg": "trailing_data",
        "svg.jpg": "not_an_image",
        "frames.gif": "animated",
        "exif.jpg": None,
        "exif.png": "bad_metadata",
        "phone.heic": None,
        "web.webp": None,
        "huge.jpg": "too_large",
    }
    kept = {p.original_name: p for p in list_photos(store)}
    assert sorted(kept) == ["exif.jpg", "phone.heic", "web.webp"]
    garbage = kept["exif.jpg"]
    assert (garbage.camera, garbage.taken_at, garbage.latitude) == ("", None, None)
    assert verify_store(store).ok
