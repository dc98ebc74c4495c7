"""Photos on the laptop: attach files to a record, caption, remove, export (docs/photos.md).

Attaching reads each file (refusing one over `MAX_INPUT_BYTES` before reading it all), processes
it with `shared.images` (outside any transaction: it is the slow part), then in one write
transaction per file keeps the processed JPEG and its thumbnail in the encrypted store, queues
its upload and appends `photo.attached`, which syncs like every other event. A refused file is
an `AttachResult` naming the file and the reason; the other files of the batch are attached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy import Connection

from fieldapp.core.atomic import write_private
from fieldapp.core.errors import StoreError, ValidationFailedError
from fieldapp.core.photo_store import (
    PHOTO,
    THUMBNAIL,
    PhotoInfo,
    attached_here,
    cache_photo_bytes,
    get_photo,
    list_photos,
    photo_bytes,
    put_blob,
)
from fieldapp.core.photo_targets import PhotoTarget, ResolvedTarget, resolve_target
from fieldapp.core.photo_uploads import (
    PendingUpload,
    UploadSummary,
    mark_upload,
    pending_uploads,
    queue_upload,
    retry_upload,
    upload_data,
    upload_summary,
)
from fieldapp.core.store import Store
from shared.contracts import (
    EventType,
    Location,
    PhotoAttached,
    PhotoChanges,
    PhotoRemoved,
    PhotoUpdated,
)
from shared.events import new_id
from shared.images import (
    MAX_INPUT_BYTES,
    ImageRefused,
    ProcessedPhoto,
    check_size,
    process_photo,
)
from shared.validation import Issue, Severity

# the whole photo API in one place (defined in photo_store, photo_targets, photo_uploads)
__all__ = [
    "AttachResult",
    "PendingUpload",
    "PhotoInfo",
    "PhotoTarget",
    "ResolvedTarget",
    "UploadSummary",
    "attach",
    "cache_photo_bytes",
    "export_photo",
    "get_photo",
    "list_photos",
    "mark_upload",
    "pending_uploads",
    "photo_bytes",
    "remove_photo",
    "retry_upload",
    "set_caption",
    "upload_data",
    "upload_summary",
]

CONTENT_TYPE = "image/jpeg"  # what processing always makes
_NAME_MAX = 255
_CAMERA_MAX = 200


@dataclass(frozen=True, slots=True)
class AttachResult:
    file: Path
    photo: PhotoInfo | None = None
    # why the file was not attached, as words that follow its name ("is empty (0 bytes)")
    reason: str | None = None
    code: str | None = None  # shared.images' refusal codes, or 'unreadable'
    duplicate: bool = False  # these bytes were already on this record: nothing new was written

    @property
    def ok(self) -> bool:
        return self.photo is not None

    @property
    def refusal(self) -> str | None:
        """The refusal as one sentence naming the file: "IMG_1.jpg is empty (0 bytes)"."""
        return None if self.reason is None else f"{self.file.name} {self.reason}"

    def line(self) -> str:
        if self.photo is None:
            return f"refused: {self.file} {self.reason}"
        p = self.photo
        already = " (already attached)" if self.duplicate else ""
        return (
            f"attached {p.photo_id} sha256 {p.sha256[:12]} {p.width}x{p.height}"
            f" {p.size} bytes: {self.file}{already}"
        )


def attach(
    store: Store,
    target: PhotoTarget | ResolvedTarget,
    files: Sequence[Path],
    caption: str = "",
) -> list[AttachResult]:
    """Attach each of `files` to `target`; an unknown target or a bad caption is an error
    before any file is read, a refused file is a result (the rest are still attached)."""
    _check_caption(caption)
    with store.read() as conn:
        resolved = resolve_target(conn, target)
    results: list[AttachResult] = []
    for path in files:
        try:
            raw = read_limited(path, MAX_INPUT_BYTES)
            processed = process_photo(raw, path.name)
        except ImageRefused as exc:
            results.append(AttachResult(path, reason=str(exc), code=exc.code))
            continue
        results.append(_store_one(store, resolved, path, len(raw), processed, caption))
    return results


def read_limited(path: Path, limit: int) -> bytes:
    """The file's bytes; one over `limit` is refused from its size, never read whole."""
    try:
        check_size(path.stat().st_size, limit)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or type(exc).__name__})"
        raise ImageRefused("unreadable", reason) from None
    check_size(len(data), limit)  # it changed since stat
    return data


def _store_one(
    store: Store,
    target: ResolvedTarget,
    path: Path,
    original_size: int,
    photo: ProcessedPhoto,
    caption: str,
) -> AttachResult:
    photo_id = new_id()
    with store.write() as txn:
        resolve_target(txn.conn, target)  # still there
        existing = attached_here(txn.conn, target, photo.sha256)
        if existing is not None:
            return AttachResult(path, existing, duplicate=True)
        put_blob(txn.db, photo.sha256, PHOTO, photo.data)
        put_blob(txn.db, photo.sha256, THUMBNAIL, photo.thumbnail)
        sealed = txn.append(
            EventType.PHOTO_ATTACHED,
            photo_id,
            attached_payload(target, path, original_size, photo, caption),
        )
        seq = int(sealed.body["device_seq"])
        queue_upload(txn.db, photo.sha256, len(photo.data), CONTENT_TYPE, seq)
    with store.read() as conn:
        return AttachResult(path, get_photo(conn, str(photo_id)))


def attached_payload(
    target: ResolvedTarget, path: Path, original_size: int, photo: ProcessedPhoto, caption: str
) -> PhotoAttached:
    meta = photo.metadata
    location = None
    lat, lon = meta.latitude, meta.longitude
    if lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        location = Location(lat=lat, lon=lon, source="photo")
    return PhotoAttached(
        target_type=target.target_type,  # a kind resolve_target knows; the contract checks it
        target_id=UUID(target.target_id),
        sha256=photo.sha256,
        content_type=CONTENT_TYPE,
        size=len(photo.data),
        caption=caption,
        width=photo.width,
        height=photo.height,
        taken_at=meta.taken_at,
        location=location,
        camera=(meta.camera or "")[:_CAMERA_MAX],
        original_name=(meta.original_name or path.name)[:_NAME_MAX],
        original_size=meta.original_size or original_size,
    )


def set_caption(store: Store, photo_id: str, caption: str) -> PhotoInfo:
    """Append `photo.updated` with the new caption; the same caption: no event."""
    _check_caption(caption)
    with store.write() as txn:
        current = _live(txn.conn, photo_id)
        if current.caption == caption:
            return current
        payload = PhotoUpdated(changes=PhotoChanges(caption=caption))
        txn.append(EventType.PHOTO_UPDATED, photo_id, payload, base_version=current.version)
    with store.read() as conn:
        return get_photo(conn, photo_id)


def remove_photo(store: Store, photo_id: str, reason: str = "") -> PhotoInfo:
    """Append `photo.removed`: the photo leaves its record and every list; its row, its bytes
    and its events stay (the history)."""
    try:
        payload = PhotoRemoved(reason=reason)
    except ValidationError:
        raise ValidationFailedError(
            [Issue("too_long", "reason", Severity.ERROR, "at most 400 characters")]
        ) from None
    with store.write() as txn:
        current = _live(txn.conn, photo_id)
        txn.append(EventType.PHOTO_REMOVED, photo_id, payload, base_version=current.version)
    with store.read() as conn:
        return get_photo(conn, photo_id)


def export_photo(store: Store, photo_id: str, out: Path) -> int:
    """Write the processed JPEG to `out` atomically (a crash leaves no half file); its size."""
    data = photo_bytes(store, photo_id)
    if data is None:
        raise StoreError(
            f"photo {photo_id} is not on this laptop yet: sync to fetch it, then export again"
        )
    try:
        write_private(out, data)
    except OSError as exc:
        raise StoreError(f"cannot write {out}: {exc.strerror or exc}") from None
    return len(data)


def _live(conn: Connection, photo_id: str) -> PhotoInfo:
    photo = get_photo(conn, photo_id)
    if photo.removed:
        raise StoreError(f"photo {photo_id} was removed")
    return photo


def _check_caption(caption: str) -> None:
    try:
        PhotoChanges(caption=caption)
    except ValidationError:
        raise ValidationFailedError(
            [Issue("too_long", "caption", Severity.ERROR, "at most 400 characters")]
        ) from None
