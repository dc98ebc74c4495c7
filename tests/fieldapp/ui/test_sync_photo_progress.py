"""The photo part of the Sync screen's progress: photos n of m, bytes, refusals, the bar."""

from __future__ import annotations

from fieldapp.ui.sync_photo_progress import PhotoProgress, mb

MIB = 1024 * 1024


def test_chunks_then_photos_move_the_line_and_the_bar() -> None:
    photos = PhotoProgress()
    assert photos.line() == "" and photos.bar() == (0, 0) and photos.summary() == ""
    assert not photos.on_event("sync.pushed", {"sent": 2})
    assert photos.on_event(
        "sync.photo_progress", {"sha256": "a" * 64, "held_bytes": MIB // 2, "size": 2 * MIB}
    )
    assert photos.line() == "Sending a photo: 0.5 MB of 2.0 MB"
    assert photos.bar() == (512, 2048)
    photos.on_event(
        "sync.photo",
        {
            "sha256": "a" * 64,
            "state": "on_server",
            "photos_done": 1,
            "photos": 3,
            "bytes_done": 2 * MIB,
            "bytes": 5 * MIB,
        },
    )
    assert photos.line() == "Sending photos: 1 of 3, 2.0 MB of 5.0 MB"
    photos.on_event("sync.photo_progress", {"sha256": "b" * 64, "held_bytes": MIB, "size": 2 * MIB})
    assert photos.line() == "Sending photos: 2 of 3, 3.0 MB of 5.0 MB"
    assert photos.bar() == (3072, 5120)
    photos.on_event(
        "sync.photo",
        {
            "sha256": "b" * 64,
            "state": "refused",
            "refusal": "the organization's photo quota is full",
            "photos_done": 2,
            "photos": 3,
            "bytes_done": 4 * MIB,
            "bytes": 5 * MIB,
        },
    )
    assert photos.line().endswith(", 1 refused (the organization's photo quota is full)")
    assert photos.summary() == (
        "photos: 2 of 3 sent (4.0 MB), 1 refused (the organization's photo quota is full)"
    )
    photos.reset()
    assert not photos.active and photos.line() == ""


def test_sizes_read_in_megabytes() -> None:
    assert mb(0) == "0.0 MB" and mb(MIB * 12 + MIB // 3) == "12.3 MB"


def test_two_photos_in_flight_count_side_by_side() -> None:
    photos = PhotoProgress()
    photos.on_event("sync.photo_progress", {"sha256": "a", "held_bytes": MIB, "size": 2 * MIB})
    photos.on_event("sync.photo_progress", {"sha256": "b", "held_bytes": MIB, "size": 4 * MIB})
    assert photos.line() == "Sending 2 photos: 2.0 MB of 6.0 MB"
    assert photos.bar() == (2048, 6144)
    photos.on_event("sync.photo_progress", {"sha256": "b", "held_bytes": 3 * MIB, "size": 4 * MIB})
    done = {"state": "on_server", "photos_done": 1, "photos": 2, "bytes_done": 2 * MIB}
    photos.on_event("sync.photo", {**done, "sha256": "a", "bytes": 6 * MIB})
    assert photos.line() == "Sending photos: 2 of 2, 5.0 MB of 6.0 MB"  # b: 3 MB held
