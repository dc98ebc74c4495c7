"""The photos behind the screenshots: real JPEGs (drawn with Pillow, with camera EXIF) attached
to the day's records, sent for real to the demo server, and one of operator2's that operator1's
laptop has only as metadata until the strip fetches its thumbnail.

`add_photos` runs while the scenario is built (both laptops open); `unsent_photos` after the
screenshots' own sync: a photo still waiting to go and one the server refused (its words as
the quota check gives them), so every state a strip shows is on screen.
"""

from __future__ import annotations

import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from keyring.backends import fail
from PIL import ExifTags, Image, ImageDraw, ImageFilter

from fieldapp.core.equipment import list_equipment
from fieldapp.core.incidents import list_incidents
from fieldapp.core.keystore import Keystore
from fieldapp.core.maintenance import list_maintenance
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import mark_upload
from fieldapp.core.photos import attach
from fieldapp.core.store import Store
from fieldapp.sync.connect import engine_for

GPS = (31.958333, -102.15)  # near Midland
QUOTA_WORDS = (
    "the organization's photo storage is full (10.0 GiB of 10 GiB used): ask the office to"
    " raise the quota, then Retry"
)


def _exif(taken: datetime, gps: tuple[float, float]) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Rugged"
    exif[ExifTags.Base.Model] = "FieldCam 9"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken.strftime(
        "%Y:%m:%d %H:%M:%S"
    )
    info = exif.get_ifd(ExifTags.IFD.GPSInfo)
    for ref, key, value, sign in (
        (ExifTags.GPS.GPSLatitudeRef, ExifTags.GPS.GPSLatitude, gps[0], "NS"),
        (ExifTags.GPS.GPSLongitudeRef, ExifTags.GPS.GPSLongitude, gps[1], "EW"),
    ):
        info[ref] = sign[0] if value >= 0 else sign[1]
        degrees = int(abs(value))
        minutes = (abs(value) - degrees) * 60
        info[key] = (float(degrees), float(int(minutes)), round((minutes % 1) * 60, 2))
    return exif


def photo_file(path: Path, seed: int, taken: datetime) -> Path:
    """A 1600 x 1200 field scene: sky, prairie, a pump jack, a tank, sensor noise."""
    rng = random.Random(seed)
    width, height = 1600, 1200
    sky = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(sky, Image.new("RGB", (width, height), (90, 150, 215)), 0.55)
    draw = ImageDraw.Draw(image)
    horizon = 700 + rng.randrange(-60, 60)
    draw.rectangle((0, horizon, width, height), fill=(150 + rng.randrange(30), 130, 80))
    base = rng.randrange(300, 900)
    draw.polygon(
        [(base, horizon + 60), (base + 160, 420), (base + 320, horizon + 60)], fill=(60, 60, 70)
    )
    draw.line((base - 120, 470, base + 420, 380), fill=(40, 40, 45), width=38)
    draw.ellipse((base + 380, 330, base + 500, 450), fill=(170, 40, 30))
    tank = rng.randrange(1050, 1350)
    draw.rectangle((tank, horizon - 260, tank + 200, horizon + 40), fill=(200, 200, 190))
    draw.ellipse((tank, horizon - 290, tank + 200, horizon - 230), fill=(215, 215, 205))
    noise = Image.effect_noise((width, height), 28).convert("RGB")
    image = Image.blend(image.filter(ImageFilter.GaussianBlur(1.2)), noise, 0.08)
    image.save(path, "JPEG", quality=90, exif=_exif(taken, GPS))
    return path


def _attach(store: Store, target: PhotoTarget, folder: Path, seed: int, caption: str) -> str:
    taken = datetime.now().replace(microsecond=0) - timedelta(days=seed % 5, hours=seed)
    shot = photo_file(folder / f"IMG_{4100 + seed}.jpg", seed, taken)
    (result,) = attach(store, target, [shot], caption)
    assert result.photo is not None, result.refusal
    return result.photo.sha256


def add_photos(mine: Store, theirs: Store, http: httpx.Client) -> None:
    """Photos on the newest maintenance entry, an incident and a piece of equipment, sent;
    then one of operator2's on the same entry, which operator1 sees as metadata."""
    with mine.read() as conn:
        entry = list_maintenance(conn)[0]
        incidents = list_incidents(conn)
        equipment = list_equipment(conn)
    work = PhotoTarget("maintenance", entry.maintenance_id)
    with tempfile.TemporaryDirectory(prefix="wellpulse-shots-photos-") as tmp:
        folder = Path(tmp)
        _attach(mine, work, folder, 1, "Stuffing box leaking before the repack")
        _attach(mine, work, folder, 2, "Repacked, no drip after 20 minutes")
        if incidents:
            _attach(mine, PhotoTarget("incident", incidents[0].incident_id), folder, 3, "Spill")
        if len(equipment) > 5:
            item = PhotoTarget("equipment", equipment[5].equipment_id)
            _attach(mine, item, folder, 4, "Nameplate")
        engine_for(mine, _keystore(), http=http).sync()
        engine_for(theirs, _keystore(), http=http).sync()
        _attach(theirs, work, folder, 5, "Gauge after the repack (operator2)")
        engine_for(theirs, _keystore(), http=http).sync()
        engine_for(mine, _keystore(), http=http).sync()


def unsent_photos(store: Store) -> None:
    """After the screenshots' sync: one photo waiting to go and one the server refused."""
    with store.read() as conn:
        entry = list_maintenance(conn)[0]
    work = PhotoTarget("maintenance", entry.maintenance_id)
    with tempfile.TemporaryDirectory(prefix="wellpulse-shots-photos-") as tmp:
        folder = Path(tmp)
        _attach(store, work, folder, 6, "Wellhead, wide")
        refused = _attach(store, work, folder, 7, "Wellhead, close")
    mark_upload(store, refused, "refused", 0, None, QUOTA_WORDS)


def _keystore() -> Keystore:
    return Keystore(fail.Keyring())  # type: ignore[no-untyped-call]
