"""Photo processing, the same on the laptop and the server (docs/photos.md, "Processing and
limits").

:func:`process_photo` takes the bytes of a photo as the operator picked it and returns what is
stored and sent: the guards of :mod:`shared.image_checks` (format sniffed from the bytes,
decompression bombs, truncated and polyglot files, animations, oversized EXIF), the original
metadata (:mod:`shared.image_metadata`), then ``ImageOps.exif_transpose``, a resize to at most
:data:`LONG_EDGE` px on the long edge (never up), RGB with any transparency flattened on white,
and a progressive, optimised JPEG at :data:`JPEG_QUALITY` with no metadata at all (no EXIF, XMP,
ICC profile or comment), and a :data:`THUMB_EDGE` px thumbnail. Identical input bytes give
identical output bytes, so the sha256 of the output addresses the photo.

A photo with an ICC profile other than sRGB (a phone's Display P3) is converted to sRGB first, so
its colours survive the profile being dropped; a profile Pillow cannot read is ignored.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from shared.image_checks import (
    ACCEPTED_FORMATS,
    MAX_INPUT_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    ImageFacts,
    check_image,
    check_size,
    decoded,
)
from shared.image_containers import ImageRefused, container_end
from shared.image_metadata import PhotoMetadata, metadata_of, photo_metadata

__all__ = [
    "ACCEPTED_FORMATS",
    "JPEG_QUALITY",
    "LONG_EDGE",
    "MAX_INPUT_BYTES",
    "MAX_PIXELS",
    "MAX_SIDE",
    "THUMB_EDGE",
    "ImageFacts",
    "ImageRefused",
    "PhotoMetadata",
    "ProcessedPhoto",
    "check_image",
    "check_size",
    "photo_metadata",
    "process_photo",
    "thumbnail_of",
    "without_metadata",
]

LONG_EDGE = 2560
THUMB_EDGE = 320
JPEG_QUALITY = 82
# Bilinear (Pillow's is a true area filter when reducing, not point sampling): at the 1.6x
# reduction of a 12 MP photo it is the same picture as Lanczos, slightly softer, in half the time
# (docs/photos.md, "Performance"). A large reduction (the thumbnail) is first boxed down by whole
# factors while that stays 2x or more above the target.
RESAMPLE = Image.Resampling.BILINEAR
REDUCING_GAP = 2.0

_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class ProcessedPhoto:
    """A processed photo: ``data`` is the JPEG stored and sent, ``sha256`` the hex digest of
    ``data``, ``width`` × ``height`` its size (orientation applied)."""

    data: bytes
    sha256: str
    width: int
    height: int
    thumbnail: bytes
    metadata: PhotoMetadata


def process_photo(
    data: bytes, name: str | None = None, *, max_bytes: int = MAX_INPUT_BYTES
) -> ProcessedPhoto:
    """The photo `data` (its file was `name`) guarded, read and re-encoded; else
    :class:`ImageRefused`."""
    with decoded(data, max_bytes=max_bytes, fit=LONG_EDGE) as (image, _facts):
        metadata = metadata_of(image, name, len(data))
        photo = _prepared(image, LONG_EDGE)
    encoded = _encode(photo)
    return ProcessedPhoto(
        data=encoded,
        sha256=hashlib.sha256(encoded).hexdigest(),
        width=photo.width,
        height=photo.height,
        thumbnail=_encode(_fit(photo, THUMB_EDGE)),
        metadata=metadata,
    )


def thumbnail_of(data: bytes, *, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """A JPEG of the photo `data` at most :data:`THUMB_EDGE` px on the long edge, upright, with
    no metadata."""
    with decoded(data, max_bytes=max_bytes, fit=THUMB_EDGE) as (image, _facts):
        return _encode(_prepared(image, THUMB_EDGE))


def without_metadata(data: bytes, *, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """A JPEG copy of the photo `data` with no EXIF, XMP, ICC profile or comment (the copy the
    server serves). An upright JPEG without an ICC profile (as every processed photo is) keeps its
    compressed image data untouched: only the metadata segments are dropped. Anything else is
    re-encoded upright, in sRGB, at its own size."""
    with decoded(data, max_bytes=max_bytes) as (image, facts):
        plain = not image.info.get("icc_profile") and _orientation(image) == 1
        if facts.format == "JPEG" and image.format == "JPEG" and plain:
            return _strip_jpeg(data)
        return _encode(_prepared(image, max(image.size)))


def _prepared(image: Image.Image, edge: int) -> Image.Image:
    """A new RGB image of the loaded `image`: transparency flattened on white, at most `edge` px
    on the long edge, in sRGB, turned upright as its EXIF says. (Scaling before turning gives the
    same picture as the other way round, on fewer pixels.)"""
    scaled = _fit(_flatten(image), edge)
    if scaled is image:
        scaled = image.copy()
    srgb = _to_srgb(scaled, image.info.get("icc_profile"))
    srgb.info = {}
    orientation = _orientation(image)
    if orientation == 1:
        return srgb
    only = Image.Exif()  # the orientation alone: the rest of the EXIF cannot get in the way
    only[0x0112] = orientation
    srgb.info["exif"] = only.tobytes()
    turned = ImageOps.exif_transpose(srgb)
    turned.info = {}
    return turned


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _flatten(image: Image.Image) -> Image.Image:
    """`image` as RGB (the same object when it already is), transparency on white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("I").point(lambda value: value / 256).convert("RGB")
    if image.mode == "F":
        return image.convert("L").convert("RGB")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    if not has_alpha:
        return image if image.mode == "RGB" else image.convert("RGB")
    rgba = image.convert("RGBA")
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def _to_srgb(image: Image.Image, icc: object) -> Image.Image:
    if not isinstance(icc, bytes) or not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(source).lower():
            return image
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except Exception:  # a profile lcms cannot read: the pixels as they are
        return image
    return converted if converted is not None else image


def _fit(image: Image.Image, edge: int) -> Image.Image:
    """`image` scaled to at most `edge` px on its long edge (never up; the same object when it
    already fits)."""
    width, height = image.size
    longest = max(width, height)
    if longest <= edge:
        return image
    scale = edge / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)


def _encode(image: Image.Image) -> bytes:
    """`image` (RGB, no info) as a progressive, optimised JPEG with no metadata."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return out.getvalue()


_KEPT_SEGMENTS = frozenset({0xE0, 0xEE})  # JFIF, Adobe (its colour transform flag)


def _strip_jpeg(data: bytes) -> bytes:
    """`data` (a JPEG the guards passed) without APPn segments other than JFIF and Adobe, and
    without comments; everything from the first scan on is copied as it is."""
    out = bytearray(data[:2])
    pos = 2
    while True:
        while data[pos + 1] == 0xFF:
            pos += 1
        marker = data[pos + 1]
        if marker == 0xDA:
            out += data[pos : container_end(data, "JPEG").end]
            return bytes(out)
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos : pos + 2 + length]
        if not ((0xE0 <= marker <= 0xEF and marker not in _KEPT_SEGMENTS) or marker == 0xFE):
            out += segment
        pos += 2 + length
