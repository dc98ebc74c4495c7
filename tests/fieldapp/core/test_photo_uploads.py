"""The upload queue of the photos attached on this laptop (docs/photos.md "Upload queue")."""

from __future__ import annotations

from pathlib import Path

import pytest
from photocorekit import write_jpeg

from fieldapp.core.errors import StoreError, UnknownRecordError
from fieldapp.core.photo_store import list_photos
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import (
    mark_upload,
    pending_uploads,
    retry_upload,
    upload_data,
    upload_summary,
)
from fieldapp.core.photos import attach
from fieldapp.core.store import Store
from fieldapp.core.wells import Well


def _attach(store: Store, well: Well, tmp_path: Path, *seeds: int) -> list[str]:
    files = [write_jpeg(tmp_path / f"p{seed}.jpg", seed=seed) for seed in seeds]
    results = attach(store, PhotoTarget("well", well.well_id), files)
    return [r.photo.sha256 for r in results if r.photo is not None]


def test_attached_photos_wait_in_order_with_their_bytes(
    store: Store, well: Well, tmp_path: Path
) -> None:
    first, second = _attach(store, well, tmp_path, 1, 2)
    queue = pending_uploads(store)
    assert [(u.sha256, u.state, u.upload_id, u.held_bytes) for u in queue] == [
        (first, "pending", None, 0),
        (second, "pending", None, 0),
    ]
    assert queue[0].queued_seq < queue[1].queued_seq
    assert queue[0].content_type == "image/jpeg"
    assert len(upload_data(store, first)) == queue[0].size
    with pytest.raises(UnknownRecordError):
        upload_data(store, "0" * 64)


def test_progress_then_the_server_holding_it_leaves_the_queue(
    store: Store, well: Well, tmp_path: Path
) -> None:
    (sha,) = _attach(store, well, tmp_path, 3)
    size = pending_uploads(store)[0].size
    mark_upload(store, sha, "uploading", size // 2, "up-1")
    (half,) = pending_uploads(store)
    assert (half.state, half.held_bytes, half.upload_id) == ("uploading", size // 2, "up-1")
    (photo,) = list_photos(store)
    assert (photo.upload_state, photo.upload_percent) == ("uploading", (size // 2) * 100 // size)
    mark_upload(store, sha, "on_server", 0, "up-1")  # on the server: it holds every byte
    assert pending_uploads(store) == []
    assert list_photos(store)[0].held_bytes == size
    assert upload_summary(store).of("on_server").photos == 1


def test_a_refused_photo_keeps_the_reason_until_retried(
    store: Store, well: Well, tmp_path: Path
) -> None:
    sha, other = _attach(store, well, tmp_path, 4, 5)
    with pytest.raises(StoreError, match="reason"):
        mark_upload(store, sha, "refused", 0, "up-2")
    mark_upload(store, sha, "refused", 0, "up-2", refusal="the organization's quota is full")
    assert [u.sha256 for u in pending_uploads(store)] == [other]
    refused = next(p for p in list_photos(store) if p.sha256 == sha)
    assert (refused.upload_state, refused.refusal) == (
        "refused",
        "the organization's quota is full",
    )

    summary = upload_summary(store)
    assert (summary.of("refused").photos, summary.waiting.photos) == (1, 1)
    assert "1 refused" in summary.line() and "1 to upload" in summary.line()
    assert summary.as_dict()["refused"]["bytes"] == refused.size

    retry_upload(store, sha)
    again = next(u for u in pending_uploads(store) if u.sha256 == sha)
    assert (again.state, again.upload_id) == ("pending", "up-2")  # resumed by asking the server
    assert next(p for p in list_photos(store) if p.sha256 == sha).refusal is None
    with pytest.raises(StoreError, match="not refused"):
        retry_upload(store, sha)


def test_unknown_photos_and_states_are_refused(store: Store, well: Well, tmp_path: Path) -> None:
    (sha,) = _attach(store, well, tmp_path, 6)
    with pytest.raises(StoreError, match="unknown upload state"):
        mark_upload(store, sha, "lost", 0, None)
    for call in (
        lambda: mark_upload(store, "f" * 64, "uploading", 1, "x"),
        lambda: retry_upload(store, "f" * 64),
    ):
        with pytest.raises(UnknownRecordError, match="no upload queued"):
            call()
    mark_upload(store, sha, "uploading", 10**12, "x")  # never more than the photo's size
    assert pending_uploads(store)[0].held_bytes == pending_uploads(store)[0].size
