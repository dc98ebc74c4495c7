"""Real photo files for the tests, made on the fly: camera-like JPEGs with EXIF written by piexif,
PNG with alpha, WebP, HEIC (pillow-heif writes it), and the hostile corpus of issue 17 §5 — each
cheap to make (the pixel bomb is a hand-written PNG of a few KiB, the big file is sparse)."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime
from pathlib import Path

import piexif
import pillow_heif
from PIL import Image, ImageDraw

pillow_heif.register_heif_opener()

TAKEN_AT = datetime(2026, 5, 6, 7, 8, 9)


def picture(width: int = 800, height: int = 600, mode: str = "RGB") -> Image.Image:
    """A picture with structure (gradients, shapes, a marked top-left corner): compressible like
    a photo, and whose orientation can be told after a rotation."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    draw = ImageDraw.Draw(image)
    for i in range(0, width, max(1, width // 12)):
        draw.line([(i, 0), (width - i, height)], fill=(200, 80, 40) if mode != "L" else 128)
    draw.ellipse([width // 4, height // 4, width * 3 // 4, height * 3 // 4], outline="white")
    draw.rectangle([0, 0, width // 8, height // 8], fill="red" if mode != "L" else 255)
    return image


def exif_bytes(
    *,
    taken_at: datetime | None = TAKEN_AT,
    offset: str | None = None,
    make: bytes = b"Canon",
    model: bytes = b"Canon EOS R6",
    orientation: int | None = 1,
    gps: tuple[float, float] | None = (31.9973, -102.0779),
) -> bytes:
    """An EXIF block written by piexif: DateTimeOriginal, Make/Model, Orientation, GPS."""
    zeroth: dict[int, object] = {piexif.ImageIFD.Make: make, piexif.ImageIFD.Model: model}
    if orientation is not None:
        zeroth[piexif.ImageIFD.Orientation] = orientation
    details: dict[int, object] = {}
    if taken_at is not None:
        details[piexif.ExifIFD.DateTimeOriginal] = taken_at.strftime("%Y:%m:%d %H:%M:%S").encode()
    if offset is not None:
        details[piexif.ExifIFD.OffsetTimeOriginal] = offset.encode()
    located: dict[int, object] = {}
    if gps is not None:
        lat, lon = gps
        located = {
            piexif.GPSIFD.GPSLatitudeRef: b"N" if lat >= 0 else b"S",
            piexif.GPSIFD.GPSLatitude: _dms(abs(lat)),
            piexif.GPSIFD.GPSLongitudeRef: b"E" if lon >= 0 else b"W",
            piexif.GPSIFD.GPSLongitude: _dms(abs(lon)),
        }
    return bytes(piexif.dump({"0th": zeroth, "Exif": details, "GPS": located}))


def _dms(value: float) -> tuple[tuple[int, int], ...]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 10_000)
    return ((degrees, 1), (minutes, 1), (seconds, 10_000))


def jpeg(
    width: int = 800,
    height: int = 600,
    *,
    exif: bytes | None = None,
    quality: int = 92,
    comment: bytes | None = None,
    icc: bytes | None = None,
) -> bytes:
    """A camera-like JPEG; `exif` defaults to :func:`exif_bytes` (b"" for none)."""
    extra: dict[str, object] = {"exif": exif_bytes() if exif is None else exif}
    if comment is not None:
        extra["comment"] = comment
    if icc is not None:
        extra["icc_profile"] = icc
    return _save(picture(width, height), "JPEG", quality=quality, **extra)


def multi_picture_jpeg() -> bytes:
    """A multi-picture JPEG (MPO): an 800 x 600 photo and a 200 x 150 second picture after it, as
    cameras store a large preview and recent phones an HDR gain map."""
    second = picture(200, 150).transpose(Image.Transpose.ROTATE_180)
    return _save(picture(800, 600), "MPO", save_all=True, append_images=[second])


def png_with_alpha(width: int = 400, height: int = 300) -> bytes:
    """An RGBA PNG: opaque blue on the left half, fully transparent on the right."""
    image = Image.new("RGBA", (width, height), (0, 0, 255, 255))
    ImageDraw.Draw(image).rectangle([width // 2, 0, width, height], fill=(255, 0, 0, 0))
    return _save(image, "PNG")


def webp(width: int = 640, height: int = 480, *, exif: bytes = b"") -> bytes:
    return _save(picture(width, height), "WEBP", quality=85, **({"exif": exif} if exif else {}))


def heic(width: int = 640, height: int = 480, *, exif: bytes = b"") -> bytes:
    return _save(picture(width, height), "HEIF", quality=80, **({"exif": exif} if exif else {}))


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


# --- the hostile corpus (issue 17 §5) ------------------------------------------------------------


def pixel_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A real, valid 1-bit PNG of `width` × `height` pixels, all black: about 100 KiB on disk,
    900 million pixels decoded. Made in a few milliseconds: a block of rows is compressed twice
    with a sync flush, and the second block's bytes (which only refer back to identical rows) are
    repeated; the Adler-32 of the whole stream is computed over the real rows."""
    row = b"\x00" + bytes((width + 7) // 8)  # filter byte + packed pixels
    per_block = min(height, 1000)
    block = row * per_block
    blocks, rest = divmod(height, per_block)
    squeeze = zlib.compressobj(9)
    first = squeeze.compress(block) + squeeze.flush(zlib.Z_SYNC_FLUSH)
    repeated = squeeze.compress(block) + squeeze.flush(zlib.Z_SYNC_FLUSH) if blocks > 1 else b""
    stream = bytearray(first)
    stream += repeated * (blocks - 1)
    checksum = 1
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: the last rows, final block
    stream += tail.compress(row * rest) + tail.flush()
    checksum = zlib.adler32(row * rest, checksum)
    stream += struct.pack(">I", checksum)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", bytes(stream))
        + _chunk(b"IEND", b"")
    )


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def truncated_jpeg() -> bytes:
    """A camera-like JPEG cut at 60 % (the rest of the scan and the end marker missing)."""
    whole = jpeg()
    return whole[: len(whole) * 6 // 10]


def jpeg_with_zip() -> bytes:
    """A JPEG with a ZIP archive appended (a polyglot: both an image and an archive)."""
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("payload.txt", "not a photo " * 100)
    return jpeg() + archive.getvalue()


def jpeg_with_html() -> bytes:
    return jpeg() + b"<html><body><script>alert('owned')</script></body></html>\n"


def svg_renamed() -> bytes:
    """An SVG (text, with a script) as it would sit in a file named photo.jpg."""
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" '
        b'height="100"><script>alert(1)</script><rect width="100" height="100"/></svg>\n'
    )


def animated_gif(frames: int = 3000) -> bytes:
    """A looping GIF of `frames` 1 × 1 frames, black and white in turn, written by hand (Pillow
    takes seconds to save thousands of frames)."""
    screen = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    control = b"\x21\xf9\x04\x00\x02\x00\x00\x00"  # 20 ms a frame
    descriptor = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0)
    # LZW, minimum code size 2: clear (4), the pixel, end (5), in 3-bit codes
    black, white = b"\x02\x02\x44\x01\x00", b"\x02\x02\x4c\x01\x00"
    pair = control + descriptor + black + control + descriptor + white
    body = pair * (frames // 2) + (control + descriptor + black if frames % 2 else b"")
    return screen + loop + body + b"\x3b"


def animated_png(frames: int = 3) -> bytes:
    images = [Image.new("RGB", (32, 32), (i * 60, 0, 0)) for i in range(frames)]
    return _save(images[0], "PNG", save_all=True, append_images=images[1:])


def animated_webp(frames: int = 3) -> bytes:
    images = [Image.new("RGB", (32, 32), (0, i * 60, 0)) for i in range(frames)]
    return _save(images[0], "WEBP", save_all=True, append_images=images[1:])


def oversized_exif_jpeg() -> bytes:
    """A JPEG whose EXIF fields are absurd: a 20,000-character Make, a Model of control bytes, a
    date of zeros, and GPS with zero denominators and a latitude of 400°."""
    block = piexif.dump(
        {
            "0th": {piexif.ImageIFD.Make: b"A" * 20_000, piexif.ImageIFD.Model: b"\x01\x02\x03"},
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"0000:00:00 00:00:00"},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((400, 1), (0, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"W",
                piexif.GPSIFD.GPSLongitude: ((1, 0), (2, 0), (3, 0)),
            },
        }
    )
    return jpeg(exif=block)


def huge_exif_png(size: int = 300 * 1024) -> bytes:
    """A PNG with an eXIf chunk of `size` bytes (no camera writes more than 64 KiB)."""
    body = _save(picture(64, 48), "PNG")
    block = b"MM\x00*\x00\x00\x00\x08\x00\x00" + bytes(size)
    return body[:-12] + _chunk(b"eXIf", block) + body[-12:]


def big_file(path: Path, size: int = 100 * 1024 * 1024) -> Path:
    """A `size`-byte file at `path` that starts like a JPEG and is zeros after (sparse where the
    file system allows): never in memory."""
    with path.open("wb") as out:
        out.write(b"\xff\xd8\xff\xe0")
        out.truncate(size)
    return path
