"""CSV export of production; the first columns are the import columns, so an export re-imports."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fieldapp.core.store import Store

# every export column and where its value comes from (production p, wells w), read by name
EXPORT_SOURCES: dict[str, str] = {
    "api_number": "w.api_number",
    "production_date": "p.production_date",
    "oil_bbl": "p.oil_bbl",
    "gas_mcf": "p.gas_mcf",
    "water_bbl": "p.water_bbl",
    "hours_on": "p.hours_on",
    "downtime_hours": "p.downtime_hours",
    "downtime_reason": "p.downtime_reason",
    "notes": "p.notes",
    "well_name": "w.name",
    "tubing_psi": "p.tubing_psi",
    "casing_psi": "p.casing_psi",
    "choke_64ths": "p.choke_64ths",
    "entry_method": "p.entry_method",
    "quality_score": "p.quality_score",
    "flags": "p.flags",
    "record_id": "p.record_id",
}
EXPORT_COLUMNS = tuple(EXPORT_SOURCES)


@dataclass(frozen=True, slots=True)
class ExportFilter:
    start: date | None = None
    end: date | None = None
    well_id: str | None = None


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return str(value)


def export_production(store: Store, out: Path, flt: ExportFilter = ExportFilter()) -> int:
    """Write matching, non-voided records ordered by well and date; returns the row count."""
    where = ["p.voided = 0"]
    params: list[str] = []
    if flt.start:
        where.append("p.production_date >= ?")
        params.append(flt.start.isoformat())
    if flt.end:
        where.append("p.production_date <= ?")
        params.append(flt.end.isoformat())
    if flt.well_id:
        where.append("p.well_id = ?")
        params.append(flt.well_id)
    columns = EXPORT_COLUMNS
    selected = ", ".join(f'{EXPORT_SOURCES[name]} AS "{name}"' for name in columns)
    sql = (
        f"SELECT {selected} FROM production p JOIN wells w ON w.well_id = p.well_id"
        f" WHERE {' AND '.join(where)} ORDER BY w.api_number, p.production_date"
    )
    tmp = out.with_name(f".{out.name}.partial")
    count = 0
    with store.read() as conn, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in conn.exec_driver_sql(sql, tuple(params)).mappings():
            values = dict(row)
            values["flags"] = ";".join(flag["rule"] for flag in json.loads(values["flags"]))
            writer.writerow([_fmt(values[name]) for name in columns])
            count += 1
    tmp.replace(out)
    return count
