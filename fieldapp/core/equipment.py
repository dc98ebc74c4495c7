"""Equipment on the wells: add, edit (only the fields that change), list and search.

Every change is an event (`equipment.added`, `equipment.updated`) appended in one write
transaction that also updates the `equipment` projection, like production records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.errors import UnknownRecordError, UnknownWellError, ValidationFailedError
from fieldapp.core.projections import COLUMNS
from fieldapp.core.store import Store
from fieldapp.core.wells import well_exists
from shared.contracts import EquipmentAdded, EquipmentChanges, EquipmentUpdated, EventType
from shared.events import new_id
from shared.validation import Issue, Severity, org_today

EQUIPMENT_COLUMNS = COLUMNS["equipment"]
_TEXT_FIELDS = ("manufacturer", "model", "serial_number", "notes")  # NOT NULL, "" when blank
_REQUIRED_FIELDS = ("equipment_type", "status")  # an explicit null cannot clear these


@dataclass(frozen=True, slots=True)
class Equipment:
    equipment_id: str
    well_id: str
    equipment_type: str
    manufacturer: str
    model: str
    serial_number: str
    installed_on: date | None
    status: str
    notes: str
    version: int
    last_seq: int

    @classmethod
    def from_row(cls, row: Any) -> Equipment:
        values = dict(zip(EQUIPMENT_COLUMNS, row, strict=True))
        installed = values["installed_on"]
        values["installed_on"] = date.fromisoformat(installed) if installed else None
        for name in _TEXT_FIELDS:
            values[name] = values[name] or ""
        return cls(**values)

    def matches(self, text: str) -> bool:
        """Case-insensitive match on the equipment type or the serial number."""
        query = text.strip().casefold()
        return (
            not query
            or query in self.equipment_type.casefold()
            or (query in self.serial_number.casefold())
        )


def _installed_issues(installed_on: date | None, today: date) -> list[Issue]:
    if installed_on is not None and installed_on > today:
        message = f"Installed on {installed_on:%d %b %Y} is in the future (today is {today})."
        return [Issue("future_date", "installed_on", Severity.ERROR, message)]
    return []


def add_equipment(store: Store, details: EquipmentAdded, *, today: date | None = None) -> Equipment:
    """Append `equipment.added` for a well; an install date in the future is refused."""
    today = today or org_today(store.thresholds.timezone)
    issues = _installed_issues(details.installed_on, today)
    if issues:
        raise ValidationFailedError(issues)
    equipment_id = new_id()
    with store.write() as txn:
        if not well_exists(txn.db, details.well_id):
            raise UnknownWellError(f"unknown well id {details.well_id}")
        txn.append(EventType.EQUIPMENT_ADDED, equipment_id, details)
    with store.read() as conn:  # the projection row is written when the transaction commits
        return get_equipment(conn, equipment_id)


def changed_fields(current: Equipment, changes: EquipmentChanges) -> dict[str, Any]:
    """The fields of `changes` (JSON form) that differ from `current`."""
    wanted = changes.model_dump(mode="json", exclude_unset=True)
    diff: dict[str, Any] = {}
    for name, value in wanted.items():
        if value is None and name in _REQUIRED_FIELDS:
            continue
        if value is None and name in _TEXT_FIELDS:
            value = ""
        old = getattr(current, name)
        old_json = old.isoformat() if isinstance(old, date) else old
        if old_json != value:
            diff[name] = value
    return diff


def update_equipment(
    store: Store, equipment_id: str, changes: EquipmentChanges, *, today: date | None = None
) -> Equipment:
    """Append `equipment.updated` with only the fields that change; nothing changed: no event."""
    today = today or org_today(store.thresholds.timezone)
    issues = _installed_issues(changes.installed_on, today)
    if issues:
        raise ValidationFailedError(issues)
    with store.write() as txn:
        current = get_equipment(txn.conn, equipment_id)
        diff = changed_fields(current, changes)
        if not diff:
            return current
        payload = EquipmentUpdated(changes=EquipmentChanges.model_validate(diff))
        txn.append(EventType.EQUIPMENT_UPDATED, equipment_id, payload, base_version=current.version)
    with store.read() as conn:
        return get_equipment(conn, equipment_id)


def get_equipment(conn: Connection, equipment_id: str) -> Equipment:
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(EQUIPMENT_COLUMNS)} FROM equipment WHERE equipment_id = ?",
        (equipment_id,),
    ).first()
    if row is None:
        raise UnknownRecordError(f"unknown equipment {equipment_id}")
    return Equipment.from_row(row)


def list_equipment(
    conn: Connection, well_id: str | None = None, search: str = ""
) -> list[Equipment]:
    """Equipment of one well (or all), by type then serial; `search` matches type or serial."""
    sql = f"SELECT {', '.join(EQUIPMENT_COLUMNS)} FROM equipment"
    params: tuple[str, ...] = ()
    if well_id is not None:
        sql += " WHERE well_id = ?"
        params = (well_id,)
    sql += " ORDER BY equipment_type COLLATE NOCASE, serial_number COLLATE NOCASE, equipment_id"
    found = [Equipment.from_row(r) for r in conn.exec_driver_sql(sql, params).all()]
    return [e for e in found if e.matches(search)]
