"""Photos: the resumable upload protocol and reading a photo (docs/photos-server.md)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from sync_server.endpoints.photos import CHUNK_TYPE, UploadRequest

from .operation import Operation, Param

UPLOAD_ID = Param("upload_id", {"type": "string", "format": "uuid"}, "The upload's id.", "path")
PHOTO_ID = Param("photo_id", {"type": "string", "format": "uuid"}, "The photo record's id.", "path")
OFFSET = ("Upload-Offset", "UploadOffset")


class UploadStarted(BaseModel):
    upload_id: str = Field(description="Where to send the chunks: /api/v1/uploads/{upload_id}.")
    offset: int = Field(ge=0, description="The bytes the server holds: send from here.")
    size: int = Field(gt=0, description="The declared size.")
    chunk_max: int = Field(gt=0, description="The largest chunk the server takes, in bytes.")


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "post",
        "/api/v1/uploads",
        "startUpload",
        "Start or resume sending a photo's bytes",
        "photos",
        UploadStarted,
        request=UploadRequest,
        auth=True,
        headers=(OFFSET,),
        description=(
            "Names the bytes by their sha256 and size. `offset` = `size` when the organization"
            " holds these bytes already (nothing to send); an open upload of the same bytes is"
            " resumed at its offset. 413 over the organization's per-photo limit"
            " (`limit_bytes`), 422 `Quota exceeded` with `quota_bytes`, `used_bytes` and"
            " `needed_bytes` when the organization's photos would pass its quota."
        ),
    ),
    Operation(
        "head",
        "/api/v1/uploads/{upload_id}",
        "uploadOffset",
        "How much of an upload the server holds",
        "photos",
        None,
        auth=True,
        params=(UPLOAD_ID,),
        errors=(404,),
        headers=(OFFSET, ("Upload-Length", "UploadLength")),
        description="The offset to resume at after a lost connection. 404 for an unknown"
        " upload or another organization's.",
    ),
    Operation(
        "patch",
        "/api/v1/uploads/{upload_id}",
        "sendChunk",
        "Send the next chunk of an upload",
        "photos",
        None,
        auth=True,
        params=(
            UPLOAD_ID,
            Param(
                "Upload-Offset",
                {"type": "integer", "minimum": 0},
                "Where the chunk starts: the offset the server holds.",
                where="header",
                required=True,
            ),
        ),
        raw_request=CHUNK_TYPE,
        status=204,
        errors=(404, 409, 422),
        headers=(OFFSET,),
        description=(
            "At most 1 MiB at the offset the server holds (409 with `Upload-Offset`"
            " otherwise: two senders racing at one offset cannot both win). After the last"
            " chunk the server checks the size, the sha256 and that the bytes decode as a"
            " photo under its guards (422 `Checksum mismatch` or `Not a photo` with `code`"
            " discards the upload), stores it and answers `Upload-Complete: ?1`."
        ),
    ),
    Operation(
        "get",
        "/api/v1/photos/{photo_id}",
        "getPhoto",
        "A photo (without its EXIF)",
        "photos",
        "PhotoBytes",
        auth=True,
        params=(PHOTO_ID,),
        errors=(404,),
        media_type="image/*",
        etag=True,
        description="The stored copy of a photo record's bytes, EXIF removed (its metadata,"
        " location included, is the record's). 404 for another organization's photo, a"
        " removed one, or one whose bytes have not been uploaded yet (`title` says which).",
    ),
    Operation(
        "get",
        "/api/v1/photos/{photo_id}/thumbnail",
        "getPhotoThumbnail",
        "A photo's thumbnail (320 px JPEG)",
        "photos",
        "PhotoBytes",
        auth=True,
        params=(PHOTO_ID,),
        errors=(404,),
        media_type="image/jpeg",
        etag=True,
        description="Like getPhoto, for the thumbnail a device shows first.",
    ),
)
