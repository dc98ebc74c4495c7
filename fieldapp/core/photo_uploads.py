"""The upload queue: the bytes of the photos attached on this laptop, until the server has them.

One row per sha256 in `photo_uploads` (a photo attached twice is uploaded once), written in the
same transaction as the `photo.attached` event that queued it:

    pending --(first chunk taken)--> uploading --(server holds every byte)--> on_server
        \\------------------(the server refuses it for good)----------------> refused

A refused photo (over the per-photo limit, the organization's quota full, ...) keeps the
server's words and leaves the queue until `retry_upload` puts it back. Events go first: the sync
sends the queued bytes after its push (`fieldapp.sync.photo_upload` does the sending and calls
`mark_upload` after every chunk, so a sync killed halfway resumes where the server is).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from fieldapp.core.errors import StoreError, UnknownRecordError
from fieldapp.core.photo_store import PHOTO, read_blob
from fieldapp.core.store import Store

UploadState = Literal["pending", "uploading", "on_server", "refused"]
UPLOAD_STATES: tuple[str, ...] = get_args(UploadState)
OPEN_STATES = ("pending", "uploading")


@dataclass(frozen=True, slots=True)
class PendingUpload:
    sha256: str
    size: int
    content_type: str
    upload_id: str | None  # the server's id of an upload begun (resume it), else None
    state: str  # 'pending' | 'uploading'
    held_bytes: int  # what the server held when last heard from
    queued_seq: int  # the device seq of the `photo.attached` event that queued it


@dataclass(frozen=True, slots=True)
class StateTotals:
    photos: int = 0
    bytes: int = 0  # their sizes
    held_bytes: int = 0  # of which the server holds


@dataclass(frozen=True, slots=True)
class UploadSummary:
    states: dict[str, StateTotals] = field(default_factory=dict)

    def of(self, state: str) -> StateTotals:
        return self.states.get(state, StateTotals())

    @property
    def waiting(self) -> StateTotals:
        """Pending and uploading together: what the next sync will send."""
        pending, uploading = self.of("pending"), self.of("uploading")
        return StateTotals(
            pending.photos + uploading.photos,
            pending.bytes + uploading.bytes,
            pending.held_bytes + uploading.held_bytes,
        )

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            s: {"photos": t.photos, "bytes": t.bytes, "held_bytes": t.held_bytes}
            for s in UPLOAD_STATES
            for t in (self.of(s),)
        }

    def line(self) -> str:
        """One line for the CLI and the Sync screen."""
        waiting = self.waiting
        text = (
            f"photos: {waiting.photos} to upload ({waiting.held_bytes}/{waiting.bytes} bytes"
            f" sent), {self.of('on_server').photos} on the server"
        )
        refused = self.of("refused").photos
        return text + (f", {refused} refused" if refused else "")


def queue_upload(db: Any, sha256: str, size: int, content_type: str, seq: int) -> None:
    """Queue the bytes of a photo just attached (`db`: the attaching transaction's `txn.db`);
    bytes already queued, sent or refused keep their row."""
    db.execute(
        "INSERT INTO photo_uploads (sha256, size, content_type, state, held_bytes, queued_seq,"
        " updated_at) VALUES (?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        (sha256, size, content_type, seq, _now()),
    )


def pending_uploads(store: Store) -> list[PendingUpload]:
    """The photos whose bytes the server does not hold yet (not refused), oldest first."""
    with store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT sha256, size, content_type, upload_id, state, held_bytes, queued_seq"
            " FROM photo_uploads WHERE state IN ('pending', 'uploading') ORDER BY queued_seq"
        ).all()
    return [PendingUpload(*row) for row in rows]


def upload_data(store: Store, sha256: str) -> bytes:
    """The processed JPEG to send for a queued photo."""
    with store.read() as conn:
        data = read_blob(conn, sha256, PHOTO)
    if data is None:
        raise UnknownRecordError(f"no photo bytes {sha256[:12]} on this laptop")
    return data


def mark_upload(
    store: Store,
    sha256: str,
    state: str,
    held_bytes: int,
    upload_id: str | None,
    refusal: str | None = None,
) -> None:
    """What the server said of a queued photo: its state, the bytes it holds, the upload id
    (kept to resume) and, when refused, its words."""
    if state not in UPLOAD_STATES:
        raise StoreError(f"unknown upload state '{state}' (one of {', '.join(UPLOAD_STATES)})")
    if state == "refused" and not (refusal or "").strip():
        raise StoreError("a refused upload needs the server's reason")
    with store.write() as txn:
        row = txn.db.execute(
            "SELECT size FROM photo_uploads WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            raise UnknownRecordError(f"no upload queued for photo {sha256[:12]}")
        size = int(row[0])
        held = size if state == "on_server" else max(0, min(int(held_bytes), size))
        txn.db.execute(
            "UPDATE photo_uploads SET state = ?, held_bytes = ?, upload_id = ?, refusal = ?,"
            " updated_at = ? WHERE sha256 = ?",
            (state, held, upload_id, refusal if state == "refused" else None, _now(), sha256),
        )


def retry_upload(store: Store, sha256: str) -> None:
    """Queue a refused photo again (after the quota was raised, say); the upload id is kept,
    so the next sync asks the server where it stands before sending anything."""
    with store.write() as txn:
        row = txn.db.execute(
            "SELECT state FROM photo_uploads WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            raise UnknownRecordError(f"no upload queued for photo {sha256[:12]}")
        if row[0] != "refused":
            raise StoreError(f"the upload of photo {sha256[:12]} is {row[0]}, not refused")
        txn.db.execute(
            "UPDATE photo_uploads SET state = 'pending', refusal = NULL, updated_at = ?"
            " WHERE sha256 = ?",
            (_now(), sha256),
        )


def upload_summary(store: Store) -> UploadSummary:
    """Photos, bytes and bytes the server holds, per upload state."""
    with store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT state, count(*), coalesce(sum(size), 0), coalesce(sum(held_bytes), 0)"
            " FROM photo_uploads GROUP BY state"
        ).all()
    return UploadSummary({str(s): StateTotals(int(n), int(b), int(h)) for s, n, b, h in rows})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
