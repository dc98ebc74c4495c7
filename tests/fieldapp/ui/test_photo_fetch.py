"""Another laptop's photo in the desktop app, against the real server (in-process, real
Postgres): the strip fetches its thumbnail on the worker, the viewer fetches the photo, both
are cached in the encrypted store; a local store fetches nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fieldkit import PASSPHRASE, fail_keystore
from photocorekit import write_jpeg
from pytestqt.qtbot import QtBot
from serverkit import new_org
from starlette.testclient import TestClient
from synckit import Device, add_wells
from uikit import on_worker

from fieldapp.core.keystore import Keystore
from fieldapp.core.photo_store import list_photos
from fieldapp.core.photo_targets import PhotoTarget
from fieldapp.core.photos import attach
from fieldapp.core.store import Store
from fieldapp.sync.client import SyncClient
from fieldapp.sync.connect import engine_for
from fieldapp.sync.errors import Unreachable
from fieldapp.ui.ops import OpRunner
from fieldapp.ui.photo_fetch import OFFLINE_PAUSE_S, PhotoFetcher, fetcher_of
from fieldapp.ui.photo_strip import PhotoStrip
from fieldapp.ui.photo_viewer import PhotoViewer
from fieldapp.ui.photos_page import PhotosPage


class Through(httpx.BaseTransport):
    """The in-process app's transport, each answer read whole, for a client of the test's
    own (the fetcher closes its client before the store closes; the shared one stays open)."""

    def __init__(self, client: TestClient) -> None:
        self.inner = client._transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.inner.handle_request(request)
        body = answer.read()
        return httpx.Response(answer.status_code, headers=answer.headers, content=body)


@pytest.fixture
def laptop_b(client: TestClient, database_url: str, tmp_path: Path) -> tuple[Path, str, str]:
    """A's photo on the server, B's store with its metadata only: (B's folder, API, photo)."""
    slug = new_org(database_url, (("op0", "operator"), ("op1", "operator")))
    (api,) = add_wells(database_url, slug, 1)
    a = Device.register(tmp_path / "a", client, slug, "op0")
    shot = write_jpeg(tmp_path / "leak.jpg", seed=5)
    (result,) = attach(a.store, PhotoTarget("well", api), [shot], caption="leak")
    assert result.photo is not None
    a.sync()
    a.store.close()
    b = Device.register(tmp_path / "b", client, slug, "op1")
    b.sync()
    b.store.close()
    return tmp_path / "b", api, result.photo.photo_id


@pytest.fixture
def b_runner(qtbot: QtBot, laptop_b: tuple[Path, str, str]) -> Iterator[OpRunner]:
    ops = OpRunner()
    opened: list[object] = []
    ops.open(lambda: Store.open(laptop_b[0], fail_keystore(), lambda: PASSPHRASE), opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    yield ops
    ops.shutdown()


def test_the_strip_fetches_the_thumbnail_and_the_viewer_the_photo(
    qtbot: QtBot, client: TestClient, b_runner: OpRunner, laptop_b: tuple[Path, str, str]
) -> None:
    _folder, api, photo_id = laptop_b
    made: list[SyncClient] = []

    def factory(store: Store, keystore: Keystore) -> SyncClient:
        own = httpx.Client(transport=Through(client), base_url=str(client.base_url))
        made.append(engine_for(store, keystore, http=own).client)  # closed by `forget`
        return made[-1]

    fetcher = PhotoFetcher(fail_keystore(), b_runner, factory)
    assert fetcher_of(b_runner) is fetcher
    strip = PhotoStrip(b_runner)
    qtbot.addWidget(strip)
    strip.show_record(PhotoTarget("well", api), "Well 1")
    qtbot.waitUntil(lambda: photo_id in strip.state.thumbnails, timeout=20_000)
    qtbot.waitUntil(lambda: strip.list.count() == 1, timeout=10_000)
    assert strip.list.item(0).text() == "on server"
    (seen,) = on_worker(qtbot, b_runner, lambda s: list_photos(s))
    assert seen.thumbnail_cached and not seen.cached  # thumbnails first

    viewer = PhotoViewer(b_runner, [seen])
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.pixmap is not None, timeout=20_000)
    assert viewer.pixmap is not None and viewer.pixmap.width() == 800
    (cached,) = on_worker(qtbot, b_runner, lambda s: list_photos(s))
    assert cached.cached and len(made) == 1  # one client for the open store

    on_worker(qtbot, b_runner, lambda _s: fetcher.forget())  # as before a lock
    assert fetcher._client is None


def test_the_photos_page_fetches_the_thumbnails_it_shows(
    qtbot: QtBot, client: TestClient, b_runner: OpRunner, laptop_b: tuple[Path, str, str]
) -> None:
    photo_id = laptop_b[2]

    def factory(store: Store, keystore: Keystore) -> SyncClient:
        own = httpx.Client(transport=Through(client), base_url=str(client.base_url))
        return engine_for(store, keystore, http=own).client

    PhotoFetcher(fail_keystore(), b_runner, factory)
    page = PhotosPage(b_runner)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    assert page.model.state.missing_thumbnails() == [photo_id]
    qtbot.waitUntil(lambda: photo_id in page.model.state.thumbnails, timeout=20_000)
    assert page.model.data(page.model.index(0, 5)) == "on server"
    assert page.model.state.missing_thumbnails() == []


def test_a_local_store_offers_no_fetching(qtbot: QtBot, runner: OpRunner) -> None:
    fetcher = PhotoFetcher(fail_keystore(), runner)
    assert on_worker(qtbot, runner, fetcher.can_fetch) is False


def test_an_unreachable_server_is_asked_once_a_minute_not_once_a_photo(
    qtbot: QtBot, b_runner: OpRunner, laptop_b: tuple[Path, str, str]
) -> None:
    photo_id = laptop_b[2]
    made: list[SyncClient] = []

    def factory(store: Store, keystore: Keystore) -> SyncClient:
        nowhere = httpx.Client(base_url="http://127.0.0.1:9", timeout=2.0)  # nothing listens
        made.append(engine_for(store, keystore, http=nowhere).client)
        return made[-1]

    now = [1000.0]
    fetcher = PhotoFetcher(fail_keystore(), b_runner, factory, clock=lambda: now[0])

    def fetch(store: Store) -> str:
        try:
            fetcher.fetch(store, photo_id, thumbnail=True)
        except Unreachable as exc:
            return f"unreachable: {exc}"
        return "fetched"

    assert on_worker(qtbot, b_runner, fetch).startswith("unreachable: server unreachable")
    (dead,) = made
    asked = dead.requests
    assert on_worker(qtbot, b_runner, fetch).startswith("unreachable: server unreachable")
    assert dead.requests == asked  # within the pause: no connection tried
    now[0] += OFFLINE_PAUSE_S + 1
    assert on_worker(qtbot, b_runner, fetch).startswith("unreachable: server unreachable")
    assert dead.requests > asked
