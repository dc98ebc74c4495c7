"""Access tokens (JWT, HS256, short-lived) and opaque rotating refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt

ALGORITHM = "HS256"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, from a verified access token."""

    user_id: UUID
    org_id: UUID
    device_id: UUID
    role: str


class TokenError(Exception):
    pass


def issue_access_token(principal: Principal, secret: str, minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(principal.user_id),
        "org": str(principal.org_id),
        "dev": str(principal.device_id),
        "role": principal.role,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
        "typ": "access",
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_access_token(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp"]})
        if claims.get("typ") != "access":
            raise TokenError("not an access token")
        return Principal(
            UUID(claims["sub"]), UUID(claims["org"]), UUID(claims["dev"]), str(claims["role"])
        )
    except jwt.ExpiredSignatureError:
        raise TokenError("access token expired") from None
    except (jwt.InvalidTokenError, KeyError, ValueError):
        raise TokenError("invalid access token") from None


def new_refresh_token(org_id: UUID) -> tuple[str, str]:
    """(token given to the client, hash stored). The org prefix scopes the lookup (RLS)."""
    token = f"{org_id}.{secrets.token_urlsafe(32)}"
    return token, refresh_hash(token)


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def refresh_org(token: str) -> UUID:
    try:
        return UUID(token.split(".", 1)[0])
    except ValueError:
        raise TokenError("invalid refresh token") from None
