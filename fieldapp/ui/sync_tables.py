"""Qt-free state of the Sync screen's tables, its fix-and-resubmit form and its progress line.

Each table is a `TableState`: headers, and for every cell its text, a tone (a colour the model
paints; every tone is also said in the text) and a tooltip. `fieldapp.ui.sync_models` wraps
them in thin QAbstractTableModels. Volumes are shown in the operator's units; a fix typed in
those units goes back to bbl/Mcf before it is resubmitted.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from fieldapp.core.sync_overview import OpenConflict, OpenRejection, PendingItem, RecordOutcome
from shared.records import PRODUCTION_VALUE_FIELDS
from shared.units import (
    UnitSystem,
    display_labels,
    gas_from_display,
    gas_to_display,
    liquid_from_display,
    liquid_to_display,
)

T = TypeVar("T")
Tone = Literal["", "ok", "warning", "error", "changed"]

EVENT_LABELS = {
    "well.registered": "Well added",
    "well.updated": "Well changed",
    "production.recorded": "Production",
    "production.corrected": "Correction",
    "production.voided": "Production voided",
    "equipment.added": "Equipment added",
    "equipment.updated": "Equipment changed",
    "maintenance.logged": "Maintenance",
    "photo.attached": "Photo",
    "incident.reported": "Incident",
    "conflict.resolved": "Conflict resolved",
}
FIELD_LABELS = {
    "oil_bbl": "Oil",
    "gas_mcf": "Gas",
    "water_bbl": "Water",
    "hours_on": "Hours on",
    "downtime_hours": "Downtime (h)",
    "downtime_reason": "Downtime reason",
    "tubing_psi": "Tubing (psi)",
    "casing_psi": "Casing (psi)",
    "choke_64ths": "Choke (64ths)",
    "notes": "Notes",
    "production_date": "Day",
}
STATUS_WORDS: dict[str, tuple[str, Tone]] = {
    "accepted": ("✓ Accepted", "ok"),
    "merged": ("✓ Merged", "ok"),
    "duplicate": ("✓ Accepted (already on server)", "ok"),
    "conflict": ("⚠ Conflict", "warning"),
    "rejected": ("✗ Rejected", "error"),
}
_LIQUIDS, _GAS = ("oil_bbl", "water_bbl"), "gas_mcf"
_TEXT_FIELDS = ("downtime_reason", "notes")
_REQUIRED = ("oil_bbl", "gas_mcf", "water_bbl")


def event_label(event_type: str) -> str:
    return EVENT_LABELS.get(event_type, event_type)


def field_label(name: str, units: UnitSystem) -> str:
    liquid, gas = display_labels(units)
    if name in _LIQUIDS or name == _GAS:
        return f"{FIELD_LABELS[name]} ({gas if name == _GAS else liquid})"
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def _number(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def value_text(name: str, value: Any, units: UnitSystem) -> str:
    """A stored value as the operator reads it (volumes in their units); blank: '—'."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        if name in _LIQUIDS:
            return _number(liquid_to_display(float(value), units))
        if name == _GAS:
            return _number(gas_to_display(float(value), units))
        return _number(float(value))
    return str(value)


def _short(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def values_summary(values: dict[str, Any], units: UnitSystem, limit: int = 4) -> str:
    known = [n for n in PRODUCTION_VALUE_FIELDS if n in values]
    names = known + [n for n in values if n not in known and not isinstance(values[n], dict)]
    parts = [
        f"{field_label(n, units)} {_short(value_text(n, values[n], units))}" for n in names[:limit]
    ]
    return ", ".join(parts) + (", …" if len(names) > limit else "")


def local_time(stamp: str) -> str:
    try:
        return f"{datetime.fromisoformat(stamp).astimezone():%Y-%m-%d %H:%M}"
    except ValueError:
        return stamp


def reasons_text(reasons: Sequence[dict[str, Any]], units: UnitSystem) -> str:
    return "; ".join(
        f"{field_label(str(r['field']), units)}: {r.get('message', '')}"
        if r.get("field")
        else str(r.get("message") or r.get("rule", ""))
        for r in reasons
    )


def day_text(day: str) -> str:
    """A gauge day as it is; a moment (an incident's) in the laptop's time; blank: '—'."""
    return (local_time(day) if "T" in day else day) or "—"


def record_text(well_name: str, day: str) -> str:
    return " · ".join(p for p in (well_name or "(unknown well)", day and day_text(day)) if p)


class TableState(Generic[T]):
    """Rows of one table; subclasses say what each cell shows."""

    headers: tuple[str, ...] = ()

    def __init__(self, units: UnitSystem = UnitSystem.FIELD) -> None:
        self.items: list[T] = []
        self.units = units

    def set_items(self, items: Sequence[T]) -> None:
        self.items = list(items)

    def row_count(self) -> int:
        return len(self.items)

    def cells(self, item: T) -> tuple[str, ...]:
        raise NotImplementedError

    def text(self, row: int, column: int) -> str:
        return self.cells(self.items[row])[column]

    def tone(self, row: int, column: int) -> Tone:
        return ""

    def tooltip(self, row: int, column: int) -> str:
        return self.text(row, column)


class PendingTable(TableState[PendingItem]):
    headers = ("What", "Well", "Day", "Values", "Recorded at")

    def cells(self, item: PendingItem) -> tuple[str, ...]:
        return (
            event_label(item.event_type),
            item.well_name or "—",
            day_text(item.day),
            values_summary(item.values, self.units),
            local_time(item.created_at),
        )


class OutcomesTable(TableState[RecordOutcome]):
    headers = ("Result", "Well", "Day", "What", "Details", "Answered")

    def cells(self, item: RecordOutcome) -> tuple[str, ...]:
        words = STATUS_WORDS.get(item.status, (item.status, ""))[0]
        if item.detail:
            words = f"{words} ({item.detail})"
        details = reasons_text(item.reasons, self.units)
        if item.status == "merged":
            details = "Combined with changes made on another device"
        return (
            words,
            item.well_name or "—",
            day_text(item.day),
            event_label(item.event_type),
            details or "—",
            local_time(item.answered_at),
        )

    def tone(self, row: int, column: int) -> Tone:
        item = self.items[row]
        if column != 0 or item.detail in ("resolved", "resubmitted"):
            return ""
        return STATUS_WORDS.get(item.status, ("", ""))[1]


class ConflictsTable(TableState[OpenConflict]):
    headers = ("Well", "Day", "Opened", "Fields")  # the wrapping list of fields last

    def cells(self, item: OpenConflict) -> tuple[str, ...]:
        fields = ", ".join(field_label(f, self.units) for f in item.conflict.fields)
        return (
            item.well_name or "—",
            day_text(item.day),
            local_time(item.conflict.opened_at),
            fields or "(details not yet pulled)",
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    field: str
    mine: Any
    theirs: Any
    changed: bool


def comparisons(shown: OpenConflict) -> list[Comparison]:
    """Every value field of the record: both sides, the conflicting ones marked changed."""
    conflict = shown.conflict
    names = [n for n in shown.record if n not in conflict.fields] + list(conflict.fields)
    order = {n: i for i, n in enumerate(PRODUCTION_VALUE_FIELDS)}
    names.sort(key=lambda n: order.get(n, len(order)))
    return [
        Comparison(
            n,
            conflict.mine.get(n, shown.record.get(n)),
            conflict.theirs.get(n, shown.record.get(n)),
            n in conflict.fields,
        )
        for n in names
    ]


def now_showing(shown: OpenConflict) -> str:
    """Which side the record shows meanwhile, in words."""
    conflict = shown.conflict
    current = {f: shown.record.get(f) for f in conflict.fields}
    if current == {f: conflict.mine.get(f) for f in conflict.fields}:
        return "The record shows your values for now."
    if current == {f: conflict.theirs.get(f) for f in conflict.fields}:
        return "The record shows their values for now."
    return "The record shows other values for now."


def conflict_heading(shown: OpenConflict, units: UnitSystem) -> str:
    fields = ", ".join(field_label(f, units) for f in shown.conflict.fields) or "this record"
    record = record_text(shown.well_name, shown.day)
    return f"{record}: both sides changed {fields}. Choose the values to keep."


class ComparisonTable(TableState[Comparison]):
    """The selected conflict side by side: field | mine | theirs."""

    headers = ("Field", "Mine (this laptop)", "Theirs (the server)")

    def cells(self, item: Comparison) -> tuple[str, ...]:
        label = field_label(item.field, self.units)
        return (
            f"{label} — differs" if item.changed else label,
            value_text(item.field, item.mine, self.units),
            value_text(item.field, item.theirs, self.units),
        )

    def tone(self, row: int, column: int) -> Tone:
        return "changed" if self.items[row].changed else ""


class RejectionsTable(TableState[OpenRejection]):
    headers = ("Well", "Day", "What", "Reasons")

    def cells(self, item: OpenRejection) -> tuple[str, ...]:
        return (
            item.well_name or "—",
            day_text(item.day),
            event_label(item.rejection.event_type),
            reasons_text(item.rejection.reasons, self.units) or "—",
        )

    def tone(self, row: int, column: int) -> Tone:
        return "error" if column == 3 else ""


# --- fix and resubmit -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FixField:
    name: str
    label: str
    text: str  # the rejected value, as typed in the operator's units
    reason: str  # what the server said of this field ("" if nothing)


def fix_fields(shown: OpenRejection, units: UnitSystem) -> list[FixField]:
    fields = []
    for name in shown.fixable:
        value = shown.values.get(name)
        text = "" if value is None else value_text(name, value, units).replace(",", "")
        said = [
            str(r.get("message", "")) for r in shown.rejection.reasons if r.get("field") == name
        ]
        fields.append(FixField(name, field_label(name, units), text, "; ".join(said)))
    return fields


def parse_fix(name: str, text: str, units: UnitSystem) -> tuple[Any, str]:
    """(value, "") or (None, error message) for one typed fix, back in stored units."""
    raw = text.strip()
    label = FIELD_LABELS.get(name, name)
    if name in _TEXT_FIELDS:
        return (raw or None) if name != "notes" else raw, ""
    if not raw:
        return None, f"Enter {label.lower()}; 0 if none." if name in _REQUIRED else ""
    try:
        value = math.nan if "," in raw else float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return None, f"{label}: '{raw}' is not a number (no commas, a point for decimals)."
    if name == "choke_64ths":
        if not value.is_integer():
            return None, "Choke is a whole number of 64ths."
        return int(value), ""
    convert: dict[str, Callable[[float, UnitSystem], float]] = {
        "oil_bbl": liquid_from_display,
        "water_bbl": liquid_from_display,
        _GAS: gas_from_display,
    }
    return (convert[name](value, units) if name in convert else value), ""


def parse_fixes(
    texts: dict[str, str], units: UnitSystem, shown: Mapping[str, tuple[str, Any]] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The fixes to resubmit and the problems found, both by field. A field still showing
    its prefilled text (`shown`: text, stored value) keeps the stored value exactly."""
    fixes: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, text in texts.items():
        if shown is not None and name in shown and shown[name][0] == text:
            fixes[name] = shown[name][1]  # untouched: not rounded through the display units
            continue
        value, problem = parse_fix(name, text, units)
        if problem:
            problems[name] = problem
        else:
            fixes[name] = value
    return fixes, problems


# --- progress -------------------------------------------------------------------------------

ProgressState = Literal["idle", "running", "done", "failed", "offline"]


class SyncProgress:
    """The Sync screen's progress line and bar, driven by the sync's events."""

    def __init__(self) -> None:
        self.state: ProgressState = "idle"
        self.pending = 0  # what was waiting when last looked (the bar's length at start)
        self.expected = self.sent = self.received = 0
        self.counts: dict[str, int] = {}
        self.error = ""  # the last failed sync's reason
        self.text = "Sync runs by itself while the server answers; Sync now starts one at once."

    def request(self) -> bool:
        """The operator pressed Sync now; True when the line changed (no sync is running)."""
        if self.state == "running":
            return False
        self.text = (
            "The server could not be reached; trying it again now. The sync starts as"
            " soon as it answers."
            if self.state == "offline"
            else "Sync requested: starting…"
        )
        return True

    def bar(self) -> tuple[int, int]:
        """(value, maximum) of the progress bar; maximum 0 is a busy bar."""
        if self.state == "running":
            return (self.sent, self.expected) if self.expected else (0, 0)
        if self.state == "done":
            return 1, 1
        return min(self.sent, self.expected), max(self.expected, 1)

    def on_event(self, name: str, details: dict[str, Any]) -> bool:
        """Take one sync event; True when what is shown changed."""
        if name == "sync.started":
            self.state, self.sent, self.received, self.counts = "running", 0, 0, {}
            self.error = ""
            self.expected = self.pending
            self.text = (
                f"Syncing: sending {self.expected} change(s)…"
                if self.expected
                else "Syncing: checking the server for changes…"
            )
        elif name == "sync.pushed":
            self.sent += int(details.get("sent") or 0)
            self.expected = max(self.expected, self.sent)
            for status, count in dict(details.get("counts") or {}).items():
                self.counts[status] = self.counts.get(status, 0) + int(count)
            self.text = f"Syncing: sent {self.sent} of {self.expected}{self._counts()}"
        elif name == "sync.pulled":
            self.received += int(details.get("applied") or 0)
            self.text = (
                f"Syncing: sent {self.sent} of {self.expected}{self._counts()},"
                f" received {self.received} change(s)"
            )
        elif name == "sync.retrying":
            self.text = (
                f"Connection problem ({details.get('error')}); trying again in"
                f" {float(details.get('pause') or 0):.0f} s…"
            )
        elif name == "sync.finished":
            self.state = "done"
            self.text = self._finished(details.get("report"))
        elif name == "sync.failed":
            self.state, self.error = "failed", str(details.get("error") or "unknown error")
            self.text = f"Sync failed: {self.error}"
        elif name == "connectivity.offline":
            self.state = "offline"
            why = f" ({self.error})" if self.error else ""
            self.text = f"Offline: the server cannot be reached{why}. Sync resumes when it answers."
        else:
            return False
        return True

    def _counts(self) -> str:
        if not self.counts:
            return ""
        return " (" + ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items())) + ")"

    def _finished(self, report: Any) -> str:
        pending = int(getattr(report, "pending", 0) or 0)
        conflicts = int(getattr(report, "conflicts", 0) or 0)
        rejected = int(getattr(report, "rejected", 0) or 0)
        self.received = max(self.received, int(getattr(report, "pulled", 0) or 0))
        parts = [
            f"Sync finished: sent {self.sent}{self._counts()}, received {self.received} change(s)"
        ]
        parts.append(f"{pending} still waiting" if pending else "nothing left to send")
        if conflicts:
            parts.append(f"{conflicts} conflict(s) to resolve")
        if rejected:
            parts.append(f"{rejected} rejected record(s) to fix")
        return "; ".join(parts) + "."
