"""The bytes of a photo record for GET /api/v1/photos/{id} and /thumbnail
(docs/photos-server.md "Reading photos").

A photo is found through its record (the `photo` aggregate a device's `photo.attached`
created): the record says which bytes (its sha256), `photo_blobs` says where they are. Both are
read under the caller's organization (row-level security), so another organization's photo,
asked by id or by guessing a hash, is not found; a removed photo is no longer served. A
thumbnail is rendered from the stored copy the first time it is asked for, then kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

import anyio

from shared.images import thumbnail_of
from sync_server.problems import Problem
from sync_server.services.uploads import Photos

_FIND = """
SELECT a.state->>'sha256' AS sha256,
       coalesce((a.state->>'removed')::boolean, false) AS removed,
       b.content_type, b.served_key, b.thumbnail_key
  FROM aggregates a
  LEFT JOIN photo_blobs b ON b.org_id = a.org_id AND b.sha256 = a.state->>'sha256'
 WHERE a.id = %s AND a.aggregate_type = 'photo' AND a.deleted_at IS NULL
"""


@dataclass(frozen=True, slots=True)
class PhotoFile:
    etag: str  # strong: the photo's sha256, or the thumbnail's own
    content_type: str
    data: bytes


def _missing(photo_id: UUID) -> Problem:
    return Problem(404, "Not found", f"no photo {photo_id} in this organization")


async def photo_file(photos: Photos, org_id: UUID, photo_id: UUID, thumbnail: bool) -> PhotoFile:
    """The served copy (or its thumbnail) of the photo record `photo_id`, or a 404 Problem
    that says whether the record is unknown, removed, or its bytes are not uploaded yet."""
    async with photos.db.tenant(org_id) as conn:
        row = await (await conn.execute(_FIND, (photo_id,))).fetchone()
    if row is None:
        raise _missing(photo_id)
    if row["removed"]:
        raise Problem(404, "Photo removed", f"photo {photo_id} was removed from its record")
    if row["served_key"] is None:
        raise Problem(
            404,
            "Photo not uploaded yet",
            f"photo {photo_id} is recorded but its bytes have not reached the server yet:"
            " they go up with the laptop's next sync",
        )
    key = row["thumbnail_key"] if thumbnail else row["served_key"]
    if key is None:  # the first time this photo's thumbnail is asked for
        key = await _make_thumbnail(photos, org_id, str(row["sha256"]), str(row["served_key"]))
    data = await anyio.to_thread.run_sync(photos.storage.get, org_id, key)
    if data is None:
        raise Problem(404, "Photo not found in storage", f"the bytes of photo {photo_id} are lost")
    if thumbnail:
        return PhotoFile(f'"{hashlib.sha256(data).hexdigest()}"', "image/jpeg", data)
    return PhotoFile(f'"{row["sha256"]}"', str(row["content_type"]), data)


async def _make_thumbnail(photos: Photos, org_id: UUID, sha256: str, served_key: str) -> str:
    """Render, store and record the thumbnail of a stored photo; its storage key. (Two readers
    racing both render the same bytes under the same key: harmless.)"""
    served = await anyio.to_thread.run_sync(photos.storage.get, org_id, served_key)
    if served is None:
        raise Problem(404, "Photo not found in storage", f"the bytes of photo {sha256} are lost")
    thumb = await anyio.to_thread.run_sync(thumbnail_of, served)
    key = f"{sha256}.thumb"
    await anyio.to_thread.run_sync(photos.storage.put, org_id, key, thumb)
    async with photos.db.tenant(org_id) as conn:
        await conn.execute(
            "UPDATE photo_blobs SET thumbnail_key = %s, thumbnail_size = %s"
            " WHERE org_id = %s AND sha256 = %s",
            (key, len(thumb), org_id, sha256),
        )
    return key
