"""What the analytics endpoints read: a well's production rows and data version, the wells of a
lease, field or organization, the organization's time zone. Every query runs in a tenant
transaction (row-level security) and names the organization as well, so the same SQL is safe
on the owner's connection of the command line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from shared.analytics.answers import WellData
from shared.analytics.series import DailyRow
from shared.analytics_contracts import Scope
from sync_server.db.pool import Conn

TIMEZONE = "SELECT timezone FROM organizations WHERE id = %(org)s"

WELL = """
SELECT id, api_number, name, lease_id, field_id FROM wells
 WHERE org_id = %(org)s AND id = %(well)s
"""

WELL_BY_API = """
SELECT id, api_number, name, lease_id, field_id FROM wells
 WHERE org_id = %(org)s AND api_number = %(api)s
"""

# The data version of a well: the highest server_seq of its production rows, voided ones
# included. Every record, correction, void or resolution of a well-day writes its row with a
# new (higher) seq of the organization, so the version changes whenever the well's data does.
VERSION = """
SELECT coalesce(max(server_seq), 0) AS version FROM production
 WHERE org_id = %(org)s AND well_id = %(well)s
"""

VERSIONS = """
SELECT w.id AS well_id, coalesce(max(p.server_seq), 0) AS version
  FROM wells w LEFT JOIN production p ON p.org_id = w.org_id AND p.well_id = w.id
 WHERE w.org_id = %(org)s
 GROUP BY w.id
 ORDER BY w.id
"""

# Rows and version in one statement, so they come from one snapshot.
ROWS = """
SELECT well_id, production_date, oil_bbl, gas_mcf, water_bbl, hours_on, downtime_hours,
       downtime_reason, server_seq, deleted_at IS NOT NULL AS voided
  FROM production
 WHERE org_id = %(org)s AND well_id = ANY(%(wells)s)
   AND production_date >= coalesce(%(first)s::date, '-infinity'::date)
   AND production_date <= coalesce(%(last)s::date, 'infinity'::date)
 ORDER BY well_id, production_date
"""

SCOPE_EXISTS = {
    "lease": "SELECT 1 FROM leases WHERE org_id = %(org)s AND id = %(id)s",
    "field": "SELECT 1 FROM fields WHERE org_id = %(org)s AND id = %(id)s",
}

SCOPE_WELLS = {
    "lease": "SELECT id FROM wells WHERE org_id = %(org)s AND lease_id = %(id)s ORDER BY id",
    "field": "SELECT id FROM wells WHERE org_id = %(org)s AND field_id = %(id)s ORDER BY id",
    "org": "SELECT id FROM wells WHERE org_id = %(org)s ORDER BY id",
}


def daily_row(row: Mapping[str, Any]) -> DailyRow:
    return DailyRow(
        production_date=row["production_date"],
        oil_bbl=float(row["oil_bbl"]),
        gas_mcf=float(row["gas_mcf"]),
        water_bbl=float(row["water_bbl"]),
        hours_on=row["hours_on"],
        downtime_hours=row["downtime_hours"],
        downtime_reason=row["downtime_reason"],
    )


def well_data_from(well_ids: Iterable[UUID], rows: Iterable[Mapping[str, Any]]) -> list[WellData]:
    """WellData per well of `well_ids` (in that order) from ROWS' result."""
    current: dict[UUID, list[DailyRow]] = defaultdict(list)
    versions: dict[UUID, int] = defaultdict(int)
    for row in rows:
        well = UUID(str(row["well_id"]))
        versions[well] = max(versions[well], int(row["server_seq"]))
        if not row["voided"]:
            current[well].append(daily_row(row))
    return [WellData(w, tuple(current[w]), versions[w]) for w in well_ids]


def rows_params(
    org_id: UUID, wells: Sequence[UUID], first: date | None = None, last: date | None = None
) -> dict[str, Any]:
    return {"org": org_id, "wells": list(wells), "first": first, "last": last}


async def timezone(conn: Conn, org_id: UUID) -> str:
    row = await (await conn.execute(TIMEZONE, {"org": org_id})).fetchone()
    return str(row["timezone"]) if row else "UTC"


async def well(conn: Conn, org_id: UUID, well_id: UUID) -> dict[str, Any] | None:
    """The well (id, api_number, name, lease_id, field_id), None when the org has no such."""
    return await (await conn.execute(WELL, {"org": org_id, "well": well_id})).fetchone()


async def well_version(conn: Conn, org_id: UUID, well_id: UUID) -> int:
    row = await (await conn.execute(VERSION, {"org": org_id, "well": well_id})).fetchone()
    return int(row["version"]) if row else 0


async def well_data(conn: Conn, org_id: UUID, well_id: UUID) -> WellData:
    cursor = await conn.execute(ROWS, rows_params(org_id, [well_id]))
    return well_data_from([well_id], await cursor.fetchall())[0]


async def scope_wells(conn: Conn, org_id: UUID, scope: Scope, scope_id: UUID) -> list[UUID] | None:
    """The wells of a lease, field or the organization; None when it does not exist here."""
    params = {"org": org_id, "id": scope_id}
    if scope == "well":
        return [scope_id] if await well(conn, org_id, scope_id) else None
    if scope == "org":
        if scope_id != org_id:
            return None
    elif not await (await conn.execute(SCOPE_EXISTS[scope], params)).fetchone():
        return None
    rows = await (await conn.execute(SCOPE_WELLS[scope], params)).fetchall()
    return [UUID(str(r["id"])) for r in rows]


async def scope_rows(
    conn: Conn, org_id: UUID, wells: Sequence[UUID], first: date | None, last: date | None
) -> list[tuple[DailyRow, ...]]:
    """The current rows of each well with data in [first, last] (wells without none left out)."""
    cursor = await conn.execute(ROWS, rows_params(org_id, wells, first, last))
    return [w.rows for w in well_data_from(wells, await cursor.fetchall()) if w.rows]
