"""One documented route: the `Operation` and `Param` rows every resource module lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel

from shared.contracts import Role

JsonSchema = dict[str, Any]
ALL_ROLES: tuple[str, ...] = get_args(Role)
OFFICE = ("supervisor", "admin")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter; path parameters are always required."""

    name: str
    schema: JsonSchema
    description: str
    where: Literal["query", "path", "header"] = "query"
    required: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    method: Literal["get", "post", "put", "patch", "delete", "head"]
    path: str
    operation_id: str
    summary: str
    tag: str
    response: type[BaseModel] | str | None  # a pydantic model, a key of HAND_WRITTEN, or no body
    request: type[BaseModel] | None = None
    auth: bool = False  # needs a Bearer access token
    roles: tuple[str, ...] = ALL_ROLES  # who of the authenticated callers may call it
    params: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()  # raised by the endpoint itself (see error_statuses)
    media_type: str = "application/json"  # of the 200 answer
    etag: bool = False  # 200 carries a strong ETag; If-None-Match naming it answers 304
    description: str = ""
    status: int = 200  # of the answer when all went well
    headers: tuple[tuple[str, str], ...] = ()  # (header, key of components.HEADERS) it carries
    raw_request: str | None = None  # the media type of a request body of bytes (not JSON)
