"""A photo's original metadata read from its EXIF: when it was taken, the camera, where.

Garbage never costs the operator the photo: a field that is missing, of the wrong type, longer
than :data:`MAX_TEXT` characters, out of range (a latitude over 90°, a zero denominator, a date
of "0000:00:00") or that Pillow cannot parse is ignored — that one field reads as ``None`` and
the rest is kept. (Only an EXIF block over ``MAX_EXIF_BYTES`` refuses the photo, as
"bad_metadata", in :mod:`shared.image_checks`.)

- ``taken_at``: DateTimeOriginal, else DateTimeDigitized, else DateTime; timezone-aware when the
  camera wrote the matching OffsetTime* tag, else naive (the camera's local clock).
- ``camera``: "Make Model", the make left out when the model already starts with it.
- ``latitude`` / ``longitude``: decimal degrees, negative for S and W; none when GPSStatus says
  "V" (no fix) or both are exactly 0 (what receivers write without a fix).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PIL import Image

from shared.image_checks import MAX_INPUT_BYTES, header

MAX_TEXT = 128

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_MAKE, _MODEL, _DATETIME = 0x010F, 0x0110, 0x0132
_ORIGINAL, _DIGITIZED = 0x9003, 0x9004
_OFFSETS = {_ORIGINAL: 0x9011, _DIGITIZED: 0x9012, _DATETIME: 0x9010}
_GPS_STATUS, _LAT_REF, _LAT, _LON_REF, _LON = 0x0009, 0x0001, 0x0002, 0x0003, 0x0004


@dataclass(frozen=True)
class PhotoMetadata:
    """The original photo's metadata (kept by the server; never in the served bytes)."""

    taken_at: datetime | None
    camera: str | None
    latitude: float | None
    longitude: float | None
    original_name: str | None
    original_size: int | None


def photo_metadata(
    data: bytes, name: str | None = None, *, max_bytes: int = MAX_INPUT_BYTES
) -> PhotoMetadata:
    """The metadata of the photo `data` (the header guards of :mod:`shared.image_checks` apply;
    no pixel is decoded). ``original_size`` is ``len(data)``."""
    with header(data, max_bytes=max_bytes) as image:
        return metadata_of(image, name, len(data))


def metadata_of(image: Image.Image, name: str | None, size: int | None) -> PhotoMetadata:
    """The metadata of an opened `image` whose file was `name` and `size` bytes."""
    exif = _exif(image)
    if exif is None:
        return PhotoMetadata(None, None, None, None, name, size)
    main = dict(exif)
    details = _ifd(exif, _EXIF_IFD)
    gps = _ifd(exif, _GPS_IFD)
    taken_at = _taken_at(main, details)
    latitude = _coordinate(gps.get(_LAT), gps.get(_LAT_REF), "N", "S", 90.0)
    longitude = _coordinate(gps.get(_LON), gps.get(_LON_REF), "E", "W", 180.0)
    if _text(gps.get(_GPS_STATUS)) == "V" or (latitude == 0.0 and longitude == 0.0):
        latitude = longitude = None
    if latitude is None or longitude is None:
        latitude = longitude = None
    return PhotoMetadata(
        taken_at=taken_at,
        camera=_camera(main.get(_MAKE), main.get(_MODEL)),
        latitude=latitude,
        longitude=longitude,
        original_name=name,
        original_size=size,
    )


def _exif(image: Image.Image) -> Image.Exif | None:
    try:
        exif = image.getexif()
        return exif if len(exif) else None
    except Exception:  # Pillow's parser on a garbage block (or its warning, where it is an error)
        return None


def _ifd(exif: Image.Exif, tag: int) -> dict[int, object]:
    try:
        return dict(exif.get_ifd(tag))
    except Exception:
        return {}


def _text(value: object) -> str | None:
    """A short printable EXIF string, else None."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\x00", " ").split())
    if not text or len(text) > MAX_TEXT or not text.isprintable():
        return None
    return text


def _camera(make_value: object, model_value: object) -> str | None:
    make, model = _text(make_value), _text(model_value)
    if make and model:
        return model if model.lower().startswith(make.lower()) else f"{make} {model}"
    return model or make


def _taken_at(main: dict[int, object], details: dict[int, object]) -> datetime | None:
    for tag, source in ((_ORIGINAL, details), (_DIGITIZED, details), (_DATETIME, main)):
        stamp = _stamp(source.get(tag))
        if stamp is None:
            continue
        offset = _offset(details.get(_OFFSETS[tag]))
        return stamp.replace(tzinfo=offset) if offset is not None else stamp
    return None


def _stamp(value: object) -> datetime | None:
    text = _text(value)
    if text is None or len(text) < 19:
        return None
    try:
        return datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def _offset(value: object) -> timezone | None:
    text = _text(value)
    if text is None or len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if text[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _coordinate(
    value: object, ref_value: object, positive: str, negative: str, limit: float
) -> float | None:
    """Degrees, minutes, seconds (three rationals) and a hemisphere as signed decimal degrees."""
    ref = _text(ref_value)
    if ref is None or ref.upper() not in (positive, negative):
        return None
    if not isinstance(value, Sequence) or isinstance(value, str | bytes) or len(value) != 3:
        return None
    try:
        degrees, minutes, seconds = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    parts = (degrees, minutes, seconds)
    if not all(math.isfinite(part) and part >= 0 for part in parts) or minutes >= 60:
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if decimal > limit:
        return None
    return -decimal if ref.upper() == negative else decimal
