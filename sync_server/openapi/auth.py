"""Login, token refresh and the caller (docs/sync-protocol.md Auth)."""

from __future__ import annotations

from shared.contracts import LoginRequest, LoginResponse, RefreshRequest, TokenPair

from .operation import Operation

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "post",
        "/api/v1/auth/login",
        "login",
        "Log in and register the device",
        "auth",
        LoginResponse,
        LoginRequest,
        errors=(401,),
        description="401 for a wrong organization, user name or password, or a disabled"
        " user, without saying which. `device_secret` only on the first registration.",
    ),
    Operation(
        "post",
        "/api/v1/auth/refresh",
        "refresh",
        "Rotate a refresh token",
        "auth",
        TokenPair,
        RefreshRequest,
        errors=(401,),
        description="The old refresh token dies; presenting a dead one again revokes every"
        " session of its device (401).",
    ),
    Operation("get", "/api/v1/me", "me", "The caller of the access token", "auth", "Me", auth=True),
)
