"""The Sync screen's progress line and bar, driven by the sync's events."""

from __future__ import annotations

from fieldapp.sync.engine import SyncReport
from fieldapp.ui.sync_progress import SyncProgress


def test_progress_follows_a_sync_from_start_to_finish() -> None:
    progress = SyncProgress()
    progress.pending = 5
    assert progress.on_event("sync.started", {})
    assert progress.text == "Syncing: sending 5 change(s)…" and progress.bar() == (0, 5)
    progress.on_event("sync.pushed", {"sent": 3, "counts": {"accepted": 2, "conflict": 1}})
    assert progress.text == "Syncing: sent 3 of 5 (2 accepted, 1 conflict)"
    assert progress.bar() == (3, 5)
    progress.on_event("sync.pulled", {"applied": 4, "cursor": 10})
    assert progress.text.endswith("received 4 change(s)")
    report = SyncReport(pulled=4, pending=0, conflicts=1)
    progress.on_event("sync.finished", {"report": report})
    assert progress.state == "done" and progress.bar() == (1, 1)
    assert progress.text == (
        "Sync finished: sent 3 (2 accepted, 1 conflict), received 4 change(s);"
        " nothing left to send; 1 conflict(s) to resolve."
    )
    assert not progress.on_event("connectivity.online", {})


def test_progress_says_why_a_sync_failed_and_when_the_server_is_gone() -> None:
    progress = SyncProgress()
    progress.on_event("sync.started", {})
    assert progress.bar() == (0, 0)  # nothing known to send: a busy bar
    progress.on_event("sync.retrying", {"error": "connection refused", "pause": 2.4})
    assert progress.text == "Connection problem (connection refused); trying again in 2 s…"
    progress.on_event("sync.failed", {"error": "server unreachable", "report": SyncReport()})
    assert (progress.state, progress.text) == ("failed", "Sync failed: server unreachable")
    progress.on_event("connectivity.offline", {})
    assert progress.state == "offline"
    assert progress.text == (
        "Offline: the server cannot be reached (server unreachable). Sync resumes when it answers."
    )
    assert progress.request() and progress.text.startswith("The server could not be reached")
    progress.on_event("sync.started", {})
    assert not progress.request()  # already syncing: nothing to say


def test_photo_uploads_after_the_push_show_photos_and_bytes() -> None:
    progress = SyncProgress()
    progress.pending = 1
    progress.on_event("sync.started", {})
    progress.on_event("sync.pushed", {"sent": 1, "counts": {"accepted": 1}})
    mib = 1024 * 1024
    chunk = {"sha256": "c" * 64, "held_bytes": mib, "size": 4 * mib}
    assert progress.on_event("sync.photo_progress", chunk)
    assert progress.text == "Sending a photo: 1.0 MB of 4.0 MB"
    assert progress.bar() == (1024, 4096)  # the bar follows the photo bytes (KiB)
    done = {"state": "on_server", "photos_done": 1, "photos": 1, "bytes_done": 4 * mib}
    assert progress.on_event("sync.photo", {**done, "sha256": "c" * 64, "bytes": 4 * mib})
    assert progress.text == "Sending photos: 1 of 1, 4.0 MB of 4.0 MB"
    progress.on_event("sync.finished", {"report": SyncReport(pending=0)})
    assert progress.text == (
        "Sync finished: sent 1 (1 accepted), received 0 change(s); nothing left to send;"
        " photos: 1 of 1 sent (4.0 MB)."
    )
    progress.on_event("sync.started", {})  # the next sync starts from nothing
    assert not progress.photos.active and progress.bar() == (0, 1)  # the events again
