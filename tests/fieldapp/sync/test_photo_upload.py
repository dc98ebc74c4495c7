"""Resumable photo uploads over real httpx with a `MockTransport` playing the server's side of
the protocol in memory (the real server's side is tested in tests/sync_server)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from uuid import uuid4

import httpx
import pytest

from fieldapp.sync.client import OFFSET_HEADER, SyncClient, Tokens
from fieldapp.sync.errors import OffsetConflict, Unreachable
from fieldapp.sync.photo_upload import PhotoBytes, PhotoUploader, UploadConflict

NOW = 1_800_000_000.0
CHUNK = 1000


def jwt(exp: float) -> str:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256'})}.{part({'exp': exp})}.signature"


def photo(size: int = 5 * CHUNK + 123) -> PhotoBytes:
    data = os.urandom(size)
    return PhotoBytes(hashlib.sha256(data).hexdigest(), data)


def problem(status: int, detail: str, **headers: str) -> httpx.Response:
    body = {"type": "about:blank", "title": "refused", "status": status, "detail": detail}
    return httpx.Response(
        status, json=body, headers={"Content-Type": "application/problem+json", **headers}
    )


class UploadServer:
    """The upload protocol's server side, in memory: uploads by id, the org's stored hashes."""

    def __init__(self) -> None:
        self.uploads: dict[str, tuple[str, int, bytearray]] = {}  # id -> (sha, size, bytes)
        self.stored: dict[str, bytes] = {}
        self.received = 0  # chunk bytes that reached the server
        self.requests: list[str] = []
        self.fail_after: int | None = None  # drop the connection once this many bytes arrived
        self.post_answer: httpx.Response | None = None
        self.conflict_always = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request.method)
        if request.method == "POST":
            return self.post_answer or self._create(json.loads(request.content))
        upload_id = request.url.path.rsplit("/", 1)[1]
        if upload_id not in self.uploads:
            return problem(404, "no such upload")
        sha, size, held = self.uploads[upload_id]
        if request.method == "HEAD":
            return httpx.Response(200, headers={OFFSET_HEADER: str(len(held))})
        offset = int(request.headers[OFFSET_HEADER])
        if self.conflict_always or offset != len(held):
            return problem(409, "wrong offset", **{OFFSET_HEADER: str(len(held))})
        if self.fail_after is not None and self.received >= self.fail_after:
            raise httpx.ReadError("connection reset")
        held.extend(request.content)
        self.received += len(request.content)
        if len(held) == size:
            self.stored[sha] = bytes(held)
        return httpx.Response(204, headers={OFFSET_HEADER: str(len(held))})

    def _create(self, body: dict[str, object]) -> httpx.Response:
        sha, size = str(body["sha256"]), int(str(body["size"]))
        upload_id = str(uuid4())
        held = bytearray(self.stored[sha]) if sha in self.stored else bytearray()
        self.uploads[upload_id] = (sha, size, held)
        answer = {"upload_id": upload_id, "offset": len(held), "chunk_max": CHUNK}
        return httpx.Response(201, json=answer)


def uploader(server: UploadServer, chunk: int = CHUNK) -> PhotoUploader:
    http = httpx.Client(transport=httpx.MockTransport(server), base_url="http://sync.test")
    return PhotoUploader(SyncClient(http, Tokens(jwt(NOW + 900), "r"), clock=lambda: NOW), chunk)


def test_a_photo_goes_up_in_chunks_and_every_chunk_is_reported() -> None:
    server, one = UploadServer(), photo()
    progress: list[tuple[str, int]] = []
    outcome = uploader(server).upload(one, on_progress=lambda i, o: progress.append((i, o)))
    assert outcome.state == "on_server" and outcome.sent_bytes == len(one.data)
    assert server.stored[one.sha256] == one.data
    assert [o for _, o in progress] == [0, 1000, 2000, 3000, 4000, 5000, 5123]
    assert {i for i, _ in progress} == {outcome.upload_id}
    assert server.requests == ["POST"] + ["PATCH"] * 6


def test_bytes_the_organization_already_has_are_not_sent_again() -> None:
    server, one = UploadServer(), photo()
    server.stored[one.sha256] = one.data
    outcome = uploader(server).upload(one)
    assert outcome.state == "on_server" and outcome.sent_bytes == 0
    assert server.requests == ["POST"]


def test_a_sync_killed_halfway_resumes_at_the_servers_offset() -> None:
    server, one = UploadServer(), photo(20 * CHUNK)
    server.fail_after = 10 * CHUNK
    kept: dict[str, int] = {}
    first = uploader(server)
    with pytest.raises(Unreachable):
        first.upload(one, on_progress=lambda i, o: kept.update({i: o}))
    ((upload_id, offset),) = kept.items()
    assert offset == 10 * CHUNK
    server.fail_after = None
    before = server.received
    outcome = uploader(server).upload(one, upload_id=upload_id)
    assert outcome.state == "on_server" and outcome.upload_id == upload_id
    assert server.received - before == len(one.data) - offset  # the remainder, nothing more
    assert server.requests.count("POST") == 1 and "HEAD" in server.requests
    assert server.stored[one.sha256] == one.data


def test_an_upload_the_server_forgot_starts_a_new_one() -> None:
    server, one = UploadServer(), photo()
    outcome = uploader(server).upload(one, upload_id=str(uuid4()))
    assert outcome.state == "on_server"
    assert server.requests[:2] == ["HEAD", "POST"]


def test_a_409_moves_to_the_offset_the_server_holds() -> None:
    server, one = UploadServer(), photo()
    up = uploader(server)
    upload_id, _, _ = up.client.create_upload(one.sha256, len(one.data), "image/jpeg")
    server.uploads[upload_id][2].extend(one.data[: 2 * CHUNK])  # another sender got there first
    with pytest.raises(OffsetConflict) as raised:
        up.client.send_chunk(upload_id, 0, one.data[:CHUNK])
    assert raised.value.offset == 2 * CHUNK
    outcome = up.upload(one, upload_id=upload_id)
    assert outcome.sent_bytes == len(one.data) - 2 * CHUNK
    assert server.stored[one.sha256] == one.data


def test_an_offset_that_keeps_moving_gives_up_for_this_sync() -> None:
    server, one = UploadServer(), photo()
    server.conflict_always = True
    with pytest.raises(UploadConflict, match="another device"):
        uploader(server).upload(one)


@pytest.mark.parametrize(
    ("status", "detail"),
    [
        (413, "the photo is 30.0 MiB; the limit is 25 MiB"),
        (422, "organization quota exceeded: 10.0 GiB of 10.0 GiB used"),
    ],
)
def test_what_the_server_refuses_ends_as_refused_with_its_words(status: int, detail: str) -> None:
    server, one = UploadServer(), photo()
    server.post_answer = problem(status, detail)
    outcome = uploader(server).upload(one)
    assert outcome.state == "refused" and outcome.sent_bytes == 0
    assert outcome.refusal is not None and detail in outcome.refusal
    assert server.requests == ["POST"]


def test_chunks_are_never_bigger_than_the_server_allows() -> None:
    server, one = UploadServer(), photo(3 * CHUNK)
    outcome = uploader(server, chunk=4 * CHUNK).upload(one)
    assert outcome.sent_bytes == 3 * CHUNK
    assert server.requests == ["POST", "PATCH", "PATCH", "PATCH"]  # chunk_max 1000 wins
