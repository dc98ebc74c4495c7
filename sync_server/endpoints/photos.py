"""The photo endpoints (docs/photos-server.md): resumable uploads and reading photos.

- `POST /api/v1/uploads` {sha256, size, content_type} → {upload_id, offset, size, chunk_max}
  (offset = size: the organization holds these bytes already, nothing to send; an open upload
  of the same bytes is resumed where it is).
- `HEAD /api/v1/uploads/{id}` → `Upload-Offset` (the bytes held) and `Upload-Length`.
- `PATCH /api/v1/uploads/{id}` with `Upload-Offset` and a chunk of at most 1 MiB as
  `application/offset+octet-stream` → 204 with the new `Upload-Offset` (and
  `Upload-Complete: ?1` after the last chunk passed the checks); 409 with the server's offset
  when the chunk is not at it.
- `GET /api/v1/photos/{id}` and `/thumbnail` → the bytes, `ETag` by hash, 304 on a match.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sync_server.endpoints.common import parse_body, principal, tag_matches
from sync_server.problems import Problem
from sync_server.services import photo_reads, uploads

OFFSET = "Upload-Offset"
CHUNK_TYPE = "application/offset+octet-stream"
ContentType = Literal["image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"]


class UploadRequest(BaseModel):
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, Field(gt=0)]
    content_type: ContentType = "image/jpeg"


def _upload_id(request: Request) -> UUID:
    try:
        return UUID(request.path_params["upload_id"])
    except ValueError:
        raise Problem(404, "Not found", "no such upload in this organization") from None


async def create_upload(request: Request) -> Response:
    who = principal(request)
    body = await parse_body(request, UploadRequest)
    photos: uploads.Photos = request.app.state.photos
    upload_id, held = await uploads.begin(photos, who, body.sha256, body.size, body.content_type)
    answer = {
        "upload_id": str(upload_id),
        "offset": held,
        "size": body.size,
        "chunk_max": uploads.CHUNK_MAX,
    }
    headers = {OFFSET: str(held), "Location": f"/api/v1/uploads/{upload_id}"}
    return JSONResponse(answer, headers=headers)


async def upload_offset(request: Request) -> Response:
    who = principal(request)
    held, size = await uploads.offset(request.app.state.photos, who, _upload_id(request))
    headers = {OFFSET: str(held), "Upload-Length": str(size), "Cache-Control": "no-store"}
    return Response(status_code=200, headers=headers)


def _offset_header(request: Request) -> int:
    text = request.headers.get(OFFSET, "")
    if not text.isdigit():
        raise Problem(
            400, "Bad Upload-Offset", f"{OFFSET} must be the byte offset the chunk starts at"
        )
    return int(text)


async def _chunk(request: Request) -> bytes:
    """The body, read no further than one byte past the largest chunk."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > uploads.CHUNK_MAX:
        raise _chunk_too_large()
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > uploads.CHUNK_MAX:
            raise _chunk_too_large()
    return bytes(body)


def _chunk_too_large() -> Problem:
    return Problem(
        413,
        "Chunk too large",
        f"a chunk is at most {uploads.CHUNK_MAX} bytes: send the photo in smaller chunks",
        chunk_max=uploads.CHUNK_MAX,
    )


async def upload_chunk(request: Request) -> Response:
    who = principal(request)
    upload_id = _upload_id(request)
    if request.headers.get("content-type", "").split(";")[0].strip() != CHUNK_TYPE:
        raise Problem(415, "Unsupported media type", f"a chunk is sent as {CHUNK_TYPE}")
    at = _offset_header(request)
    chunk = await _chunk(request)
    held, complete = await uploads.append(request.app.state.photos, who, upload_id, at, chunk)
    headers = {OFFSET: str(held)}
    if complete:
        headers["Upload-Complete"] = "?1"
    return Response(status_code=204, headers=headers)


async def _photo(request: Request, thumbnail: bool) -> Response:
    who = principal(request)
    try:
        photo_id = UUID(request.path_params["photo_id"])
    except ValueError:
        raise Problem(404, "Not found", "no such photo in this organization") from None
    found = await photo_reads.photo_file(request.app.state.photos, who.org_id, photo_id, thumbnail)
    headers = {"ETag": found.etag, "Cache-Control": "private, no-cache"}
    if tag_matches(request.headers.get("if-none-match", ""), found.etag):
        return Response(status_code=304, headers=headers)
    return Response(found.data, media_type=found.content_type, headers=headers)


async def photo(request: Request) -> Response:
    return await _photo(request, thumbnail=False)


async def thumbnail(request: Request) -> Response:
    return await _photo(request, thumbnail=True)
