"""The photos of the store: their read model (with the upload state) and their bytes.

The bytes live in the encrypted database, never in plain files: table `photo_blobs`, one row
per (sha256 of the processed JPEG, kind), kind 'photo' (the processed JPEG) or 'thumbnail'.
Content-addressed: a photo attached twice, or to two records, is kept once. A photo of another
device arrives as metadata by a pull; its bytes are cached here when fetched
(`cache_photo_bytes`), so `photo_bytes` answers None until then.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.errors import IntegrityError, UnknownRecordError
from fieldapp.core.photo_targets import PhotoTarget, ResolvedTarget, resolve_target
from fieldapp.core.projections import COLUMNS
from fieldapp.core.store import Store

PHOTO_COLUMNS = COLUMNS["photos"]
PHOTO = "photo"
THUMBNAIL = "thumbnail"
# the well a photo is of: its target's, whatever record that is (NULL: a record not here)
WELL_OF = (
    "CASE p.target_type WHEN 'well' THEN p.target_id"
    " WHEN 'maintenance' THEN (SELECT well_id FROM maintenance WHERE maintenance_id = p.target_id)"
    " WHEN 'equipment' THEN (SELECT well_id FROM equipment WHERE equipment_id = p.target_id)"
    " WHEN 'incident' THEN (SELECT well_id FROM incidents WHERE incident_id = p.target_id)"
    " WHEN 'production' THEN (SELECT well_id FROM production WHERE record_id = p.target_id)"
    " END"
)
_SELECT = (
    f"SELECT {', '.join('p.' + c for c in PHOTO_COLUMNS)},"
    f" u.state, u.held_bytes, u.refusal, {WELL_OF},"
    " EXISTS (SELECT 1 FROM photo_blobs b WHERE b.sha256 = p.sha256 AND b.kind = 'photo'),"
    " EXISTS (SELECT 1 FROM photo_blobs b WHERE b.sha256 = p.sha256 AND b.kind = 'thumbnail')"
    " FROM photos p LEFT JOIN photo_uploads u ON u.sha256 = p.sha256"
)
# newest first: by when taken (photos without an EXIF time after), then newest attached
_NEWEST_FIRST = " ORDER BY p.taken_at IS NULL, p.taken_at DESC, p.last_seq DESC, p.photo_id"


@dataclass(frozen=True, slots=True)
class PhotoInfo:
    photo_id: str
    target_type: str
    target_id: str
    sha256: str
    content_type: str
    size: int
    caption: str
    width: int | None
    height: int | None
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None
    location_source: str | None
    camera: str
    original_name: str
    original_size: int | None
    removed: bool
    removed_reason: str
    version: int
    last_seq: int
    # 'pending' | 'uploading' | 'on_server' | 'refused'; a photo another device attached
    # reads 'on_server' (this laptop never uploads it)
    upload_state: str
    held_bytes: int  # how much of it the server holds
    refusal: str | None  # the server's words when refused
    well_id: str | None  # the well of its record (None: an incident away from any well)
    cached: bool  # the photo's bytes are on this laptop
    thumbnail_cached: bool

    @classmethod
    def from_row(cls, row: Any) -> PhotoInfo:
        values = dict(zip(PHOTO_COLUMNS, row[: len(PHOTO_COLUMNS)], strict=True))
        state, held, refusal, well_id, cached, thumb = row[len(PHOTO_COLUMNS) :]
        taken = values["taken_at"]
        values["taken_at"] = datetime.fromisoformat(taken) if taken else None
        values["removed"] = bool(values["removed"])
        values["caption"] = values["caption"] or ""
        return cls(
            **values,
            upload_state=state or "on_server",
            held_bytes=int(held) if held is not None else (0 if state else int(values["size"])),
            refusal=refusal,
            well_id=well_id,
            cached=bool(cached),
            thumbnail_cached=bool(thumb),
        )

    @property
    def target(self) -> str:
        return f"{self.target_type}:{self.target_id}"

    @property
    def upload_percent(self) -> int:
        return 100 if self.size <= 0 else min(100, self.held_bytes * 100 // self.size)

    def as_dict(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in self.__slots__}
        values["taken_at"] = self.taken_at.isoformat() if self.taken_at else None
        return values


def get_photo(conn: Connection, photo_id: str) -> PhotoInfo:
    """The photo, removed or not (its history stays), or UnknownRecordError."""
    row = conn.exec_driver_sql(f"{_SELECT} WHERE p.photo_id = ?", (photo_id,)).first()
    if row is None:
        raise UnknownRecordError(f"unknown photo {photo_id}")
    return PhotoInfo.from_row(row)


def list_photos(
    store: Store,
    target: PhotoTarget | ResolvedTarget | None = None,
    *,
    well_id: str | None = None,
) -> list[PhotoInfo]:
    """The photos not removed (of one record, of every record of one well, or all), newest
    first, with their upload state."""
    with store.read() as conn:
        sql = f"{_SELECT} WHERE p.removed = 0"
        params: tuple[str, ...] = ()
        if target is not None:
            found = resolve_target(conn, target)
            sql += " AND p.target_type = ? AND p.target_id = ?"
            params = (found.target_type, found.target_id)
        if well_id is not None:
            sql += f" AND {WELL_OF} = ?"
            params = (*params, well_id)
        rows = conn.exec_driver_sql(sql + _NEWEST_FIRST, params).all()
    return [PhotoInfo.from_row(r) for r in rows]


def attached_here(conn: Connection, target: ResolvedTarget, sha256: str) -> PhotoInfo | None:
    """The live photo with these bytes already on this record, if any."""
    row = conn.exec_driver_sql(
        f"{_SELECT} WHERE p.removed = 0 AND p.target_type = ? AND p.target_id = ?"
        " AND p.sha256 = ? ORDER BY p.last_seq LIMIT 1",
        (target.target_type, target.target_id, sha256),
    ).first()
    return None if row is None else PhotoInfo.from_row(row)


# --- the bytes ----------------------------------------------------------------------------------


def put_blob(db: Any, sha256: str, kind: str, data: bytes, *, replace: bool = False) -> None:
    """Keep `data` under (sha256, kind) (`db`: a write transaction's `txn.db`); bytes already
    kept stay as they are unless `replace`."""
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    db.execute(
        f"{verb} INTO photo_blobs (sha256, kind, data) VALUES (?, ?, ?)", (sha256, kind, data)
    )


def read_blob(conn: Connection, sha256: str, kind: str = PHOTO) -> bytes | None:
    row = conn.exec_driver_sql(
        "SELECT data FROM photo_blobs WHERE sha256 = ? AND kind = ?", (sha256, kind)
    ).first()
    return None if row is None else bytes(row[0])


def photo_bytes(store: Store, photo_id: str, thumbnail: bool = False) -> bytes | None:
    """The processed JPEG (or its thumbnail) of a photo; None: not on this laptop yet."""
    with store.read() as conn:
        photo = get_photo(conn, photo_id)
        return read_blob(conn, photo.sha256, THUMBNAIL if thumbnail else PHOTO)


def cache_photo_bytes(store: Store, sha256: str, data: bytes, thumbnail: bool) -> None:
    """Keep bytes fetched from the server (a photo another device attached). A photo must hash
    to its sha256 (IntegrityError otherwise, nothing kept); a thumbnail is the server's own
    rendering, so it cannot be checked against the hash and replaces an older one."""
    if not thumbnail and hashlib.sha256(data).hexdigest() != sha256:
        raise IntegrityError(
            f"the bytes fetched for photo {sha256[:12]} do not match its sha256; not kept"
        )
    if not data:
        raise IntegrityError(f"empty bytes fetched for photo {sha256[:12]}; not kept")
    with store.write() as txn:
        put_blob(txn.db, sha256, THUMBNAIL if thumbnail else PHOTO, data, replace=thumbnail)


def blob_problems(conn: Connection) -> list[str]:
    """What `fieldapp verify` finds wrong with the photo bytes: a photo whose bytes do not hash
    to its sha256, and an upload queued without its bytes."""
    problems: list[str] = []
    rows = conn.exec_driver_sql("SELECT sha256, data FROM photo_blobs WHERE kind = 'photo'")
    for sha256, data in rows:
        if hashlib.sha256(data).hexdigest() != sha256:
            problems.append(f"photo bytes {sha256[:12]}: do not match their sha256")
    missing = conn.exec_driver_sql(
        "SELECT sha256 FROM photo_uploads u WHERE NOT EXISTS (SELECT 1 FROM photo_blobs b"
        " WHERE b.sha256 = u.sha256 AND b.kind = 'photo') ORDER BY sha256"
    ).all()
    problems.extend(f"photo bytes {sha[:12]}: queued for upload but missing" for (sha,) in missing)
    return problems
