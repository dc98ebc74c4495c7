"""Sending one photo's bytes by the resumable, content-addressed upload protocol
(docs/photos.md "Upload"; the server's side: docs/photos-server.md).

    POST  /api/v1/uploads        {sha256, size, content_type} -> {upload_id, offset, chunk_max}
    HEAD  /api/v1/uploads/{id}   -> Upload-Offset
    PATCH /api/v1/uploads/{id}   Upload-Offset: N, a chunk of at most 1 MiB -> Upload-Offset

The server answers `offset = size` when the organization already has those bytes: nothing is
sent. An upload that was begun (its id kept by the caller through `on_progress`) goes on at the
offset the server reports (HEAD), never from zero; a 409 (another sender moved the offset, or
ours was stale) carries the current offset, and sending continues from there. Every chunk the
server took is reported to `on_progress(upload_id, offset)` so a sync killed halfway resumes
with at most the chunk in flight sent twice.

What the server refuses for good (the photo over the per-photo limit, the organization's quota
full, bytes that are not an image) ends this photo's upload as `refused` with the server's own
words; the rest of the sync goes on. Network trouble and 5xx propagate as `SyncError`s: the
sync retries later, from the offset already reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from fieldapp.sync.client import SyncClient
from fieldapp.sync.errors import OffsetConflict, Refused, SyncError, TooLarge

CHUNK_MAX = 1024 * 1024  # the protocol's largest chunk (the server may ask for smaller)
MAX_CONFLICTS = 8  # 409s in a row before giving up for this sync (someone else is sending)

Progress = Callable[[str, int], None]  # (upload id, bytes the server holds)
UploadState = Literal["on_server", "refused"]


@dataclass(frozen=True, slots=True)
class PhotoBytes:
    sha256: str
    data: bytes
    content_type: str = "image/jpeg"


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    sha256: str
    state: UploadState
    sent_bytes: int  # bytes sent by this call (0: the server had them already)
    upload_id: str | None
    refusal: str | None = None  # the server's words when refused


class UploadConflict(SyncError):
    """The offset kept moving under us: another sender is uploading the same photo."""

    retryable = True


class PhotoUploader:
    """The resume logic of the upload protocol over a `SyncClient` (whose wire methods carry
    the tokens, their refresh and the error mapping)."""

    def __init__(self, client: SyncClient, chunk_size: int = CHUNK_MAX) -> None:
        self.client = client
        self.chunk_size = max(1, min(chunk_size, CHUNK_MAX))

    def upload(
        self, photo: PhotoBytes, upload_id: str | None = None, on_progress: Progress | None = None
    ) -> UploadOutcome:
        """Send what the server does not hold yet of `photo` (resuming `upload_id` if given)."""
        report = on_progress or (lambda _id, _offset: None)
        try:
            upload_id, offset, chunk = self._start(photo, upload_id)
            report(upload_id, offset)
            sent = self._send_rest(photo, upload_id, offset, chunk, report)
        except (Refused, TooLarge) as exc:
            return UploadOutcome(photo.sha256, "refused", 0, upload_id, refusal=str(exc))
        return UploadOutcome(photo.sha256, "on_server", sent, upload_id)

    def _start(self, photo: PhotoBytes, upload_id: str | None) -> tuple[str, int, int]:
        """(upload id, the bytes the server holds, the chunk size to use)."""
        if upload_id is not None:
            offset = self.client.upload_offset(upload_id)
            if offset is not None:
                return upload_id, offset, self.chunk_size
        upload_id, offset, chunk_max = self.client.create_upload(
            photo.sha256, len(photo.data), photo.content_type
        )
        return upload_id, offset, min(self.chunk_size, chunk_max)

    def _send_rest(
        self, photo: PhotoBytes, upload_id: str, offset: int, chunk: int, report: Progress
    ) -> int:
        size, sent, conflicts = len(photo.data), 0, 0
        while offset < size:
            piece = photo.data[offset : offset + chunk]
            try:
                taken = self.client.send_chunk(upload_id, offset, piece)
            except OffsetConflict as exc:
                conflicts += 1
                if conflicts > MAX_CONFLICTS:
                    raise UploadConflict(
                        f"the upload of photo {photo.sha256[:12]} keeps moving: another"
                        " device may be sending it; trying again at the next sync"
                    ) from None
                offset = exc.offset
                report(upload_id, offset)
                continue
            sent += len(piece)
            conflicts = 0
            offset = taken if taken is not None else offset + len(piece)
            report(upload_id, offset)
        return sent
