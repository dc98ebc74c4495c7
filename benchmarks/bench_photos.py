"""Photo processing (shared.images.process_photo) on 12 MP camera-like JPEGs (issue 17 §6).

The corpus: natural sample images of scikit-image (`skimage.data`, shipped in the package: no
download), each cropped to 4:3, upscaled to 4000 x 3000, given sensor-like noise (Gaussian read
noise plus signal-dependent shot noise, per channel), and saved at a camera's quality (93, 4:2:0)
with real EXIF written by piexif (DateTimeOriginal, Make/Model, GPS, Orientation; every fifth
photo held upright, Orientation 6). Twenty or more photos: every sample image twice, the second
mirrored with a different noise seed.

Baseline in the same run, interleaved photo by photo: a bare Pillow open -> resize (the same size
and filter) -> save (the same JPEG settings), with none of the guards, metadata, sRGB or
orientation work. Printed: per-photo median and p95 of both, their ratio, and the mean size
reduction. Targets: <= 300 ms per photo, >= 80 % smaller on average.

    python benchmarks/bench_photos.py [--photos N] [--rounds R]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's shared, first

import numpy as np
import piexif
import skimage.data
from _common import percentile
from PIL import Image

from shared.images import JPEG_QUALITY, LONG_EDGE, REDUCING_GAP, RESAMPLE, process_photo

SAMPLES = (
    "astronaut",
    "chelsea",
    "coffee",
    "rocket",
    "hubble_deep_field",
    "immunohistochemistry",
    "retina",
    "camera",
    "coins",
    "moon",
    "brick",
    "grass",
    "gravel",
    "cell",
    "clock",
)
SIZE = (4000, 3000)


def natural(name: str) -> Image.Image:
    """A sample image as RGB, cropped to the middle 4:3."""
    pixels = getattr(skimage.data, name)()
    image = Image.fromarray(pixels).convert("RGB")
    width, height = image.size
    if width * 3 > height * 4:
        crop = height * 4 // 3
        image = image.crop(((width - crop) // 2, 0, (width + crop) // 2, height))
    else:
        crop = width * 3 // 4
        image = image.crop((0, (height - crop) // 2, width, (height + crop) // 2))
    return image


def camera_photo(name: str, index: int, mirrored: bool) -> bytes:
    """A 12 MP camera-like JPEG of the sample `name`."""
    image = natural(name)
    if mirrored:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    big = np.asarray(image.resize(SIZE, Image.Resampling.BICUBIC), dtype=np.float32)
    rng = np.random.default_rng(index)
    # shot noise (variance grows with the signal) plus read noise, drawn as one Gaussian
    sigma = np.sqrt(big * 0.12 + 4.0)
    noisy = np.clip(big + rng.standard_normal(big.shape, dtype=np.float32) * sigma, 0, 255)
    exif = piexif.dump(
        {
            "0th": {
                piexif.ImageIFD.Make: b"Canon",
                piexif.ImageIFD.Model: b"Canon EOS R6",
                piexif.ImageIFD.Orientation: 6 if index % 5 == 4 else 1,
            },
            "Exif": {
                piexif.ExifIFD.DateTimeOriginal: f"2026:05:{1 + index % 28:02d} 09:30:00".encode()
            },
            "GPS": {
                piexif.GPSIFD.GPSLatitudeRef: b"N",
                piexif.GPSIFD.GPSLatitude: ((31, 1), (59, 1), (5028, 100)),
                piexif.GPSIFD.GPSLongitudeRef: b"W",
                piexif.GPSIFD.GPSLongitude: ((102, 1), (4, 1), (4044, 100)),
            },
        }
    )
    out = io.BytesIO()
    Image.fromarray(noisy.astype(np.uint8)).save(out, "JPEG", quality=93, subsampling=2, exif=exif)
    return out.getvalue()


def corpus(count: int) -> list[bytes]:
    names = [SAMPLES[i % len(SAMPLES)] for i in range(count)]
    return [camera_photo(name, i, i >= len(SAMPLES)) for i, name in enumerate(names)]


def bare_pillow(data: bytes) -> bytes:
    """The baseline: open, resize to the same size with the same filter, save the same way."""
    with Image.open(io.BytesIO(data)) as image:
        scale = LONG_EDGE / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        small = image.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    began = time.perf_counter()
    photos = corpus(max(args.photos, 1))
    mean_in = statistics.mean(len(p) for p in photos) / 1e6
    print(
        f"corpus: {len(photos)} photos of {SIZE[0]} x {SIZE[1]}, mean {mean_in:.1f} MB, "
        f"built in {time.perf_counter() - began:.1f} s"
    )
    wall: dict[str, list[float]] = {"bare Pillow": [], "process_photo": []}
    cpu: dict[str, list[float]] = {"bare Pillow": [], "process_photo": []}
    smaller: list[float] = []
    for _ in range(args.rounds):
        for data in photos:
            for label, run in (("bare Pillow", bare_pillow), ("process_photo", process_photo)):
                started, cpu_started = time.perf_counter(), time.process_time()
                out = run(data)
                wall[label].append(time.perf_counter() - started)
                cpu[label].append(time.process_time() - cpu_started)
            assert not isinstance(out, bytes)
            smaller.append(1 - len(out.data) / len(data))
    for label in wall:
        print(
            f"{label}: wall median {statistics.median(wall[label]) * 1e3:.0f} ms, "
            f"p95 {percentile(wall[label], 95) * 1e3:.0f} ms; CPU median "
            f"{statistics.median(cpu[label]) * 1e3:.0f} ms, "
            f"p95 {percentile(cpu[label], 95) * 1e3:.0f} ms per photo over {len(wall[label])}"
        )
    mean_smaller, least = statistics.mean(smaller) * 100, min(smaller) * 100
    print(f"size: mean {mean_smaller:.1f} % smaller (least {least:.1f} %)")
    ours, base = wall["process_photo"], wall["bare Pillow"]
    ratio = statistics.median(ours) / statistics.median(base)
    cpu_ratio = statistics.median(cpu["process_photo"]) / statistics.median(cpu["bare Pillow"])
    print(
        f"process_photo / bare Pillow (medians): wall {ratio:.2f}, CPU {cpu_ratio:.2f}; "
        f"process_photo median {statistics.median(ours) * 1e3:.0f} ms wall, "
        f"{statistics.median(cpu['process_photo']) * 1e3:.0f} ms CPU (target <= 300); "
        f"{mean_smaller:.1f} % smaller (target >= 80)"
    )


if __name__ == "__main__":
    main()
