"""Resumable, content-addressed photo uploads (docs/photos-server.md "Upload").

`begin` answers POST /api/v1/uploads: the bytes the organization already holds are not sent
again (offset = size), an open upload of the same bytes is resumed (a device that lost its
upload id), and anything over the per-photo limit or the organization's quota is refused
before a byte is sent. `append` answers PATCH: a chunk at the offset the database holds, under
a row lock, so two senders racing at the same offset cannot both win; the last chunk is
checked (size, sha256, and the image decoded again with `shared.images`' guards: the server
never trusts a device), then stored (`finish`; its thumbnail is made when first asked for,
photo_reads.py). `offset` answers HEAD.

Every refusal is a `Problem` (RFC 7807) saying what to do; a refused completion discards the
staged bytes and the upload, and nothing else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID, uuid4

import anyio

from shared.images import ImageRefused, check_image, without_metadata
from sync_server.db.pool import Conn, Database
from sync_server.problems import Problem
from sync_server.services.photo_storage import PhotoStorage, Staging
from sync_server.services.tokens import Principal

CHUNK_MAX = 1024 * 1024
STALE_HOURS = 24  # an open upload untouched this long no longer counts against the quota
MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Photos:
    """What the upload endpoints work with (made once in `create_app`)."""

    db: Database
    storage: PhotoStorage
    staging: Staging


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size < 1024 * MIB else f"{size / (1024 * MIB):.2f} GiB"


_ORG = "SELECT photo_quota_bytes, photo_max_bytes FROM organizations WHERE id = %s FOR UPDATE"
_USED = f"""SELECT
  coalesce((SELECT sum(size) FROM photo_blobs WHERE org_id = %(org)s), 0)
  + coalesce((SELECT sum(size) FROM uploads WHERE org_id = %(org)s AND completed_at IS NULL
               AND updated_at > now() - interval '{STALE_HOURS} hours'), 0) AS used"""


async def usage(conn: Conn, org_id: UUID) -> int:
    """Bytes the organization holds, with what open uploads have reserved."""
    row = await (await conn.execute(_USED, {"org": org_id})).fetchone()
    return int(row["used"]) if row else 0


async def begin(
    photos: Photos, who: Principal, sha256: str, size: int, content_type: str
) -> tuple[UUID, int]:
    """(upload id, bytes the server holds) for POST /uploads, or a Problem."""
    async with photos.db.tenant(who.org_id) as conn:
        org = await (await conn.execute(_ORG, (who.org_id,))).fetchone()
        assert org is not None
        if size > int(org["photo_max_bytes"]):
            limit = int(org["photo_max_bytes"])
            raise Problem(
                413,
                "Photo too large",
                f"the photo is {_mib(size)}; this organization takes photos up to {_mib(limit)}"
                " each: take it again at a lower resolution, or ask an admin to raise the limit",
                limit_bytes=limit,
                size=size,
            )
        held = await (
            await conn.execute(
                "SELECT size FROM photo_blobs WHERE org_id = %s AND sha256 = %s",
                (who.org_id, sha256),
            )
        ).fetchone()
        if held is not None:
            return await _done_upload(conn, who, sha256, size, content_type), size
        open_one = await (
            await conn.execute(
                "SELECT id, received FROM uploads WHERE org_id = %s AND sha256 = %s"
                " AND size = %s AND completed_at IS NULL ORDER BY updated_at DESC LIMIT 1",
                (who.org_id, sha256, size),
            )
        ).fetchone()
        if open_one is not None:
            return UUID(str(open_one["id"])), int(open_one["received"])
        quota, used = int(org["photo_quota_bytes"]), await usage(conn, who.org_id)
        if used + size > quota:
            raise Problem(
                422,
                "Quota exceeded",
                f"this organization's photos use {_mib(used)} of its {_mib(quota)} quota and"
                f" this one needs {_mib(size)}: ask an admin to raise the quota"
                " (sync-server photos quota) or to remove photos no longer needed;"
                " the photo stays on the laptop and goes up once there is room",
                quota_bytes=quota,
                used_bytes=used,
                needed_bytes=size,
            )
        upload_id = uuid4()
        await conn.execute(
            "INSERT INTO uploads (id, org_id, user_id, device_id, sha256, size, content_type)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (upload_id, who.org_id, who.user_id, who.device_id, sha256, size, content_type),
        )
        return upload_id, 0


async def _done_upload(
    conn: Conn, who: Principal, sha256: str, size: int, content_type: str
) -> UUID:
    upload_id = uuid4()
    await conn.execute(
        "INSERT INTO uploads (id, org_id, user_id, device_id, sha256, size, content_type,"
        " received, completed_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, now())",
        (upload_id, who.org_id, who.user_id, who.device_id, sha256, size, content_type, size),
    )
    return upload_id


def _not_found(upload_id: UUID) -> Problem:
    return Problem(404, "Not found", f"no upload {upload_id} in this organization")


async def offset(photos: Photos, who: Principal, upload_id: UUID) -> tuple[int, int]:
    """(bytes received, declared size) for HEAD; 404 for an unknown upload or another org's."""
    async with photos.db.tenant(who.org_id) as conn:
        row = await (
            await conn.execute("SELECT received, size FROM uploads WHERE id = %s", (upload_id,))
        ).fetchone()
    if row is None:
        raise _not_found(upload_id)
    return int(row["received"]), int(row["size"])


def _conflict(received: int, sent_at: int) -> Problem:
    return Problem(
        409,
        "Offset mismatch",
        f"the server holds {received} bytes of this upload, not {sent_at}: send from there",
        headers={"Upload-Offset": str(received)},
        offset=received,
    )


async def append(
    photos: Photos, who: Principal, upload_id: UUID, at: int, chunk: bytes
) -> tuple[int, bool]:
    """Take `chunk` at offset `at`: (bytes now held, complete). A refused completion is
    raised after its discard is committed."""
    if len(chunk) > CHUNK_MAX:
        raise Problem(413, "Chunk too large", f"a chunk is at most {CHUNK_MAX} bytes")
    async with photos.db.tenant(who.org_id) as conn:
        row = await (
            await conn.execute(
                "SELECT sha256, size, received, completed_at FROM uploads WHERE id = %s FOR UPDATE",
                (upload_id,),
            )
        ).fetchone()
        if row is None:
            raise _not_found(upload_id)
        received, size = int(row["received"]), int(row["size"])
        staged = photos.staging.size(upload_id)
        if row["completed_at"] is None and staged < received:  # staged bytes lost: resend
            received = staged
            await _set_received(conn, upload_id, received)
        refusal: Problem
        if row["completed_at"] is not None or at != received:
            refusal = _conflict(received, at)
        elif received + len(chunk) > size:
            refusal = Problem(
                422,
                "Past the declared size",
                f"this upload was declared as {size} bytes; {received + len(chunk)} were sent",
            )
        elif not chunk:
            return received, False
        else:
            whole = chunk if at == 0 and len(chunk) == size else None  # one chunk: not staged
            if whole is None:
                await anyio.to_thread.run_sync(photos.staging.write_at, upload_id, at, chunk)
            received += len(chunk)
            await _set_received(conn, upload_id, received)
            if received < size:
                return received, False
            failed = await finish(photos, conn, who, upload_id, row["sha256"], whole)
            if failed is None:
                return received, True
            refusal = failed
    raise refusal


async def _set_received(conn: Conn, upload_id: UUID, received: int) -> None:
    await conn.execute(
        "UPDATE uploads SET received = %s, updated_at = now() WHERE id = %s",
        (received, upload_id),
    )


@dataclass(frozen=True, slots=True)
class Stored:
    content_type: str  # what is served (the bytes' own type, whatever the device declared)
    width: int
    height: int
    served: bytes
    stripped: bool


def _checked(data: bytes, sha256: str) -> Stored:
    """The uploaded bytes checked again (never trusting the device) and what is served."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise Problem(
            422,
            "Checksum mismatch",
            f"the bytes received hash to {digest}, not the {sha256} declared: the upload was"
            " discarded; send the photo again",
        )
    try:
        facts = check_image(data)
        served = without_metadata(data) if facts.has_exif else data
    except ImageRefused as exc:
        raise Problem(422, "Not a photo", f"the upload was refused: {exc}", code=exc.code) from None
    served_type = "image/jpeg" if facts.has_exif else facts.content_type
    return Stored(served_type, facts.width, facts.height, served, facts.has_exif)


async def finish(
    photos: Photos,
    conn: Conn,
    who: Principal,
    upload_id: UUID,
    sha256: str,
    whole: bytes | None = None,
) -> Problem | None:
    """The complete upload (`whole`, or what is staged) checked and stored (None), or
    discarded: the Problem saying why."""
    data = (
        whole
        if whole is not None
        else await anyio.to_thread.run_sync(photos.staging.read, upload_id)
    )
    try:
        stored = await anyio.to_thread.run_sync(_checked, data, sha256)
    except Problem as refusal:
        await anyio.to_thread.run_sync(photos.staging.discard, upload_id)
        await conn.execute("DELETE FROM uploads WHERE id = %s", (upload_id,))
        return refusal
    served_key = hashlib.sha256(stored.served).hexdigest()
    await anyio.to_thread.run_sync(photos.storage.put, who.org_id, served_key, stored.served)
    await conn.execute(
        "INSERT INTO photo_blobs (org_id, sha256, size, content_type, width, height, served_key,"
        " served_size, stripped_exif) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (
            who.org_id,
            sha256,
            len(data),
            stored.content_type,
            stored.width,
            stored.height,
            served_key,
            len(stored.served),
            stored.stripped,
        ),
    )
    await conn.execute("UPDATE uploads SET completed_at = now() WHERE id = %s", (upload_id,))
    await anyio.to_thread.run_sync(photos.staging.discard, upload_id)
    return None
