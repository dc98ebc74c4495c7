"""Applying a screened batch in memory, event by event in device_seq order.

For each event, its handler validates it against the batch's state and returns its `Effect`
(or raises `Rejected`, and nothing changed); `stage` then writes the effect into the state (so
later events of the batch see it) and into the rows `writes.flush` sends, and gives it its
server seqs: the event's first (its record's version is written at it), then one for a
conflict it raises or closes, or for the well row it writes. Seqs are per organization, taken
from the org's last seq under the org row lock that ingest holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from shared.contracts import EventResult, EventType
from shared.records import day_volumes
from sync_server.services import production, record_events
from sync_server.services.batch_state import BatchState, ConflictRow, Record, Written
from sync_server.services.checks import Rejected
from sync_server.services.effects import Clash, Closing, Context, Effect, Version
from sync_server.services.resolutions import conflict_resolved
from sync_server.services.screening import Answer, Checked
from sync_server.services.tables import Row
from sync_server.services.writes import Rows, to_json

Handler = Callable[[Context, BatchState, Checked], Effect]

HANDLERS: dict[EventType, Handler] = {
    EventType.PRODUCTION_RECORDED: production.recorded,
    EventType.PRODUCTION_CORRECTED: production.corrected,
    EventType.PRODUCTION_VOIDED: production.voided,
    EventType.EQUIPMENT_ADDED: record_events.equipment_added,
    EventType.EQUIPMENT_UPDATED: record_events.equipment_updated,
    EventType.MAINTENANCE_LOGGED: record_events.maintenance_logged,
    EventType.INCIDENT_REPORTED: record_events.incident_reported,
    EventType.PHOTO_ATTACHED: record_events.photo_attached,
    EventType.PHOTO_UPDATED: record_events.photo_updated,
    EventType.PHOTO_REMOVED: record_events.photo_removed,
    EventType.WELL_REGISTERED: record_events.well_registered,
    EventType.WELL_UPDATED: record_events.well_updated,
    EventType.CONFLICT_RESOLVED: conflict_resolved,
}


@dataclass(slots=True)
class Applied:
    """Each applied event's answer, the rows to write, and the org's last server seq."""

    answers: dict[str, Answer] = field(default_factory=dict)
    rows: Rows = field(default_factory=Rows)
    last_seq: int = 0


def apply_events(ctx: Context, state: BatchState, items: list[Checked], last_seq: int) -> Applied:
    applied = Applied(last_seq=last_seq)
    for item in items:
        event_id = str(item.envelope.event_id)
        try:
            effect = HANDLERS[item.envelope.event_type](ctx, state, item)
        except Rejected as exc:
            applied.answers[event_id] = exc.reasons
            continue
        result, applied.last_seq = stage(ctx, state, applied.rows, item, effect, applied.last_seq)
        applied.answers[event_id] = result
    return applied


def stage(
    ctx: Context, state: BatchState, rows: Rows, item: Checked, effect: Effect, seq: int
) -> tuple[EventResult, int]:
    """Write `effect` into the state and the rows; the event's result and the last seq taken."""
    event_seq = seq = seq + 1
    version: int | None = None
    conflict_id: UUID | None = None
    record = effect.record
    if record is not None:
        if effect.created:
            _create(ctx, state, rows, item, record, event_seq)
        if effect.clash is not None:  # raised against the version before this change
            seq += 1
            conflict_id = _raise(ctx, state, item, record, effect.clash, seq)
        if effect.version is not None:
            _new_version(ctx, state, rows, item, record, effect.version, event_seq)
        if effect.alias is not None:
            state.aliases[effect.alias] = record.id
            rows.aliases.append({"alias_id": effect.alias, "production_id": record.id})
        if effect.closing is not None:
            seq += 1
            _close(ctx, rows, item, effect.closing, record.version, seq)
        version = record.version
    if effect.well is not None:
        seq += 1  # the well row's own seq: it is pulled apart from the event
        version = _well(state, rows, effect.well, seq)
    rows.events.append(_event_row(item, event_seq, version))
    result = EventResult(
        event_id=str(item.envelope.event_id),
        status="conflict" if conflict_id else "accepted",
        server_seq=event_seq,
        version=version,
        merged=effect.merged or None,
        conflict_id=conflict_id,
    )
    return result, seq


def _event_row(item: Checked, seq: int, version: int | None) -> Row:
    e = item.envelope
    return {
        "server_seq": seq,
        "event_id": e.event_id,
        "device_id": e.device_id,
        "device_seq": e.device_seq,
        "event_type": str(e.event_type),
        "aggregate_id": e.aggregate_id,
        "base_version": e.base_version,
        "result_version": version,
        "hash": e.hash,
        "envelope": to_json(item.raw),
    }


def _well(state: BatchState, rows: Rows, well: dict[str, Any], seq: int) -> int:
    written = {**well, "server_seq": seq}
    state.wells[written["id"]] = written
    state.api_numbers.add(written["api_number"])
    rows.wells.append(written)
    return int(written["version"])


def _version_row(
    ctx: Context, rows: Rows, item: Checked, record: Record, fields: list[str]
) -> None:
    """The version the record is now at, and what it changed, for the versions table and for
    the merges of later events of the batch."""
    event_id = item.envelope.event_id
    row = {
        "record_id": record.id,
        "version": record.version,
        "event_id": event_id,
        "device_id": ctx.device_id,
        "user_id": ctx.user_id,
        "fields": to_json(fields),
        "values": to_json(record.values),
    }
    (rows.production_versions if record.kind == "production" else rows.record_versions).append(row)
    record.history.append(
        Written(
            version=record.version,
            fields=tuple(fields),
            device_id=ctx.device_id,
            event_id=event_id,
        )
    )


def _create(
    ctx: Context, state: BatchState, rows: Rows, item: Checked, record: Record, seq: int
) -> None:
    record.version, record.server_seq = 1, seq
    record.is_new = record.dirty = True
    state.records[record.id] = record
    _version_row(ctx, rows, item, record, sorted(record.values))
    if record.kind == "production":
        assert record.well_id is not None and record.day is not None
        state.by_day[(record.well_id, record.day)] = record.id
        _remember(state, record, ctx.rules.history_days)


def _new_version(
    ctx: Context,
    state: BatchState,
    rows: Rows,
    item: Checked,
    record: Record,
    version: Version,
    seq: int,
) -> None:
    record.values, record.version, record.server_seq = version.values, record.version + 1, seq
    record.dirty = True
    if version.quality is not None:
        record.quality_score, record.flags = version.quality.score, version.quality.flags
    if version.deleted:
        record.deleted = True
        if record.well_id is not None and record.day is not None:
            state.by_day.pop((record.well_id, record.day), None)
    _version_row(ctx, rows, item, record, list(version.changed))
    if record.kind == "production":
        _remember(state, record, ctx.rules.history_days)


def _raise(
    ctx: Context, state: BatchState, item: Checked, record: Record, clash: Clash, seq: int
) -> UUID:
    """Both versions of the overlapping fields, kept open until a conflict.resolved."""
    conflict = ConflictRow(
        id=uuid4(),
        aggregate_id=record.id,
        aggregate_type=record.kind,
        event_id=item.envelope.event_id,
        device_id=ctx.device_id,
        base_version=clash.base_version,
        server_version=clash.server_version,
        fields=sorted(clash.mine),
        mine=clash.mine,
        theirs=clash.theirs,
        policy=ctx.policy,
        status="open",
        server_seq=seq,
        is_new=True,
        dirty=True,
    )
    state.conflicts[conflict.id] = conflict
    return conflict.id


def _close(
    ctx: Context, rows: Rows, item: Checked, closing: Closing, version: int, seq: int
) -> None:
    """Mark the conflict resolved (pulled again at a new seq) and audit who decided."""
    conflict = closing.conflict
    conflict.status, conflict.dirty, conflict.server_seq = "resolved", True, seq
    conflict.resolution = {
        "keep": closing.keep,
        "values": closing.values,
        "event_id": str(item.envelope.event_id),
        "device_id": str(ctx.device_id),
        "user_id": str(ctx.user_id),
        "version": version,
    }
    conflict.resolved_by = ctx.user_id
    rows.audit.append(
        {
            "actor_id": ctx.user_id,
            "action": "conflict.resolve",
            "target": f"conflict:{conflict.id}",
            "details": to_json(conflict.resolution),
        }
    )


def _remember(state: BatchState, record: Record, window_days: int) -> None:
    """Keep the well's history current for the validation of later events of the batch."""
    assert record.well_id is not None and record.day is not None
    history = state.kept_history(record.well_id, window_days)
    if record.deleted:
        history.discard(record.day)
    else:
        history.add(day_volumes(record.day, record.values))
