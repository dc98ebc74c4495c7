"""An organization's validation thresholds (docs/design.md §6.2): read, changed, audited.

The thresholds an admin set live in `organizations.validation` (only those that differ from
the defaults; migration 0007), the time zone in `organizations.timezone`. The same thresholds
screen every pushed production event (`ingest.context`) and are what devices fetch with each
sync. Two doors: the `sync-server org settings` command (the owner's connection, by slug) and
`GET`/`PATCH /api/v1/settings/validation` (the caller's organization, under row-level
security). Every change writes an `org.settings` entry to the audit log with what changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from shared.thresholds import Thresholds, as_settings, changed, differences, with_settings
from sync_server.db.pool import Database
from sync_server.services.admin import org_id_of

_READ = "SELECT timezone, validation FROM organizations WHERE id = %s"
_WRITE = "UPDATE organizations SET timezone = %(tz)s, validation = %(validation)s WHERE id = %(id)s"
_AUDIT = (
    "INSERT INTO audit_log (org_id, actor_id, action, target, details)"
    " VALUES (%(org)s, %(actor)s, 'org.settings', %(target)s, %(details)s)"
)


def thresholds_of(timezone: str, validation: Mapping[str, Any] | None) -> Thresholds:
    """The thresholds of an organization row: its time zone and what its admins set."""
    return with_settings(Thresholds(timezone=timezone), validation or {})


def _stored(thresholds: Thresholds) -> str:
    """What `organizations.validation` keeps: the non-default thresholds, not the zone."""
    kept = {k: v for k, v in differences(thresholds).items() if k != "timezone"}
    return json.dumps(kept, sort_keys=True)


def _changes(before: Thresholds, after: Thresholds) -> dict[str, Any]:
    old, new = as_settings(before), as_settings(after)
    return {k: {"from": old[k], "to": new[k]} for k in new if old[k] != new[k]}


# --- the command line (owner connection) -----------------------------------------------


def _tenant(conn: psycopg.Connection[dict[str, Any]], org_id: UUID) -> None:
    conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org_id),))


def org_thresholds(url: str, slug: str) -> Thresholds:
    """The thresholds in force for the organization `slug` (AdminError when there is none)."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org_id = org_id_of(conn, slug)
        row = conn.execute(_READ, (org_id,)).fetchone()
    assert row is not None
    return thresholds_of(str(row["timezone"]), row["validation"])


def set_org_thresholds(url: str, slug: str, change: Mapping[str, Any]) -> Thresholds:
    """Apply `change` (checked: SettingError) to the organization `slug`, with an audit entry."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org_id = org_id_of(conn, slug)
        _tenant(conn, org_id)
        row = conn.execute(_READ + " FOR NO KEY UPDATE", (org_id,)).fetchone()
        assert row is not None
        before = thresholds_of(str(row["timezone"]), row["validation"])
        after = changed(before, change)
        if after != before:
            conn.execute(_WRITE, {"tz": after.timezone, "validation": _stored(after), "id": org_id})
            conn.execute(
                _AUDIT,
                {
                    "org": org_id,
                    "actor": None,
                    "target": f"org:{slug}",
                    "details": json.dumps({"changes": _changes(before, after), "via": "cli"}),
                },
            )
    return after


# --- the endpoint (the caller's organization) -----------------------------------------------


async def read_thresholds(db: Database, org_id: UUID) -> Thresholds:
    async with db.tenant(org_id) as conn:
        row = await (await conn.execute(_READ, (org_id,))).fetchone()
    if row is None:
        raise LookupError(f"organization {org_id} is gone")
    return thresholds_of(str(row["timezone"]), row["validation"])


async def update_thresholds(
    db: Database, org_id: UUID, actor_id: UUID, change: Mapping[str, Any]
) -> Thresholds:
    """Apply `change` (checked: SettingError) to the caller's organization, audited."""
    async with db.tenant(org_id) as conn:
        row = await (await conn.execute(_READ + " FOR NO KEY UPDATE", (org_id,))).fetchone()
        if row is None:
            raise LookupError(f"organization {org_id} is gone")
        before = thresholds_of(str(row["timezone"]), row["validation"])
        after = changed(before, change)
        if after != before:
            await conn.execute(
                _WRITE, {"tz": after.timezone, "validation": _stored(after), "id": org_id}
            )
            details = {"changes": _changes(before, after), "via": "api"}
            await conn.execute(
                _AUDIT,
                {
                    "org": org_id,
                    "actor": actor_id,
                    "target": f"org:{org_id}",
                    "details": json.dumps(details),
                },
            )
    return after
