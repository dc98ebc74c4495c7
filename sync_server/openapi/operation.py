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
    response: type[BaseModel] | str  # a pydantic model or a key of HAND_WRITTEN
    request: type[BaseModel] | None = None
    auth: bool = False  # needs a Bearer access token
    roles: tuple[str, ...] = ALL_ROLES  # who of the authenticated callers may call it
    params: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()  # raised by the endpoint itself (see error_statuses)
    media_type: str = "application/json"  # of the 200 answer
    description: str = ""
    etag: bool = False  # answers carry an ETag; If-None-Match with it gets 304 Not Modified
