"""Checks of one pushed event before it is applied: envelope, hash, signature, chain, payload
contract and the shared validation rules (errors reject; warnings become flags)."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from shared.contracts import (
    Contract,
    EquipmentChanges,
    EventEnvelope,
    PhotoChanges,
    ProductionChanges,
    Reason,
    parse_payload,
)
from shared.events import UNSIGNED_FIELDS, canonical_json, signature_is_valid
from shared.geo import LocationLike, Point
from shared.records import production_input
from shared.validation import Issue, Thresholds, WellHistory, validate_production


class Rejected(Exception):
    def __init__(self, *reasons: Reason) -> None:
        super().__init__("; ".join(r.message for r in reasons))
        self.reasons = list(reasons)


def reason(rule: str, message: str, field: str = "") -> Reason:
    """A reason as stored in jsonb (a NUL, which text cannot hold, is shown as \\0)."""
    return Reason(
        rule=rule, field=field.replace("\x00", "\\0"), message=message.replace("\x00", "\\0")
    )


def _anywhere(value: Any, found: Callable[[Any], bool]) -> bool:
    """`found` holds for a key or a leaf anywhere in this JSON value."""
    if isinstance(value, dict):
        return any(found(k) or _anywhere(v, found) for k, v in value.items())
    if isinstance(value, list):
        return any(_anywhere(v, found) for v in value)
    return found(value)


def _nul(leaf: Any) -> bool:  # Postgres text cannot hold one
    return isinstance(leaf, str) and "\x00" in leaf


def _non_finite(
    leaf: Any,
) -> bool:  # the request parser lets NaN/Infinity through; JSON has neither
    return isinstance(leaf, float) and not math.isfinite(leaf)


def _digest(raw: dict[str, Any]) -> tuple[str, list[Reason]]:
    """The event's hash (docs/design.md §3) and what it holds that storage cannot, from one
    canonical
    encoding: it writes a NUL as its escape and NaN/Infinity as such (text merely showing
    those is told apart by a walk of the event, done only then)."""
    body = canonical_json({k: v for k, v in raw.items() if k not in UNSIGNED_FIELDS})
    problems = []
    if b"\\u0000" in body and _anywhere(raw, _nul):
        problems.append(reason("nul_character", "text fields may not contain a NUL character"))
    if (b"NaN" in body or b"Infinity" in body) and _anywhere(raw, _non_finite):
        problems.append(reason("non_finite", "numbers must be finite (no NaN or Infinity)"))
    return hashlib.sha256(body).hexdigest(), problems


def check_envelope(
    raw: dict[str, Any], *, org_id: UUID, device_id: UUID, secret: str, prev_hash: str
) -> tuple[EventEnvelope, Contract]:
    """The parsed envelope and payload, or Rejected naming everything wrong with them."""
    try:
        envelope = EventEnvelope.model_validate(raw)
    except ValidationError as exc:
        raise Rejected(
            *(
                reason("envelope", e["msg"], ".".join(str(p) for p in e["loc"]))
                for e in exc.errors()
            )
        ) from None
    problems = []
    digest, unstorable = _digest(raw)
    problems.extend(unstorable)
    if envelope.org_id != org_id or envelope.device_id != device_id:
        problems.append(reason("identity", "org_id/device_id are not the caller's"))
    if digest != envelope.hash:
        problems.append(reason("hash", "hash does not match the event as sent", "hash"))
    elif not signature_is_valid(raw, secret):
        problems.append(reason("signature", "signature does not match the device", "signature"))
    if envelope.prev_hash != prev_hash:
        problems.append(reason("chain", "prev_hash does not continue this device's chain"))
    payload: Contract | None = None
    try:
        payload = parse_payload(envelope.event_type, envelope.payload)
    except ValidationError as exc:
        problems.extend(
            reason("payload", e["msg"], ".".join(str(p) for p in e["loc"])) for e in exc.errors()
        )
    if problems or payload is None:
        raise Rejected(*problems)
    return envelope, payload


def production_issues(
    values: dict[str, Any],
    day: date,
    *,
    today: date,
    history: WellHistory,
    rules: Thresholds,
    well: Point | None = None,
    location: LocationLike | None = None,
) -> list[Issue]:
    """The shared rules on a record's full values (the geofence too, given the well's (lat, lon)
    and the entry's location); Rejected when any is an error."""
    issues = validate_production(
        production_input(day, values, well=well, location=location),
        today=today,
        history=history,
        thresholds=rules,
    )
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise Rejected(*(reason(i.rule, i.message, i.field) for i in errors))
    return issues


REQUIRED_FIELDS = {  # fields a record always has: a change may not clear them
    "production": ("oil_bbl", "gas_mcf", "water_bbl", "notes"),
    "equipment": ("equipment_type", "status", "manufacturer", "model", "serial_number", "notes"),
    "photo": ("caption",),
}
CHANGE_MODELS: dict[str, type[Contract]] = {
    "production": ProductionChanges,
    "equipment": EquipmentChanges,
    "photo": PhotoChanges,
}


def checked_changes(kind: str, changes: dict[str, Any], where: str) -> dict[str, Any]:
    """`changes` to a record of `kind` as the contract's JSON values, or Rejected: off the
    contract (checked strictly, as JSON), or clearing a field the record must have."""
    try:
        model = CHANGE_MODELS[kind].model_validate_json(json.dumps(changes), strict=True)
    except ValidationError as exc:  # `changes` came from JSON, so it always serializes
        raise Rejected(
            *(
                reason("payload", e["msg"], ".".join((where, *map(str, e["loc"]))))
                for e in exc.errors()
            )
        ) from None
    values = model.model_dump(mode="json", exclude_unset=True)
    cleared = [k for k in REQUIRED_FIELDS[kind] if k in values and values[k] is None]
    if cleared:
        raise Rejected(*(reason("required", f"{k} may not be cleared", k) for k in cleared))
    return values
