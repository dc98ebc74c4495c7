"""The Maintenance page and the equipment timeline without Qt: rows, overdue marks, the form.

`load_maintenance_snapshot` runs on the worker; `MaintenanceState` holds entries on the GUI
side and filters them by well and equipment (`display` and `tooltip` word each row);
`MaintenanceDraft` turns the form's texts into a `MaintenanceLogged` (or the issues that stop
it, with the same rules `log_maintenance` applies).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from pydantic import ValidationError

from fieldapp.core.equipment import Equipment, list_equipment
from fieldapp.core.maintenance import (
    MaintenanceEntry,
    list_maintenance,
    overdue_among,
    validate_maintenance,
)
from fieldapp.core.store import Store
from fieldapp.core.wells import list_wells
from fieldapp.ui.equipment_state import WellChoice, issues_from_validation, parse_date
from shared.contracts import MaintenanceLogged
from shared.validation import Issue, Severity, org_today

MAINTENANCE_TYPES = ("Inspection", "Lubrication", "Repair", "Replacement", "Calibration", "Other")


def equipment_label(item: Equipment) -> str:
    """ "Rod pump (RP-77)": the type, and the serial when there is one."""
    return (
        f"{item.equipment_type} ({item.serial_number})"
        if item.serial_number
        else (item.equipment_type)
    )


@dataclass(frozen=True, slots=True)
class MaintenanceRow:
    entry: MaintenanceEntry
    equipment: str  # "" for work on the well itself
    overdue: bool

    @property
    def maintenance_id(self) -> str:
        return self.entry.maintenance_id

    @property
    def due_text(self) -> str:
        due = self.entry.next_due
        if due is None:
            return ""
        return f"OVERDUE since {due.isoformat()}" if self.overdue else due.isoformat()


@dataclass(frozen=True, slots=True)
class MaintenanceSnapshot:
    wells: list[WellChoice]
    equipment: list[Equipment]
    entries: list[MaintenanceEntry]  # newest first
    overdue_ids: frozenset[str]
    today: date
    # well id -> (latitude, longitude): the centre of the geofence (docs/gps.md)
    places: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def load_maintenance_snapshot(store: Store) -> MaintenanceSnapshot:
    """Every well, piece of equipment and maintenance entry, with what is overdue today."""
    today = org_today(store.thresholds.timezone)
    with store.read() as conn:
        found = list_wells(conn)
        equipment = list_equipment(conn)
        entries = list_maintenance(conn)
    wells = [WellChoice(w.well_id, w.name) for w in found]
    places = {w.well_id: (w.latitude, w.longitude) for w in found}
    late = frozenset(e.maintenance_id for e in overdue_among(entries, today))
    return MaintenanceSnapshot(wells, equipment, entries, late, today, places)


class MaintenanceState:
    """Entries (newest first) and which are overdue; `visible` follows the well/equipment filter."""

    def __init__(self) -> None:
        self._entries: list[MaintenanceEntry] = []
        self._overdue: frozenset[str] = frozenset()
        self._labels: dict[str, str] = {}
        self.well_id: str | None = None
        self.equipment_id: str | None = None
        self.visible: list[MaintenanceRow] = []

    def set_entries(
        self,
        entries: Sequence[MaintenanceEntry],
        overdue_ids: frozenset[str],
        labels: Mapping[str, str] | None = None,
    ) -> None:
        """`labels`: equipment id -> how the equipment is named in the list."""
        self._entries = list(entries)
        self._overdue = overdue_ids
        self._labels = dict(labels or {})
        self._recompute()

    def set_filter(self, well_id: str | None, equipment_id: str | None) -> None:
        self.well_id, self.equipment_id = well_id, equipment_id
        self._recompute()

    @property
    def overdue_count(self) -> int:
        return sum(r.overdue for r in self.visible)

    def index_of(self, maintenance_id: str) -> int | None:
        for i, row in enumerate(self.visible):
            if row.maintenance_id == maintenance_id:
                return i
        return None

    def _recompute(self) -> None:
        self.visible = [
            MaintenanceRow(
                e,
                self._labels.get(e.equipment_id or "", "") if e.equipment_id else "",
                e.maintenance_id in self._overdue,
            )
            for e in self._entries
            if (self.well_id is None or e.well_id == self.well_id)
            and (self.equipment_id is None or e.equipment_id == self.equipment_id)
        ]


OVERDUE_MARK = "⚠ "

ALL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("performed_on", "Date"),
    ("maintenance_type", "Type"),
    ("next_due", "Next due"),
    ("equipment", "Equipment"),
    ("technician", "Technician"),
    ("cost", "Cost"),
    ("description", "Description"),
)


def format_cost(cost: float | None) -> str:
    return "" if cost is None else f"{cost:,.2f}"


def display(row: MaintenanceRow, key: str) -> str:
    """The text of one cell (`key`: one of ALL_COLUMNS)."""
    entry = row.entry
    if key == "performed_on":
        return entry.performed_on.isoformat()
    if key == "next_due":
        return (OVERDUE_MARK if row.overdue else "") + row.due_text
    if key == "equipment":
        return row.equipment or "Whole well"
    if key == "cost":
        return format_cost(entry.cost)
    if key == "description":
        return " ".join(entry.description.split())
    return str(getattr(entry, key))


def tooltip(row: MaintenanceRow) -> str:
    entry = row.entry
    lines = [f"{entry.maintenance_type} on {entry.performed_on.isoformat()}"]
    if row.overdue:
        lines.append(f"Overdue: was due {entry.next_due}; not done again since.")
    if entry.technician:
        lines.append(f"By {entry.technician}")
    if entry.description:
        lines.append(entry.description)
    return "\n".join(lines)


def overdue_summary(count: int) -> str:
    return "Nothing overdue" if count == 0 else f"{count} overdue"


# --- the form ---------------------------------------------------------------------------------


def parse_cost(text: str) -> float | Issue | None:
    raw = text.strip().removeprefix("$").strip()
    if not raw:
        return None
    if "," in raw:
        message = "Cost: type the number without commas, with a point for cents (1250.50)."
        return Issue("not_a_number", "cost", Severity.ERROR, message)
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return Issue("not_a_number", "cost", Severity.ERROR, f"Cost: '{raw}' is not a number.")
    if value < 0:
        return Issue("negative", "cost", Severity.ERROR, "Cost cannot be negative.")
    return value


@dataclass(slots=True)
class MaintenanceDraft:
    """The texts of the maintenance form."""

    well_id: str | None = None
    equipment_id: str | None = None
    performed_on: str = ""
    maintenance_type: str = ""
    description: str = ""
    technician: str = ""
    cost: str = ""
    next_due: str = ""

    def to_logged(self, today: date) -> MaintenanceLogged | list[Issue]:
        issues: list[Issue] = []
        if self.well_id is None:
            issues.append(Issue("required", "well_id", Severity.ERROR, "Choose the well."))
        performed = parse_date(self.performed_on, "performed_on", "Date")
        if performed is None:
            message = "Enter the date the work was done (YYYY-MM-DD)."
            performed = Issue("required", "performed_on", Severity.ERROR, message)
        if not self.maintenance_type.strip():
            issues.append(Issue("required", "maintenance_type", Severity.ERROR, "Enter the type."))
        next_due = parse_date(self.next_due, "next_due", "Next due")
        cost = parse_cost(self.cost)
        issues.extend(v for v in (performed, next_due, cost) if isinstance(v, Issue))
        if isinstance(performed, Issue) or isinstance(next_due, Issue) or isinstance(cost, Issue):
            return sorted(issues, key=lambda i: _FIELD_ORDER.index(i.field))
        if issues:
            return sorted(issues, key=lambda i: _FIELD_ORDER.index(i.field))
        try:
            logged = MaintenanceLogged(
                well_id=UUID(str(self.well_id)),
                equipment_id=UUID(self.equipment_id) if self.equipment_id else None,
                performed_on=performed,
                maintenance_type=" ".join(self.maintenance_type.split()),
                description=self.description.strip(),
                technician=self.technician.strip(),
                cost=cost,
                next_due=next_due,
            )
        except ValidationError as exc:
            return issues_from_validation(exc)
        return validate_maintenance(logged, today) or logged


_FIELD_ORDER = (
    "well_id",
    "equipment_id",
    "performed_on",
    "maintenance_type",
    "description",
    "technician",
    "cost",
    "next_due",
)
