"""Photo uploads to a real `sync-server run` on loopback (uvicorn + Postgres), and a resume.

- protocol: 100 processed photos (2,560 px JPEGs at the laptop's settings) sent by the device's
  upload code (`PhotoUploader` over `SyncClient`, as many in flight as a sync has: POST, then
  PATCH chunks of 1 MiB; the server checks size and sha256, decodes each photo again under the
  guards and stores it);
- baseline: the same bytes in the same 1 MiB chunks POSTed by the same httpx client, as many in
  flight, to a bare Starlette app under uvicorn that only reads the body (what loopback HTTP
  can carry here);
- resume: a second organization; the connection dies once half of the bytes are through; a new
  client sends the rest. It must send the remainder and at most one chunk more.

Targets: protocol >= 50 MB/s; resume extra <= 1 chunk.

    python benchmarks/bench_photo_upload.py [--photos 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn
from _server import BenchDevice, free_port, live_server, org_with_wells, scratch_database
from _server import server_url as pg_server
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from fieldapp.sync.client import SyncClient, Tokens
from fieldapp.sync.errors import SyncError
from fieldapp.sync.photo_sync import WORKERS
from fieldapp.sync.photo_upload import CHUNK_MAX, PhotoBytes, PhotoUploader
from shared.images import JPEG_QUALITY

MB = 1_000_000


def processed_photos(count: int, progressive: bool = True) -> list[PhotoBytes]:
    """`count` different photo-like 2,560 x 1,920 JPEGs as the laptop's processing writes them
    (progressive: False shows what the server's decode would cost for baseline JPEGs)."""
    base = Image.linear_gradient("L").resize((2560, 1920)).convert("RGB")
    photos = []
    for n in range(count):
        rng = random.Random(n)
        tint = Image.new("RGB", base.size, tuple(rng.randrange(256) for _ in range(3)))
        noise = Image.effect_noise(base.size, 12 + n % 20).convert("RGB")
        picture = Image.blend(Image.blend(base, tint, 0.4), noise, 0.25)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=JPEG_QUALITY, progressive=progressive, optimize=True)
        data = out.getvalue()
        photos.append(PhotoBytes(hashlib.sha256(data).hexdigest(), data))
    return photos


class Cutting(httpx.HTTPTransport):
    """Counts chunk bytes; raises a dropped connection once `cut_after` of them went through."""

    def __init__(self, cut_after: int | None = None) -> None:
        super().__init__()
        self.cut_after = cut_after
        self.chunk_bytes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PATCH":
            if self.cut_after is not None and self.chunk_bytes >= self.cut_after:
                raise httpx.ReadError("connection reset by peer")
            self.chunk_bytes += len(request.read())
        return super().handle_request(request)


def uploader(base: str, token: str, transport: httpx.BaseTransport) -> PhotoUploader:
    http = httpx.Client(base_url=base, timeout=60, transport=transport)
    return PhotoUploader(SyncClient(http, Tokens(token, None)))


def protocol_run(base: str, url: str, photos: list[PhotoBytes]) -> float:
    org, _ = org_with_wells(url, 1)
    with httpx.Client(base_url=base) as http:
        token = BenchDevice.login(http, org).token
    sender = uploader(base, token, httpx.HTTPTransport())
    started = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:  # as many in flight as a sync sends
        for outcome in pool.map(sender.upload, photos):
            assert outcome.state == "on_server", outcome
    return time.perf_counter() - started


def bare_server() -> tuple[str, uvicorn.Server]:
    async def take(request: Request) -> Response:
        await request.body()
        return Response(status_code=204)

    app = Starlette(routes=[Route("/chunk", take, methods=["POST"])])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}", server


def baseline_run(photos: list[PhotoBytes]) -> float:
    base, server = bare_server()
    try:
        with httpx.Client(base_url=base, timeout=60) as http:

            def send(photo: PhotoBytes) -> None:
                for at in range(0, len(photo.data), CHUNK_MAX):
                    http.post("/chunk", content=photo.data[at : at + CHUNK_MAX])

            started = time.perf_counter()
            with ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(send, photos))
            return time.perf_counter() - started
    finally:
        server.should_exit = True


def resume_run(base: str, url: str, photos: list[PhotoBytes]) -> tuple[int, int, int]:
    """(total bytes, bytes held when the connection died, bytes the restart sent)."""
    org, _ = org_with_wells(url, 1)
    with httpx.Client(base_url=base) as http:
        token = BenchDevice.login(http, org).token
    total = sum(len(p.data) for p in photos)
    cut = Cutting(cut_after=total // 2)
    first = uploader(base, token, cut)
    ids: dict[str, str] = {}
    held: dict[str, int] = {}

    def note(sha: str) -> Callable[[str, int], None]:
        def progress(upload_id: str, offset: int) -> None:
            ids[sha], held[sha] = upload_id, offset

        return progress

    try:
        for photo in photos:
            first.upload(photo, None, note(photo.sha256))
    except SyncError:
        pass  # the connection is gone: the sync dies here
    held_when_cut = sum(held.values())
    restart = Cutting()
    second = uploader(base, token, restart)
    for photo in photos:
        outcome = second.upload(photo, ids.get(photo.sha256), note(photo.sha256))
        assert outcome.state == "on_server", outcome
    return total, held_when_cut, restart.chunk_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100)
    parser.add_argument("--database-url", help="a Postgres server (default: embedded)")
    parser.add_argument(
        "--baseline-jpeg",
        action="store_true",
        help="send baseline (not progressive) JPEGs: the server's decode is several times faster",
    )
    args = parser.parse_args()
    photos = processed_photos(args.photos, progressive=not args.baseline_jpeg)
    size = sum(len(p.data) for p in photos)
    each = size / len(photos) / MB
    print(f"{len(photos)} processed photos, {size / MB:.1f} MB ({each:.2f} MB each)")
    with (
        tempfile.TemporaryDirectory() as work,
        scratch_database(pg_server(args.database_url)) as url,
        live_server(url, Path(work)) as base,
    ):
        bare = baseline_run(photos)
        ours = protocol_run(base, url, photos)
        total, held, resent = resume_run(base, url, processed_photos(20))
    print(f"baseline (bare POSTs of the same chunks): {bare:.2f} s, {size / MB / bare:.0f} MB/s")
    rate = size / MB / ours
    print(f"protocol (POST + PATCH, checked, stored): {ours:.2f} s, {rate:.0f} MB/s (target >= 50)")
    extra = resent - (total - held)
    print(
        f"resume: {total:,} bytes; {held:,} held when cut; restart sent {resent:,} = remainder"
        f" {total - held:,} + {extra:,} (target <= one chunk, {CHUNK_MAX:,})"
    )
    print(f"ratio protocol / baseline time: {ours / bare:.2f}")


if __name__ == "__main__":
    main()
