"""GET /healthz (liveness) and GET /readyz (database reachable, migrations current)."""

from __future__ import annotations

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sync_server.db.migrate import current_revision, head_revision
from sync_server.problems import problem_response


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    db = request.app.state.db
    try:
        async with db.public() as conn:
            await conn.execute("SELECT 1")
        revision = await anyio.to_thread.run_sync(current_revision, db.url)
    except Exception as exc:  # any failure to reach the database means "not ready"
        return problem_response(request, 503, "Not ready", f"database unreachable: {exc}")
    head = head_revision()
    if revision != head:
        return problem_response(
            request, 503, "Not ready", f"database at migration {revision}, code needs {head}"
        )
    return JSONResponse({"status": "ready", "migration": revision})
