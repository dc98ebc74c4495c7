"""The Equipment page without Qt: what is loaded, what the filters show, what the form means.

`load_equipment_snapshot` and `load_timeline` run on the worker (they read the store);
`EquipmentState` filters the rows on the GUI side; `EquipmentDraft` turns the form's texts into
an `EquipmentAdded` or `EquipmentChanges`, or the issues that stop it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar, get_args
from uuid import UUID

from pydantic import ValidationError

from fieldapp.core.equipment import Equipment, list_equipment
from fieldapp.core.maintenance import MaintenanceEntry, overdue_among, timeline
from fieldapp.core.store import Store
from fieldapp.core.wells import list_wells
from shared.contracts import Contract, EquipmentAdded, EquipmentChanges, EquipmentStatus
from shared.validation import Issue, Severity, org_today

STATUSES: tuple[str, ...] = get_args(EquipmentStatus)
STATUS_LABELS: dict[str, str] = {
    "operational": "Operational",
    "maintenance": "In maintenance",
    "failed": "Failed",
    "removed": "Removed",
}
STATUS_MARKS = {"operational": "✓ ", "maintenance": "⚠ ", "failed": "✗ ", "removed": "– "}
COLUMNS: tuple[tuple[str, str], ...] = (  # what tells the pieces apart first: a narrow
    ("equipment_type", "Type"),  # screen scrolls the last columns
    ("status", "Status"),
    ("serial_number", "Serial"),
    ("make_model", "Make / model"),
    ("installed_on", "Installed"),
    ("well", "Well"),
)
COMMON_EQUIPMENT_TYPES = (
    "Pumping unit",
    "Rod pump",
    "ESP",
    "Separator",
    "Heater treater",
    "Tank",
    "Compressor",
    "Meter",
    "Wellhead",
    "Other",
)


def status_text(status: str) -> str:
    """ "⚠ In maintenance": a status in words, with a mark that does not need colour."""
    return STATUS_MARKS.get(status, "") + STATUS_LABELS.get(status, status)


def make_model(item: Equipment) -> str:
    """ "Lufkin / C-320" (either part may be blank)."""
    return " / ".join(p for p in (item.manufacturer, item.model) if p)


@dataclass(frozen=True, slots=True)
class WellChoice:
    well_id: str
    name: str


@dataclass(frozen=True, slots=True)
class EquipmentSnapshot:
    wells: list[WellChoice]
    equipment: list[Equipment]
    today: date


def load_wells(store: Store) -> list[WellChoice]:
    with store.read() as conn:
        return [WellChoice(w.well_id, w.name) for w in list_wells(conn)]


def load_equipment_snapshot(store: Store) -> EquipmentSnapshot:
    """Every well and every piece of equipment (worker thread only)."""
    with store.read() as conn:
        wells = [WellChoice(w.well_id, w.name) for w in list_wells(conn)]
        equipment = list_equipment(conn)
    return EquipmentSnapshot(wells, equipment, org_today(store.thresholds.timezone))


@dataclass(frozen=True, slots=True)
class Timeline:
    equipment_id: str
    entries: list[MaintenanceEntry]  # newest first
    overdue_ids: frozenset[str]


def load_timeline(store: Store, equipment_id: str) -> Timeline:
    with store.read() as conn:
        entries = timeline(conn, equipment_id)
    today = org_today(store.thresholds.timezone)
    late = frozenset(e.maintenance_id for e in overdue_among(entries, today))
    return Timeline(equipment_id, entries, late)


class EquipmentState:
    """All equipment, the well filter and the search text; `visible` is what is shown, each
    cell in words (`display`, `tooltip`)."""

    def __init__(self, rows: Sequence[Equipment] = ()) -> None:
        self._rows = list(rows)
        self.well_names: dict[str, str] = {}
        self.well_id: str | None = None
        self.search = ""
        self.visible: list[Equipment] = []
        self._recompute()

    def set_rows(self, rows: Sequence[Equipment]) -> None:
        self._rows = list(rows)
        self._recompute()

    def set_well(self, well_id: str | None) -> None:
        self.well_id = well_id
        self._recompute()

    def set_search(self, text: str) -> None:
        self.search = text
        self._recompute()

    def index_of(self, equipment_id: str) -> int | None:
        for i, item in enumerate(self.visible):
            if item.equipment_id == equipment_id:
                return i
        return None

    def find(self, equipment_id: str) -> Equipment | None:
        return next((e for e in self._rows if e.equipment_id == equipment_id), None)

    def _recompute(self) -> None:
        self.visible = [
            e
            for e in self._rows
            if (self.well_id is None or e.well_id == self.well_id) and e.matches(self.search)
        ]

    def display(self, item: Equipment, key: str) -> str:
        """The text of one cell (`key`: one of COLUMNS)."""
        if key == "status":
            return status_text(item.status)
        if key == "make_model":
            return make_model(item)
        if key == "installed_on":
            return item.installed_on.isoformat() if item.installed_on else ""
        if key == "well":
            return self.well_names.get(item.well_id, "")
        return str(getattr(item, key))

    def tooltip(self, item: Equipment) -> str:
        lines = [f"{item.equipment_type} — {STATUS_LABELS.get(item.status, item.status)}"]
        well = self.well_names.get(item.well_id)
        if well:
            lines.append(f"Well: {well}")
        if item.notes:
            lines.append(f"Notes: {item.notes}")
        return "\n".join(lines)


# --- the form ---------------------------------------------------------------------------------


def parse_date(text: str, field_name: str, label: str) -> date | Issue | None:
    """A typed YYYY-MM-DD date, None when blank, or an error Issue for that field."""
    raw = text.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        message = f"{label}: type the date as YYYY-MM-DD, e.g. 2026-03-31 (not '{raw}')."
        return Issue("not_a_date", field_name, Severity.ERROR, message)


def issues_from_validation(exc: ValidationError) -> list[Issue]:
    return [
        Issue("invalid", str(err["loc"][-1]) if err["loc"] else "", Severity.ERROR, err["msg"])
        for err in exc.errors()
    ]


@dataclass(slots=True)
class EquipmentDraft:
    """The texts of the add/edit form."""

    well_id: str | None = None
    equipment_type: str = ""
    manufacturer: str = ""
    model: str = ""
    serial_number: str = ""
    installed_on: str = ""
    status: str = "operational"
    notes: str = ""

    @classmethod
    def of(cls, item: Equipment) -> EquipmentDraft:
        return cls(
            well_id=item.well_id,
            equipment_type=item.equipment_type,
            manufacturer=item.manufacturer,
            model=item.model,
            serial_number=item.serial_number,
            installed_on=item.installed_on.isoformat() if item.installed_on else "",
            status=item.status,
            notes=item.notes,
        )

    def _values(self) -> dict[str, object] | list[Issue]:
        issues: list[Issue] = []
        if not self.equipment_type.strip():
            issues.append(Issue("required", "equipment_type", Severity.ERROR, "Enter the type."))
        installed = parse_date(self.installed_on, "installed_on", "Installed on")
        if isinstance(installed, Issue):
            issues.append(installed)
        if issues:
            return issues
        return {
            "equipment_type": " ".join(self.equipment_type.split()),
            "manufacturer": self.manufacturer.strip(),
            "model": self.model.strip(),
            "serial_number": self.serial_number.strip(),
            "installed_on": installed,
            "status": self.status,
            "notes": self.notes.strip(),
        }

    def to_added(self) -> EquipmentAdded | list[Issue]:
        values = self._values()
        if self.well_id is None:
            missing = Issue("required", "well_id", Severity.ERROR, "Choose the well.")
            return [missing, *values] if isinstance(values, list) else [missing]
        if isinstance(values, list):
            return values
        return _build(EquipmentAdded, {"well_id": UUID(self.well_id), **values})

    def to_changes(self) -> EquipmentChanges | list[Issue]:
        """Every field of the form (update_equipment sends only those that differ)."""
        values = self._values()
        return values if isinstance(values, list) else _build(EquipmentChanges, values)


C = TypeVar("C", bound=Contract)


def _build(model: type[C], values: dict[str, object]) -> C | list[Issue]:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        return issues_from_validation(exc)
