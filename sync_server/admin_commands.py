"""What the `sync-server` commands do, kept apart from argument parsing."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from shared.thresholds import Thresholds
from sync_server.app import create_app, database_url
from sync_server.db.migrate import upgrade
from sync_server.services import admin, analytics_refresh, org_settings, wells
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


@dataclass(frozen=True, slots=True)
class OrgRebuilt:
    slug: str
    daily: int
    monthly: int
    seconds: float


def rebuild_analytics(url: str, org: str | None) -> list[OrgRebuilt]:
    """Recompute the aggregates of `org` (a slug), or of every organization, one transaction
    each."""
    upgrade(url)
    return asyncio.run(_rebuild_analytics(url, org))


async def _rebuild_analytics(url: str, org: str | None) -> list[OrgRebuilt]:
    import psycopg

    async with await psycopg.AsyncConnection.connect(url) as conn:
        cur = await conn.execute(
            "SELECT id, slug FROM organizations WHERE %(slug)s::text IS NULL OR slug = %(slug)s"
            " ORDER BY slug",
            {"slug": org},
        )
        orgs = await cur.fetchall()
        await conn.commit()
        if org is not None and not orgs:
            raise admin.AdminError(f"no organization '{org}'")
        done = []
        for org_id, slug in orgs:
            async with conn.transaction():
                result = await analytics_refresh.rebuild(conn, org_id)
            done.append(OrgRebuilt(slug, result.daily, result.monthly, result.seconds))
    return done


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
