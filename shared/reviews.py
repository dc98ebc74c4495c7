"""Wire contracts of the office's review lists (docs/sync-protocol.md): conflicts and quarantined
events.

Supervisors and admins page through what needs a person: conflicts (open or resolved, both
versions kept) and the events the server rejected, kept verbatim with their reasons. Pages run
newest first; pass `before` = the last page's `next_before` to go on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from shared.contracts import Contract, Reason

ConflictStatus = Literal["open", "resolved"]


class ConflictItem(Contract):
    id: UUID
    aggregate_id: UUID
    aggregate_type: str
    event_id: UUID  # the event that raised it; `mine` are its values
    device_id: UUID | None
    fields: list[str]
    mine: dict[str, Any]
    theirs: dict[str, Any]  # the server's values it collided with
    policy: str
    status: ConflictStatus
    server_seq: int
    created_at: datetime
    resolved_at: datetime | None = None
    resolution: dict[str, Any] | None = None


class ConflictList(Contract):
    conflicts: list[ConflictItem]
    next_before: int | None  # server_seq to pass as `before` for the next page; None at the end


class QuarantinedEvent(Contract):
    id: int
    device_id: UUID
    event_id: UUID | None
    received_at: datetime
    reasons: list[Reason]
    envelope: dict[str, Any]  # as the device sent it


class QuarantineList(Contract):
    events: list[QuarantinedEvent]
    next_before: int | None  # id to pass as `before` for the next page; None at the end
