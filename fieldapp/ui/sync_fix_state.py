"""The fix form of a rejected record, without Qt: which fields it offers, prefilled with what the
server refused, and the typed fixes turned back into stored values.

Production volumes are shown and typed in the operator's units and go back to bbl/Mcf; days are
YYYY-MM-DD; an incident's time is shown and typed in the laptop's time zone; a status, a
severity, an incident type and a yes/no are chosen from a list (`FixField.choices`). A field
still showing its prefilled text keeps the stored value exactly (no rounding through units).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fieldapp.core.rejections import OpenRejection
from fieldapp.ui.equipment_state import STATUS_LABELS, STATUSES
from fieldapp.ui.incidents_state import SEVERITY_CHOICES, TYPE_CHOICES
from fieldapp.ui.sync_words import FIELD_LABELS, GAS, field_label, local_time, value_text
from shared.units import UnitSystem, gas_from_display, liquid_from_display

Choices = tuple[tuple[str, str], ...]  # (code kept in the event, words shown)
YES_NO: Choices = (("no", "No"), ("yes", "Yes"))
# the equipment statuses in words (as on the Equipment screen)
EQUIPMENT_STATUSES: Choices = tuple((s, STATUS_LABELS.get(s, s)) for s in STATUSES)
CHOICES: dict[str, Choices] = {
    "status": EQUIPMENT_STATUSES,
    "severity": SEVERITY_CHOICES,
    "incident_type": TYPE_CHOICES,
    "injuries": YES_NO,
    "regulatory_notification_required": YES_NO,
}
_PRODUCTION_NUMBERS = (
    "oil_bbl",
    "gas_mcf",
    "water_bbl",
    "hours_on",
    "downtime_hours",
    "tubing_psi",
    "casing_psi",
    "choke_64ths",
)
_NUMBERS = (*_PRODUCTION_NUMBERS, "cost")
_DATES = ("installed_on", "performed_on", "next_due")
_MOMENTS = ("occurred_at",)
_REQUIRED = ("oil_bbl", "gas_mcf", "water_bbl", "performed_on", "occurred_at")
_CONVERT: dict[str, Callable[[float, UnitSystem], float]] = {
    "oil_bbl": liquid_from_display,
    "water_bbl": liquid_from_display,
    GAS: gas_from_display,
}


@dataclass(frozen=True, slots=True)
class FixField:
    name: str
    label: str
    text: str  # the rejected value as typed (a choice: its code)
    reason: str  # what the server said of this field ("" if nothing)
    choices: Choices = ()  # a drop-down's items; empty: typed in a line


def _prefill(name: str, value: Any, units: UnitSystem) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name in _MOMENTS:
        return local_time(str(value))
    if name in _NUMBERS:
        return value_text(name, value, units).replace(",", "")
    return str(value)


def _choices(name: str, code: str) -> Choices:
    known = CHOICES.get(name, ())
    if known and code and code not in dict(known):
        return ((code, code), *known)  # what was refused stays visible and choosable
    return known


def fix_fields(shown: OpenRejection, units: UnitSystem) -> list[FixField]:
    fields = []
    for name in shown.fixable:
        text = _prefill(name, shown.values.get(name), units)
        said = [
            str(r.get("message", ""))
            for r in shown.rejection.reasons
            if str(r.get("field") or "").rsplit(".", 1)[-1] == name
        ]
        label = field_label(name, units)
        fields.append(FixField(name, label, text, "; ".join(said), _choices(name, text)))
    return fields


def _parse_number(name: str, raw: str, label: str, units: UnitSystem) -> tuple[Any, str]:
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
    return (_CONVERT[name](value, units) if name in _CONVERT else value), ""


def _parse_moment(raw: str, label: str) -> tuple[Any, str]:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return None, f"{label}: '{raw}' is not a date and time (YYYY-MM-DD HH:MM)."
    return moment.astimezone().isoformat(), ""  # a time without a zone: the laptop's


def parse_fix(name: str, text: str, units: UnitSystem) -> tuple[Any, str]:
    """(value, "") or (None, error message) for one typed fix, back in stored units."""
    raw = text.strip()
    label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
    if name in CHOICES:
        return (raw == "yes" if CHOICES[name] is YES_NO else raw), ""
    if name == "downtime_reason":
        return raw or None, ""
    if name not in (*_NUMBERS, *_DATES, *_MOMENTS):
        return raw, ""  # text: blank stays blank (the rules say when it may not be)
    if not raw:
        if name in _REQUIRED:
            return None, f"Enter {label.lower()}" + ("; 0 if none." if name in _NUMBERS else ".")
        return None, ""
    if name in _NUMBERS:
        return _parse_number(name, raw, label, units)
    if name in _MOMENTS:
        return _parse_moment(raw, label)
    try:
        return date.fromisoformat(raw).isoformat(), ""
    except ValueError:
        return None, f"{label}: '{raw}' is not a day (YYYY-MM-DD)."


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
