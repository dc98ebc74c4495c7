"""The office's side of photo storage (docs/photos-server.md "Quota" and "Clean-up"): what
each organization holds against its quota, its limits, and the partial uploads left behind.

Partial uploads untouched for `older_than_hours` (24 by default) are abandoned: a laptop that
comes back later starts that photo again (HEAD answers 404, the device asks for a new upload
and the server tells it the offset: 0). Their staged bytes and rows go; completed uploads stay
as the record of who sent what. Staged files with no upload row (a crash between the two) go
too. The command runs on the owner's connection, across organizations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import psycopg
from psycopg.rows import dict_row

from sync_server.services.admin import AdminError, org_id_of
from sync_server.services.photo_storage import Staging

_STALE = "DELETE FROM uploads WHERE completed_at IS NULL AND updated_at < now() - %s RETURNING id"
_USAGE = """
SELECT o.slug, o.photo_quota_bytes AS quota, o.photo_max_bytes AS max_photo,
       coalesce(b.n, 0) AS photos, coalesce(b.bytes, 0) AS bytes,
       coalesce(u.n, 0) AS open_uploads, coalesce(u.bytes, 0) AS reserved
  FROM organizations o
  LEFT JOIN (SELECT org_id, count(*) AS n, sum(size) AS bytes FROM photo_blobs GROUP BY org_id) b
    ON b.org_id = o.id
  LEFT JOIN (SELECT org_id, count(*) AS n, sum(size) AS bytes FROM uploads
              WHERE completed_at IS NULL AND updated_at > now() - interval '24 hours'
              GROUP BY org_id) u
    ON u.org_id = o.id
 WHERE %(slug)s::text IS NULL OR o.slug = %(slug)s
 ORDER BY o.slug
"""


_LIMITS = "SELECT photo_quota_bytes, photo_max_bytes FROM organizations WHERE id = %s FOR UPDATE"
_SET_LIMITS = (
    "UPDATE organizations SET photo_quota_bytes = coalesce(%s, photo_quota_bytes),"
    " photo_max_bytes = coalesce(%s, photo_max_bytes) WHERE id = %s"
    " RETURNING photo_quota_bytes, photo_max_bytes"
)


@dataclass(frozen=True, slots=True)
class Cleaned:
    uploads: int  # abandoned uploads forgotten
    files: int  # staged files removed (theirs and orphans)
    bytes: int


def clean_up(url: str, staging: Staging, older_than_hours: float = 24.0) -> Cleaned:
    """Forget the partial uploads untouched for `older_than_hours` and their staged bytes."""
    if older_than_hours < 0:
        raise AdminError("--older-than-hours cannot be negative")
    with psycopg.connect(url) as conn:
        gone = [r[0] for r in conn.execute(_STALE, (timedelta(hours=older_than_hours),))]
        conn.commit()
        open_ids = {str(r[0]) for r in conn.execute("SELECT id FROM uploads")}
    files = freed = 0
    for upload_id in gone:
        size = staging.size(upload_id)
        if staging.path(upload_id).exists():
            staging.discard(upload_id)
            files, freed = files + 1, freed + size
    for path in staging.files():
        if path.stem not in open_ids:  # staged bytes whose row is gone
            freed += path.stat().st_size
            path.unlink(missing_ok=True)
            files += 1
    return Cleaned(len(gone), files, freed)


@dataclass(frozen=True, slots=True)
class Usage:
    slug: str
    quota: int
    max_photo: int
    photos: int
    bytes: int
    open_uploads: int
    reserved: int  # what open uploads (touched in the last 24 h) hold back from the quota


def usage(url: str, slug: str | None = None) -> list[Usage]:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        rows = conn.execute(_USAGE, {"slug": slug}).fetchall()
    if slug is not None and not rows:
        raise AdminError(f"no organization '{slug}'")
    return [
        Usage(
            str(r["slug"]),
            int(r["quota"]),
            int(r["max_photo"]),
            int(r["photos"]),
            int(r["bytes"]),
            int(r["open_uploads"]),
            int(r["reserved"]),
        )
        for r in rows
    ]


def set_limits(url: str, slug: str, quota: int | None, max_photo: int | None) -> UUID:
    """Change an organization's photo quota and/or per-photo limit (bytes)."""
    if quota is not None and quota < 0:
        raise AdminError("the quota cannot be negative")
    if max_photo is not None and max_photo < 1:
        raise AdminError("the per-photo limit must be at least 1 byte")
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org_id = org_id_of(conn, slug)
        before = conn.execute(_LIMITS, (org_id,)).fetchone()
        after = conn.execute(_SET_LIMITS, (quota, max_photo, org_id)).fetchone()
        changes = {
            k: {"from": before[k], "to": after[k]}
            for k in ("photo_quota_bytes", "photo_max_bytes")
            if before is not None and after is not None and before[k] != after[k]
        }
        if changes:
            conn.execute(
                "SELECT set_config('app.org_id', %s, true)", (str(org_id),)
            )  # the audit log is the organization's (row-level security)
            conn.execute(
                "INSERT INTO audit_log (org_id, actor_id, action, target, details)"
                " VALUES (%s, NULL, 'org.photo_limits', %s, %s)",
                (org_id, f"org:{slug}", json.dumps({"changes": changes, "via": "cli"})),
            )
    return org_id
