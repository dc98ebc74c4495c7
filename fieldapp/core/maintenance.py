"""Maintenance log: record work done on a well or one piece of its equipment, and what is due.

An entry is overdue when its next due date has passed and no later maintenance of the same
type was done on the same equipment (or, for well-level work, the same well) since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.errors import UnknownRecordError, UnknownWellError, ValidationFailedError
from fieldapp.core.projections import COLUMNS
from fieldapp.core.store import Store
from fieldapp.core.wells import well_exists
from shared.contracts import EventType, MaintenanceLogged
from shared.events import new_id
from shared.validation import Issue, Severity, org_today

MAINTENANCE_COLUMNS = COLUMNS["maintenance"]
_SELECT = f"SELECT {', '.join(MAINTENANCE_COLUMNS)} FROM maintenance"
_NEWEST_FIRST = " ORDER BY performed_on DESC, last_seq DESC, maintenance_id"


@dataclass(frozen=True, slots=True)
class MaintenanceEntry:
    maintenance_id: str
    well_id: str
    equipment_id: str | None
    performed_on: date
    maintenance_type: str
    description: str
    technician: str
    cost: float | None
    next_due: date | None
    version: int
    last_seq: int

    @classmethod
    def from_row(cls, row: Any) -> MaintenanceEntry:
        values = dict(zip(MAINTENANCE_COLUMNS, row, strict=True))
        values["performed_on"] = date.fromisoformat(values["performed_on"])
        values["next_due"] = date.fromisoformat(values["next_due"]) if values["next_due"] else None
        values["description"] = values["description"] or ""
        values["technician"] = values["technician"] or ""
        return cls(**values)

    @property
    def subject(self) -> tuple[str, str]:
        """What the work was done on: the equipment, or the well for well-level work."""
        return ("equipment", self.equipment_id) if self.equipment_id else ("well", self.well_id)

    @property
    def kind(self) -> str:
        return " ".join(self.maintenance_type.split()).casefold()


def validate_maintenance(entry: MaintenanceLogged, today: date) -> list[Issue]:
    """The rules the form shows next to its fields (errors: nothing is saved)."""
    issues: list[Issue] = []
    if entry.performed_on > today:
        message = f"The date {entry.performed_on} is in the future; today is {today}."
        issues.append(Issue("future_date", "performed_on", Severity.ERROR, message))
    if entry.next_due is not None and entry.next_due <= entry.performed_on:
        message = f"Next due ({entry.next_due}) must be after the work date ({entry.performed_on})."
        issues.append(Issue("next_due_order", "next_due", Severity.ERROR, message))
    if entry.cost is not None and entry.cost < 0:
        issues.append(Issue("negative", "cost", Severity.ERROR, "Cost cannot be negative."))
    if not entry.maintenance_type.strip():
        issues.append(Issue("required", "maintenance_type", Severity.ERROR, "Enter the type."))
    return issues


def log_maintenance(
    store: Store, entry: MaintenanceLogged, *, today: date | None = None
) -> MaintenanceEntry:
    """Append `maintenance.logged`; rule errors raise ValidationFailedError, nothing appended."""
    today = today or org_today(store.thresholds.timezone)
    issues = validate_maintenance(entry, today)
    if issues:
        raise ValidationFailedError(issues)
    maintenance_id = new_id()
    with store.write() as txn:
        well = str(entry.well_id)
        if not well_exists(txn.db, well):
            raise UnknownWellError(f"unknown well id {entry.well_id}")
        if entry.equipment_id is not None:
            owner = txn.conn.exec_driver_sql(
                "SELECT well_id FROM equipment WHERE equipment_id = ?", (str(entry.equipment_id),)
            ).scalar()
            if owner != well:
                message = "That equipment is not on this well." if owner else "Unknown equipment."
                raise ValidationFailedError(
                    [Issue("equipment_well", "equipment_id", Severity.ERROR, message)]
                )
        txn.append(EventType.MAINTENANCE_LOGGED, maintenance_id, entry)
    with store.read() as conn:
        return get_maintenance(conn, maintenance_id)


def get_maintenance(conn: Connection, maintenance_id: str) -> MaintenanceEntry:
    row = conn.exec_driver_sql(f"{_SELECT} WHERE maintenance_id = ?", (maintenance_id,)).first()
    if row is None:
        raise UnknownRecordError(f"unknown maintenance entry {maintenance_id}")
    return MaintenanceEntry.from_row(row)


def timeline(conn: Connection, equipment_id: str) -> list[MaintenanceEntry]:
    """Everything done on one piece of equipment, newest first."""
    rows = conn.exec_driver_sql(f"{_SELECT} WHERE equipment_id = ?{_NEWEST_FIRST}", (equipment_id,))
    return [MaintenanceEntry.from_row(r) for r in rows.all()]


def list_maintenance(conn: Connection, well_id: str | None = None) -> list[MaintenanceEntry]:
    """Entries of one well (equipment and well-level work) or of all wells, newest first."""
    if well_id is None:
        rows = conn.exec_driver_sql(_SELECT + _NEWEST_FIRST)
    else:
        rows = conn.exec_driver_sql(f"{_SELECT} WHERE well_id = ?{_NEWEST_FIRST}", (well_id,))
    return [MaintenanceEntry.from_row(r) for r in rows.all()]


def _order(entry: MaintenanceEntry) -> tuple[date, int, str]:
    return entry.performed_on, entry.last_seq, entry.maintenance_id


def is_overdue(entry: MaintenanceEntry, others: Iterable[MaintenanceEntry], today: date) -> bool:
    """`entry` was due before `today` and nothing of its type was done on its subject since."""
    if entry.next_due is None or entry.next_due >= today:
        return False
    return not any(
        o.subject == entry.subject and o.kind == entry.kind and _order(o) > _order(entry)
        for o in others
    )


def overdue_among(entries: Sequence[MaintenanceEntry], today: date) -> list[MaintenanceEntry]:
    """The overdue entries of `entries` (which must hold every entry of their subjects)."""
    latest: dict[tuple[tuple[str, str], str], MaintenanceEntry] = {}
    for entry in entries:
        key = (entry.subject, entry.kind)
        if key not in latest or _order(entry) > _order(latest[key]):
            latest[key] = entry
    found = [e for e in latest.values() if e.next_due is not None and e.next_due < today]
    return sorted(found, key=lambda e: (e.next_due or today, e.maintenance_id))


def overdue(conn: Connection, today: date, well_id: str | None = None) -> list[MaintenanceEntry]:
    """Overdue entries (of one well, or all), the longest overdue first."""
    return overdue_among(list_maintenance(conn, well_id), today)
