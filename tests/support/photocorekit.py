"""Real image files for the laptop's photo tests, written with Pillow (with real EXIF)."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

from PIL import ExifTags, Image

# a pump jack near Midland, as a camera writes it: degrees, minutes, seconds
GPS_LAT, GPS_LON = 31.958333, -102.15


def _pixels(size: tuple[int, int], seed: int) -> Image.Image:
    """A photo-like image: a gradient with noise, different for every seed."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    tint = Image.new("RGB", size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    noise = Image.effect_noise(size, 40).convert("RGB")
    return Image.blend(Image.blend(base, tint, 0.5), noise, 0.2)


def camera_exif(
    *, taken: datetime | None = None, gps: tuple[float, float] | None = None
) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Rugged"
    exif[ExifTags.Base.Model] = "FieldCam 9"
    if taken is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime(
            "%Y:%m:%d %H:%M:%S"
        )
    if gps is not None:
        lat, lon = gps
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N" if lat >= 0 else "S"
        info[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        info[ExifTags.GPS.GPSLongitudeRef] = "E" if lon >= 0 else "W"
        info[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def write_jpeg(
    path: Path,
    *,
    seed: int = 1,
    size: tuple[int, int] = (800, 600),
    taken: datetime | None = None,
    gps: tuple[float, float] | None = None,
) -> Path:
    _pixels(size, seed).save(path, "JPEG", quality=90, exif=camera_exif(taken=taken, gps=gps))
    return path


def write_png(path: Path, *, seed: int = 2, size: tuple[int, int] = (400, 300)) -> Path:
    _pixels(size, seed).save(path, "PNG")
    return path


def write_not_an_image(path: Path) -> Path:
    path.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>")
    return path
