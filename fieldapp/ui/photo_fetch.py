"""Fetching another device's photo from the server, for the photo strip, viewer and page.

A photo attached on another laptop arrives here as metadata (a pull); its bytes are fetched
when someone looks at it — thumbnails first — and cached in the encrypted store
(`fieldapp.sync.photo_sync.fetch_photo`). The fetch needs the store's server link and session:
`PhotoFetcher` holds the keystore the app opened the store with and builds a `SyncClient` for
the open store the first time it is needed (on the OpRunner's worker, like every store call;
never on the GUI thread). It is a child of the runner, so every widget that has the runner
finds it (`fetcher_of`); with none, or with a local-only store, fetching is simply not offered.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from fieldapp.core.keystore import Keystore
from fieldapp.core.photo_store import photo_bytes
from fieldapp.core.store import Store
from fieldapp.sync.client import SyncClient
from fieldapp.sync.connect import engine_for
from fieldapp.sync.errors import Unreachable
from fieldapp.sync.photo_sync import fetch_photo
from fieldapp.ui.ops import OpRunner

log = logging.getLogger(__name__)

ClientFactory = Callable[[Store, Keystore], SyncClient]
# after the server could not be reached, fetches fail at once for this long: the worker is
# never held by one connect timeout after another while the laptop is offline
OFFLINE_PAUSE_S = 60.0


def client_for(store: Store, keystore: Keystore) -> SyncClient:
    """The client of a registered store, with its session (tokens refreshed as the sync does)."""
    return engine_for(store, keystore).client


class PhotoFetcher(QObject):
    """Fetches photo bytes from the server for the open store (on the worker only); its
    `sync_event` signal repeats the sync's events for the photo widgets (on the GUI thread)."""

    sync_event = Signal(str, object)

    def __init__(
        self,
        keystore: Keystore,
        runner: OpRunner,
        factory: ClientFactory = client_for,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(runner)
        self.keystore = keystore
        self.factory = factory
        self.clock = clock
        self._offline_until = 0.0
        self._offline_reason = ""
        self._lock = threading.Lock()
        self._client: SyncClient | None = None
        self._client_store: int | None = None  # id() of the store the client was made for
        runner.before_close(self.forget)

    def can_fetch(self, store: Store) -> bool:
        """A store registered with a server: photos of other devices can be fetched."""
        return store.meta.get("mode") == "server"

    def fetch(self, store: Store, photo_id: str, *, thumbnail: bool) -> bytes | None:
        """The bytes from the store, else from the server (then cached); None when neither has
        them or the store is local-only. Network errors are raised (the caller says so)."""
        if not self.can_fetch(store):
            return photo_bytes(store, photo_id, thumbnail)
        if self.clock() < self._offline_until:
            cached = photo_bytes(store, photo_id, thumbnail)
            if cached is None:
                raise Unreachable(self._offline_reason)
            return cached
        try:
            return fetch_photo(store, self._client_of(store), photo_id, thumbnail=thumbnail)
        except Unreachable as exc:
            self._offline_until = self.clock() + OFFLINE_PAUSE_S
            self._offline_reason = str(exc)
            raise

    def forget(self) -> None:
        """The store is being closed: drop the client and its connections."""
        with self._lock:
            client, self._client, self._client_store = self._client, None, None
        if client is not None:
            try:
                client.http.close()
            except Exception:  # closing a dead connection is not worth a failure
                log.debug("closing the photo client failed", exc_info=True)

    def _client_of(self, store: Store) -> SyncClient:
        with self._lock:
            if self._client is None or self._client_store != id(store):
                self._client = self.factory(store, self.keystore)
                self._client_store = id(store)
            return self._client


def fetcher_of(runner: OpRunner) -> PhotoFetcher | None:
    """The app's photo fetcher (None in a window made without one: no fetching offered)."""
    found = runner.findChild(PhotoFetcher)
    return found if isinstance(found, PhotoFetcher) else None


def load_bytes(
    store: Store, fetcher: PhotoFetcher | None, photo_id: str, *, thumbnail: bool
) -> bytes | None:
    """What the strip and the viewer call on the worker: cached bytes, or fetched ones."""
    if fetcher is None:
        return photo_bytes(store, photo_id, thumbnail)
    return fetcher.fetch(store, photo_id, thumbnail=thumbnail)
