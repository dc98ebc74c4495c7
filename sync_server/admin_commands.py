"""What the `sync-server` commands do, kept apart from argument parsing."""

from __future__ import annotations

import logging
import signal
from pathlib import Path
from uuid import UUID

from shared.thresholds import Thresholds
from sync_server.app import create_app, database_url
from sync_server.db.migrate import upgrade
from sync_server.services import admin, org_settings, wells
from sync_server.settings import Settings


def owner_url(settings: Settings) -> str:
    """The owner's connection: DATABASE_URL, or the embedded server (started on demand)."""
    return database_url(settings)


def migrate(url: str) -> str:
    return upgrade(url)


def create_org(url: str, slug: str, name: str, timezone: str) -> UUID:
    upgrade(url)
    return admin.create_org(url, slug, name, timezone=timezone)


def org_thresholds(url: str, slug: str, change: dict[str, object]) -> Thresholds:
    """The organization's thresholds, after `change` when it holds anything."""
    upgrade(url)
    if change:
        return org_settings.set_org_thresholds(url, slug, change)
    return org_settings.org_thresholds(url, slug)


def create_user(url: str, org: str, username: str, role: str, password: str) -> UUID:
    upgrade(url)
    return admin.create_user(url, org, username, role, password)


def import_wells(url: str, org: str, path: Path) -> wells.WellImport:
    upgrade(url)
    return wells.import_wells(url, org, path)


def serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again with the handler
    # found at start; exiting (not dying) there lets the embedded Postgres stop with us.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    _json_access_log()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=False)
    return 0


def _json_access_log() -> None:
    """One JSON line per request on stderr (with its request id), in place of uvicorn's
    plain access lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    access = logging.getLogger("sync_server.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
