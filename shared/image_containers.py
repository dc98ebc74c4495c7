"""What a photo's bytes are, read from the bytes alone, and where its container really ends.

:func:`sniff` names the format from the leading bytes (a file's name is never trusted);
:func:`container_end` walks the container's own structure (JPEG marker segments and entropy-coded
scans, PNG chunks, the WebP RIFF size, HEIF's ISO-BMFF boxes) and answers where the image ends and
how large its EXIF block is, or raises :class:`ImageRefused` when the bytes stop before the end
("truncated") or something else follows the end ("trailing_data": a ZIP, an HTML page, a script —
a polyglot file). Up to :data:`TRAILING_TOLERANCE` bytes of anything, and any run of NUL or 0xFF
padding, may follow the end: some cameras pad their files.

No Pillow here: these checks run before a decoder sees the bytes.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

TRAILING_TOLERANCE = 16

_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # a literal first: a fast scan
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
# Image formats recognised only to name them in a refusal; never handed to a decoder.
_UNSUPPORTED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
)


class ImageRefused(ValueError):
    """A photo that is not taken. ``str(exc)`` is one human sentence; ``exc.code`` a stable word:
    "empty", "too_large", "not_an_image", "unsupported_format", "too_many_pixels", "truncated",
    "trailing_data", "animated" or "bad_metadata"."""

    code: str

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Container:
    """Where the image ends inside the bytes (after every picture of a multi-picture JPEG), the
    size of its EXIF block (0: none) and how many pictures it holds."""

    end: int
    exif_bytes: int
    pictures: int = 1


def sniff(data: bytes) -> str:
    """The format of `data` by its magic bytes: "JPEG", "PNG", "WEBP" or "HEIF", else a refusal
    ("unsupported_format" for an image format this app does not take, "not_an_image" for
    anything else — an SVG or an HTML page is text, never an image here)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(_PNG_SIGNATURE):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp":
        brands = {data[i : i + 4] for i in range(8, min(len(data), _box_size(data, 0)), 4)}
        if data[8:12] in _AVIF_BRANDS:
            raise ImageRefused("unsupported_format", "is an AVIF image, which is not taken")
        if brands & _HEIF_BRANDS:
            return "HEIF"
    for magic, name in _UNSUPPORTED_MAGIC:
        if data.startswith(magic):
            raise ImageRefused("unsupported_format", f"is a {name} file, which is not taken")
    raise ImageRefused("not_an_image", "is not an image (not a JPEG, PNG, HEIC or WebP)")


def container_end(data: bytes, fmt: str) -> Container:
    """Walk the container of `data` (format `fmt` from :func:`sniff`) to its end; refuse bytes
    that stop early or carry something after the image."""
    if fmt == "JPEG":
        found = _jpeg_end(data, 0)
        # A multi-picture JPEG (MPF: a camera's large preview, the HDR gain map of recent phones)
        # carries its other pictures as whole JPEGs after the first one's end.
        while data.startswith(b"\xff\xd8\xff", found.end):
            following = _jpeg_end(data, found.end)
            found = Container(following.end, found.exif_bytes, found.pictures + 1)
    elif fmt == "PNG":
        found = _png_end(data)
    elif fmt == "WEBP":
        found = _webp_end(data)
    else:
        found = _heif_end(data)
    _refuse_trailing(data, found.end, fmt)
    return found


def _refuse_trailing(data: bytes, end: int, fmt: str) -> None:
    tail = data[end:]
    extra = len(tail.rstrip(b"\x00\xff"))
    if extra > TRAILING_TOLERANCE:
        raise ImageRefused(
            "trailing_data",
            f"carries {extra:,} bytes of something else after the end of its {fmt} image "
            "(a file hidden inside a photo)",
        )


def _truncated(fmt: str, what: str) -> ImageRefused:
    return ImageRefused("truncated", f"is cut short: its {fmt} data stops {what}")


def _jpeg_end(data: bytes, start: int) -> Container:
    pos, size, exif = start + 2, len(data), 0
    while True:
        if pos >= size:
            raise _truncated("JPEG", "before the end-of-image marker")
        if data[pos] != 0xFF:
            raise ImageRefused("truncated", "is damaged: its JPEG markers are broken")
        while pos < size and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= size:
            raise _truncated("JPEG", "before the end-of-image marker")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            return Container(end=pos, exif_bytes=exif)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # RSTn / TEM: no length
            continue
        if pos + 2 > size:
            raise _truncated("JPEG", "inside a marker")
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2 or pos + length > size:
            raise _truncated("JPEG", "inside a segment")
        if marker == 0xE1 and data[pos + 2 : pos + 8] == b"Exif\x00\x00":
            exif += length - 8
        pos += length
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            pos = _scan_end(data, pos)


def _scan_end(data: bytes, pos: int) -> int:
    """The offset of the first marker after the entropy-coded data starting at `pos` (a 0xFF
    followed by 0x00 is a stuffed data byte, by 0xD0-0xD7 a restart marker: both part of it)."""
    found = _NEXT_MARKER.search(data, pos)
    if found is None:
        raise _truncated("JPEG", "inside its image data")
    return found.start()


def _png_end(data: bytes) -> Container:
    pos, size, exif = len(_PNG_SIGNATURE), len(data), 0
    while True:
        if pos + 8 > size:
            raise _truncated("PNG", "before its IEND chunk")
        length, kind = struct.unpack_from(">I4s", data, pos)
        if length > 0x7FFFFFFF:
            raise ImageRefused("truncated", "is damaged: a PNG chunk has an impossible length")
        end = pos + 12 + length
        if end > size:
            raise _truncated("PNG", f"inside its {kind.decode('latin-1')!r} chunk")
        if kind == b"eXIf":
            exif += length
        if kind == b"IEND":
            return Container(end=end, exif_bytes=exif)
        pos = end


def _webp_end(data: bytes) -> Container:
    if len(data) < 12:
        raise _truncated("WebP", "inside its header")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = 8 + riff_size + (riff_size & 1)
    if end > len(data):
        raise _truncated("WebP", f"at {len(data):,} of the {end:,} bytes its header announces")
    pos, exif = 12, 0
    while pos + 8 <= end:
        kind, length = struct.unpack_from("<4sI", data, pos)
        if kind == b"EXIF":
            exif += length
        pos += 8 + length + (length & 1)
    return Container(end=end, exif_bytes=exif)


def _box_size(data: bytes, pos: int) -> int:
    """The size of the ISO-BMFF box at `pos` (0: the box runs to the end of the file)."""
    if pos + 8 > len(data):
        return 0
    (size,) = struct.unpack_from(">I", data, pos)
    if size == 1:
        if pos + 16 > len(data):
            return 0
        (size,) = struct.unpack_from(">Q", data, pos + 8)
    elif size == 0:
        return len(data) - pos
    return int(size)


def _heif_end(data: bytes) -> Container:
    pos, size = 0, len(data)
    while pos < size:
        kind = data[pos + 4 : pos + 8]
        if size - pos < 8 or not all(0x20 <= byte < 0x7F for byte in kind):
            return Container(end=pos, exif_bytes=0)  # not a box: whatever it is is trailing
        box = _box_size(data, pos)
        if box < 8:
            raise ImageRefused("truncated", "is damaged: a HEIF box has an impossible size")
        if pos + box > size:
            raise _truncated("HEIF", f"inside its {kind.decode('ascii')!r} box")
        pos += box
    # HEIF keeps EXIF as an item inside the mdat box; its size is read from the decoder's info.
    return Container(end=pos, exif_bytes=0)
