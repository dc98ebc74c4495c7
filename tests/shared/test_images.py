"""shared.images: real photos processed (orientation, size, no metadata out, thumbnail, stable
hash), through Pillow files made by tests/support/photokit.py."""

from __future__ import annotations

import hashlib
import io

import photokit
import piexif
import pytest
from PIL import Image

from shared import images
from shared.images import ImageRefused, process_photo, thumbnail_of, without_metadata


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _has_no_metadata(data: bytes) -> None:
    image = _open(data)
    assert image.format == "JPEG"
    assert not image.getexif()
    for key in ("exif", "xmp", "icc_profile", "comment", "photoshop"):
        assert key not in image.info
    assert b"Exif\x00\x00" not in data
    assert b"http://ns.adobe.com/xap" not in data


def test_a_camera_jpeg_is_resized_to_the_long_edge_without_exif() -> None:
    photo = process_photo(photokit.jpeg(3200, 2400, comment=b"secret"), "IMG_0001.JPG")
    assert (photo.width, photo.height) == (2560, 1920)
    assert _open(photo.data).size == (2560, 1920)
    _has_no_metadata(photo.data)
    assert b"secret" not in photo.data
    assert _open(photo.data).info.get("progressive") == 1
    assert photo.sha256 == hashlib.sha256(photo.data).hexdigest()


def test_the_thumbnail_is_320_on_the_long_edge() -> None:
    photo = process_photo(photokit.jpeg(1200, 900))
    thumb = _open(photo.thumbnail)
    assert thumb.size == (320, 240)
    _has_no_metadata(photo.thumbnail)
    assert _open(thumbnail_of(photokit.jpeg(300, 1200))).size == (80, 320)


def test_a_small_photo_is_never_upscaled() -> None:
    photo = process_photo(photokit.jpeg(640, 480))
    assert (photo.width, photo.height) == (640, 480)


def test_identical_inputs_give_identical_bytes() -> None:
    data = photokit.jpeg(1600, 1200)
    first, second = process_photo(data, "a.jpg"), process_photo(bytes(data), "b.jpg")
    assert first.data == second.data
    assert first.sha256 == second.sha256


def test_an_exif_rotated_portrait_comes_out_portrait_and_upright() -> None:
    # stored landscape 3000 x 2000 with Orientation 6: the camera was held upright
    data = photokit.jpeg(3000, 2000, exif=photokit.exif_bytes(orientation=6))
    photo = process_photo(data)
    assert (photo.width, photo.height) == (1707, 2560)
    upright = _open(photo.data).convert("RGB")
    # the red marker of the stored top-left corner is now at the top right
    assert _is_red(upright.getpixel((photo.width - 20, 20)))
    assert not _is_red(upright.getpixel((20, 20)))
    assert _open(photo.thumbnail).size == (213, 320)


def _is_red(pixel: object) -> bool:
    red, green, blue = pixel  # type: ignore[misc]
    return bool(red > 200 and green < 60 and blue < 60)


def test_metadata_is_read_with_signed_coordinates() -> None:
    data = photokit.jpeg(exif=photokit.exif_bytes(gps=(-33.8688, -70.6693), offset="-05:00"))
    meta = process_photo(data, "spill.jpg").metadata
    assert meta.camera == "Canon EOS R6"
    assert meta.taken_at is not None
    assert meta.taken_at.replace(tzinfo=None) == photokit.TAKEN_AT
    assert meta.taken_at.utcoffset() is not None
    assert meta.taken_at.utcoffset().total_seconds() == -5 * 3600  # type: ignore[union-attr]
    assert meta.latitude == pytest.approx(-33.8688, abs=1e-6)
    assert meta.longitude == pytest.approx(-70.6693, abs=1e-6)
    assert meta.original_name == "spill.jpg"
    assert meta.original_size == len(data)


def test_png_alpha_is_flattened_on_white() -> None:
    photo = process_photo(photokit.png_with_alpha())
    image = _open(photo.data).convert("RGB")
    left, right = image.getpixel((50, 150)), image.getpixel((350, 150))
    assert left[2] > 200 and left[0] < 60  # opaque blue stays blue
    assert min(right) > 240  # transparent becomes white


@pytest.mark.parametrize("make", [photokit.webp, photokit.heic])
def test_webp_and_heic_are_accepted(make: object) -> None:
    data = make()  # type: ignore[operator]
    facts = images.check_image(data)
    assert facts.content_type in {"image/webp", "image/heic"}
    photo = process_photo(data, "x")
    assert (photo.width, photo.height) == (640, 480)
    _has_no_metadata(photo.data)


def test_heic_exif_is_read() -> None:
    meta = images.photo_metadata(photokit.heic(exif=photokit.exif_bytes()))
    assert meta.camera == "Canon EOS R6"
    assert meta.latitude == pytest.approx(31.9973, abs=1e-6)


def test_check_image_names_format_and_size() -> None:
    facts = images.check_image(photokit.jpeg(800, 600))
    assert facts == images.ImageFacts("JPEG", "image/jpeg", 800, 600, True)
    assert not images.check_image(photokit.png_with_alpha()).has_exif


def test_without_metadata_keeps_the_pixels_of_a_processed_photo() -> None:
    photo = process_photo(photokit.jpeg(900, 600))
    with_exif = _with_exif(photo.data)
    stripped = without_metadata(with_exif)
    _has_no_metadata(stripped)
    scans = photo.data[photo.data.index(b"\xff\xda") :]
    assert stripped.endswith(scans)  # the compressed image data untouched
    assert len(stripped) < len(with_exif)


def _with_exif(data: bytes) -> bytes:
    out = io.BytesIO()
    piexif.insert(photokit.exif_bytes(), data, out)
    return out.getvalue()


def test_without_metadata_turns_an_oriented_photo_upright() -> None:
    data = photokit.jpeg(600, 400, exif=photokit.exif_bytes(orientation=8))
    stripped = without_metadata(data)
    _has_no_metadata(stripped)
    assert _open(stripped).size == (400, 600)


def test_a_refusal_is_a_value_error_with_a_code() -> None:
    with pytest.raises(ImageRefused) as caught:
        process_photo(b"")
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == "empty"
    assert "empty" in str(caught.value)


def _saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    "image",
    [
        Image.new("L", (300, 200), 90),
        Image.new("1", (300, 200), 1),
        Image.new("I;16", (300, 200), 40_000),
        Image.new("P", (300, 200), 3),
        Image.new("LA", (300, 200), (10, 0)),
    ],
    ids=lambda image: image.mode,
)
def test_every_png_mode_comes_out_rgb(image: Image.Image) -> None:
    photo = process_photo(_saved(image, "PNG"))
    out = _open(photo.data)
    assert out.mode == "RGB"
    assert out.size == (300, 200)


def test_a_transparent_palette_png_is_flattened_on_white() -> None:
    image = Image.new("P", (64, 64), 0)
    image.putpalette([255, 0, 0] * 256)
    photo = process_photo(_saved(image, "PNG", transparency=0))
    assert min(_open(photo.data).convert("RGB").getpixel((32, 32))) > 240


def test_a_cmyk_jpeg_is_converted() -> None:
    photo = process_photo(_saved(Image.new("CMYK", (200, 100), (0, 255, 255, 0)), "JPEG"))
    assert _is_red(_open(photo.data).getpixel((100, 50)))


def test_an_icc_profile_is_used_then_dropped() -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for icc in (srgb, b"not a profile at all" * 10):
        photo = process_photo(photokit.jpeg(400, 300, icc=icc))
        _has_no_metadata(photo.data)
        assert _is_red(_open(photo.data).getpixel((10, 10)))


def test_without_metadata_re_encodes_a_jpeg_with_a_profile() -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    stripped = without_metadata(photokit.jpeg(500, 400, icc=srgb, comment=b"note"))
    _has_no_metadata(stripped)
    assert b"note" not in stripped
    assert _open(stripped).size == (500, 400)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_puts_the_marked_corner_top_left_of_the_picture(orientation: int) -> None:
    # the photokit picture's red corner is top left when shown upright; store it as a camera
    # would for each orientation, and it must come back top left
    upright = photokit.picture(300, 200)
    stored = upright.transpose(_STORE[orientation]) if orientation in _STORE else upright
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=92, exif=photokit.exif_bytes(orientation=orientation))
    photo = process_photo(out.getvalue())
    assert (photo.width, photo.height) == (300, 200)
    assert _is_red(_open(photo.data).convert("RGB").getpixel((10, 10)))


_STORE = {  # how a camera stores an upright picture for each EXIF orientation
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def test_a_large_jpeg_is_decoded_scaled_down_and_still_fits_the_long_edge() -> None:
    data = photokit.jpeg(5200, 3900, exif=photokit.exif_bytes(orientation=6))
    photo = process_photo(data)
    assert (photo.width, photo.height) == (1920, 2560)
    assert _is_red(_open(photo.data).convert("RGB").getpixel((1900, 20)))
    assert _open(thumbnail_of(data)).size == (240, 320)
    assert images.check_image(data).width == 5200  # the facts keep the stored size
