"""A well's production day by day: one day with its record, 7 days, and saving several days.

`well_day` is one well-day (the well, its live record, the record's versions and the rules'
context); `production_week` the 7 days ending on a day, with one context covering them all;
`save_days` saves days one by one, a day refused by the rules not stopping the others.
`previous_record` is the latest live record before a day (what "same as yesterday" copies).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Connection

from fieldapp.core.errors import StoreError, ValidationFailedError
from fieldapp.core.production import PRODUCTION_COLUMNS, find_day, save_production
from fieldapp.core.projections import Row
from fieldapp.core.record_history import RecordVersion, versions_of
from fieldapp.core.store import Store
from fieldapp.core.validation_context import ValidationContext, context_for
from fieldapp.core.wells import Well, get_well
from shared.contracts import ProductionRecorded
from shared.records import PRODUCTION_VALUE_FIELDS
from shared.validation import Issue, Severity, org_today

WEEK_DAYS = 7


def previous_record(conn: Connection, well_id: str, day: date) -> Row | None:
    """The values of the well's latest live record before `day`."""
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM production WHERE well_id = ?"
        " AND production_date < ? AND voided = 0 ORDER BY production_date DESC LIMIT 1",
        (well_id, day.isoformat()),
    ).first()
    return None if row is None else dict(zip(PRODUCTION_COLUMNS, row, strict=True))


# --- one day ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WellDay:
    """One well-day: the well, the day's live record, the record's versions, the rules."""

    well: Well
    day: date
    record: Row | None
    versions: list[RecordVersion]
    context: ValidationContext


def well_day(store: Store, well_id: str, day: date) -> WellDay:
    with store.read() as conn:
        well = get_well(conn, well_id)
        record = find_day(conn, well_id, day)
        versions = versions_of(conn, str(record["record_id"])) if record else []
        context = context_for(conn, store.thresholds, well_id, day, day)
    return WellDay(well, day, record, versions, context)


# --- 7 days -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductionWeek:
    """A well's records of 7 days (oldest first), with a context covering them all."""

    well_id: str
    end_day: date
    today: date
    days: list[date]  # oldest first
    records: dict[date, Row]
    context: ValidationContext  # history covers the whole week and the window before it


def week_days(end_day: date) -> list[date]:
    return [end_day - timedelta(days=n) for n in range(WEEK_DAYS - 1, -1, -1)]


def production_week(store: Store, well_id: str, end_day: date) -> ProductionWeek:
    """The well's records of the 7 days ending `end_day` (not after the org's today)."""
    today = org_today(store.thresholds.timezone)
    end_day = min(end_day, today)
    days = week_days(end_day)
    with store.read() as conn:
        get_well(conn, well_id)
        records = {d: r for d in days if (r := find_day(conn, well_id, d)) is not None}
        context = context_for(conn, store.thresholds, well_id, days[0], end_day)
    return ProductionWeek(well_id, end_day, today, days, records, context)


# --- saving several days ----------------------------------------------------------------------

Outcome = Literal["recorded", "corrected", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class DayValues:
    """One day's values to save, in store units (bbl, Mcf, hours), over its other values."""

    day: date
    values: Mapping[str, float | None]
    downtime_reason: str | None = None


@dataclass(frozen=True, slots=True)
class DayOutcome:
    day: date
    outcome: Outcome
    issues: list[Issue] = field(default_factory=list)
    message: str = ""
    record_id: str | None = None


def _day_record(well_id: str, row: DayValues, existing: Row | None) -> ProductionRecorded:
    """The day's new values over its other stored values (notes, pressures, reason)."""
    base: dict[str, Any] = {}
    if existing is not None:
        base = {name: existing[name] for name in PRODUCTION_VALUE_FIELDS}
        base["notes"] = base["notes"] or ""
    base.update(row.values)
    if row.downtime_reason is not None:
        base["downtime_reason"] = row.downtime_reason or None
    return ProductionRecorded(well_id=UUID(well_id), production_date=row.day, **base)


def save_days(store: Store, well_id: str, rows: Iterable[DayValues]) -> list[DayOutcome]:
    """Save each day on its own (a day refused by the rules does not stop the others)."""
    out: list[DayOutcome] = []
    for row in rows:
        try:
            with store.read() as conn:
                existing = find_day(conn, well_id, row.day)
            result = save_production(store, _day_record(well_id, row, existing))
        except ValidationFailedError as exc:
            out.append(DayOutcome(row.day, "failed", exc.issues, str(exc)))
        except (StoreError, ValueError) as exc:
            problem = Issue("not_saved", "", Severity.ERROR, str(exc) or type(exc).__name__)
            out.append(DayOutcome(row.day, "failed", [problem], problem.message))
        else:
            out.append(DayOutcome(row.day, result.outcome, result.issues, "", result.record_id))
    return out
