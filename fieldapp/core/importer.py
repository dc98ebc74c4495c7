"""CSV import of daily production with full validation.

Columns: api_number,production_date,oil_bbl,gas_mcf,water_bbl,hours_on,downtime_hours,
downtime_reason,notes. Every row is checked with the shared rules against the well's history
(including rows earlier in the same file). A row with an error is not imported and is reported
with its line, column and reason; a warning imports with its flag. Re-importing a file creates
nothing new; a row whose well-day exists with other values becomes a correction event.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from fieldapp.core.csv_source import read_csv
from fieldapp.core.eventlog import WriteTxn
from fieldapp.core.production import PRODUCTION_COLUMNS, changed_values
from fieldapp.core.projections import Row
from fieldapp.core.store import Store
from shared.api_number import ApiNumberError, normalize_api_number
from shared.contracts import EntryMethod, EventType
from shared.downtime import reason_code
from shared.events import new_id
from shared.records import day_volumes, production_input
from shared.validation import Thresholds, WellHistory, org_today, validate_production

REQUIRED_COLUMNS = ("api_number", "production_date", "oil_bbl", "gas_mcf", "water_bbl")
OPTIONAL_COLUMNS = ("hours_on", "downtime_hours", "downtime_reason", "notes")
CSV_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CHUNK_ROWS = 2000
_NEW_RECORD: dict[str, Any] = {  # a new record's fields the file leaves out, as the form would
    "hours_on": None,
    "downtime_hours": None,
    "downtime_reason": None,
    "notes": "",
    "tubing_psi": None,
    "casing_psi": None,
    "choke_64ths": None,
    "entry_method": str(EntryMethod.IMPORT),
    "location": None,
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    column: str
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


@dataclass(slots=True)
class ImportSummary:
    encoding: str = "utf-8"  # "windows-1252" when the file was not UTF-8 (Excel's "CSV")
    read: int = 0
    imported: int = 0
    corrected: int = 0
    unchanged: int = 0
    rejected: int = 0
    flagged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "imported": self.imported,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "flagged": self.flagged,
        }


def _number(text: str, column: str, *, optional: bool) -> float | None:
    text = text.strip()
    if not text:
        if optional:
            return None
        raise ValueError(f"{column} is required")
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"'{text}' is not a finite number")
    return value


_normalized_api = lru_cache(maxsize=4096)(normalize_api_number)


def _parse_row(raw: dict[str, str]) -> tuple[str, date, dict[str, Any]]:
    """(api, day, payload values) or ValueError('column|reason')."""
    try:
        api = _normalized_api(raw["api_number"])
    except ApiNumberError as exc:
        raise ValueError(f"api_number|{exc}") from None
    text = raw["production_date"].strip()
    try:
        day = date.fromisoformat(text)
        if len(text) != 10:
            raise ValueError
    except ValueError:
        raise ValueError(f"production_date|'{text}' is not a date (YYYY-MM-DD)") from None
    values: dict[str, Any] = {}
    for column in ("oil_bbl", "gas_mcf", "water_bbl", "hours_on", "downtime_hours"):
        if column not in raw:
            continue  # an optional column the file does not have: leave that value alone
        try:
            values[column] = _number(raw[column] or "", column, optional=column[0] in "hd")
        except ValueError as exc:
            raise ValueError(f"{column}|{exc}") from None
    if "downtime_reason" in raw:
        try:
            values["downtime_reason"] = reason_code(raw["downtime_reason"])
        except ValueError as exc:
            raise ValueError(f"downtime_reason|{exc}") from None
    if "notes" in raw:
        values["notes"] = (raw["notes"] or "").strip()
        if len(values["notes"]) > 4000:
            raise ValueError("notes|longer than 4000 characters")
    return api, day, values


class _WellState:
    """One well's stored days in [start, end] (current rows) and its validation history."""

    def __init__(self, txn: WriteTxn, well_id: str, start: date, end: date, t: Thresholds) -> None:
        rows = txn.db.execute(
            f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM production"
            " WHERE well_id = ? AND voided = 0 AND production_date BETWEEN ? AND ?",
            (well_id, start.isoformat(), end.isoformat()),
        ).fetchall()
        self.days: dict[date, Row] = {}
        self.history = WellHistory(window_days=t.history_days, tz=t.timezone)
        for values in rows:
            row = dict(zip(PRODUCTION_COLUMNS, values, strict=True))
            day = date.fromisoformat(row["production_date"])
            self.days[day] = row
            self.history.add(day_volumes(day, row))


def import_production(store: Store, path: Path, *, today: date | None = None) -> ImportSummary:
    """Import a CSV file; see the module docstring for the rules."""
    summary = ImportSummary()
    today = today or org_today(store.thresholds.timezone)
    source = read_csv(path, REQUIRED_COLUMNS)  # a malformed file is refused before any write
    summary.encoding = source.encoding
    rows = source.rows
    for start in range(0, len(rows), CHUNK_ROWS):
        _import_chunk(store, rows[start : start + CHUNK_ROWS], summary, today)
    summary.problems.sort(key=lambda problem: problem.line)  # stable: a row's own order kept
    return summary


def _parse_chunk(
    chunk: list[tuple[int, dict[str, str]]], summary: ImportSummary
) -> list[tuple[int, str, date, dict[str, Any]]]:
    parsed = []
    for line, raw in chunk:
        summary.read += 1
        try:
            api, day, values = _parse_row(raw)
        except ValueError as exc:
            column, _, reason = str(exc).partition("|")
            summary.rejected += 1
            summary.problems.append(RowProblem(line, column, reason))
            continue
        parsed.append((line, api, day, values))
    return parsed


def _import_chunk(
    store: Store, chunk: list[tuple[int, dict[str, str]]], summary: ImportSummary, today: date
) -> None:
    thresholds = store.thresholds
    window = thresholds.history_days
    parsed = _parse_chunk(chunk, summary)  # outside the write lock
    with store.write() as txn:
        wells: dict[str, str] = {
            str(api): str(well_id)
            for api, well_id in txn.db.execute("SELECT api_number, well_id FROM wells")
        }
        spans: dict[str, tuple[date, date]] = {}
        for _, api, day, _ in parsed:
            if (well_id := wells.get(api)) is not None:
                low, high = spans.get(well_id, (day, day))
                spans[well_id] = (min(low, day), max(high, day))
        states = {
            well_id: _WellState(txn, well_id, low - timedelta(days=window), high, thresholds)
            for well_id, (low, high) in spans.items()
        }
        for line, api, day, values in parsed:
            found = wells.get(api)
            if found is None:
                summary.rejected += 1
                summary.problems.append(RowProblem(line, "api_number", f"unknown well {api}"))
                continue
            well_id, state = found, states[found]
            existing = state.days.get(day)
            if existing is not None:
                values = {**existing, **changed_values(existing, values)}
                if values == existing:
                    summary.unchanged += 1
                    continue
            issues = validate_production(
                production_input(day, values),
                today=today,
                history=state.history,
                thresholds=thresholds,
            )
            errors = [i for i in issues if i.severity == "error"]
            if errors:
                summary.rejected += 1
                summary.problems.extend(RowProblem(line, i.field, i.message) for i in errors)
                continue
            if issues:
                summary.flagged += 1
                summary.problems.extend(
                    RowProblem(line, i.field, i.message, "warning") for i in issues
                )
            if existing is None:
                payload = {
                    **_NEW_RECORD,
                    "well_id": well_id,
                    "production_date": day.isoformat(),
                    **values,
                }
                record_id = new_id()
                txn.append(EventType.PRODUCTION_RECORDED, record_id, payload, issues=issues)
                summary.imported += 1
            else:
                record_id = existing["record_id"]
                txn.append(
                    EventType.PRODUCTION_CORRECTED,
                    record_id,
                    {
                        "well_id": well_id,
                        "production_date": day.isoformat(),
                        "changes": changed_values(existing, values),
                        "reason": "CSV import",
                        "entry_method": str(EntryMethod.IMPORT),
                    },
                    base_version=int(existing["version"]),
                    issues=issues,
                )
                summary.corrected += 1
            state.days[day] = txn.rows.get("production", record_id) or values
            state.history.add(day_volumes(day, values))


def write_import_report(summary: ImportSummary) -> str:
    out = io.StringIO()
    for problem in summary.problems:
        out.write(f"{problem.severity}: {problem}\n")
    return out.getvalue()
