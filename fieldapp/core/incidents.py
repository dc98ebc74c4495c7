"""Incident reports on the device: spills, leaks, fires, injuries, near misses.

An incident is reported once (`incident.reported`) and never edited on the device. The rules
here run in the form (as the operator types) and again in `report_incident` on the worker, so
a report that reaches the log is always complete: a description, a time that is not in the
future, and a well that exists when one is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, get_args

from sqlalchemy import Connection

from fieldapp.core.errors import UnknownRecordError, ValidationFailedError
from fieldapp.core.projections import COLUMNS
from fieldapp.core.store import Store
from fieldapp.core.wells import well_exists
from shared.contracts import EventType, IncidentReported, IncidentSeverity
from shared.events import new_id
from shared.validation import Issue, Severity

INCIDENT_COLUMNS = COLUMNS["incidents"]

# the codes kept in the event, in the order a form offers them (the words: the ui's)
INCIDENT_TYPES: tuple[str, ...] = (
    "spill",
    "leak",
    "fire",
    "injury",
    "equipment_failure",
    "vandalism",
    "near_miss",
    "other",
)
SEVERITIES: tuple[IncidentSeverity, ...] = get_args(IncidentSeverity)
RegulatoryReason = Literal["severity", "injury", "spill"]
# a device clock a little ahead of the operator's watch is not "the future"
CLOCK_SLACK = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Incident:
    incident_id: str
    well_id: str | None
    incident_type: str
    severity: str
    occurred_at: datetime
    latitude: float | None
    longitude: float | None
    location_description: str
    description: str
    injuries: bool
    environmental_impact: str
    regulatory_notification_required: bool
    version: int
    last_seq: int

    @classmethod
    def from_row(cls, row: Any) -> Incident:
        values = dict(zip(INCIDENT_COLUMNS, row, strict=True))
        values["occurred_at"] = parse_time(str(values["occurred_at"]))
        values["location_description"] = values["location_description"] or ""
        values["environmental_impact"] = values["environmental_impact"] or ""
        values["injuries"] = bool(values["injuries"])
        values["regulatory_notification_required"] = bool(
            values["regulatory_notification_required"]
        )
        return cls(**values)


def parse_time(text: str) -> datetime:
    """An RFC 3339 time from an event; a time without a zone is taken as UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def regulatory_reasons(severity: str, incident_type: str, injuries: bool) -> list[RegulatoryReason]:
    """Why a regulator probably has to be told (empty: nothing suggests it): a high or
    critical severity, someone injured, a spill."""
    reasons: list[RegulatoryReason] = []
    if severity in ("high", "critical"):
        reasons.append("severity")
    if injuries or incident_type == "injury":
        reasons.append("injury")
    if incident_type == "spill":
        reasons.append("spill")
    return reasons


def occurred_at_issue(occurred: datetime, *, now: datetime | None = None) -> Issue | None:
    """The time of an incident needs a zone and cannot be in the future."""
    if occurred.tzinfo is None:
        return Issue("time_zone", "occurred_at", Severity.ERROR, "The time needs a time zone.")
    if occurred > (now or datetime.now(UTC)) + CLOCK_SLACK:
        return Issue(
            "future_time",
            "occurred_at",
            Severity.ERROR,
            "The incident cannot have happened in the future: check the date and time.",
        )
    return None


def incident_issues(details: IncidentReported, *, now: datetime | None = None) -> list[Issue]:
    """What stops this report from being saved (errors only; an empty list means it may be)."""
    issues: list[Issue] = []
    if not details.description.strip():
        issues.append(Issue("required", "description", Severity.ERROR, "Describe what happened."))
    time = occurred_at_issue(details.occurred_at, now=now)
    if time is not None:
        issues.append(time)
    return issues


def report_incident(
    store: Store, details: IncidentReported, *, now: datetime | None = None
) -> Incident:
    """Append `incident.reported`; a problem raises ValidationFailedError and appends nothing.

    The time is kept in UTC, so reports from every device sort by when they happened."""
    issues = incident_issues(details, now=now)
    if issues:
        raise ValidationFailedError(issues)
    payload = details.model_copy(update={"occurred_at": details.occurred_at.astimezone(UTC)})
    incident_id = new_id()
    with store.write() as txn:
        if details.well_id is not None and not well_exists(txn.db, details.well_id):
            raise ValidationFailedError(
                [
                    Issue(
                        "unknown_well",
                        "well_id",
                        Severity.ERROR,
                        "That well is not on this device any more; pick another or none.",
                    )
                ]
            )
        txn.append(EventType.INCIDENT_REPORTED, incident_id, payload)
    with store.read() as conn:
        return get_incident(conn, incident_id)


def get_incident(conn: Connection, incident_id: str) -> Incident:
    row = conn.exec_driver_sql(
        f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incidents WHERE incident_id = ?",
        (incident_id,),
    ).first()
    if row is None:
        raise UnknownRecordError(f"unknown incident {incident_id}")
    return Incident.from_row(row)


def list_incidents(conn: Connection, well_id: str | None = None) -> list[Incident]:
    """Every incident (or one well's), the most recent first by when it happened."""
    sql = f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM incidents"
    params: tuple[str, ...] = ()
    if well_id is not None:
        sql += " WHERE well_id = ?"
        params = (well_id,)
    incidents = [Incident.from_row(r) for r in conn.exec_driver_sql(sql, params).all()]
    # sorted here, not in SQL: reports pulled from other devices may carry other UTC offsets
    incidents.sort(key=lambda i: (i.occurred_at, i.last_seq, i.incident_id), reverse=True)
    return incidents
