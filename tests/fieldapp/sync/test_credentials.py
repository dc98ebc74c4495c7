"""`Credentials`: where a device keeps its session, with real SQLCipher stores. The OS keystore
is the one fake: an in-memory keyring backend that can be told to refuse writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fieldkit import PASSPHRASE, fail_keystore
from keyring.backend import KeyringBackend
from keyring.errors import PasswordSetError

from fieldapp.core.keystore import SERVICE, Keystore
from fieldapp.core.store import Store
from fieldapp.sync.client import Tokens
from fieldapp.sync.credentials import ACCESS, REFRESH, Credentials, ServerLink
from fieldapp.sync.errors import NotRegistered
from shared.contracts import TokenPair

LINK = ServerLink("https://sync.example.test", "acme", "op")


class RefusingKeyring(KeyringBackend):
    """An in-memory keystore; writes of entries named in `refuse` fail like a locked keychain."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.refuse: set[str] = set()

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if username.rsplit(":", 1)[-1] in self.refuse:
            raise PasswordSetError(f"the keychain refused {username}")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def pair(n: int) -> TokenPair:
    return TokenPair(access_token=f"access.token.{n}", refresh_token=f"refresh-token-{n}-secret")


def state(store: Store) -> dict[str, str]:
    with store.read() as conn:
        return {
            str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM sync_state")
        }


def in_keystore(backend: RefusingKeyring, store: Store) -> Tokens:
    store_id = store.keyfile.store_id
    return Tokens(
        backend.entries.get((SERVICE, f"{store_id}:{ACCESS}")),
        backend.entries.get((SERVICE, f"{store_id}:{REFRESH}")),
    )


def raw_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.fixture
def backend() -> RefusingKeyring:
    return RefusingKeyring()


@pytest.fixture
def passphrase_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.create(tmp_path / "pass", PASSPHRASE, fail_keystore(), mode="server")
    assert not store.keyfile.use_keystore
    yield store
    store.close()


@pytest.fixture
def keystore_store(tmp_path: Path, backend: RefusingKeyring) -> Iterator[Store]:
    store = Store.create(tmp_path / "keys", PASSPHRASE, Keystore(backend), mode="server")
    assert store.keyfile.use_keystore
    yield store
    store.close()


# --- passphrase mode --------------------------------------------------------------------------


def test_passphrase_mode_keeps_the_session_in_the_encrypted_store(passphrase_store: Store) -> None:
    credentials = Credentials(passphrase_store, fail_keystore())
    assert not credentials.in_keystore
    assert credentials.tokens() == Tokens(None, None)
    credentials.save_tokens(pair(1))
    saved = state(passphrase_store)
    assert (saved[ACCESS], saved[REFRESH], saved["tokens_in"]) == (
        "access.token.1",
        "refresh-token-1-secret",
        "store",
    )
    assert credentials.tokens() == Tokens("access.token.1", "refresh-token-1-secret")
    data_dir = passphrase_store.data_dir
    passphrase_store.close()
    assert b"refresh-token-1-secret" not in raw_bytes(data_dir)  # encrypted at rest
    with Store.open(data_dir, fail_keystore(), lambda: PASSPHRASE) as reopened:
        assert Credentials(reopened, fail_keystore()).tokens() == Tokens(
            "access.token.1", "refresh-token-1-secret"
        )


def test_a_rotated_pair_replaces_the_old_one(passphrase_store: Store) -> None:
    credentials = Credentials(passphrase_store, fail_keystore())
    credentials.save_tokens(pair(1))
    credentials.save_tokens(pair(2))
    assert credentials.tokens() == Tokens("access.token.2", "refresh-token-2-secret")
    assert "refresh-token-1-secret" not in state(passphrase_store).values()


def test_a_passphrase_store_never_writes_tokens_to_a_keystore_that_appears_later(
    passphrase_store: Store, backend: RefusingKeyring
) -> None:
    credentials = Credentials(passphrase_store, Keystore(backend))
    assert not credentials.in_keystore
    credentials.save_tokens(pair(1))
    assert backend.entries == {}
    assert credentials.tokens() == Tokens("access.token.1", "refresh-token-1-secret")


# --- keystore mode ----------------------------------------------------------------------------


def test_keystore_mode_keeps_the_session_in_the_keystore_not_the_store(
    keystore_store: Store, backend: RefusingKeyring
) -> None:
    keystore = Keystore(backend)
    credentials = Credentials(keystore_store, keystore)
    assert credentials.in_keystore
    credentials.save_tokens(pair(1))
    assert in_keystore(backend, keystore_store) == Tokens(
        "access.token.1", "refresh-token-1-secret"
    )
    assert not {ACCESS, REFRESH, "tokens_in"} & set(state(keystore_store))
    assert credentials.tokens() == Tokens("access.token.1", "refresh-token-1-secret")
    data_dir = keystore_store.data_dir
    keystore_store.close()
    with Store.open(data_dir, keystore, None) as reopened:  # the keystore unlocks it
        assert Credentials(reopened, keystore).tokens() == Tokens(
            "access.token.1", "refresh-token-1-secret"
        )


@pytest.mark.parametrize("refused", [{ACCESS, REFRESH}, {ACCESS}], ids=["both", "access-only"])
def test_when_the_keystore_refuses_a_write_the_session_falls_back_into_the_store(
    keystore_store: Store, backend: RefusingKeyring, refused: set[str]
) -> None:
    keystore = Keystore(backend)
    credentials = Credentials(keystore_store, keystore)
    credentials.save_tokens(pair(1))  # accepted: in the keystore
    backend.refuse = refused
    credentials.save_tokens(pair(2))
    saved = state(keystore_store)
    assert (saved[ACCESS], saved[REFRESH], saved["tokens_in"]) == (
        "access.token.2",
        "refresh-token-2-secret",
        "store",
    )
    # read back from the store, not the stale pair the keystore still has
    assert in_keystore(backend, keystore_store).access_token == "access.token.1"
    assert credentials.tokens() == Tokens("access.token.2", "refresh-token-2-secret")
    assert Credentials(keystore_store, keystore).tokens() == credentials.tokens()


def test_once_the_keystore_accepts_again_the_store_copy_is_removed(
    keystore_store: Store, backend: RefusingKeyring
) -> None:
    credentials = Credentials(keystore_store, Keystore(backend))
    backend.refuse = {ACCESS, REFRESH}
    credentials.save_tokens(pair(1))
    assert state(keystore_store)["tokens_in"] == "store"
    backend.refuse = set()
    credentials.save_tokens(pair(2))
    assert not {ACCESS, REFRESH, "tokens_in"} & set(state(keystore_store))
    assert in_keystore(backend, keystore_store) == Tokens(
        "access.token.2", "refresh-token-2-secret"
    )
    assert credentials.tokens() == Tokens("access.token.2", "refresh-token-2-secret")


# --- the server link --------------------------------------------------------------------------


def test_link_raises_not_registered_for_a_local_only_store(tmp_path: Path) -> None:
    with Store.create(tmp_path / "local", PASSPHRASE, fail_keystore()) as store:
        credentials = Credentials(store, fail_keystore())
        with pytest.raises(NotRegistered, match="local-only"):
            credentials.link()
        credentials.save_link(LINK)  # a URL alone does not make it a server store
        with pytest.raises(NotRegistered):
            credentials.link()


def test_a_server_store_without_a_saved_link_is_not_registered(passphrase_store: Store) -> None:
    with pytest.raises(NotRegistered):
        Credentials(passphrase_store, fail_keystore()).link()


def test_save_link_writes_the_url_and_link_reads_it_back(passphrase_store: Store) -> None:
    Credentials(passphrase_store, fail_keystore()).save_link(LINK)
    assert state(passphrase_store)["server_url"] == LINK.url
    data_dir = passphrase_store.data_dir
    passphrase_store.close()
    with Store.open(data_dir, fail_keystore(), lambda: PASSPHRASE) as reopened:
        assert Credentials(reopened, fail_keystore()).link() == LINK
