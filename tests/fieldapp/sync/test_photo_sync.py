"""Photos through the sync against the real app in-process and real Postgres: the bytes go
after the events, a sync killed halfway resumes at the server's offset, a refused photo keeps
the server's words while the rest go on, and another laptop fetches a photo when it is opened."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import psycopg
import pytest
from photocorekit import write_jpeg
from serverkit import new_org, org_id
from starlette.testclient import TestClient
from synckit import Device, add_wells

from fieldapp.core.photo_store import list_photos, photo_bytes
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photo_uploads import pending_uploads, upload_summary
from fieldapp.core.photos import attach
from fieldapp.sync.errors import SyncError
from fieldapp.sync.photo_sync import fetch_photo

TWO = (("op0", "operator"), ("op1", "operator"))
CHUNK = 64 * 1024


@pytest.fixture
def org(client: TestClient, database_url: str) -> tuple[str, str]:
    slug = new_org(database_url, TWO)
    return slug, add_wells(database_url, slug, 1)[0]


def laptop(client: TestClient, tmp: Path, slug: str, name: str) -> Device:
    return Device.register(tmp / name, client, slug, name)


def photos_on(
    device: Device, api: str, tmp: Path, *seeds: int, size: tuple[int, int] = (800, 600)
) -> list[str]:
    files = [write_jpeg(tmp / f"{device.device_id}-{s}.jpg", seed=s, size=size) for s in seeds]
    results = attach(device.store, PhotoTarget("well", api), files, caption="wellhead")
    assert all(r.photo is not None for r in results), results
    return [r.photo.photo_id for r in results if r.photo is not None]


class Counting(httpx.BaseTransport):
    """The in-process app's transport, counting the chunk bytes sent, and dropping the
    connection once `drop_after` of them got through (a sync killed halfway)."""

    def __init__(self, inner: httpx.BaseTransport, drop_after: int | None = None) -> None:
        self.inner = inner
        self.drop_after = drop_after
        self.chunk_bytes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            if self.drop_after is not None and self.chunk_bytes >= self.drop_after:
                raise httpx.ReadError("connection reset by peer")
            self.chunk_bytes += len(request.read())
        answer = self.inner.handle_request(request)
        body = answer.read()  # the test client's stream, as a plain client's
        return httpx.Response(answer.status_code, headers=answer.headers, content=body)


def counting(client: TestClient, drop_after: int | None = None) -> tuple[httpx.Client, Counting]:
    transport = Counting(client._transport, drop_after)
    return httpx.Client(transport=transport, base_url=str(client.base_url)), transport


def test_a_photo_goes_up_after_its_event_and_another_laptop_fetches_it_when_opened(
    client: TestClient, org: tuple[str, str], tmp_path: Path
) -> None:
    slug, api = org
    a, b = laptop(client, tmp_path, slug, "op0"), laptop(client, tmp_path, slug, "op1")
    (shot,) = photos_on(a, api, tmp_path, 1)
    report = a.sync()
    assert (report.pushed.counts, report.photos.sent, report.photos.refused) == (
        {"accepted": 1},
        1,
        [],
    )
    assert "photos: 1 uploaded" in report.summary()
    assert pending_uploads(a.store) == []
    assert upload_summary(a.store).of("on_server").photos == 1
    b.sync()
    (seen,) = list_photos(b.store)
    assert (seen.photo_id, seen.caption, seen.cached, seen.thumbnail_cached) == (
        shot,
        "wellhead",
        False,
        False,
    )
    http, _ = counting(client)
    engine = b.new_engine(http)
    thumb = fetch_photo(b.store, engine.client, shot, thumbnail=True)
    full = fetch_photo(b.store, engine.client, shot, thumbnail=False)
    assert thumb is not None and full == photo_bytes(a.store, shot)
    assert hashlib.sha256(full).hexdigest() == seen.sha256
    sent = engine.client.requests
    assert fetch_photo(b.store, engine.client, shot, thumbnail=False) == full
    assert engine.client.requests == sent  # cached in B's encrypted store: no request
    assert list_photos(b.store)[0].cached


def test_a_sync_killed_halfway_resumes_at_the_servers_offset(
    client: TestClient, org: tuple[str, str], tmp_path: Path
) -> None:
    slug, api = org
    a = laptop(client, tmp_path, slug, "op0")
    photos_on(a, api, tmp_path, 2, 3, size=(1600, 1200))
    total = sum(p.size for p in pending_uploads(a.store))
    a.engine.push_all()  # the events first, as a sync does
    http, wire = counting(client, drop_after=total // 2)
    engine = a.new_engine(http)
    engine.photos.uploader.chunk_size = CHUNK
    with pytest.raises(SyncError):
        engine.photos.send_queued()  # no retries: the connection is gone for good
    before = wire.chunk_bytes
    summary = upload_summary(a.store)
    held = summary.of("on_server").bytes + summary.waiting.held_bytes  # what the store heard
    assert 0 < held <= before < total
    left = len(pending_uploads(a.store))  # cut off mid-way (two are sent at a time)
    assert left >= 1
    http2, wire2 = counting(client)
    engine2 = a.new_engine(http2)
    engine2.photos.uploader.chunk_size = CHUNK
    report = engine2.sync()
    assert (report.photos.sent, report.photos.known) == (left, 0)  # those cut off, resumed
    assert pending_uploads(a.store) == []
    assert upload_summary(a.store).of("on_server").photos == 2
    assert wire2.chunk_bytes <= (total - held) + CHUNK  # the remainder and at most one chunk


def test_a_refused_photo_keeps_the_servers_words_and_the_rest_go_on(
    client: TestClient, database_url: str, org: tuple[str, str], tmp_path: Path
) -> None:
    slug, api = org
    a = laptop(client, tmp_path, slug, "op0")
    photos_on(a, api, tmp_path, 4, 5)
    sizes = {p.sha256: p.size for p in pending_uploads(a.store)}
    with psycopg.connect(database_url) as conn:  # room for one photo only
        conn.execute(
            "UPDATE organizations SET photo_quota_bytes = %s WHERE id = %s",
            (max(sizes.values()) + 10, org_id(database_url, slug)),
        )
    report = a.sync()
    assert report.pending == 0 and report.photos.sent == 1
    ((sha, words),) = report.photos.refused
    assert "Quota exceeded" in words or "quota" in words
    assert "ask an admin" in words
    refused = [p for p in list_photos(a.store) if p.upload_state == "refused"]
    assert [(p.sha256, p.refusal) for p in refused] == [(sha, words)]
    assert upload_summary(a.store).of("refused").photos == 1
