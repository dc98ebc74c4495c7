"""Pydantic v2 models of the event envelope and every v1 event payload (docs/design.md §3)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

PROTOCOL_VERSION = 1
SCHEMA_VERSION = 1


class EventType(StrEnum):
    WELL_REGISTERED = "well.registered"
    WELL_UPDATED = "well.updated"
    PRODUCTION_RECORDED = "production.recorded"
    PRODUCTION_CORRECTED = "production.corrected"
    PRODUCTION_VOIDED = "production.voided"
    EQUIPMENT_ADDED = "equipment.added"
    EQUIPMENT_UPDATED = "equipment.updated"
    MAINTENANCE_LOGGED = "maintenance.logged"
    PHOTO_ATTACHED = "photo.attached"
    PHOTO_UPDATED = "photo.updated"
    PHOTO_REMOVED = "photo.removed"
    INCIDENT_REPORTED = "incident.reported"
    CONFLICT_RESOLVED = "conflict.resolved"


class EntryMethod(StrEnum):
    MANUAL = "MANUAL"
    IMPORT = "IMPORT"
    SCADA = "SCADA"
    SERVER = "SERVER"


class Contract(BaseModel):
    """Base of every wire model: unknown fields are an error, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


LocationSource = Literal["gps", "photo", "typed"]


class Location(Contract):
    """Where an entry was made or a photo taken (WGS 84). `source` says how it was obtained:
    the laptop's positioning receiver, a photo's EXIF, or typed in; optional and additive."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0)
    source: LocationSource | None = None


# --- wells -------------------------------------------------------------------------------------

WellStatus = Literal["active", "shut_in", "temporarily_abandoned", "plugged"]
WellType = Literal["oil", "gas", "injection", "disposal", "other"]


class WellRegistered(Contract):
    api_number: str = Field(min_length=10, max_length=18)
    name: str = Field(min_length=1, max_length=200)
    lease: str | None = Field(default=None, max_length=200)
    field: str | None = Field(default=None, max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    status: WellStatus = "active"
    well_type: WellType = "oil"


class WellChanges(Contract):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    lease: str | None = Field(default=None, max_length=200)
    field: str | None = Field(default=None, max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    status: WellStatus | None = None
    well_type: WellType | None = None


class WellUpdated(Contract):
    """Only the keys present in `changes` change (an explicit null clears a field)."""

    changes: WellChanges


# --- production --------------------------------------------------------------------------------


class ProductionValues(Contract):
    """The measured values of one well-day; shared by recorded and corrected events."""

    oil_bbl: float
    gas_mcf: float
    water_bbl: float
    hours_on: float | None = None
    downtime_hours: float | None = None
    downtime_reason: str | None = Field(default=None, max_length=40)
    tubing_psi: float | None = None
    casing_psi: float | None = None
    choke_64ths: int | None = Field(default=None, ge=0, le=256)
    notes: str = Field(default="", max_length=4000)


class ProductionRecorded(ProductionValues):
    well_id: UUID
    production_date: date
    entry_method: EntryMethod = EntryMethod.MANUAL
    location: Location | None = None

    @field_validator("production_date", mode="before")
    @classmethod
    def _date_not_timestamp(cls, value: Any) -> Any:
        if isinstance(value, datetime) or (isinstance(value, str) and "T" in value):
            raise ValueError("production_date is a gauge day (YYYY-MM-DD), not a timestamp")
        return value


class ProductionChanges(Contract):
    oil_bbl: float | None = None
    gas_mcf: float | None = None
    water_bbl: float | None = None
    hours_on: float | None = None
    downtime_hours: float | None = None
    downtime_reason: str | None = Field(default=None, max_length=40)
    tubing_psi: float | None = None
    casing_psi: float | None = None
    choke_64ths: int | None = Field(default=None, ge=0, le=256)
    notes: str | None = Field(default=None, max_length=4000)


class ProductionCorrected(Contract):
    """Only the keys present in `changes` change; `well_id`/`production_date` identify the day."""

    well_id: UUID
    production_date: date
    changes: ProductionChanges
    reason: str = Field(default="", max_length=400)
    entry_method: EntryMethod = EntryMethod.MANUAL


class ProductionVoided(Contract):
    well_id: UUID
    production_date: date
    reason: str = Field(min_length=1, max_length=400)


# --- equipment, maintenance, photos, incidents ------------------------------------------------

EquipmentStatus = Literal["operational", "maintenance", "failed", "removed"]


class EquipmentAdded(Contract):
    well_id: UUID
    equipment_type: str = Field(min_length=1, max_length=80)
    manufacturer: str = Field(default="", max_length=120)
    model: str = Field(default="", max_length=120)
    serial_number: str = Field(default="", max_length=120)
    installed_on: date | None = None
    status: EquipmentStatus = "operational"
    notes: str = Field(default="", max_length=4000)


class EquipmentChanges(Contract):
    equipment_type: str | None = Field(default=None, min_length=1, max_length=80)
    manufacturer: str | None = Field(default=None, max_length=120)
    model: str | None = Field(default=None, max_length=120)
    serial_number: str | None = Field(default=None, max_length=120)
    installed_on: date | None = None
    status: EquipmentStatus | None = None
    notes: str | None = Field(default=None, max_length=4000)


class EquipmentUpdated(Contract):
    changes: EquipmentChanges


class MaintenanceLogged(Contract):
    well_id: UUID
    equipment_id: UUID | None = None
    performed_on: date
    maintenance_type: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=4000)
    technician: str = Field(default="", max_length=120)
    cost: float | None = Field(default=None, ge=0)
    next_due: date | None = None
    location: Location | None = None


PhotoTarget = Literal["well", "production", "equipment", "maintenance", "incident"]


class PhotoAttached(Contract):
    target_type: PhotoTarget
    target_id: UUID
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    content_type: str = Field(pattern=r"^image/[a-z0-9.+-]+$")
    size: int = Field(gt=0)
    caption: str = Field(default="", max_length=400)
    # what the laptop's processing found (docs/photos.md); optional and additive, so payloads
    # written before they existed still validate. `sha256`, `size` and the dimensions are
    # those of the processed JPEG the device uploads; `original_*` those of the file picked.
    width: int | None = Field(default=None, gt=0, le=8192)
    height: int | None = Field(default=None, gt=0, le=8192)
    taken_at: datetime | None = None
    location: Location | None = None
    camera: str = Field(default="", max_length=200)
    original_name: str = Field(default="", max_length=255)
    original_size: int | None = Field(default=None, gt=0)


class PhotoChanges(Contract):
    caption: str | None = Field(default=None, max_length=400)


class PhotoUpdated(Contract):
    """Only the keys present in `changes` change (today: the caption)."""

    changes: PhotoChanges


class PhotoRemoved(Contract):
    """The photo leaves its record (its bytes stay for the audit trail; docs/photos.md)."""

    reason: str = Field(default="", max_length=400)


IncidentSeverity = Literal["low", "medium", "high", "critical"]


class IncidentReported(Contract):
    well_id: UUID | None = None
    incident_type: str = Field(min_length=1, max_length=80)
    severity: IncidentSeverity
    occurred_at: datetime
    location: Location | None = None
    # where on the lease, in words ("tank battery, north side"); optional and additive, so
    # payloads written before it existed still validate (docs/design.md §3)
    location_description: str = Field(default="", max_length=400)
    description: str = Field(min_length=1, max_length=8000)
    injuries: bool = False
    environmental_impact: str = Field(default="", max_length=4000)
    regulatory_notification_required: bool = False


class ConflictResolved(Contract):
    conflict_id: UUID
    keep: Literal["mine", "theirs"]
    values: dict[str, Any] = Field(default_factory=dict)


PAYLOAD_MODELS: dict[EventType, type[Contract]] = {
    EventType.WELL_REGISTERED: WellRegistered,
    EventType.WELL_UPDATED: WellUpdated,
    EventType.PRODUCTION_RECORDED: ProductionRecorded,
    EventType.PRODUCTION_CORRECTED: ProductionCorrected,
    EventType.PRODUCTION_VOIDED: ProductionVoided,
    EventType.EQUIPMENT_ADDED: EquipmentAdded,
    EventType.EQUIPMENT_UPDATED: EquipmentUpdated,
    EventType.MAINTENANCE_LOGGED: MaintenanceLogged,
    EventType.PHOTO_ATTACHED: PhotoAttached,
    EventType.PHOTO_UPDATED: PhotoUpdated,
    EventType.PHOTO_REMOVED: PhotoRemoved,
    EventType.INCIDENT_REPORTED: IncidentReported,
    EventType.CONFLICT_RESOLVED: ConflictResolved,
}


def parse_payload(event_type: EventType | str, payload: dict[str, Any]) -> Contract:
    """Validate a payload dict against the model of its event type."""
    return PAYLOAD_MODELS[EventType(event_type)].model_validate(payload)


def dump_payload(payload: Contract) -> dict[str, Any]:
    """The JSON form of a payload as it goes on the wire (partial `changes` keep only set keys)."""
    return payload.model_dump(mode="json", exclude_unset=isinstance(payload, _PARTIAL))


_PARTIAL = (WellUpdated, ProductionCorrected, EquipmentUpdated)


class EventEnvelope(Contract):
    """An event exactly as it travels; `hash` covers every other field but `signature`."""

    event_id: UUID
    org_id: UUID
    device_id: UUID
    device_seq: int = Field(ge=1, le=2**62)
    event_type: EventType
    aggregate_id: UUID
    base_version: int = Field(ge=0, le=2**31 - 1)
    payload: dict[str, Any]
    recorded_at: datetime
    user_id: UUID
    schema_version: int = Field(ge=1)
    prev_hash: str = Field(pattern=r"^([0-9a-f]{64})?$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str = Field(pattern=r"^([0-9a-f]{64})?$")

    def typed_payload(self) -> Contract:
        return parse_payload(self.event_type, self.payload)


# --- auth messages (docs/sync-protocol.md) --------------------------------------------------------

Role = Literal["operator", "supervisor", "admin"]


# Names are stored as Postgres text, which cannot hold NUL; no control characters at all.
_NAME = r"^[^\x00-\x1f\x7f]+$"


class LoginRequest(Contract):
    org: str = Field(min_length=2, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]+$")  # a slug
    username: str = Field(min_length=1, max_length=120, pattern=_NAME)
    password: str = Field(min_length=1, max_length=1024)
    device_name: str = Field(min_length=1, max_length=120, pattern=_NAME)
    device_id: UUID | None = None


class UserInfo(Contract):
    id: UUID
    role: Role


class LoginResponse(Contract):
    access_token: str
    refresh_token: str
    org_id: UUID
    device_id: UUID
    device_secret: str | None = None  # only on the device's first registration
    user: UserInfo


class RefreshRequest(Contract):
    refresh_token: str = Field(min_length=10, max_length=400, pattern=r"^[\x21-\x7e]+$")


class TokenPair(Contract):
    access_token: str
    refresh_token: str


# --- sync messages (docs/sync-protocol.md) --------------------------------------------------------

MAX_BATCH_EVENTS = 500
ResultStatus = Literal["accepted", "duplicate", "conflict", "rejected", "id_conflict"]


class BatchRequest(Contract):
    protocol_version: int
    device_id: UUID
    events: list[dict[str, Any]]


class Reason(Contract):
    rule: str
    field: str = ""
    message: str


class EventResult(Contract):
    event_id: str
    status: ResultStatus
    server_seq: int | None = None
    version: int | None = None
    merged: bool | None = None
    conflict_id: UUID | None = None
    reasons: list[Reason] | None = None


class BatchResponse(Contract):
    results: list[EventResult]
    expected_seq: int | None = None


class Change(Contract):
    """One item of a pull page: an accepted event, a conflict notice, or a well.

    An event of a record carries `record`, the record as the event's version left it."""

    server_seq: int
    kind: Literal["event", "conflict", "well"]
    version: int | None = None
    data: dict[str, Any]
    record: dict[str, Any] | None = None


class ChangesPage(Contract):
    changes: list[Change]
    next_cursor: int
    has_more: bool
