"""The record's history beside the Production form: each version in words, newest first.

Qt-free: `fieldapp.core.record_history` says what each version is (kind, time, device, sync
state, changed fields); this module says it as the operator reads it, in their units, in
words rather than colours ("Version 2: Corrected, 07 Dec 2026 10:47 UTC, this device (not
synced yet)", then one line per changed field).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from fieldapp.core.record_history import EventKind, FieldChange, RecordVersion, SyncState
from fieldapp.ui import week_state as ws
from shared.units import UnitSystem

KIND_WORDS: dict[EventKind, str] = {
    "recorded": "Recorded",
    "corrected": "Corrected",
    "voided": "Voided",
}
SYNC_WORDS: dict[SyncState, str] = {
    "confirmed": "synced",
    "pending": "not synced yet",
    "rejected": "rejected",
}
NOT_RECORDED = "Not recorded yet: the first save makes version 1."


def change_text(change: FieldChange, units: UnitSystem) -> str:
    """ "Oil: 100 bbl → 110 bbl": a changed field, its values in the operator's units."""
    spec = ws.FIELDS.get(change.field)
    label = spec.label if spec else change.field.replace("_", " ").capitalize()

    def shown(value: Any) -> str:
        if value is None or value == "":
            return "blank"
        if spec is None:
            return ws.REASON_LABELS.get(str(value), str(value))
        return f"{ws.display_text(change.field, value, units)} {ws.unit_label(change.field, units)}"

    return f"{label}: {shown(change.old)} → {shown(change.new)}"


def version_text(version: RecordVersion, units: UnitSystem) -> str:
    """One history entry as the operator reads it (words, not colours)."""
    when = "time not known"
    if version.when:
        moment = datetime.fromisoformat(version.when.replace("Z", "+00:00")).astimezone(UTC)
        when = f"{moment:%d %b %Y %H:%M} UTC"
    who = "this device" if version.this_device else f"device {(version.device_id or '?')[:8]}"
    head = (
        f"Version {version.number}: {KIND_WORDS[version.kind]}, {when}, {who}"
        f" ({SYNC_WORDS[version.sync]})"
    )
    lines = [head, *(f"   {change_text(c, units)}" for c in version.changes)]
    if version.reason:
        lines.append(f"   Reason: {version.reason}")
    return "\n".join(lines)


def history_lines(versions: Sequence[RecordVersion], units: UnitSystem) -> list[str]:
    """The history list's entries, newest first (a record not saved yet says so)."""
    if not versions:
        return [NOT_RECORDED]
    return [version_text(version, units) for version in reversed(versions)]
