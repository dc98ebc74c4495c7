"""shared.image_checks: the hostile corpus of issue 17 §5 (real files from photokit), each refused
with its code and a sentence naming the reason; the limits hold before pixels are decoded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import photokit
import pytest

from shared.image_checks import (
    MAX_INPUT_BYTES,
    check_image,
    check_size,
    decoded,
    header,
)
from shared.image_containers import ImageRefused
from shared.images import process_photo

HOSTILE: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "pixel bomb 30,000 x 30,000 PNG": (photokit.pixel_bomb, "too_many_pixels", "900,000,000"),
    "pixel bomb 10,000 x 10,000 PNG": (
        lambda: photokit.pixel_bomb(10_000, 10_000),
        "too_many_pixels",
        "100,000,000 pixels",
    ),
    "20,000 px wide PNG": (
        lambda: photokit.pixel_bomb(20_000, 10),
        "too_many_pixels",
        "16,384 on a side",
    ),
    "truncated JPEG": (photokit.truncated_jpeg, "truncated", "cut short"),
    "JPEG + ZIP": (photokit.jpeg_with_zip, "trailing_data", "after the end of its JPEG"),
    "JPEG + HTML": (photokit.jpeg_with_html, "trailing_data", "after the end of its JPEG"),
    "SVG renamed .jpg": (photokit.svg_renamed, "not_an_image", "not an image"),
    "GIF of 3,000 frames": (photokit.animated_gif, "animated", "animated GIF"),
    "animated PNG": (photokit.animated_png, "animated", "animated PNG (3 frames)"),
    "animated WebP": (photokit.animated_webp, "animated", "animated WebP (3 frames)"),
    "300 KiB eXIf chunk": (photokit.huge_exif_png, "bad_metadata", "bytes of EXIF"),
    "zero bytes": (lambda: b"", "empty", "empty"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_each_hostile_file_is_refused_with_its_code_and_reason(name: str) -> None:
    make, code, words = HOSTILE[name]
    data = make()
    for guard in (check_image, process_photo):
        with pytest.raises(ImageRefused) as caught:
            guard(data)
        assert caught.value.code == code
        assert words in str(caught.value)
        assert "\n" not in str(caught.value)


def test_a_100_mb_file_is_refused_by_its_size_before_and_after_reading(tmp_path: Path) -> None:
    path = photokit.big_file(tmp_path / "huge.jpg")
    with pytest.raises(ImageRefused) as by_size:
        check_size(path.stat().st_size)
    assert by_size.value.code == "too_large"
    assert "100.0 MiB, over the limit of 25.0 MiB" in str(by_size.value)
    with pytest.raises(ImageRefused) as by_bytes:
        check_image(path.read_bytes())
    assert by_bytes.value.code == "too_large"


def test_the_size_limit_is_a_parameter() -> None:
    data = photokit.jpeg()
    check_image(data, max_bytes=len(data))
    with pytest.raises(ImageRefused) as caught:
        process_photo(data, max_bytes=len(data) - 1)
    assert caught.value.code == "too_large"
    assert MAX_INPUT_BYTES == 25 * 1024 * 1024


def test_an_end_marker_in_the_middle_of_the_scan_leaves_the_rest_as_trailing_data() -> None:
    data = bytearray(photokit.jpeg(400, 300))
    middle = data.index(b"\xff\xda") + 2000
    data[middle : middle + 2] = b"\xff\xd9"
    with pytest.raises(ImageRefused) as caught:
        check_image(bytes(data))
    assert caught.value.code == "trailing_data"


def test_a_png_with_a_bad_crc_fails_verify() -> None:
    data = bytearray(photokit.png_with_alpha())
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF
    with pytest.raises(ImageRefused) as caught:
        check_image(bytes(data))
    assert caught.value.code == "truncated"
    assert "fails to decode" in str(caught.value)


def test_garbage_exif_fields_do_not_refuse_the_photo() -> None:
    facts = check_image(photokit.oversized_exif_jpeg())
    assert facts.has_exif
    photo = process_photo(photokit.oversized_exif_jpeg())
    assert photo.metadata.camera is None
    assert photo.metadata.taken_at is None
    assert photo.metadata.latitude is None


def test_decoded_gives_loaded_pixels_and_header_does_not_decode() -> None:
    data = photokit.jpeg(320, 200)
    with decoded(data) as (image, facts):
        assert image.getpixel((1, 1)) is not None
        assert (facts.width, facts.height) == (320, 200)
    with header(photokit.pixel_bomb(8_000, 8_000)) as image:  # 64 MP: allowed, never decoded
        assert image.size == (8_000, 8_000)


def test_a_multi_picture_jpeg_gives_its_first_picture() -> None:
    data = photokit.multi_picture_jpeg()
    assert check_image(data).width == 800
    photo = process_photo(data)
    assert (photo.width, photo.height) == (800, 600)


def test_a_jpeg_appended_to_a_plain_jpeg_is_trailing_data() -> None:
    with pytest.raises(ImageRefused) as caught:
        check_image(photokit.jpeg(200, 100) + photokit.jpeg(100, 50))
    assert caught.value.code == "trailing_data"
    assert "another JPEG" in str(caught.value)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_between_one_and_two_limits_the_header_check_refuses_where_pillow_only_warns() -> None:
    # outside the tests Pillow only warns about 80-160 million pixels: the size check refuses
    with pytest.raises(ImageRefused) as caught:
        check_image(photokit.pixel_bomb(10_000, 10_000))
    assert caught.value.code == "too_many_pixels"
    assert "10,000 × 10,000 = 100,000,000 pixels, over the limit of 80,000,000" in str(caught.value)


def test_decoded_with_fit_scales_a_jpeg_by_dct_and_still_refuses_a_cut_one() -> None:
    data = photokit.jpeg(2000, 1000)
    with decoded(data, fit=400) as (image, facts):
        assert image.size == (500, 250)  # 1/4: the largest step that stays above 400
        assert facts.width == 2000
    with decoded(data, fit=1500) as (image, _facts):
        assert image.size == (2000, 1000)  # half would be under 1500
    with pytest.raises(ImageRefused) as caught, decoded(data[: len(data) // 2], fit=100):
        pass
    assert caught.value.code == "truncated"
