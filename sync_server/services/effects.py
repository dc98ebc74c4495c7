"""What one pushed event does, as plain data: the `Effect` its handler returns.

A handler (`production`, `record_events`, `resolutions`) reads the request's `Context` and the
batch's `BatchState`, checks the event (raising `Rejected` before anything changed), detects
whether a change conflicts (`change`, over `merge.decide`), validates the values it would
write, and returns an `Effect`. It changes nothing: `apply.stage` alone writes an effect into
the state and the rows to flush, and gives it its server seqs. (The effects are built once per
event and never changed; they are not frozen only because frozen dataclasses are several times
slower to make, which a 500-event batch would feel.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from shared.validation import Thresholds
from sync_server.services.batch_state import BatchState, ConflictRow, Record
from sync_server.services.checks import Rejected, reason
from sync_server.services.merge import changed_since, decide


@dataclass(frozen=True, slots=True)
class Context:
    """Who pushed, and the organization's rules for it."""

    org_id: UUID
    user_id: UUID
    device_id: UUID
    role: str
    policy: str  # last_write_wins | manual
    today: date  # in the organization's time zone
    rules: Thresholds


@dataclass(slots=True)
class Quality:
    """A production record's quality, from the shared rules' warnings and infos."""

    score: int
    flags: list[dict[str, str]]


@dataclass(slots=True)
class Version:
    """A record's next version: all its values after the event, and the fields that changed."""

    values: dict[str, Any]
    changed: tuple[str, ...]
    quality: Quality | None = None  # production: of these values (None: it stays)
    deleted: bool = False  # voided


@dataclass(slots=True)
class Clash:
    """A change that overlaps changes made on the server since its base (docs/sync-protocol.md)."""

    mine: dict[str, Any]  # the incoming values of the overlapping fields
    theirs: dict[str, Any]  # the server's values they collided with
    base_version: int
    server_version: int  # the record's version when the change arrived


@dataclass(slots=True)
class Closing:
    """A conflict resolved: the side kept and the values chosen for it."""

    conflict: ConflictRow
    keep: str
    values: dict[str, Any]


@dataclass(slots=True)
class Effect:
    record: Record | None = None  # the record created (at version 1) or changed
    created: bool = False
    version: Version | None = None  # what a changed record becomes (None: it stays)
    merged: bool = False  # applied on top of server changes the device had not seen
    clash: Clash | None = None  # a conflict to raise
    alias: UUID | None = None  # an id that becomes an alias of `record`
    closing: Closing | None = None  # a conflict this event resolves
    well: dict[str, Any] | None = None  # a well registered or updated (with its version)


def change(ctx: Context, record: Record, base_version: int, changes: dict[str, Any]) -> Effect:
    """A change made against `base_version`: applied, merged, or a conflict
    (docs/sync-protocol.md)."""
    if base_version > record.version:
        ahead = f"base_version {base_version} is past the record's version {record.version}"
        raise Rejected(reason("base_version", ahead, "base_version"))
    d = decide(
        record.values,
        record.version,
        base_version,
        changes,
        changed_since(record.history, base_version, ctx.device_id),
        ctx.policy,
    )
    return Effect(
        record,
        version=Version({**record.values, **d.write}, tuple(sorted(d.write))) if d.write else None,
        merged=d.merged,
        clash=Clash(d.mine, d.theirs, base_version, record.version) if d.conflict else None,
    )


def live(state: BatchState, aggregate_id: UUID, kind: str) -> Record:
    """The live record of `kind` for an id (or alias), else Rejected."""
    record = state.record(aggregate_id)
    if record is None or record.deleted or record.kind != kind:
        raise Rejected(reason(f"unknown_{kind}", f"no live {kind} record {aggregate_id}"))
    return record


def require_new(state: BatchState, aggregate_id: UUID) -> None:
    if state.record(aggregate_id) is not None:
        raise Rejected(reason("aggregate_exists", f"record {aggregate_id} already exists"))


def require_well(state: BatchState, well_id: UUID | None) -> None:
    if well_id is not None and well_id not in state.wells:
        raise Rejected(reason("unknown_well", f"unknown well {well_id}", "well_id"))
