"""What the Production screen reads and writes: a record's versions, the day before, the
validation context of a well-day and the 7-day grid.

Qt-free and store-in, plain dataclasses out: every function here runs on the worker thread,
and what it returns is all the GUI needs (the form validates as the operator types against a
`ValidationContext` without touching the store).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Connection

from fieldapp.core.errors import StoreError, ValidationFailedError
from fieldapp.core.production import PRODUCTION_COLUMNS, SaveResult, find_day, save_production
from fieldapp.core.projections import Row
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, get_well, list_wells
from shared.contracts import ProductionRecorded
from shared.history import DayVolumes, WellHistory
from shared.records import PRODUCTION_VALUE_FIELDS, production_input
from shared.validation import (
    Issue,
    ProductionInput,
    Severity,
    Thresholds,
    org_today,
    validate_production,
)

EventKind = Literal["recorded", "corrected", "voided"]
SyncState = Literal["confirmed", "pending", "rejected"]
WEEK_DAYS = 7
_KINDS: dict[str, EventKind] = {
    "production.recorded": "recorded",
    "production.corrected": "corrected",
    "production.voided": "voided",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RecordVersion:
    """One event of a record: what it changed, when, by whom, and whether the server has it."""

    number: int  # 1 = the first recording
    kind: EventKind
    when: str | None  # RFC 3339 UTC as the device recorded it (None: another device's event)
    device_id: str | None
    user_id: str | None
    this_device: bool
    sync: SyncState
    changes: tuple[FieldChange, ...] = ()
    reason: str = ""


@contextmanager
def _connection(source: Store | Connection) -> Iterator[Connection]:
    if isinstance(source, Store):
        with source.read() as conn:
            yield conn
    else:
        yield source


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    out = []
    for name in PRODUCTION_VALUE_FIELDS:
        if name not in new:
            continue
        before, after = old.get(name), new[name]
        if name == "notes":
            before, after = before or "", after or ""
        if before != after:
            out.append(FieldChange(name, before, after))
    return tuple(out)


def _record_ids(conn: Connection, record_id: str) -> list[str]:
    """The record's id and every id it is also known by (well-day aliases after a sync)."""
    target = conn.exec_driver_sql(
        "SELECT record_id FROM aliases WHERE alias_id = ?", (record_id,)
    ).first()
    main = str(target[0]) if target else record_id
    aliases = conn.exec_driver_sql("SELECT alias_id FROM aliases WHERE record_id = ?", (main,))
    return [main, *(str(a[0]) for a in aliases if str(a[0]) != main)]


def record_history(source: Store | Connection, record_id: str) -> list[RecordVersion]:
    """The record's versions, oldest first: those the server confirmed (from any device), then
    this device's events it has not confirmed yet."""
    with _connection(source) as conn:
        ids = _record_ids(conn, record_id)
        marks = ", ".join("?" * len(ids))
        me = conn.exec_driver_sql("SELECT value FROM store_meta WHERE key = 'device_id'").first()
        my_device = str(me[0]) if me else ""
        local = conn.exec_driver_sql(
            "SELECT e.event_id, e.body, EXISTS (SELECT 1 FROM rejections j"
            " WHERE j.device_seq = e.device_seq) FROM event_log e"
            f" WHERE e.aggregate_id IN ({marks}) ORDER BY e.device_seq",
            tuple(ids),
        ).all()
        confirmed = conn.exec_driver_sql(
            "SELECT event_id, event_type, device_id, body FROM server_changes"
            f" WHERE kind = 'event' AND record_id IN ({marks}) ORDER BY server_seq",
            tuple(ids),
        ).all()
    envelopes = {str(event_id): json.loads(body) for event_id, body, _ in local}
    versions: list[RecordVersion] = []
    state: dict[str, Any] = {}
    seen: set[str] = set()
    for event_id, event_type, device_id, body in confirmed:
        record = json.loads(body) if body else {}
        values = dict(record.get("values") or {})
        envelope = envelopes.get(str(event_id), {})
        kind = _KINDS.get(str(event_type), "corrected")
        changes = () if kind == "voided" else _diff(state, values)
        versions.append(
            _version(len(versions) + 1, kind, envelope, device_id, my_device, "confirmed", changes)
        )
        state = {**state, **values}
        seen.add(str(event_id))
    for event_id, _body, rejected in local:
        if str(event_id) in seen:
            continue
        envelope = envelopes[str(event_id)]
        local_kind = _KINDS.get(str(envelope.get("event_type")))
        if local_kind is None:
            continue
        kind = local_kind
        payload = dict(envelope.get("payload") or {})
        values = dict(payload.get("changes") or {}) if kind == "corrected" else payload
        changes = () if kind == "voided" else _diff(state, values)
        sync: SyncState = "rejected" if rejected else "pending"
        versions.append(
            _version(
                len(versions) + 1,
                kind,
                envelope,
                None,
                my_device,
                sync,
                changes,
                str(payload.get("reason") or ""),
            )
        )
        if not rejected and kind != "voided":
            state = {**state, **{k: v for k, v in values.items() if k in PRODUCTION_VALUE_FIELDS}}
    return versions


def _version(
    number: int,
    kind: EventKind,
    envelope: Mapping[str, Any],
    device_id: Any,
    my_device: str,
    sync: SyncState,
    changes: tuple[FieldChange, ...],
    reason: str = "",
) -> RecordVersion:
    device = str(envelope.get("device_id") or device_id or "") or None
    if not reason:
        reason = str((envelope.get("payload") or {}).get("reason") or "")
    return RecordVersion(
        number=number,
        kind=kind,
        when=envelope.get("recorded_at"),
        device_id=device,
        user_id=envelope.get("user_id"),
        this_device=device == my_device,
        sync=sync,
        changes=changes,
        reason=reason,
    )


# --- one well-day ---------------------------------------------------------------------------


def _latest_before(conn: Connection, well_id: str, day: date) -> Row | None:
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM production WHERE well_id = ?"
        " AND production_date < ? AND voided = 0 ORDER BY production_date DESC LIMIT 1",
        (well_id, day.isoformat()),
    ).first()
    return None if row is None else dict(zip(PRODUCTION_COLUMNS, row, strict=True))


def previous_day(store: Store, well_id: str, day: date) -> Row | None:
    """The values of the well's latest live record before `day` ("same as yesterday")."""
    with store.read() as conn:
        return _latest_before(conn, well_id, day)


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """Everything `validate_production` needs for one well-day, loaded on the worker."""

    well_id: str
    day: date
    today: date  # in the organization's time zone
    thresholds: Thresholds
    history: WellHistory

    def validate(self, rec: ProductionInput) -> list[Issue]:
        """The shared rules for `rec` (pure: safe on the GUI thread)."""
        return validate_production(
            rec, today=self.today, history=self.history, thresholds=self.thresholds
        )

    def check(self, record: ProductionRecorded) -> list[Issue]:
        """The rules for a record to save: with this context's history when it is this
        well-day, else with only its today and thresholds."""
        rec = production_input(record.production_date, record.model_dump(mode="json"))
        if (str(record.well_id), record.production_date) == (self.well_id, self.day):
            return self.validate(rec)
        return validate_production(rec, today=self.today, thresholds=self.thresholds)


def _history(conn: Connection, well_id: str, start: date, end: date, window: int) -> WellHistory:
    """Volumes of the well's live records in `[start - window, end]`."""
    history = WellHistory(window_days=window)
    for found, oil, gas, water in conn.exec_driver_sql(
        "SELECT production_date, oil_bbl, gas_mcf, water_bbl FROM production"
        " WHERE well_id = ? AND voided = 0 AND production_date BETWEEN ? AND ?",
        (well_id, (start - timedelta(days=window)).isoformat(), end.isoformat()),
    ):
        history.add(DayVolumes(date.fromisoformat(found), oil, gas, water))
    return history


def _context(
    store: Store, conn: Connection, well_id: str, start: date, end: date
) -> ValidationContext:
    t = store.thresholds
    history = _history(conn, well_id, start, end, t.history_days)
    return ValidationContext(well_id, end, org_today(t.timezone), t, history)


def validation_context(store: Store, well_id: str, day: date) -> ValidationContext:
    """The history window before `day`, the thresholds and the org's today.

    The day's own record is in the history too: the rules only look at days before the one
    they check, so the same context also checks a correction of that day."""
    with store.read() as conn:
        return _context(store, conn, well_id, day, day)


@dataclass(frozen=True, slots=True)
class DayEntry:
    """A well-day as the form shows it: the well, the day's record, its history, the rules."""

    well: Well
    day: date
    record: Row | None
    versions: list[RecordVersion]
    context: ValidationContext


def load_entry(store: Store, well_id: str, day: date) -> DayEntry:
    with store.read() as conn:
        well = get_well(conn, well_id)
        record = find_day(conn, well_id, day)
        versions = record_history(conn, str(record["record_id"])) if record else []
        context = _context(store, conn, well_id, day, day)
    return DayEntry(well, day, record, versions, context)


def save_entry(store: Store, record: ProductionRecorded) -> tuple[SaveResult, DayEntry]:
    """Save (or correct) the well-day and read it back in the same worker round trip."""
    result = save_production(store, record)
    return result, load_entry(store, str(record.well_id), record.production_date)


# --- the 7-day grid -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekData:
    well_id: str
    end_day: date
    today: date
    days: list[date]  # oldest first
    records: dict[date, Row]
    context: ValidationContext  # history covers the whole week and the window before it


def week_days(end_day: date) -> list[date]:
    return [end_day - timedelta(days=n) for n in range(WEEK_DAYS - 1, -1, -1)]


def load_week(store: Store, well_id: str, end_day: date) -> WeekData:
    """The well's records of the 7 days ending `end_day` (not after the org's today)."""
    today = org_today(store.thresholds.timezone)
    end_day = min(end_day, today)
    days = week_days(end_day)
    with store.read() as conn:
        get_well(conn, well_id)
        records = {d: r for d in days if (r := find_day(conn, well_id, d)) is not None}
        context = _context(store, conn, well_id, days[0], end_day)
    return WeekData(well_id, end_day, today, days, records, context)


Outcome = Literal["recorded", "corrected", "unchanged", "failed"]


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One day of the grid to save: the grid's values in store units (bbl, Mcf, hours)."""

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


def _week_record(well_id: str, row: WeekRow, existing: Row | None) -> ProductionRecorded:
    """The grid's values over the day's other stored values (notes, pressures, reason)."""
    base: dict[str, Any] = {}
    if existing is not None:
        base = {name: existing[name] for name in PRODUCTION_VALUE_FIELDS}
        base["notes"] = base["notes"] or ""
    base.update(row.values)
    if row.downtime_reason is not None:
        base["downtime_reason"] = row.downtime_reason or None
    return ProductionRecorded(well_id=UUID(well_id), production_date=row.day, **base)


def save_week(store: Store, well_id: str, rows: Iterable[WeekRow]) -> list[DayOutcome]:
    """Save each row on its own (a day refused by the rules does not stop the others)."""
    out: list[DayOutcome] = []
    for row in rows:
        try:
            with store.read() as conn:
                existing = find_day(conn, well_id, row.day)
            result = save_production(store, _week_record(well_id, row, existing))
        except ValidationFailedError as exc:
            out.append(DayOutcome(row.day, "failed", exc.issues, str(exc)))
        except (StoreError, ValueError) as exc:
            problem = Issue("not_saved", "", Severity.ERROR, str(exc) or type(exc).__name__)
            out.append(DayOutcome(row.day, "failed", [problem], problem.message))
        else:
            out.append(DayOutcome(row.day, result.outcome, result.issues, "", result.record_id))
    return out


def save_week_and_reload(
    store: Store, well_id: str, rows: Sequence[WeekRow], end_day: date
) -> tuple[list[DayOutcome], WeekData]:
    outcomes = save_week(store, well_id, rows)
    return outcomes, load_week(store, well_id, end_day)


def list_wells_today(store: Store) -> tuple[list[Well], date]:
    """Every well (by name) and the org's today: what the page's well picker needs."""
    with store.read() as conn:
        wells = list_wells(conn)
    return wells, org_today(store.thresholds.timezone)
