"""Photo bytes sent by the resumable upload protocol to the real app and Postgres
(docs/photos-server.md): chunks at the server's offset, resumed after a lost answer,
deduplicated by hash, checked again on completion, and every bad request a clear 4xx that
loses nothing else."""

from __future__ import annotations

import hashlib
import io
import threading
from typing import Any

import httpx
import photokit
import piexif
import psycopg
from PIL import Image
from serverkit import new_org, org_id
from starlette.testclient import TestClient

from shared.contracts import EventType as E
from shared.events import new_id
from sync_server.endpoints.photos import CHUNK_TYPE

from .test_record_events import push1
from .test_sync_batch import Device, add_well

ROLES = (("op0", "operator"), ("op1", "operator"))
CHUNK = 256 * 1024


def jpeg(seed: int = 1, size: tuple[int, int] = (640, 480), exif: bool = True) -> bytes:
    """A real JPEG of noise (incompressible enough to need several small chunks)."""
    noise = Image.effect_noise(size, 40 + seed).convert("RGB")
    out = io.BytesIO()
    extra: dict[str, Any] = {}
    if exif:
        tags = {
            "0th": {piexif.ImageIFD.Make: b"Rugged", piexif.ImageIFD.Model: f"Cam{seed}".encode()}
        }
        extra["exif"] = piexif.dump(tags)
    noise.save(out, "JPEG", quality=90, **extra)
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def auth(dev: Device) -> dict[str, str]:
    return {"Authorization": f"Bearer {dev.token}"}


def start(dev: Device, data: bytes, **overrides: Any) -> httpx.Response:
    body = {"sha256": sha(data), "size": len(data), "content_type": "image/jpeg", **overrides}
    return dev.client.post("/api/v1/uploads", json=body, headers=auth(dev))


def patch(dev: Device, upload_id: str, at: int, chunk: bytes, **headers: str) -> httpx.Response:
    sent = {**auth(dev), "Content-Type": CHUNK_TYPE, "Upload-Offset": str(at), **headers}
    return dev.client.patch(f"/api/v1/uploads/{upload_id}", content=chunk, headers=sent)


def send_all(dev: Device, data: bytes, chunk: int = 16_384) -> tuple[str, list[httpx.Response]]:
    began = start(dev, data)
    assert began.status_code == 200, began.text
    upload_id, at = began.json()["upload_id"], began.json()["offset"]
    answers = []
    while at < len(data):
        answers.append(patch(dev, upload_id, at, data[at : at + chunk]))
        assert answers[-1].status_code == 204, answers[-1].text
        at = int(answers[-1].headers["Upload-Offset"])
    return upload_id, answers


def two_devices(client: TestClient, url: str) -> tuple[str, str, Device, Device]:
    slug = new_org(url, ROLES)
    return slug, add_well(url, slug), Device(client, slug, "op0"), Device(client, slug, "op1")


def attach(dev: Device, well: str, data: bytes) -> str:
    shot = new_id()
    payload = {
        "target_type": "well",
        "target_id": well,
        "sha256": sha(data),
        "content_type": "image/jpeg",
        "size": len(data),
        "caption": "stuffing box",
    }
    assert push1(dev, E.PHOTO_ATTACHED, shot, payload)["status"] == "accepted"
    return shot


def test_a_photo_goes_up_in_chunks_and_is_served_without_its_exif(
    client: TestClient, database_url: str
) -> None:
    _, well, a, b = two_devices(client, database_url)
    data = jpeg()
    _, answers = send_all(a, data)
    assert len(answers) > 2
    assert answers[-1].headers["Upload-Complete"] == "?1"
    assert all("Upload-Complete" not in r.headers for r in answers[:-1])
    shot = attach(a, well, data)
    served = b.client.get(f"/api/v1/photos/{shot}", headers=auth(b))  # another device reads it
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["etag"] == f'"{sha(data)}"'
    assert "exif" not in Image.open(io.BytesIO(served.content)).info
    assert Image.open(io.BytesIO(served.content)).size == (640, 480)
    again = b.client.get(
        f"/api/v1/photos/{shot}", headers={**auth(b), "If-None-Match": served.headers["etag"]}
    )
    assert (again.status_code, again.content) == (304, b"")
    thumb = b.client.get(f"/api/v1/photos/{shot}/thumbnail", headers=auth(b))
    assert thumb.status_code == 200
    assert max(Image.open(io.BytesIO(thumb.content)).size) == 320
    assert thumb.headers["etag"] == f'"{sha(thumb.content)}"'


def test_bytes_the_organization_holds_are_not_sent_again_but_another_org_must_send_them(
    client: TestClient, database_url: str
) -> None:
    _, _, a, b = two_devices(client, database_url)
    data = jpeg(seed=2)
    send_all(a, data)
    again = start(b, data)
    assert again.json()["offset"] == len(data)  # nothing to send
    stranger = Device(client, new_org(database_url), "op")
    theirs = start(stranger, data)
    assert theirs.json()["offset"] == 0  # holding them says nothing to another organization


def test_a_lost_upload_resumes_at_the_servers_offset_and_a_wrong_offset_is_a_409(
    client: TestClient, database_url: str
) -> None:
    _, _, a, _ = two_devices(client, database_url)
    data = jpeg(seed=3)
    upload_id = start(a, data).json()["upload_id"]
    assert patch(a, upload_id, 0, data[:10_000]).status_code == 204
    head = a.client.head(f"/api/v1/uploads/{upload_id}", headers=auth(a))
    assert (head.headers["Upload-Offset"], head.headers["Upload-Length"]) == (
        "10000",
        str(len(data)),
    )
    resumed = start(a, data)  # a device that lost its upload id gets the same one back
    assert (resumed.json()["upload_id"], resumed.json()["offset"]) == (upload_id, 10_000)
    wrong = patch(a, upload_id, 5_000, data[5_000:15_000])
    assert wrong.status_code == 409
    assert wrong.headers["Upload-Offset"] == "10000"
    assert wrong.json()["offset"] == 10_000
    assert wrong.headers["content-type"] == "application/problem+json"
    rest = patch(a, upload_id, 10_000, data[10_000:])
    assert (rest.status_code, rest.headers["Upload-Complete"]) == (204, "?1")


def test_two_chunks_racing_at_one_offset_cannot_both_win(
    live_server: Any, database_url: str
) -> None:
    base = live_server.url
    with httpx.Client(base_url=base) as http:
        dev = Device(http, new_org(database_url), "op")  # type: ignore[arg-type]
        data = jpeg(seed=4)
        upload_id = start(dev, data).json()["upload_id"]
    answers: list[int] = []

    def send() -> None:
        with httpx.Client(base_url=base) as own:
            sent = {**auth(dev), "Content-Type": CHUNK_TYPE, "Upload-Offset": "0"}
            url = f"/api/v1/uploads/{upload_id}"
            answers.append(own.patch(url, content=data[:20_000], headers=sent).status_code)

    racers = [threading.Thread(target=send) for _ in range(4)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert sorted(answers) == [204, 409, 409, 409]
    with httpx.Client(base_url=base) as http:
        head = http.head(f"/api/v1/uploads/{upload_id}", headers=auth(dev))
    assert head.headers["Upload-Offset"] == "20000"


def test_bytes_that_do_not_hash_to_the_declared_sha_are_discarded(
    client: TestClient, database_url: str
) -> None:
    _, _, a, _ = two_devices(client, database_url)
    data = jpeg(seed=5)
    began = start(a, data, sha256=sha(b"something else"))
    refused = patch(a, began.json()["upload_id"], 0, data)
    assert (refused.status_code, refused.json()["title"]) == (422, "Checksum mismatch")
    gone = a.client.head(f"/api/v1/uploads/{began.json()['upload_id']}", headers=auth(a))
    assert gone.status_code == 404
    assert start(a, data).json()["offset"] == 0  # the real bytes can still go up


HOSTILE = [
    (photokit.svg_renamed, "not_an_image"),
    (photokit.truncated_jpeg, "truncated"),
    (photokit.jpeg_with_zip, "trailing_data"),
    (photokit.jpeg_with_html, "trailing_data"),
    (photokit.pixel_bomb, "too_many_pixels"),
    (photokit.animated_gif, "animated"),
    (photokit.huge_exif_png, "bad_metadata"),
]


def test_bytes_that_are_not_a_photo_are_refused_with_the_reason_and_the_server_stays_up(
    client: TestClient, database_url: str
) -> None:
    _, _, a, _ = two_devices(client, database_url)
    for make, code in HOSTILE:
        fake = make()
        upload_id, at = start(a, fake).json()["upload_id"], 0
        while at + CHUNK < len(fake):  # the refusal comes with the last chunk
            assert patch(a, upload_id, at, fake[at : at + CHUNK]).status_code == 204
            at += CHUNK
        refused = patch(a, upload_id, at, fake[at:])
        assert refused.status_code == 422, (make.__name__, refused.text)
        assert (refused.json()["title"], refused.json()["code"]) == ("Not a photo", code)
        assert a.client.head(f"/api/v1/uploads/{upload_id}", headers=auth(a)).status_code == 404
    assert a.client.get("/healthz").status_code == 200
    _, answers = send_all(a, photokit.oversized_exif_jpeg())  # odd EXIF, still a photo
    assert answers[-1].headers["Upload-Complete"] == "?1"


def test_limits_each_refuse_before_a_byte_is_sent_and_say_what_to_do(
    client: TestClient, database_url: str
) -> None:
    slug, _, a, _ = two_devices(client, database_url)
    huge = start(a, b"x", size=100 * 1024 * 1024)
    assert huge.status_code == 413
    assert huge.json()["limit_bytes"] == 25 * 1024 * 1024
    assert "25.0 MiB" in huge.json()["detail"]
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "UPDATE organizations SET photo_quota_bytes = 50000 WHERE id = %s",
            (org_id(database_url, slug),),
        )
    over = start(a, jpeg(seed=8))
    assert over.status_code == 422
    problem = over.json()
    assert problem["title"] == "Quota exceeded"
    assert (problem["quota_bytes"], problem["used_bytes"]) == (50_000, 0)
    assert "ask an admin" in problem["detail"]
    assert start(a, b"x", size=0).status_code == 422  # zero bytes: not a photo upload


def test_bad_chunks_are_4xx_and_leave_the_upload_as_it_was(
    client: TestClient, database_url: str
) -> None:
    _, _, a, _ = two_devices(client, database_url)
    data = jpeg(seed=9)
    upload_id = start(a, data).json()["upload_id"]
    assert patch(a, upload_id, 0, b"\0" * (1024 * 1024 + 1)).status_code == 413
    wrong_type = patch(a, upload_id, 0, data[:100], **{"Content-Type": "image/jpeg"})
    assert wrong_type.status_code == 415
    assert patch(a, upload_id, 0, data[:100], **{"Upload-Offset": "ten"}).status_code == 400
    past = patch(a, upload_id, 0, data + b"more")
    assert (past.status_code, past.json()["title"]) == (422, "Past the declared size")
    head = a.client.head(f"/api/v1/uploads/{upload_id}", headers=auth(a))
    assert head.headers["Upload-Offset"] == "0"


def test_another_organizations_upload_and_photo_are_not_found(
    client: TestClient, database_url: str
) -> None:
    _, well, a, _ = two_devices(client, database_url)
    data = jpeg(seed=10)
    upload_id = start(a, data).json()["upload_id"]
    shot = attach(a, well, data)
    stranger = Device(client, new_org(database_url), "op")
    assert (
        stranger.client.head(f"/api/v1/uploads/{upload_id}", headers=auth(stranger)).status_code
        == 404
    )
    assert patch(stranger, upload_id, 0, data).status_code == 404
    assert stranger.client.get(f"/api/v1/photos/{shot}", headers=auth(stranger)).status_code == 404
    not_yet = a.client.get(f"/api/v1/photos/{shot}", headers=auth(a))
    assert (not_yet.status_code, not_yet.json()["title"]) == (404, "Photo not uploaded yet")
    assert patch(a, upload_id, 0, data).status_code == 204  # the owner's upload is untouched
    assert a.client.get(f"/api/v1/photos/{shot}", headers=auth(a)).status_code == 200
    assert stranger.client.get(f"/api/v1/photos/{shot}", headers=auth(stranger)).status_code == 404


def test_a_removed_photo_is_no_longer_served(client: TestClient, database_url: str) -> None:
    _, well, a, b = two_devices(client, database_url)
    data = jpeg(seed=11)
    send_all(a, data)
    shot = attach(a, well, data)
    assert push1(a, E.PHOTO_REMOVED, shot, {"reason": "wrong well"}, base=1)["status"] == "accepted"
    gone = b.client.get(f"/api/v1/photos/{shot}", headers=auth(b))
    assert (gone.status_code, gone.json()["title"]) == (404, "Photo removed")
