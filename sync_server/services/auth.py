"""Login with device registration, and refresh-token rotation with reuse detection."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared.contracts import LoginRequest, LoginResponse, TokenPair, UserInfo
from sync_server.db.pool import Conn, Database
from sync_server.services.passwords import verify_password
from sync_server.services.tokens import (
    Principal,
    TokenError,
    issue_access_token,
    new_refresh_token,
    refresh_hash,
    refresh_org,
)


class AuthError(Exception):
    """Bad credentials or a dead token: always answered 401 without saying which part."""


@dataclass(frozen=True, slots=True)
class TokenSettings:
    secret: str
    access_minutes: int = 15
    refresh_days: int = 30
    retry_grace: timedelta = timedelta(minutes=2)  # a lost refresh answer may be retried


async def login(db: Database, req: LoginRequest, cfg: TokenSettings) -> LoginResponse:
    async with db.public() as conn:
        org = await (
            await conn.execute("SELECT id FROM organizations WHERE slug = %s", (req.org,))
        ).fetchone()
    org_id = UUID(str(org["id"])) if org else uuid4()
    async with db.tenant(org_id) as conn:
        user = await (
            await conn.execute(
                "SELECT id, password_hash, role, disabled FROM users WHERE username = %s",
                (req.username,),
            )
        ).fetchone()
        ok = verify_password(str(user["password_hash"]) if user else None, req.password)
        if not (org and user and ok) or user["disabled"]:
            raise AuthError("wrong organization, user name or password")
        user_id = UUID(str(user["id"]))
        device_id, device_secret = await _device(conn, org_id, user_id, req)
        principal = Principal(user_id, org_id, device_id, str(user["role"]))
        _, refresh = await _store_refresh(conn, principal, uuid4(), cfg)
        await _audit(conn, org_id, user_id, "login", f"device:{device_id}")
    return LoginResponse(
        access_token=issue_access_token(principal, cfg.secret, cfg.access_minutes),
        refresh_token=refresh,
        org_id=org_id,
        device_id=device_id,
        device_secret=device_secret,
        user=UserInfo.model_validate({"id": user_id, "role": principal.role}),
    )


async def _device(
    conn: Conn, org_id: UUID, user_id: UUID, req: LoginRequest
) -> tuple[UUID, str | None]:
    """The caller's registered device, or a new one with its secret (returned only now)."""
    if req.device_id is not None:
        found = await (
            await conn.execute(
                "SELECT id FROM devices WHERE id = %s AND user_id = %s", (req.device_id, user_id)
            )
        ).fetchone()
        if found:
            return req.device_id, None
    device_id, secret = uuid4(), secrets.token_hex(32)
    await conn.execute(
        "INSERT INTO devices (id, org_id, user_id, name, secret)"
        " VALUES (%(id)s, %(org_id)s, %(user_id)s, %(name)s, %(secret)s)",
        {
            "id": device_id,
            "org_id": org_id,
            "user_id": user_id,
            "name": req.device_name,
            "secret": secret,
        },
    )
    return device_id, secret


async def _store_refresh(
    conn: Conn, who: Principal, family: UUID, cfg: TokenSettings
) -> tuple[UUID, str]:
    token, digest = new_refresh_token(who.org_id)
    token_id = uuid4()
    await conn.execute(
        "INSERT INTO refresh_tokens (id, org_id, user_id, device_id, family_id, token_hash,"
        " expires_at) VALUES (%(id)s, %(org_id)s, %(user_id)s, %(device_id)s, %(family_id)s,"
        " %(token_hash)s, %(expires_at)s)",
        {
            "id": token_id,
            "org_id": who.org_id,
            "user_id": who.user_id,
            "device_id": who.device_id,
            "family_id": family,
            "token_hash": digest,
            "expires_at": datetime.now(UTC) + timedelta(days=cfg.refresh_days),
        },
    )
    return token_id, token


async def _lost_answer(conn: Conn, row: Any, cfg: TokenSettings) -> bool:
    """A used token presented again within the grace period while the token that replaced it
    was never used: the device did not hear the answer. Revokes that unused successor."""
    used_at = row["used_at"]
    assert isinstance(used_at, datetime)
    if row["replaced_by"] is None or datetime.now(UTC) - used_at > cfg.retry_grace:
        return False
    cursor = await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE id = %s AND used_at IS NULL"
        " AND revoked_at IS NULL",
        (row["replaced_by"],),
    )
    return cursor.rowcount == 1


async def refresh(db: Database, token: str, cfg: TokenSettings) -> TokenPair:
    """Rotate: the old token dies; presenting a dead one again revokes its whole family, unless
    it is a retry of a refresh whose answer was lost (see `_lost_answer`)."""
    try:
        org_id = refresh_org(token)
    except TokenError as exc:
        raise AuthError(str(exc)) from None
    async with db.tenant(org_id) as conn:
        row = await (await conn.execute(_TOKEN_ROW, (refresh_hash(token),))).fetchone()
        if row is None:
            raise AuthError("unknown refresh token")
        reused = row["used_at"] is not None and not (
            row["revoked_at"] is None and await _lost_answer(conn, row, cfg)
        )
        if reused:
            await conn.execute(
                "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = %s"
                " AND revoked_at IS NULL",
                (row["family_id"],),
            )
            await _audit(conn, org_id, row["user_id"], "refresh_reuse", str(row["family_id"]))
        else:
            expires_at = row["expires_at"]
            assert isinstance(expires_at, datetime)
            if row["revoked_at"] or expires_at <= datetime.now(UTC) or row["disabled"]:
                raise AuthError("refresh token expired or revoked")
            who = Principal(
                UUID(str(row["user_id"])), org_id, UUID(str(row["device_id"])), str(row["role"])
            )
            new_id, new_token = await _store_refresh(conn, who, UUID(str(row["family_id"])), cfg)
            await conn.execute(
                "UPDATE refresh_tokens SET used_at = COALESCE(used_at, now()), replaced_by = %s"
                " WHERE id = %s",
                (new_id, row["id"]),
            )
    if reused:  # committed above: the family stays revoked although this request fails
        raise AuthError("refresh token reused: every session of this device was signed out")
    return TokenPair(
        access_token=issue_access_token(who, cfg.secret, cfg.access_minutes),
        refresh_token=new_token,
    )


_TOKEN_ROW = (
    "SELECT t.id, t.family_id, t.user_id, t.device_id, t.expires_at, t.used_at, t.revoked_at,"
    " t.replaced_by, u.role, u.disabled FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
    " WHERE t.token_hash = %s FOR UPDATE OF t"
)


async def _audit(conn: Conn, org_id: UUID, actor: object, action: str, target: str) -> None:
    await conn.execute(
        "INSERT INTO audit_log (org_id, actor_id, action, target)"
        " VALUES (%(org_id)s, %(actor_id)s, %(action)s, %(target)s)",
        {"org_id": org_id, "actor_id": actor, "action": action, "target": target},
    )
