"""What the Incidents page knows, without Qt: the typed report, its problems, the table rows.

`build_report` turns what was typed into an `IncidentReported` or into issues keyed by field
(the page shows each next to its field); `RegulatoryFlag` decides when "regulatory notification
required" ticks itself and what note explains it; `IncidentsState` holds the reported incidents
and the text of every table cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from fieldapp.core.incidents import (
    INCIDENT_TYPES,
    SEVERITIES,
    Incident,
    RegulatoryReason,
    list_incidents,
    occurred_at_issue,
    regulatory_reasons,
)
from fieldapp.core.store import Store
from fieldapp.core.wells import Well, list_wells
from fieldapp.ui.location_state import parse_coordinate
from shared.contracts import IncidentReported
from shared.validation import Issue, Severity

TYPE_WORDS = {
    "spill": "Spill",
    "leak": "Leak",
    "fire": "Fire",
    "injury": "Injury",
    "equipment_failure": "Equipment failure",
    "vandalism": "Vandalism",
    "near_miss": "Near miss",
    "other": "Other",
}
# (code kept in the event, what the operator reads), in the order the form offers them
TYPE_CHOICES: tuple[tuple[str, str], ...] = tuple((c, TYPE_WORDS[c]) for c in INCIDENT_TYPES)
SEVERITY_CHOICES: tuple[tuple[str, str], ...] = tuple((c, c.capitalize()) for c in SEVERITIES)
_SEVERITY_WORDS = dict(SEVERITY_CHOICES)

# the words that go with each severity's colour
SEVERITY_HINTS = {
    "low": "no harm, dealt with on site",
    "medium": "contained, needs follow-up",
    "high": "harm or a release off the pad",
    "critical": "life, fire or a major release",
}


def type_label(code: str) -> str:
    """The words for a type code; a code this app does not know is shown as it came."""
    return TYPE_WORDS.get(code, code.replace("_", " ").capitalize())


def severity_label(code: str) -> str:
    return _SEVERITY_WORDS.get(code, code.capitalize())


def reason_words(reason: RegulatoryReason, severity: str) -> str:
    """Why notifying is suggested, as the note under the box says it."""
    if reason == "severity":
        return f"severity is {severity_label(severity).lower()}"
    return "someone was injured" if reason == "injury" else "it is a spill"


def headline(row: Incident, well: str) -> str:
    """ "Spill, medium — Balmorhea 2": what happened, how bad, where."""
    return f"{type_label(row.incident_type)}, {severity_label(row.severity).lower()} — {well}"


@dataclass(frozen=True, slots=True)
class IncidentDraft:
    """The form's values as typed (coordinates still text)."""

    incident_type: str
    severity: str
    occurred_at: datetime
    well_id: str | None
    location_description: str
    latitude: str
    longitude: str
    description: str
    injuries: bool
    environmental_impact: str
    regulatory_notification_required: bool


def _location(draft: IncidentDraft) -> tuple[dict[str, float] | None, list[Issue]]:
    lat = parse_coordinate(draft.latitude, "latitude", "Latitude", 90)
    lon = parse_coordinate(draft.longitude, "longitude", "Longitude", 180)
    issues = [v for v in (lat, lon) if isinstance(v, Issue)]
    if issues:
        return None, issues
    if lat is None and lon is None:
        return None, []
    if lat is None or lon is None:
        missing = "latitude" if lat is None else "longitude"
        msg = "Give both latitude and longitude, or leave both blank."
        return None, [Issue("incomplete", missing, Severity.ERROR, msg)]
    assert isinstance(lat, float) and isinstance(lon, float)
    return {"lat": lat, "lon": lon}, []


_FIELD_OF = {"location": "latitude"}


def _contract_issues(error: ValidationError) -> list[Issue]:
    issues = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "form"
        field = _FIELD_OF.get(name, name)
        if item["type"] == "string_too_long":
            limit = item.get("ctx", {}).get("max_length")
            message = f"Too long: at most {limit} characters."
        else:
            message = str(item["msg"])
        issues.append(Issue(item["type"], field, Severity.ERROR, message))
    return issues


def build_report(
    draft: IncidentDraft, *, now: datetime | None = None
) -> tuple[IncidentReported | None, list[Issue]]:
    """The report to save, or None and what is wrong (every problem at once, by field)."""
    location, issues = _location(draft)
    if not draft.incident_type:
        msg = "Choose what kind of incident it was."
        issues.append(Issue("required", "incident_type", Severity.ERROR, msg))
    if not draft.description.strip():
        issues.append(Issue("required", "description", Severity.ERROR, "Describe what happened."))
    time = occurred_at_issue(draft.occurred_at, now=now)
    if time is not None:
        issues.append(time)
    values: dict[str, Any] = {
        "well_id": draft.well_id or None,
        "incident_type": draft.incident_type,
        "severity": draft.severity,
        "occurred_at": draft.occurred_at,
        "location": location,
        "location_description": draft.location_description.strip(),
        "description": draft.description.strip(),
        "injuries": draft.injuries,
        "environmental_impact": draft.environmental_impact.strip(),
        "regulatory_notification_required": draft.regulatory_notification_required,
    }
    try:
        report = IncidentReported.model_validate(values)
    except ValidationError as exc:
        report = None
        known = {i.field for i in issues}
        issues.extend(i for i in _contract_issues(exc) if i.field not in known)
    return (None if issues else report), issues


class RegulatoryFlag:
    """Ticks itself while the report looks notifiable, until the operator decides otherwise."""

    def __init__(self) -> None:
        self.checked = False
        self.reasons: list[str] = []
        self.user_decided = False

    def update(self, severity: str, incident_type: str, injuries: bool) -> bool:
        """The report changed; returns whether the box is ticked now."""
        found = regulatory_reasons(severity, incident_type, injuries)
        self.reasons = [reason_words(reason, severity) for reason in found]
        if not self.user_decided:
            self.checked = bool(self.reasons)
        return self.checked

    def set_by_user(self, checked: bool) -> None:
        self.checked = checked
        self.user_decided = True

    def reset(self) -> None:
        self.checked, self.reasons, self.user_decided = False, [], False

    @property
    def note(self) -> str:
        if not self.reasons:
            return "" if not self.checked else "Ticked by you: the office will notify."
        why = " and ".join(self.reasons)
        if self.checked:
            return f"Ticked because {why}: the office will notify. Untick if it does not apply."
        return f"Unticked by you although {why}: make sure no notification is due."


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    title: str


COLUMNS: tuple[Column, ...] = (  # most telling first: the well, often long, goes last
    Column("occurred_at", "Date", "Date and time"),
    Column("severity", "Severity", "Severity"),
    Column("incident_type", "Type", "Type"),
    Column("regulatory", "Notify?", "Regulatory notification required"),
    Column("well", "Well", "Well"),
)
NO_WELL = "Lease / no well"


class IncidentsState:
    """The reported incidents as the table shows them (newest first, as loaded)."""

    def __init__(self) -> None:
        self.rows: list[Incident] = []
        self.well_names: dict[str, str] = {}

    def set_rows(self, rows: Sequence[Incident]) -> None:
        self.rows = list(rows)

    def set_wells(self, wells: Sequence[Well]) -> None:
        self.well_names = {w.well_id: w.name for w in wells}

    def well_name(self, well_id: str | None) -> str:
        if well_id is None:
            return NO_WELL
        return self.well_names.get(well_id, "Unknown well")

    def display(self, row: Incident, key: str) -> str:
        if key == "occurred_at":
            return f"{row.occurred_at.astimezone():%Y-%m-%d %H:%M}"
        if key == "well":
            return self.well_name(row.well_id)
        if key == "incident_type":
            return type_label(row.incident_type)
        if key == "severity":
            return severity_label(row.severity)
        if key == "regulatory":
            return "Yes" if row.regulatory_notification_required else "No"
        raise KeyError(key)

    def tooltip(self, row: Incident) -> str:
        lines = [headline(row, self.well_name(row.well_id))]
        if row.location_description:
            lines.append(f"Where: {row.location_description}")
        if row.latitude is not None and row.longitude is not None:
            lines.append(f"At {row.latitude:.5f}, {row.longitude:.5f}")
        lines.append(row.description)
        if row.injuries:
            lines.append("Injuries: yes")
        if row.environmental_impact:
            lines.append(f"Environmental impact: {row.environmental_impact}")
        return "\n".join(lines)


def load_incidents(store: Store) -> tuple[list[Well], list[Incident]]:
    """On the worker: the wells to pick from and every incident, in one read snapshot."""
    with store.read() as conn:
        return list_wells(conn), list_incidents(conn)
