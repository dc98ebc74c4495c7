"""Well reference data: CSV import by the office (`sync-server well import`).

Columns: api_number,name,lease,field,latitude,longitude,status,type. A known API number updates
the well (its version goes up); every change takes a new server_seq so devices pull it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import psycopg
from psycopg.rows import dict_row

from shared.api_number import ApiNumberError, api_number_issues, normalize_api_number
from sync_server.services.admin import AdminError, org_id_of

COLUMNS = ("api_number", "name", "lease", "field", "latitude", "longitude", "status", "type")
STATUSES = ("active", "shut_in", "temporarily_abandoned", "plugged")
TYPES = ("oil", "gas", "injection", "disposal", "other")


@dataclass(slots=True)
class WellImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def _coordinate(text: str, low: float, high: float, name: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} '{text}' is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"{name} {value} is outside {low}..{high}")
    return value


def parse_well(raw: dict[str, str]) -> dict[str, Any]:
    try:
        api = normalize_api_number(raw["api_number"])
    except ApiNumberError as exc:
        raise ValueError(str(exc)) from None
    if any(i.severity == "error" for i in api_number_issues(api)):
        raise ValueError(f"API number {api} is not valid")
    name = (raw.get("name") or "").strip()
    if not name:
        raise ValueError("name is required")
    status = (raw.get("status") or "active").strip() or "active"
    kind = (raw.get("type") or "oil").strip() or "oil"
    if status not in STATUSES:
        raise ValueError(f"status '{status}' is not one of {', '.join(STATUSES)}")
    if kind not in TYPES:
        raise ValueError(f"type '{kind}' is not one of {', '.join(TYPES)}")
    return {
        "api_number": api,
        "name": name,
        "lease": (raw.get("lease") or "").strip() or None,
        "field": (raw.get("field") or "").strip() or None,
        "latitude": _coordinate(raw.get("latitude") or "", -90, 90, "latitude"),
        "longitude": _coordinate(raw.get("longitude") or "", -180, 180, "longitude"),
        "status": status,
        "well_type": kind,
    }


def read_wells(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows and per-line problems; a file that is not such a CSV raises AdminError."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("api_number", "name") if c not in (reader.fieldnames or [])]
            if missing:
                raise AdminError(f"{path.name} is not a wells CSV: missing {', '.join(missing)}")
            rows, problems = [], []
            for raw in reader:
                try:
                    rows.append(parse_well(raw))
                except ValueError as exc:
                    problems.append(f"line {reader.line_num}: {exc}")
            return rows, problems
    except FileNotFoundError:
        raise AdminError(f"file not found: {path}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise AdminError(f"{path.name} is not a readable CSV: {exc}") from None


# a field or lease by name, made when new (the office's import and supervisors' devices alike)
NAMED_SQL = (
    "INSERT INTO {table} (id, org_id, name) VALUES (gen_random_uuid(), %(org)s, %(name)s)"
    " ON CONFLICT (org_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id"
)
# what an import sets of a well, beside its API number (its key)
STORED = ("name", "field_id", "lease_id", "latitude", "longitude", "status", "well_type")


def _named(conn: psycopg.Connection[dict[str, Any]], table: str, org: UUID, name: str) -> UUID:
    row = conn.execute(NAMED_SQL.format(table=table), {"org": org, "name": name}).fetchone()
    assert row is not None
    return UUID(str(row["id"]))


def import_wells(url: str, org: str, path: Path) -> WellImport:
    rows, problems = read_wells(path)
    result = WellImport(problems=problems)
    with psycopg.connect(url, row_factory=dict_row) as conn:
        org_id = org_id_of(conn, org)
        conn.execute("SELECT set_config('app.org_id', %s, true)", (str(org_id),))
        # the org row first, as ingest takes it: its seqs follow commit order, and no deadlock
        conn.execute("SELECT 1 FROM organizations WHERE id = %s FOR NO KEY UPDATE", (org_id,))
        for well in rows:
            field_id = _named(conn, "fields", org_id, well["field"]) if well["field"] else None
            lease_id = _named(conn, "leases", org_id, well["lease"]) if well["lease"] else None
            values = {
                "name": well["name"],
                "field_id": field_id,
                "lease_id": lease_id,
                "latitude": well["latitude"],
                "longitude": well["longitude"],
                "status": well["status"],
                "well_type": well["well_type"],
            }
            found = conn.execute(
                f"SELECT id, {', '.join(STORED)} FROM wells"
                " WHERE org_id = %(org)s AND api_number = %(api)s",
                {"org": org_id, "api": well["api_number"]},
            ).fetchone()
            named = {**values, "org": org_id, "api": well["api_number"]}
            if found is None:
                conn.execute(
                    "INSERT INTO wells (id, org_id, api_number, name, field_id, lease_id,"
                    " latitude, longitude, status, well_type, server_seq)"
                    " VALUES (%(id)s, %(org)s, %(api)s, %(name)s, %(field_id)s, %(lease_id)s,"
                    " %(latitude)s, %(longitude)s, %(status)s, %(well_type)s,"
                    " next_server_seq(%(org)s))",
                    {**named, "id": uuid4()},
                )
                result.created += 1
            elif {k: found[k] for k in STORED} == values:
                result.unchanged += 1
            else:
                conn.execute(
                    "UPDATE wells SET name = %(name)s, field_id = %(field_id)s,"
                    " lease_id = %(lease_id)s, latitude = %(latitude)s,"
                    " longitude = %(longitude)s, status = %(status)s, well_type = %(well_type)s,"
                    " version = version + 1, server_seq = next_server_seq(%(org)s)"
                    " WHERE id = %(id)s",
                    {**named, "id": found["id"]},
                )
                result.updated += 1
    return result
