"""`SyncClient`: the device's side of the sync protocol (docs/sync-protocol.md) over an injected
httpx.Client.

Unit tests give it `httpx.MockTransport`, contract tests `TestClient(create_app())`, the app a
real connection: the same code talks to all three. It knows the wire and the tokens, nothing of
the store. The access token is refreshed before it expires and once more on a 401; every new
token pair goes to `on_tokens` (which stores it) before it is used, because the refresh token
rotates and the old one dies.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, Field, ValidationError

from fieldapp.sync.errors import (
    AuthRejected,
    OffsetConflict,
    Refused,
    ServerBusy,
    SyncError,
    TooLarge,
    Unreachable,
)
from shared.contracts import (
    PROTOCOL_VERSION,
    BatchResponse,
    ChangesPage,
    LoginRequest,
    LoginResponse,
    TokenPair,
)
from shared.thresholds import ValidationSettings

API = "/api/v1"
OFFSET_HEADER = "Upload-Offset"  # the upload protocol's byte offset (docs/photos-server.md)
CHUNK_TYPE = "application/offset+octet-stream"
M = TypeVar("M", bound=BaseModel)
EXPIRY_MARGIN_S = 30.0  # refresh a little before the token runs out


class UploadCreated(BaseModel):
    """The answer to POST /uploads (extra fields a newer server adds are ignored)."""

    upload_id: str
    offset: int = Field(ge=0)
    chunk_max: int = Field(default=1024 * 1024, gt=0)


@dataclass(slots=True)
class Tokens:
    access_token: str | None
    refresh_token: str | None


TokenSink = Callable[[TokenPair], None]


def token_expiry(access_token: str) -> float:
    """The `exp` claim of a JWT (not verified: the server does that), 0 if unreadable."""
    try:
        payload = access_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, KeyError, TypeError, ValueError):
        return 0.0


class SyncClient:
    def __init__(
        self,
        http: httpx.Client,
        tokens: Tokens | None = None,
        *,
        on_tokens: TokenSink | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.http = http
        self.tokens = tokens or Tokens(None, None)
        self._on_tokens = on_tokens
        self._clock = clock
        self._refreshing = threading.Lock()  # push and pull run side by side: one refresh
        self.requests = 0  # HTTP requests sent (for progress and tests)

    # --- auth --------------------------------------------------------------------------------

    def login(self, request: LoginRequest) -> LoginResponse:
        response = self._send("POST", f"{API}/auth/login", json=request.model_dump(mode="json"))
        result = parsed(LoginResponse, response)
        self._take(TokenPair(access_token=result.access_token, refresh_token=result.refresh_token))
        return result

    def refresh(self) -> TokenPair:
        if not self.tokens.refresh_token:
            raise AuthRejected("this device has no session: sign in again ('fieldapp init')")
        try:
            response = self._send(
                "POST", f"{API}/auth/refresh", json={"refresh_token": self.tokens.refresh_token}
            )
        except Refused as exc:
            if exc.status in (401, 422):
                raise AuthRejected(
                    f"the server ended this device's session ({exc}); sign in again"
                ) from None
            raise
        pair = parsed(TokenPair, response)
        self._take(pair)
        return pair

    def _take(self, pair: TokenPair) -> None:
        if self._on_tokens is not None:
            self._on_tokens(pair)  # stored first: the old refresh token is dead from now on
        self.tokens = Tokens(pair.access_token, pair.refresh_token)

    def _bearer(self, refused: str | None = None) -> dict[str, str]:
        """The access token to send; refreshed when it runs out or the server refused it
        (`refused`), once even when several threads notice at the same time."""
        with self._refreshing:
            token = self.tokens.access_token
            stale = not token or token_expiry(token) - EXPIRY_MARGIN_S <= self._clock()
            if stale or (refused is not None and token == refused):
                token = self.refresh().access_token
        return {"Authorization": f"Bearer {token}"}

    def _authed(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**kwargs.pop("headers", {}), **self._bearer()}
        try:
            return self._send(method, path, headers=headers, **kwargs)
        except Refused as exc:
            if exc.status != 401:
                raise
        headers.update(self._bearer(refused=headers["Authorization"].removeprefix("Bearer ")))
        try:
            return self._send(method, path, headers=headers, **kwargs)
        except Refused as exc:
            if exc.status == 401:
                raise AuthRejected(f"the server refused this device's token ({exc})") from None
            raise

    # --- sync ---------------------------------------------------------------------------------

    def push(self, device_id: str, events: Sequence[str]) -> BatchResponse:
        """POST a batch of envelopes given as JSON texts (sent byte for byte as stored)."""
        body = (
            f'{{"protocol_version":{PROTOCOL_VERSION},"device_id":"{device_id}",'
            f'"events":[{",".join(events)}]}}'
        ).encode()
        response = self._authed(
            "POST",
            f"{API}/sync/batch",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        return parsed(BatchResponse, response)

    def pull(self, cursor: int, limit: int = 1000) -> ChangesPage:
        response = self._authed(
            "GET", f"{API}/sync/changes", params={"cursor": cursor, "limit": limit}
        )
        return parsed(ChangesPage, response)

    def validation_settings(self, etag: str | None) -> tuple[str, dict[str, Any]] | None:
        """The organization's validation thresholds and their ETag; None when `etag` is still
        current (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._authed("GET", f"{API}/settings/validation", headers=headers)
        if response.status_code == 304:
            return None
        settings = parsed(ValidationSettings, response)
        return response.headers.get("ETag", ""), settings.model_dump()

    # --- photo uploads (fieldapp.sync.photo_upload drives them) -------------------------------

    def create_upload(self, sha256: str, size: int, content_type: str) -> tuple[str, int, int]:
        """POST /uploads: (upload id, the bytes the server holds, its largest chunk)."""
        body = {"sha256": sha256, "size": size, "content_type": content_type}
        answer = parsed(UploadCreated, self._authed("POST", f"{API}/uploads", json=body))
        return answer.upload_id, answer.offset, answer.chunk_max

    def upload_offset(self, upload_id: str) -> int | None:
        """HEAD /uploads/{id}: the bytes the server holds; None when it does not know the
        upload (finished and forgotten, cleaned up, or another organization's)."""
        try:
            response = self._authed("HEAD", f"{API}/uploads/{upload_id}")
        except Refused as exc:
            if exc.status in (404, 410):
                return None
            raise
        return offset_of(response)

    def send_chunk(self, upload_id: str, offset: int, chunk: bytes) -> int | None:
        """PATCH /uploads/{id} at `offset`: the server's new offset (None: not said).
        A wrong offset raises OffsetConflict with the server's."""
        response = self._authed(
            "PATCH",
            f"{API}/uploads/{upload_id}",
            content=chunk,
            headers={"Content-Type": CHUNK_TYPE, OFFSET_HEADER: str(offset)},
        )
        return offset_of(response)

    def photo(self, photo_id: str, *, thumbnail: bool = False) -> bytes | None:
        """GET /photos/{id} (or its thumbnail): the bytes, or None when the server has none to
        give (not uploaded yet, removed, or unknown: a 404)."""
        suffix = "/thumbnail" if thumbnail else ""
        try:
            return self._authed("GET", f"{API}/photos/{photo_id}{suffix}").content
        except Refused as exc:
            if exc.status == 404:
                return None
            raise

    def healthy(self) -> bool:
        """A cheap liveness probe: True when the server answers /healthz with 200."""
        try:
            return self._send("GET", "/healthz").status_code == 200
        except SyncError:
            return False

    # --- the wire -----------------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.requests += 1
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise Unreachable(f"server unreachable: {type(exc).__name__}: {exc}") from None
        if response.status_code < 400:
            return response
        raise _problem(response)


def parsed(model: type[M], response: httpx.Response) -> M:
    """A 2xx answer read as the protocol model, or a SyncError saying it is not one."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise ServerBusy(
            f"the server's answer to {response.request.url.path} is not the sync protocol"
            f" ({exc.error_count()} problem(s)); is this a WellPulse server of this version?"
        ) from None


def _problem(response: httpx.Response) -> SyncError:
    status = response.status_code
    detail = _detail(response)
    retry_after = _retry_after(response.headers.get("Retry-After"))
    if status == 429 or status >= 500:
        return ServerBusy(f"server busy ({status}): {detail}", retry_after=retry_after)
    if status == 413:
        return TooLarge(f"too large: {detail}")
    if status == 409 and (offset := offset_of(response)) is not None:
        return OffsetConflict(f"{status} {detail}", offset)
    return Refused(f"{status} {detail}", status)


def offset_of(response: httpx.Response) -> int | None:
    """The Upload-Offset header as a number of bytes (None: absent or not a number)."""
    value = response.headers.get(OFFSET_HEADER)
    if value is None:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        return None


def _detail(response: httpx.Response) -> str:
    try:
        problem = response.json()
    except ValueError:
        return response.reason_phrase or "no detail"
    if isinstance(problem, dict):
        return str(problem.get("detail") or problem.get("title") or "no detail")
    return "no detail"


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
