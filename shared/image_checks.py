"""The guards every photo passes before anything uses its pixels (docs/photos.md).

In order: not empty, at most ``max_bytes`` (default :data:`MAX_INPUT_BYTES`); the format sniffed
from the bytes (JPEG, PNG, HEIC/HEIF, WebP; GIF and every other format refused); the container
walked to its end (truncated and polyglot files refused, :mod:`shared.image_containers`); the
header read by Pillow, restricted to the sniffed format, and its size checked against
:data:`MAX_SIDE` and :data:`MAX_PIXELS` before one pixel is decoded; more than one frame refused
(animated PNG/WebP, HEIF bursts; a multi-picture JPEG's first picture is
the photo); an EXIF block over
:data:`MAX_EXIF_BYTES` refused ("bad_metadata"); then Pillow's ``verify()``, a fresh open and a
full ``load()`` — a decoder error is "truncated".

Global Pillow state, set once at import and never changed afterwards: ``Image.MAX_IMAGE_PIXELS``
is :data:`MAX_PIXELS` (Pillow itself then refuses anything over twice that while reading a
header, and warns between once and twice; the check here refuses both), and pillow-heif's opener
is registered so Pillow reads HEIC/HEIF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageFile

from shared.image_containers import Container, ImageRefused, container_end, sniff

ACCEPTED_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "HEIF": "image/heic",
    "WEBP": "image/webp",
}
MAX_INPUT_BYTES = 25 * 1024 * 1024  # before processing (the per-photo default)
MAX_PIXELS = 80_000_000
MAX_SIDE = 16_384
MAX_EXIF_BYTES = 256 * 1024  # a camera's EXIF fits in one 64 KiB JPEG segment

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

_WORDS = {"JPEG": "JPEG", "PNG": "PNG", "HEIF": "HEIC", "WEBP": "WebP"}


@dataclass(frozen=True)
class ImageFacts:
    """What the guards learnt of an accepted photo (width and height as stored, before any EXIF
    orientation is applied)."""

    format: str
    content_type: str
    width: int
    height: int
    has_exif: bool


def check_size(size: int, max_bytes: int = MAX_INPUT_BYTES) -> None:
    """Refuse a photo of `size` bytes before reading it ("empty", "too_large")."""
    if size == 0:
        raise ImageRefused("empty", "is empty (0 bytes)")
    if size > max_bytes:
        raise ImageRefused(
            "too_large",
            f"is {_mib(size)}, over the limit of {_mib(max_bytes)} per photo",
        )


def check_image(data: bytes, *, max_bytes: int = MAX_INPUT_BYTES) -> ImageFacts:
    """Every guard of this module over `data`; the facts of an accepted photo, else
    :class:`ImageRefused`."""
    with decoded(data, max_bytes=max_bytes) as (_image, facts):
        return facts


@contextmanager
def decoded(
    data: bytes, *, max_bytes: int = MAX_INPUT_BYTES, fit: int | None = None
) -> Iterator[tuple[ImageFile.ImageFile, ImageFacts]]:
    """``with decoded(data) as (image, facts)``: the photo passed every guard and its pixels are
    loaded (``image.info`` still holds its EXIF and ICC profile). With `fit`, a JPEG that is at
    least twice that on its long edge is decoded at 1/2, 1/4 or 1/8 of its size (libjpeg's DCT
    scaling: every byte is still decoded, so damage is still found), never below `fit`; ``facts``
    keep the stored size."""
    check_size(len(data), max_bytes)
    image, facts = _checked_header(data)
    try:
        image.verify()
    except Exception as exc:
        raise _damaged(facts.format, exc) from exc
    finally:
        image.close()
    with _open(data, facts.format) as image:
        if fit is not None and facts.format == "JPEG":
            scale = fit / max(image.size)
            image.draft(None, (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
        try:
            image.load()
        except Exception as exc:
            raise _damaged(facts.format, exc) from exc
        yield image, facts


@contextmanager
def header(data: bytes, *, max_bytes: int = MAX_INPUT_BYTES) -> Iterator[ImageFile.ImageFile]:
    """``with header(data) as image``: the photo's format, container, size and frames passed the
    guards; no pixel is decoded (its EXIF can be read)."""
    check_size(len(data), max_bytes)
    image, _facts = _checked_header(data)
    with image:
        yield image


def _checked_header(data: bytes) -> tuple[ImageFile.ImageFile, ImageFacts]:
    try:
        fmt = sniff(data)
    except ImageRefused as refused:
        if data.startswith(b"GIF8"):
            _refuse_gif(data, refused)
        raise
    container = container_end(data, fmt)
    image = _open(data, fmt)
    try:
        facts = _facts(image, fmt, container)
    except BaseException:
        image.close()
        raise
    return image, facts


def _refuse_gif(data: bytes, refused: ImageRefused) -> None:
    """An animated GIF is refused as "animated" (its header and second frame are read), any
    other GIF as the unsupported format it is."""
    try:
        with Image.open(io.BytesIO(data), formats=["GIF"]) as gif:
            animated = bool(getattr(gif, "is_animated", False))
    except Exception:
        return
    if animated:
        raise ImageRefused(
            "animated", "is an animated GIF; only still photos are taken"
        ) from refused


def _open(data: bytes, fmt: str) -> ImageFile.ImageFile:
    """Pillow's reader of exactly `fmt` over `data`, its size checked before any decoding."""
    try:
        image = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow read a size over MAX_PIXELS (a warning is raised only where warnings are errors)
        found = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
        raise ImageRefused(
            "too_many_pixels",
            f"has {count}, over the limit of {MAX_PIXELS:,} (a decompression bomb)",
        ) from exc
    except Exception as exc:
        raise _damaged(fmt, exc) from exc
    return image


def _facts(image: ImageFile.ImageFile, fmt: str, container: Container) -> ImageFacts:
    width, height = image.size
    word = _WORDS[fmt]
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageRefused(
            "too_many_pixels",
            f"is {width:,} × {height:,} pixels, over the limit of {MAX_SIDE:,} on a side",
        )
    if width * height > MAX_PIXELS:
        raise ImageRefused(
            "too_many_pixels",
            f"is {width:,} × {height:,} = {width * height:,} pixels, "
            f"over the limit of {MAX_PIXELS:,}",
        )
    if width < 1 or height < 1:
        raise ImageRefused("truncated", f"is damaged: its {word} header says it has no pixels")
    if container.pictures > 1 and image.format != "MPO":
        raise ImageRefused(
            "trailing_data",
            "carries another JPEG after the end of its own, not declared as a multi-picture file",
        )
    frames = 1 if image.format == "MPO" else _frames(image)  # MPO: the first picture is used
    if frames > 1:
        raise ImageRefused(
            "animated", f"is an animated {word} ({frames} frames); only still photos are taken"
        )
    raw_exif = image.info.get("exif")
    exif_bytes = max(container.exif_bytes, len(raw_exif) if isinstance(raw_exif, bytes) else 0)
    if exif_bytes > MAX_EXIF_BYTES:
        raise ImageRefused(
            "bad_metadata",
            f"carries {exif_bytes:,} bytes of EXIF metadata, over the limit of "
            f"{MAX_EXIF_BYTES:,} (no camera writes that much)",
        )
    return ImageFacts(
        format=fmt,
        content_type=ACCEPTED_FORMATS[fmt],
        width=width,
        height=height,
        has_exif=exif_bytes > 0,
    )


def _frames(image: ImageFile.ImageFile) -> int:
    try:
        return int(getattr(image, "n_frames", 1))
    except Exception as exc:
        raise _damaged(image.format or "image", exc) from exc


def _damaged(fmt: str, exc: BaseException) -> ImageRefused:
    word = _WORDS.get(fmt, fmt)
    reason = str(exc).strip().rstrip(".") or type(exc).__name__
    return ImageRefused(
        "truncated", f"is damaged or cut short: its {word} data fails to decode ({reason})"
    )


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"
