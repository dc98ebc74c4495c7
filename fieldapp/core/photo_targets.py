"""What a photo can be attached to, named as `kind:id` (docs/photos.md "On the laptop").

    maintenance:<maintenance id>   incident:<incident id>   equipment:<equipment id>
    well:<API number or well id>   production:<record id>

A target is checked against the store before any file is read: an unknown one is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args
from uuid import UUID

from sqlalchemy import Connection

from fieldapp.core.errors import UnknownRecordError
from fieldapp.core.wells import get_well, well_by_api
from shared.contracts import PhotoTarget as TargetKind

TARGET_KINDS: tuple[str, ...] = get_args(TargetKind)
# kind -> (table, primary key, what makes a row of it a live record)
_TABLES: dict[str, tuple[str, str, str]] = {
    "maintenance": ("maintenance", "maintenance_id", ""),
    "incident": ("incidents", "incident_id", ""),
    "equipment": ("equipment", "equipment_id", ""),
    "production": ("production", "record_id", " AND voided = 0"),
}
TARGET_HELP = "maintenance:ID, incident:ID, equipment:ID, well:API (or well:ID), production:ID"


@dataclass(frozen=True, slots=True)
class PhotoTarget:
    """A record a photo is attached to, as the user named it (`ref`: an id, or a well's API)."""

    kind: str
    ref: str

    @classmethod
    def parse(cls, text: str) -> PhotoTarget:
        kind, sep, ref = text.strip().partition(":")
        kind, ref = kind.strip().casefold(), ref.strip()
        if not sep or not ref or kind not in TARGET_KINDS:
            raise UnknownRecordError(f"'{text}' is not a photo target: use {TARGET_HELP}")
        return cls(kind, ref)

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


@dataclass(frozen=True, slots=True)
class ResolvedTarget:
    """The record itself: its kind (the contract's `target_type`) and its id."""

    target_type: str
    target_id: str

    def __str__(self) -> str:
        return f"{self.target_type}:{self.target_id}"


def resolve_target(conn: Connection, target: PhotoTarget | ResolvedTarget) -> ResolvedTarget:
    """The record `target` names on this laptop, or UnknownRecordError/UnknownWellError."""
    if isinstance(target, ResolvedTarget):
        target = PhotoTarget(target.target_type, target.target_id)
    if target.kind == "well":
        well = get_well(conn, target.ref) if _is_uuid(target.ref) else well_by_api(conn, target.ref)
        return ResolvedTarget("well", well.well_id)
    table, key, live = _TABLES[target.kind]
    found = conn.exec_driver_sql(
        f"SELECT {key} FROM {table} WHERE {key} = ?{live}", (target.ref,)
    ).first()
    if found is None:
        raise UnknownRecordError(f"unknown {target.kind} {target.ref}")
    return ResolvedTarget(target.kind, str(found[0]))


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
