"""GET /api/v1/openapi.json: the OpenAPI 3.1 document, built once per process."""

from __future__ import annotations

import json
from functools import cache

from starlette.requests import Request
from starlette.responses import Response

from sync_server.openapi import build_document


@cache
def _document_bytes() -> bytes:
    return json.dumps(build_document(), ensure_ascii=False, separators=(",", ":")).encode()


async def openapi(request: Request) -> Response:
    return Response(_document_bytes(), media_type="application/json")
