"""shared.image_containers: formats told from the bytes alone, and the container walked to its
real end (a camera's padding and an EXIF thumbnail are fine; anything else after the end is not)."""

from __future__ import annotations

import io

import photokit
import pytest
from PIL import Image

from shared.image_containers import (
    TRAILING_TOLERANCE,
    ImageRefused,
    container_end,
    sniff,
)


def _refusal(data: bytes) -> ImageRefused:
    with pytest.raises(ImageRefused) as caught:
        container_end(data, sniff(data))
    return caught.value


def test_the_four_formats_are_sniffed_whatever_their_name() -> None:
    assert sniff(photokit.jpeg(64, 48)) == "JPEG"
    assert sniff(photokit.png_with_alpha(8, 8)) == "PNG"
    assert sniff(photokit.webp(64, 48)) == "WEBP"
    assert sniff(photokit.heic(64, 48)) == "HEIF"


@pytest.mark.parametrize(
    ("fmt", "word"), [("GIF", "GIF"), ("BMP", "BMP"), ("TIFF", "TIFF"), ("PDF", "PDF")]
)
def test_other_image_formats_are_unsupported(fmt: str, word: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, fmt)
    with pytest.raises(ImageRefused) as caught:
        sniff(out.getvalue())
    assert caught.value.code == "unsupported_format"
    assert f"is a {word} file" in str(caught.value)


def test_avif_is_unsupported_and_text_is_not_an_image() -> None:
    avif = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"
    with pytest.raises(ImageRefused) as caught:
        sniff(avif)
    assert caught.value.code == "unsupported_format"
    for text in (photokit.svg_renamed(), b"<html></html>", b"PK\x03\x04", bytes(1000)):
        with pytest.raises(ImageRefused) as caught:
            sniff(text)
        assert caught.value.code == "not_an_image"


def test_the_end_of_each_format_is_found_exactly() -> None:
    for data in (
        photokit.jpeg(300, 200),
        photokit.png_with_alpha(30, 20),
        photokit.webp(64, 48),
        photokit.heic(64, 48),
    ):
        assert container_end(data, sniff(data)).end == len(data)


def test_a_progressive_jpeg_with_an_exif_thumbnail_is_walked_to_its_end() -> None:
    thumb = photokit.jpeg(160, 120, exif=b"")  # its own end marker sits inside APP1
    import piexif

    block = piexif.dump({"0th": {}, "1st": {}, "thumbnail": thumb})
    out = io.BytesIO()
    photokit.picture(640, 480).save(out, "JPEG", progressive=True, exif=block, quality=90)
    data = out.getvalue()
    found = container_end(data, "JPEG")
    assert found.end == len(data)
    assert found.exif_bytes > len(thumb)


def test_padding_and_a_few_bytes_after_the_end_are_tolerated() -> None:
    data = photokit.jpeg(100, 80)
    container_end(data + bytes(5000), "JPEG")
    container_end(data + b"\xff" * 300, "JPEG")
    container_end(data + b"x" * TRAILING_TOLERANCE, "JPEG")
    refused = _refusal(data + b"x" * (TRAILING_TOLERANCE + 1))
    assert refused.code == "trailing_data"
    assert f"{TRAILING_TOLERANCE + 1} bytes" in str(refused)


@pytest.mark.parametrize("make", [photokit.png_with_alpha, photokit.webp, photokit.heic])
def test_trailing_data_and_truncation_in_every_format(make: object) -> None:
    data: bytes = make()  # type: ignore[operator]
    assert _refusal(data + b"PK\x03\x04" + bytes(range(256)) * 4).code == "trailing_data"
    assert _refusal(data[: len(data) * 2 // 3]).code == "truncated"


def test_a_jpeg_without_its_end_marker_is_truncated() -> None:
    data = photokit.jpeg(100, 80)
    refused = _refusal(data[:-2])
    assert refused.code == "truncated"
    assert "cut short" in str(refused)


def test_a_png_chunk_with_an_impossible_length_is_refused() -> None:
    data = bytearray(photokit.png_with_alpha(8, 8))
    data[33:37] = b"\xff\xff\xff\xf0"  # the length of the chunk after IHDR
    assert _refusal(bytes(data)).code == "truncated"


def test_every_picture_of_a_multi_picture_jpeg_is_walked() -> None:
    data = photokit.multi_picture_jpeg()
    found = container_end(data, "JPEG")
    assert (found.end, found.pictures) == (len(data), 2)
    assert _refusal(data + b"<html>" * 10).code == "trailing_data"
