"""Where a registered device keeps its server session.

The refresh and access tokens go to the OS keystore when the store's key lives there, and into
the encrypted store (`sync_state`) in passphrase mode; either way they are never in a plain
file. The device id and the signing secret live in the store's metadata, encrypted with it:
every event appended offline must still be signable after a keystore reset, and the store is
only readable with its key (which the recovery passphrase can always unlock).
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp.core.inbox import set_state
from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.sync.client import Tokens
from fieldapp.sync.errors import NotRegistered
from shared.contracts import TokenPair

ACCESS, REFRESH = "access-token", "refresh-token"


@dataclass(frozen=True, slots=True)
class ServerLink:
    url: str
    org: str
    username: str


class Credentials:
    def __init__(self, store: Store, keystore: Keystore) -> None:
        self.store = store
        self.keystore = keystore
        self.in_keystore = store.keyfile.use_keystore and keystore.usable()

    def _state(self) -> dict[str, str]:
        with self.store.read() as conn:
            return {
                str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM sync_state")
            }

    def link(self) -> ServerLink:
        state = self._state()
        if self.store.meta.get("mode") != "server" or "server_url" not in state:
            raise NotRegistered(
                "this store is local-only: it was not registered with a sync server"
                " ('fieldapp init --server URL --org SLUG --user NAME')"
            )
        return ServerLink(state["server_url"], state.get("org", ""), state.get("username", ""))

    def save_link(self, link: ServerLink) -> None:
        with self.store.write() as txn:
            set_state(txn.db, {"server_url": link.url, "org": link.org, "username": link.username})

    def tokens(self) -> Tokens:
        store_id = self.store.keyfile.store_id
        state = self._state()
        if self.in_keystore and state.get("tokens_in") != "store":
            return Tokens(
                self.keystore.load_text(store_id, ACCESS),
                self.keystore.load_text(store_id, REFRESH),
            )
        return Tokens(state.get(ACCESS), state.get(REFRESH))

    def save_tokens(self, pair: TokenPair) -> None:
        store_id = self.store.keyfile.store_id
        if self.in_keystore and (
            self.keystore.save_text(store_id, REFRESH, pair.refresh_token)
            and self.keystore.save_text(store_id, ACCESS, pair.access_token)
        ):
            with self.store.write() as txn:
                txn.db.execute(
                    "DELETE FROM sync_state WHERE key IN (?, ?, 'tokens_in')", (ACCESS, REFRESH)
                )
            return
        # passphrase mode, or the keystore refused: the session lives inside the store
        with self.store.write() as txn:
            set_state(
                txn.db,
                {ACCESS: pair.access_token, REFRESH: pair.refresh_token, "tokens_in": "store"},
            )
