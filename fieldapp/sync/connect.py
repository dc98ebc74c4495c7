"""Wiring a store to its server: registering a new device, and the engine of a registered one."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import ValidationError

from fieldapp.core.keystore import Keystore
from fieldapp.core.store import Store
from fieldapp.sync.client import SyncClient
from fieldapp.sync.credentials import Credentials, ServerLink
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.errors import AuthRejected, Refused, SyncError
from fieldapp.sync.retry import Backoff
from shared.contracts import LoginRequest, LoginResponse, TokenPair
from shared.events import DeviceIdentity

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def http_client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url.rstrip("/"), timeout=TIMEOUT)


def device_name() -> str:
    return (socket.gethostname() or "laptop")[:120]


@dataclass(frozen=True, slots=True)
class Registration:
    url: str
    org: str
    username: str
    password: str
    timezone: str = "America/Chicago"
    device_name: str = ""


def sign_in(http: httpx.Client, reg: Registration) -> LoginResponse:
    """Sign in as a new device: the server registers it and issues its id and signing secret."""
    try:
        request = LoginRequest(
            org=reg.org,
            username=reg.username,
            password=reg.password,
            device_name=reg.device_name or device_name(),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SyncError(f"cannot sign in: {err['loc'][0]}: {err['msg']}") from None
    try:
        return SyncClient(http).login(request)
    except Refused as exc:
        if exc.status == 401:
            raise AuthRejected(f"sign-in refused: {exc}") from None
        raise


def identity_of(session: LoginResponse) -> DeviceIdentity:
    return DeviceIdentity(
        session.org_id, session.device_id, session.user.id, session.device_secret or ""
    )


def keep_session(
    store: Store, keystore: Keystore, reg: Registration, session: LoginResponse
) -> None:
    """Remember the server and the session in a store made with the session's identity."""
    credentials = Credentials(store, keystore)
    credentials.save_link(ServerLink(reg.url, reg.org, reg.username))
    credentials.save_tokens(
        TokenPair(access_token=session.access_token, refresh_token=session.refresh_token)
    )


def register(
    data_dir: Path,
    passphrase: str,
    keystore: Keystore,
    http: httpx.Client,
    reg: Registration,
) -> Store:
    """Sign in, then create the encrypted store with the device's identity and keep the
    session. Nothing is created when the sign-in fails."""
    Store.check_can_create(data_dir, passphrase, reg.timezone)
    session = sign_in(http, reg)
    store = Store.create(
        data_dir,
        passphrase,
        keystore,
        timezone=reg.timezone,
        mode="server",
        identity=identity_of(session),
    )
    keep_session(store, keystore, reg, session)
    return store


def engine_for(
    store: Store,
    keystore: Keystore,
    *,
    http: httpx.Client | None = None,
    backoff: Backoff | None = None,
    batch_size: int | None = None,
    pull_limit: int | None = None,
    pull_beside_push: bool = True,
) -> SyncEngine:
    """The sync engine of a registered store (NotRegistered for a local-only one)."""
    credentials = Credentials(store, keystore)
    link = credentials.link()
    client = SyncClient(
        http or http_client(link.url), credentials.tokens(), on_tokens=credentials.save_tokens
    )
    engine = SyncEngine(
        store,
        client,
        backoff=backoff,
        load_tokens=credentials.tokens,
        pull_beside_push=pull_beside_push,
    )
    engine.batch_size = batch_size or engine.batch_size
    engine.pull_limit = pull_limit or engine.pull_limit
    return engine
