"""The photo strip's state over a real store: loading, sync words, fetch list, sync events."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from photocorekit import write_jpeg, write_not_an_image
from photouikit import attach_jpegs, their_photo

from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import mark_upload
from fieldapp.core.photos import attach
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from fieldapp.ui.photo_strip_state import (
    NOT_HERE,
    PhotoStripState,
    image_paths,
    load_strip,
    looks_like_image,
    refusal_message,
    short,
    state_words,
    tooltip,
)


def test_load_reads_the_records_photos_with_their_cached_thumbnails(
    store: Store, wells: list[Well], tmp_path: Path
) -> None:
    target = PhotoTarget("well", wells[0].well_id)
    mine = attach_jpegs(store, target, tmp_path, 1, 2)
    theirs = their_photo(store, "well", wells[0].well_id)
    attach_jpegs(store, PhotoTarget("well", wells[1].well_id), tmp_path, 3)  # another record
    load = load_strip(store, target, can_fetch=True)
    assert {p.photo_id for p in load.photos} == {mine[0].photo_id, mine[1].photo_id, theirs}
    assert set(load.thumbnails) == {mine[0].photo_id, mine[1].photo_id}
    assert all(data.startswith(b"\xff\xd8") for data in load.thumbnails.values())

    state = PhotoStripState()
    assert state.set_target(target)
    assert state.apply(load)
    words = {p.photo_id: state.words(p) for p in state.photos}
    assert words == {mine[0].photo_id: "pending", mine[1].photo_id: "pending", theirs: NOT_HERE}
    assert state.to_fetch() == [theirs]
    assert state.to_fetch() == []  # asked once
    assert not state.fetched(theirs, None)
    assert state.fetched(theirs, b"\xff\xd8thumb")
    assert state.words(next(p for p in state.photos if p.photo_id == theirs)) == "on server"


def test_a_load_for_another_record_is_dropped(store: Store, wells: list[Well]) -> None:
    state = PhotoStripState()
    state.set_target(PhotoTarget("well", wells[0].well_id))
    old = load_strip(store, PhotoTarget("well", wells[1].well_id))
    assert not state.apply(old)
    assert not state.set_target(PhotoTarget("well", wells[0].well_id))  # the same record


def test_without_a_server_nothing_is_fetched(store: Store, wells: list[Well]) -> None:
    their_photo(store, "well", wells[0].well_id)
    state = PhotoStripState()
    target = PhotoTarget("well", wells[0].well_id)
    state.set_target(target)
    state.apply(load_strip(store, target, can_fetch=False))
    assert state.to_fetch() == []


def test_sync_words_follow_the_upload_queue(
    store: Store, wells: list[Well], tmp_path: Path
) -> None:
    target = PhotoTarget("well", wells[0].well_id)
    (photo,) = attach_jpegs(store, target, tmp_path, 4)
    assert state_words(photo) == "pending"
    mark_upload(store, photo.sha256, "uploading", photo.size // 4, "up-1")
    (uploading,) = load_strip(store, target).photos
    assert state_words(uploading) == f"uploading {photo.size // 4 * 100 // photo.size} %"
    assert state_words(uploading, held=photo.size) == "uploading 100 %"
    mark_upload(store, photo.sha256, "refused", 0, "up-1", "the organization's quota is full")
    (refused,) = load_strip(store, target).photos
    assert state_words(refused) == "refused: the organization's quota is full"
    assert tooltip(refused, state_words(refused)).endswith("Sync: " + state_words(refused))
    mark_upload(store, photo.sha256, "on_server", photo.size, "up-1")
    (done,) = load_strip(store, target).photos
    assert state_words(done) == "on server"
    assert state_words(replace(done, cached=False), has_thumbnail=False) == NOT_HERE


def test_sync_events_change_only_the_photos_shown(
    store: Store, wells: list[Well], tmp_path: Path
) -> None:
    target = PhotoTarget("well", wells[0].well_id)
    (photo,) = attach_jpegs(store, target, tmp_path, 5)
    state = PhotoStripState()
    state.set_target(target)
    state.apply(load_strip(store, target))
    progress = {"sha256": photo.sha256, "held_bytes": photo.size // 2, "size": photo.size}
    assert state.on_sync_event("sync.photo_progress", progress)
    assert state.words(state.photos[0]) == f"uploading {photo.size // 2 * 100 // photo.size} %"
    assert state.on_sync_event("sync.photo", {"sha256": photo.sha256, "state": "on_server"})
    assert not state.on_sync_event("sync.photo_progress", {"sha256": "ff" * 32})
    assert not state.on_sync_event("sync.pushed", {"sent": 3})


def test_a_batch_message_names_each_refused_file(
    store: Store, wells: list[Well], tmp_path: Path
) -> None:
    target = PhotoTarget("well", wells[0].well_id)
    good = write_jpeg(tmp_path / "good.jpg", seed=7)
    bad = write_not_an_image(tmp_path / "drawing.jpg")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    results = attach(store, target, [good, bad, empty])
    text, tone = refusal_message(results)
    assert tone == "error"
    assert text.startswith("Attached 1 photo. Not attached: drawing.jpg ")
    assert "empty.jpg is empty" in text
    again, tone = refusal_message(attach(store, target, [good]))
    assert (again, tone) == ("1 already attached here.", "ok")


def test_dropped_paths_keep_the_files_that_exist(tmp_path: Path) -> None:
    photo = write_jpeg(tmp_path / "a.JPG")
    assert image_paths([str(photo), str(tmp_path / "gone.jpg"), str(tmp_path), ""]) == [photo]
    assert looks_like_image("x.HEIC") and looks_like_image("y.webp")
    assert not looks_like_image("notes.txt")


def test_long_words_are_cut_under_a_thumbnail() -> None:
    assert short("on server") == "on server"
    assert short("refused: the organization's quota is full") == "refused: the organization…"
    assert len(short("x" * 100)) == 26 and short("x" * 100, 5) == "xxxx…"
