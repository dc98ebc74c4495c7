"""How the Sync screen words what it shows: kinds of event, field names, values in the
operator's units, times in the laptop's zone, the server's reasons and answers.

Qt-free; every list state of the screen (`sync_list_state`, `sync_conflicts_state`,
`sync_rejected_state`, `sync_fix_state`) says its cells with these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from shared.records import PRODUCTION_VALUE_FIELDS
from shared.units import UnitSystem, display_labels, gas_to_display, liquid_to_display

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
    "performed_on": "Date performed",
    "occurred_at": "When it happened",
}
STATUS_WORDS: dict[str, tuple[str, Tone]] = {
    "accepted": ("✓ Accepted", "ok"),
    "merged": ("✓ Merged", "ok"),
    "duplicate": ("✓ Accepted (already on server)", "ok"),
    "conflict": ("⚠ Conflict", "warning"),
    "rejected": ("✗ Rejected", "error"),
}
LIQUIDS, GAS = ("oil_bbl", "water_bbl"), "gas_mcf"


def event_label(event_type: str) -> str:
    return EVENT_LABELS.get(event_type, event_type)


def field_label(name: str, units: UnitSystem) -> str:
    liquid, gas = display_labels(units)
    if name in LIQUIDS or name == GAS:
        return f"{FIELD_LABELS[name]} ({gas if name == GAS else liquid})"
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
        if name in LIQUIDS:
            return _number(liquid_to_display(float(value), units))
        if name == GAS:
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
        f"{field_label(str(r['field']).rsplit('.', 1)[-1], units)}: {r.get('message', '')}"
        if r.get("field")
        else str(r.get("message") or r.get("rule", ""))
        for r in reasons
    )


def day_text(day: str) -> str:
    """A gauge day as it is; a moment (an incident's) in the laptop's time; blank: '—'."""
    return (local_time(day) if "T" in day else day) or "—"


def record_text(well_name: str, day: str) -> str:
    return " · ".join(p for p in (well_name or "(unknown well)", day and day_text(day)) if p)
