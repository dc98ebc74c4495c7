"""A production record's versions: every event that recorded, corrected or voided it.

`versions_of` reads what the server confirmed (from any device) and this device's events it
has not confirmed yet, and says for each what it changed, when, by whom and whether the
server has it. Domain data only: how a version reads on screen is `fieldapp.ui.history_state`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection

from shared.records import PRODUCTION_VALUE_FIELDS

EventKind = Literal["recorded", "corrected", "voided"]
SyncState = Literal["confirmed", "pending", "rejected"]
_KINDS: dict[str, EventKind] = {
    "production.recorded": "recorded",
    "production.corrected": "corrected",
    "production.voided": "voided",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class RecordVersion:
    """One event of a record: what it changed, when, by whom, and whether the server has it."""

    number: int  # 1 = the first recording
    kind: EventKind
    when: str | None  # RFC 3339 UTC as the device recorded it (None: another device's event)
    device_id: str | None
    user_id: str | None
    this_device: bool
    sync: SyncState
    changes: tuple[FieldChange, ...] = ()
    reason: str = ""


def _diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    out = []
    for name in PRODUCTION_VALUE_FIELDS:
        if name not in new:
            continue
        before, after = old.get(name), new[name]
        if name == "notes":
            before, after = before or "", after or ""
        if before != after:
            out.append(FieldChange(name, before, after))
    return tuple(out)


def _record_ids(conn: Connection, record_id: str) -> list[str]:
    """The record's id and every id it is also known by (well-day aliases after a sync)."""
    target = conn.exec_driver_sql(
        "SELECT record_id FROM aliases WHERE alias_id = ?", (record_id,)
    ).first()
    main = str(target[0]) if target else record_id
    aliases = conn.exec_driver_sql("SELECT alias_id FROM aliases WHERE record_id = ?", (main,))
    return [main, *(str(a[0]) for a in aliases if str(a[0]) != main)]


def versions_of(conn: Connection, record_id: str) -> list[RecordVersion]:
    """The record's versions, oldest first: those the server confirmed (from any device), then
    this device's events it has not confirmed yet."""
    ids = _record_ids(conn, record_id)
    marks = ", ".join("?" * len(ids))
    me = conn.exec_driver_sql("SELECT value FROM store_meta WHERE key = 'device_id'").first()
    my_device = str(me[0]) if me else ""
    local = conn.exec_driver_sql(
        "SELECT e.event_id, e.body, EXISTS (SELECT 1 FROM rejections j"
        " WHERE j.device_seq = e.device_seq) FROM event_log e"
        f" WHERE e.aggregate_id IN ({marks}) ORDER BY e.device_seq",
        tuple(ids),
    ).all()
    confirmed = conn.exec_driver_sql(
        "SELECT event_id, event_type, device_id, body FROM server_changes"
        f" WHERE kind = 'event' AND record_id IN ({marks}) ORDER BY server_seq",
        tuple(ids),
    ).all()
    envelopes = {str(event_id): json.loads(body) for event_id, body, _ in local}
    versions: list[RecordVersion] = []
    state: dict[str, Any] = {}
    seen: set[str] = set()
    for event_id, event_type, device_id, body in confirmed:
        record = json.loads(body) if body else {}
        values = dict(record.get("values") or {})
        envelope = envelopes.get(str(event_id), {})
        kind = _KINDS.get(str(event_type), "corrected")
        changes = () if kind == "voided" else _diff(state, values)
        versions.append(
            _version(len(versions) + 1, kind, envelope, device_id, my_device, "confirmed", changes)
        )
        state = {**state, **values}
        seen.add(str(event_id))
    for event_id, _body, rejected in local:
        if str(event_id) in seen:
            continue
        envelope = envelopes[str(event_id)]
        local_kind = _KINDS.get(str(envelope.get("event_type")))
        if local_kind is None:
            continue
        kind = local_kind
        payload = dict(envelope.get("payload") or {})
        values = dict(payload.get("changes") or {}) if kind == "corrected" else payload
        changes = () if kind == "voided" else _diff(state, values)
        sync: SyncState = "rejected" if rejected else "pending"
        versions.append(
            _version(
                len(versions) + 1,
                kind,
                envelope,
                None,
                my_device,
                sync,
                changes,
                str(payload.get("reason") or ""),
            )
        )
        if not rejected and kind != "voided":
            state = {**state, **{k: v for k, v in values.items() if k in PRODUCTION_VALUE_FIELDS}}
    return versions


def _version(
    number: int,
    kind: EventKind,
    envelope: Mapping[str, Any],
    device_id: Any,
    my_device: str,
    sync: SyncState,
    changes: tuple[FieldChange, ...],
    reason: str = "",
) -> RecordVersion:
    device = str(envelope.get("device_id") or device_id or "") or None
    if not reason:
        reason = str((envelope.get("payload") or {}).get("reason") or "")
    return RecordVersion(
        number=number,
        kind=kind,
        when=envelope.get("recorded_at"),
        device_id=device,
        user_id=envelope.get("user_id"),
        this_device=device == my_device,
        sync=sync,
        changes=changes,
        reason=reason,
    )
