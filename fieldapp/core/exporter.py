"""CSV export of production; the first columns are the import columns, so an export re-imports."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fieldapp.core.store import Store

EXPORT_COLUMNS = (
    "api_number",
    "production_date",
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "downtime_hours",
    "downtime_reason",
    "notes",
    "well_name",
    "tubing_psi",
    "casing_psi",
    "choke_64ths",
    "entry_method",
    "quality_score",
    "flags",
    "record_id",
)


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
    sql = (
        "SELECT w.api_number, p.production_date, p.oil_bbl, p.gas_mcf, p.water_bbl, p.hours_on,"
        " p.downtime_hours, p.downtime_reason, p.notes, w.name, p.tubing_psi, p.casing_psi,"
        " p.choke_64ths, p.entry_method, p.quality_score, p.flags, p.record_id"
        " FROM production p JOIN wells w ON w.well_id = p.well_id"
        f" WHERE {' AND '.join(where)} ORDER BY w.api_number, p.production_date"
    )
    tmp = out.with_name(f".{out.name}.partial")
    count = 0
    with store.read() as conn, tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in conn.exec_driver_sql(sql, tuple(params)):
            values = list(row)
            values[15] = ";".join(flag["rule"] for flag in json.loads(values[15]))
            writer.writerow([_fmt(v) for v in values])
            count += 1
    tmp.replace(out)
    return count
