"""The server's confirmed state, as pulled, turned into projection rows.

A pulled event of a record carries the record as that version left it (`Change.record`); a well
comes whole. These functions only translate those JSON states into the rows of the local
read models; which rows are written, and what is re-applied on top, is `rebase`'s business.
Confirmed rows carry the server's version and `last_seq` 0 (no event of this device made them).
"""

from __future__ import annotations

import json
from typing import Any

from fieldapp.core.projections import (
    COLUMNS,
    INCIDENT_DEFAULTS,
    PHOTO_DEFAULTS,
    Row,
    place_columns,
    with_defaults,
)
from shared.api_number import normalize_api_number
from shared.records import PRODUCTION_VALUE_FIELDS

# the server's record kinds -> the local projection tables
KIND_TABLES: dict[str, str] = {
    "production": "production",
    "equipment": "equipment",
    "maintenance": "maintenance",
    "incident": "incidents",
    "photo": "photos",
}
WELL_FIELDS = ("name", "lease", "field", "latitude", "longitude", "status", "well_type")


def table_of(record: dict[str, Any]) -> str | None:
    return KIND_TABLES.get(str(record.get("kind")))


def production_row(record: dict[str, Any]) -> Row:
    values = record["values"]
    location = record.get("location") or {}
    flags = [f for f in record.get("flags") or [] if f.get("severity") != "error"]
    return {
        "record_id": record["id"],
        "well_id": record["well_id"],
        "production_date": record["production_date"],
        **{name: values.get(name) for name in PRODUCTION_VALUE_FIELDS},
        "notes": values.get("notes") or "",
        "entry_method": record.get("entry_method") or "MANUAL",
        "latitude": location.get("lat"),
        "longitude": location.get("lon"),
        "accuracy_m": location.get("accuracy_m"),
        "quality_score": int(record.get("quality_score", 100)),
        "flags": json.dumps(flags, sort_keys=True) if flags else "[]",
        "voided": 1 if record.get("deleted") else 0,
        "version": int(record["version"]),
        "last_seq": 0,
    }


def aggregate_row(table: str, record: dict[str, Any]) -> Row:
    """Equipment, maintenance, incidents and photos: the record's values fill their columns."""
    columns = COLUMNS[table]
    row: Row = dict.fromkeys(columns)
    row[columns[0]] = record["id"]
    for name, value in (record.get("values") or {}).items():
        if name == "location":
            place_columns(row, value)
        elif name in row:
            row[name] = int(value) if isinstance(value, bool) else value
    if "well_id" in row and row["well_id"] is None:
        row["well_id"] = record.get("well_id")
    # a record from before a field existed gets its default
    if table == "incidents":
        with_defaults(row, INCIDENT_DEFAULTS)
    elif table == "photos":
        with_defaults(row, PHOTO_DEFAULTS)
    row["version"] = int(record["version"])
    row["last_seq"] = 0
    return row


def record_row(record: dict[str, Any]) -> tuple[str, Row] | None:
    """(table, row) for a pulled record state; None for kinds this device does not keep."""
    table = table_of(record)
    if table is None:
        return None
    if table == "production":
        return table, production_row(record)
    return table, aggregate_row(table, record)


def well_row(well: dict[str, Any], version: int | None) -> Row:
    row: Row = {
        "well_id": well["id"],
        "api_number": normalize_api_number(str(well["api_number"])),
        **{name: well.get(name) for name in WELL_FIELDS},
        "version": int(version or 1),
        "last_seq": 0,
    }
    row["status"] = row["status"] or "active"
    row["well_type"] = row["well_type"] or "oil"
    return row
