"""shared.image_metadata: EXIF read into PhotoMetadata (taken-at, camera, signed coordinates),
garbage fields ignored one by one."""

from __future__ import annotations

from datetime import datetime

import photokit
import piexif
import pytest

from shared.image_containers import ImageRefused
from shared.image_metadata import MAX_TEXT, photo_metadata


def _with(**blocks: dict[int, object]) -> bytes:
    return photokit.jpeg(64, 48, exif=piexif.dump(blocks))


def test_a_camera_photo_gives_every_field() -> None:
    data = photokit.jpeg(exif=photokit.exif_bytes(gps=(31.9973, -102.0779)))
    meta = photo_metadata(data, "IMG_1.JPG")
    assert meta.taken_at == photokit.TAKEN_AT  # naive: no OffsetTimeOriginal
    assert meta.taken_at is not None and meta.taken_at.tzinfo is None
    assert meta.camera == "Canon EOS R6"
    assert meta.latitude == pytest.approx(31.9973, abs=1e-6)
    assert meta.longitude == pytest.approx(-102.0779, abs=1e-6)
    assert (meta.original_name, meta.original_size) == ("IMG_1.JPG", len(data))


@pytest.mark.parametrize(
    ("gps", "signs"),
    [((10.5, 20.25), (1, 1)), ((-10.5, 20.25), (-1, 1)), ((10.5, -20.25), (1, -1))],
)
def test_south_and_west_are_negative(gps: tuple[float, float], signs: tuple[int, int]) -> None:
    meta = photo_metadata(photokit.jpeg(64, 48, exif=photokit.exif_bytes(gps=gps)))
    assert meta.latitude == pytest.approx(gps[0], abs=1e-6)
    assert meta.longitude == pytest.approx(gps[1], abs=1e-6)
    assert (meta.latitude or 0) * signs[0] > 0


def test_a_photo_without_exif_has_only_its_name_and_size() -> None:
    data = photokit.png_with_alpha(20, 10)
    meta = photo_metadata(data, "a.png")
    assert (meta.taken_at, meta.camera, meta.latitude, meta.longitude) == (None,) * 4
    assert (meta.original_name, meta.original_size) == ("a.png", len(data))


def test_the_make_is_not_repeated_and_a_lone_model_or_make_is_kept() -> None:
    cases = {
        (b"Apple", b"iPhone 15"): "Apple iPhone 15",
        (b"NIKON CORPORATION", b"NIKON D850"): "NIKON CORPORATION NIKON D850",
        (b"Canon", b"Canon EOS R6\x00\x00"): "Canon EOS R6",
        (b"", b"Pixel 8"): "Pixel 8",
    }
    for (make, model), camera in cases.items():
        data = photokit.jpeg(64, 48, exif=photokit.exif_bytes(make=make, model=model))
        assert photo_metadata(data).camera == camera


def test_the_offset_makes_taken_at_aware_and_digitized_is_the_fallback() -> None:
    data = _with(
        Exif={
            piexif.ExifIFD.DateTimeDigitized: b"2025:01:02 03:04:05",
            piexif.ExifIFD.OffsetTimeDigitized: b"+09:30",
        }
    )
    taken = photo_metadata(data).taken_at
    assert taken is not None
    assert taken.isoformat() == "2025-01-02T03:04:05+09:30"
    plain = _with(**{"0th": {piexif.ImageIFD.DateTime: b"2024:12:31 23:59:59"}})
    assert photo_metadata(plain).taken_at == datetime(2024, 12, 31, 23, 59, 59)


def test_no_fix_is_no_location() -> None:
    void = photokit.exif_bytes(gps=(31.5, -102.5))
    loaded = piexif.load(void)
    loaded["GPS"][piexif.GPSIFD.GPSStatus] = b"V"
    assert photo_metadata(photokit.jpeg(64, 48, exif=piexif.dump(loaded))).latitude is None
    zero = photokit.jpeg(64, 48, exif=photokit.exif_bytes(gps=(0.0, 0.0)))
    assert photo_metadata(zero).longitude is None


def test_garbage_fields_are_ignored_one_by_one() -> None:
    data = _with(
        **{
            "0th": {
                piexif.ImageIFD.Make: b"M" * (MAX_TEXT + 1),
                piexif.ImageIFD.Model: b"Rugged Cam",
            },
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2024:13:45 99:99:99"},
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((95, 1), (0, 1), (0, 1)),
                piexif.GPSIFD.GPSLongitudeRef: b"Q",
                piexif.GPSIFD.GPSLongitude: ((1, 1), (2, 1), (3, 1)),
            },
        }
    )
    meta = photo_metadata(data)
    assert meta.camera == "Rugged Cam"
    assert meta.taken_at is None
    assert (meta.latitude, meta.longitude) == (None, None)


def test_zero_denominators_are_ignored() -> None:
    meta = photo_metadata(photokit.oversized_exif_jpeg())
    assert (meta.camera, meta.taken_at, meta.latitude, meta.longitude) == (None,) * 4


def test_metadata_of_a_non_image_is_refused() -> None:
    with pytest.raises(ImageRefused) as caught:
        photo_metadata(photokit.svg_renamed())
    assert caught.value.code == "not_an_image"
