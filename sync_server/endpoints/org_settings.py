"""GET and PATCH /api/v1/settings/validation: the organization's validation thresholds.

Any user of the organization may read them (devices fetch them with every sync, sending the
last ETag in `If-None-Match`: 304 when nothing changed); only an admin may change them. Errors
are RFC 7807: 422 names the setting that is unknown or cannot take its value.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from shared.thresholds import (
    SettingError,
    Thresholds,
    ValidationSettingsChange,
    as_settings,
    settings_etag,
)
from sync_server.endpoints.common import bad_param, parse_body, principal, tag_matches
from sync_server.services import org_settings as service


def _answer(thresholds: Thresholds) -> Response:
    body = json.dumps(as_settings(thresholds), sort_keys=True)
    headers = {"ETag": settings_etag(thresholds), "Cache-Control": "private, no-cache"}
    return Response(body, media_type="application/json", headers=headers)


async def validation(request: Request) -> Response:
    who = principal(request)
    found = await service.read_thresholds(request.app.state.db, who.org_id)
    etag = settings_etag(found)
    if tag_matches(request.headers.get("if-none-match", ""), etag):
        return Response(
            status_code=304, headers={"ETag": etag, "Cache-Control": "private, no-cache"}
        )
    return _answer(found)


async def change_validation(request: Request) -> Response:
    who = principal(request, "admin")
    change = await parse_body(request, ValidationSettingsChange)
    try:
        found = await service.update_thresholds(
            request.app.state.db,
            who.org_id,
            who.user_id,
            change.model_dump(exclude_unset=True),
        )
    except SettingError as exc:
        raise bad_param(exc.key, exc.reason) from None
    return _answer(found)
