"""Administration run by the `sync-server` command line, over the owner's connection."""

from __future__ import annotations

from uuid import UUID, uuid4

import psycopg
from psycopg.rows import dict_row

from sync_server.services.passwords import hash_password

ROLES = ("operator", "supervisor", "admin")


class AdminError(Exception):
    """A refused administrative request (one line for the command line)."""


def _tenant(conn: psycopg.Connection[dict[str, object]], org_id: UUID) -> None:
    conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org_id),))


def create_org(url: str, slug: str, name: str, *, timezone: str = "America/Chicago") -> UUID:
    org_id = uuid4()
    with psycopg.connect(url, row_factory=dict_row) as conn:
        if conn.execute("SELECT 1 FROM organizations WHERE slug = %s", (slug,)).fetchone():
            raise AdminError(f"organization '{slug}' already exists")
        try:
            conn.execute(
                "INSERT INTO organizations (id, slug, name, timezone)"
                " VALUES (%(id)s, %(slug)s, %(name)s, %(timezone)s)",
                {"id": org_id, "slug": slug, "name": name, "timezone": timezone},
            )
        except psycopg.errors.CheckViolation:
            raise AdminError(
                f"'{slug}' is not a valid organization slug (lowercase letters, digits, dashes)"
            ) from None
    return org_id


def org_id_of(conn: psycopg.Connection[dict[str, object]], slug: str) -> UUID:
    row = conn.execute("SELECT id FROM organizations WHERE slug = %s", (slug,)).fetchone()
    if row is None:
        raise AdminError(f"no organization '{slug}' (create it with 'sync-server org create')")
    return UUID(str(row["id"]))


def create_user(url: str, org: str, username: str, role: str, password: str) -> UUID:
    if role not in ROLES:
        raise AdminError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise AdminError("password must have at least 8 characters")
    user_id = uuid4()
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org_id = org_id_of(conn, org)
        _tenant(conn, org_id)
        taken = conn.execute(  # the owner may bypass RLS: filter by org explicitly
            "SELECT 1 FROM users WHERE org_id = %s AND username = %s", (org_id, username)
        ).fetchone()
        if taken:
            raise AdminError(f"user '{username}' already exists in '{org}'")
        conn.execute(
            "INSERT INTO users (id, org_id, username, password_hash, role)"
            " VALUES (%(id)s, %(org_id)s, %(username)s, %(password_hash)s, %(role)s)",
            {
                "id": user_id,
                "org_id": org_id,
                "username": username,
                "password_hash": hash_password(password),
                "role": role,
            },
        )
        conn.execute(
            "INSERT INTO audit_log (org_id, action, target)"
            " VALUES (%(org_id)s, 'user.create', %(target)s)",
            {"org_id": org_id, "target": f"user:{username}:{role}"},
        )
    return user_id
