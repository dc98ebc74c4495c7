"""Recording, correcting and voiding daily production on the device.

Validation runs inside the write transaction against the same snapshot the event is appended
to, so the flags stored with an event describe exactly the history it was checked against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import Connection

from fieldapp.core.errors import UnknownRecordError, UnknownWellError, ValidationFailedError
from fieldapp.core.eventlog import WriteTxn
from fieldapp.core.projections import COLUMNS, Row
from fieldapp.core.store import Store
from fieldapp.core.wells import well_exists, well_point
from shared.contracts import (
    EventType,
    ProductionChanges,
    ProductionCorrected,
    ProductionRecorded,
    ProductionVoided,
)
from shared.events import SealedEvent, new_id
from shared.records import PRODUCTION_VALUE_FIELDS, production_input
from shared.validation import (
    DayVolumes,
    Issue,
    Thresholds,
    WellHistory,
    has_errors,
    org_today,
    validate_production,
)

Outcome = Literal["recorded", "corrected", "unchanged"]
PRODUCTION_COLUMNS = COLUMNS["production"]


@dataclass(frozen=True, slots=True)
class SaveResult:
    outcome: Outcome
    record_id: str
    issues: list[Issue] = field(default_factory=list)
    event: SealedEvent | None = None


def _window(db: Any, well_id: str, day: date, t: Thresholds) -> tuple[WellHistory, Row | None]:
    """The well's days in the validation window before `day`, and `day`'s live record."""
    history = WellHistory(window_days=t.history_days, tz=t.timezone)
    current: Row | None = None
    key = day.isoformat()
    for found_day, oil, gas, water, hours, choke in db.execute(
        "SELECT production_date, oil_bbl, gas_mcf, water_bbl, hours_on, choke_64ths"
        " FROM production"
        " WHERE well_id = ? AND voided = 0 AND production_date BETWEEN ? AND ?",
        (well_id, (day - timedelta(days=t.history_days)).isoformat(), key),
    ):
        if found_day == key:
            row = db.execute(
                f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM production"
                " WHERE well_id = ? AND production_date = ? AND voided = 0",
                (well_id, key),
            ).fetchone()
            current = dict(zip(PRODUCTION_COLUMNS, row, strict=True))
        else:
            history.add(DayVolumes(date.fromisoformat(found_day), oil, gas, water, hours, choke))
    return history, current


def find_day(conn: Connection, well_id: str, day: date) -> Row | None:
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM production"
        " WHERE well_id = ? AND production_date = ? AND voided = 0",
        (well_id, day.isoformat()),
    ).first()
    return None if row is None else dict(zip(PRODUCTION_COLUMNS, row, strict=True))


def day_records(conn: Connection, day: date) -> dict[str, Row]:
    """Every well's live record on `day`, by well id (one query for a whole route)."""
    rows = conn.exec_driver_sql(
        f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM production"
        " WHERE well_id IN (SELECT well_id FROM wells) AND production_date = ? AND voided = 0",
        (day.isoformat(),),
    ).all()  # the IN lets SQLite seek (well, day) in production_well_day, well by well
    found = (dict(zip(PRODUCTION_COLUMNS, row, strict=True)) for row in rows)
    return {str(record["well_id"]): record for record in found}


def get_record(conn: Connection, record_id: str) -> Row:
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(PRODUCTION_COLUMNS)} FROM production WHERE record_id = ?",
        (record_id,),
    ).first()
    if row is None:
        raise UnknownRecordError(f"unknown production record {record_id}")
    return dict(zip(PRODUCTION_COLUMNS, row, strict=True))


def changed_values(current: Row, values: dict[str, Any]) -> dict[str, Any]:
    """The value fields of `values` that differ from the stored record."""
    return {
        name: values[name]
        for name in PRODUCTION_VALUE_FIELDS
        if name in values and _differs(current.get(name), values[name])
    }


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, int | float) and isinstance(new, int | float):
        return abs(float(old) - float(new)) > 1e-9
    return bool(old != new)


def save_production(
    store: Store, record: ProductionRecorded, *, today: date | None = None
) -> SaveResult:
    """Record a well-day; if the day is already recorded, the differences become a correction.

    Errors raise ValidationFailedError and append nothing; warnings are saved as flags.
    """
    today = today or org_today(store.thresholds.timezone)
    values = record.model_dump(mode="json")
    with store.write() as txn:
        history, existing = _window(
            txn.db, str(record.well_id), record.production_date, store.thresholds
        )
        if existing is None and not len(history) and not well_exists(txn.db, record.well_id):
            raise UnknownWellError(f"unknown well id {record.well_id}")
        if existing is not None:
            changes = changed_values(existing, values)
            if not changes:
                return SaveResult("unchanged", existing["record_id"])
            return _append_correction(txn, existing, changes, "", today, store)
        issues = validate_production(
            production_input(
                record.production_date, values, well=well_point(txn.db, record.well_id)
            ),
            today=today,
            history=history,
            thresholds=store.thresholds,
        )
        if has_errors(issues):
            raise ValidationFailedError(issues)
        record_id = new_id()
        sealed = txn.append(EventType.PRODUCTION_RECORDED, record_id, values, issues=issues)
    return SaveResult("recorded", record_id, issues, sealed)


def correct_production(
    store: Store,
    record_id: str,
    changes: ProductionChanges,
    *,
    reason: str = "",
    today: date | None = None,
) -> SaveResult:
    """Change some values of a record; only fields that really change go into the event."""
    today = today or org_today(store.thresholds.timezone)
    with store.write() as txn:
        current = get_record(txn.conn, record_id)
        if current["voided"]:
            raise UnknownRecordError(f"production record {record_id} was voided")
        diff = changed_values(current, changes.model_dump(mode="json", exclude_unset=True))
        if not diff:
            return SaveResult("unchanged", record_id)
        return _append_correction(txn, current, diff, reason, today, store)


def _append_correction(
    txn: WriteTxn, current: Row, diff: dict[str, Any], reason: str, today: date, store: Store
) -> SaveResult:
    day = date.fromisoformat(current["production_date"])
    merged = {**current, **diff}
    history, _ = _window(txn.db, current["well_id"], day, store.thresholds)
    issues = validate_production(
        production_input(day, merged, well=well_point(txn.db, current["well_id"])),
        today=today,
        history=history,
        thresholds=store.thresholds,
    )
    if has_errors(issues):
        raise ValidationFailedError(issues)
    payload = ProductionCorrected(
        well_id=current["well_id"],
        production_date=day,
        changes=ProductionChanges.model_validate(diff),
        reason=reason,
    )
    sealed = txn.append(
        EventType.PRODUCTION_CORRECTED,
        current["record_id"],
        payload,
        base_version=int(current["version"]),
        issues=issues,
    )
    return SaveResult("corrected", current["record_id"], issues, sealed)


def void_production(store: Store, record_id: str, reason: str) -> SealedEvent:
    with store.write() as txn:
        current = get_record(txn.conn, record_id)
        if current["voided"]:
            raise UnknownRecordError(f"production record {record_id} is already voided")
        payload = ProductionVoided(
            well_id=current["well_id"],
            production_date=date.fromisoformat(current["production_date"]),
            reason=reason,
        )
        return txn.append(
            EventType.PRODUCTION_VOIDED,
            record_id,
            payload,
            base_version=int(current["version"]),
        )
