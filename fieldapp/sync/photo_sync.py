"""Sending the queued photo bytes after the push, and fetching other devices' photos when
someone opens them (docs/photos.md "Sync").

Events go first: the engine calls `PhotoSync.send_queued` once its push rounds are done, so
the server knows every photo record before its bytes arrive. Two photos are in flight at a
time (the server decodes one while the next arrives). Each queued photo is sent by the
upload protocol (`photo_upload.PhotoUploader`); after every chunk the store records how much
the server holds and the upload id (`fieldapp.core.photo_uploads.mark_upload`), so a sync
killed halfway resumes at the server's offset, never from zero. A photo the server refuses
(too large, quota full, not a photo) is marked refused with the server's words and the rest
go on. Progress goes to the listeners as `sync.photo` events (bytes and photos), which the
Sync screen and `fieldapp sync` show.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import partial

from fieldapp.core.photo_store import PHOTO, THUMBNAIL, cache_photo_bytes, get_photo, read_blob
from fieldapp.core.photo_uploads import (
    PendingUpload,
    mark_upload,
    pending_uploads,
    upload_data,
)
from fieldapp.core.store import Store
from fieldapp.sync.client import SyncClient
from fieldapp.sync.photo_upload import CHUNK_MAX, PhotoBytes, PhotoUploader, UploadOutcome

WORKERS = 2  # photos in flight at once: the server checks one while the next arrives
Emit = Callable[..., None]
Retrying = Callable[[Callable[[], UploadOutcome]], UploadOutcome]


@dataclass(slots=True)
class PhotoReport:
    """What one sync did with the queued photos."""

    sent: int = 0  # photos the server now holds that it did not before
    sent_bytes: int = 0  # bytes this sync sent
    known: int = 0  # photos the server held already (nothing sent)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (sha256, the server's words)
    waiting: int = 0  # still queued when the sync ended (stopped, or the network went)

    def line(self) -> str:
        if not (self.sent or self.known or self.refused or self.waiting):
            return ""
        text = f"photos: {self.sent} uploaded ({self.sent_bytes:,} bytes)"
        if self.known:
            text += f", {self.known} already on the server"
        if self.refused:
            text += f", {len(self.refused)} refused"
        return text + (f", {self.waiting} waiting" if self.waiting else "")


def _once(op: Callable[[], UploadOutcome]) -> UploadOutcome:
    return op()


class PhotoSync:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        emit: Emit | None = None,
        stop: threading.Event | None = None,
        chunk_size: int = CHUNK_MAX,
        workers: int = WORKERS,
    ) -> None:
        self.store = store
        self.workers = max(1, workers)
        self.client = client
        self.emit: Emit = emit or (lambda _name, **_details: None)
        self.stop = stop or threading.Event()
        self.uploader = PhotoUploader(client, chunk_size)

    def send_queued(self, retrying: Retrying | None = None) -> PhotoReport:
        """Send every queued photo's bytes, oldest first, `workers` at a time (each retried by
        `retrying`); the first error that is not a refusal stops the rest and is raised."""
        report = PhotoReport()
        queue = pending_uploads(self.store)
        total, done = sum(item.size for item in queue), 0
        attempt = retrying or _once

        def send(item: PendingUpload) -> UploadOutcome | None:
            if self.stop.is_set():
                return None  # the sync is stopping: this one waits for the next
            return attempt(partial(self._send, item))

        with ThreadPoolExecutor(self.workers, thread_name_prefix="sync-photo") as pool:
            running = {pool.submit(send, item): item for item in queue}
            try:
                for number, future in enumerate(as_completed(running), 1):
                    item, outcome = running[future], future.result()
                    if outcome is None:
                        report.waiting += 1
                        continue
                    done += item.size
                    self._count(report, item, outcome)
                    self.emit(
                        "sync.photo",
                        sha256=item.sha256,
                        state=outcome.state,
                        refusal=outcome.refusal,
                        photos_done=number,
                        photos=len(queue),
                        bytes_done=done,
                        bytes=total,
                    )
            except BaseException:
                for future in running:
                    future.cancel()  # those not started wait for the next sync
                raise
        return report

    @staticmethod
    def _count(report: PhotoReport, item: PendingUpload, outcome: UploadOutcome) -> None:
        if outcome.state == "refused":
            report.refused.append((item.sha256, outcome.refusal or "refused"))
        elif outcome.sent_bytes or item.held_bytes:
            report.sent += 1
        else:
            report.known += 1
        report.sent_bytes += outcome.sent_bytes

    def _send(self, item: PendingUpload) -> UploadOutcome:
        """One photo: resumed from what the store last heard (re-read: a retry after a
        dropped connection starts where the previous attempt got to)."""
        current = next((p for p in pending_uploads(self.store) if p.sha256 == item.sha256), item)
        data = upload_data(self.store, item.sha256)
        photo = PhotoBytes(item.sha256, data, item.content_type)

        def progress(upload_id: str, held: int) -> None:
            if 0 < held < item.size:  # the start and the end are recorded below: a photo
                # of one chunk costs the laptop one write (a POST finds an open upload again)
                mark_upload(self.store, item.sha256, "uploading", held, upload_id)
            self.emit("sync.photo_progress", sha256=item.sha256, held_bytes=held, size=item.size)

        outcome = self.uploader.upload(photo, current.upload_id, progress)
        if outcome.state == "refused":
            mark_upload(
                self.store,
                item.sha256,
                "refused",
                0,
                outcome.upload_id,
                refusal=outcome.refusal or "refused by the server",
            )
        else:
            mark_upload(self.store, item.sha256, "on_server", item.size, outcome.upload_id)
        return outcome


def fetch_photo(
    store: Store, client: SyncClient, photo_id: str, *, thumbnail: bool
) -> bytes | None:
    """A photo's bytes (or thumbnail) from the store, else from the server, then cached in the
    encrypted store; None when neither has them (not uploaded yet, or removed)."""
    kind = THUMBNAIL if thumbnail else PHOTO
    with store.read() as conn:
        info = get_photo(conn, photo_id)
        cached = read_blob(conn, info.sha256, kind)
    if cached is not None:
        return cached
    data = client.photo(photo_id, thumbnail=thumbnail)
    if data is not None:
        cache_photo_bytes(store, info.sha256, data, thumbnail)
    return data
