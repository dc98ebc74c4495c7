"""The bytes of a photo record for GET /api/v1/photos/{id} and /thumbnail
(docs/photos-server.md "Reading photos").

A photo is found through its record (the `photo` aggregate a device's `photo.attached`
created): the record says which bytes (its sha256), `photo_blobs` says where they are. Both are
read under the caller's organization (row-level security), so another organization's photo,
asked by id or by guessing a hash, is not found; a removed photo is no longer served.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

import anyio

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
    data = await anyio.to_thread.run_sync(photos.storage.get, org_id, key)
    if data is None:
        raise Problem(404, "Photo not found in storage", f"the bytes of photo {photo_id} are lost")
    if thumbnail:
        return PhotoFile(f'"{hashlib.sha256(data).hexdigest()}"', "image/jpeg", data)
    return PhotoFile(f'"{row["sha256"]}"', str(row["content_type"]), data)
