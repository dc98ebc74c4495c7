"""Applying one device's batch in memory: versions, merges, conflicts and server seqs.

`Batch` holds the request's context, the state read for it and the rows it will write. Every
applier checks first and raises `Rejected` before it changes anything, then takes the next
server seq (per organization, under the org row lock that ingest holds) and records its effects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from shared.contracts import EventResult
from shared.validation import Thresholds
from sync_server.services.batch_state import BatchState, Checked, ConflictRow, Record
from sync_server.services.checks import Rejected, reason
from sync_server.services.merge import changed_since, decide
from sync_server.services.writes import WriteSet, to_json

# (values after the change) -> extra columns to store with them (production: score, flags);
# raises Rejected when the values break an error rule
Validator = Callable[[Record, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Context:
    org_id: UUID
    user_id: UUID
    device_id: UUID
    role: str
    policy: str  # last_write_wins | manual
    today: date
    rules: Thresholds


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # accepted | conflict
    version: int | None
    server_seq: int
    merged: bool = False
    conflict_id: UUID | None = None


class Batch:
    def __init__(self, ctx: Context, state: BatchState, last_seq: int) -> None:
        self.ctx = ctx
        self.state = state
        self.seq = last_seq
        self.writes = WriteSet()
        self.item: Checked | None = None  # the event being applied

    @property
    def event_id(self) -> UUID:
        assert self.item is not None
        return self.item.envelope.event_id

    def take_seq(self) -> int:
        self.seq += 1
        return self.seq

    def store_event(self, item: Checked, outcome: Outcome, raw_json: str) -> EventResult:
        e = item.envelope
        self.writes.events.append(
            (
                outcome.server_seq,
                e.event_id,
                e.device_id,
                e.device_seq,
                str(e.event_type),
                e.aggregate_id,
                e.base_version,
                outcome.version,
                e.hash,
                raw_json,
            )
        )
        return EventResult(
            event_id=str(e.event_id),
            status="conflict" if outcome.status == "conflict" else "accepted",
            server_seq=outcome.server_seq,
            version=outcome.version,
            merged=outcome.merged or None,
            conflict_id=outcome.conflict_id,
        )

    def live(self, aggregate_id: UUID, kind: str) -> Record:
        """The live record of `kind` for an id (or alias), else Rejected."""
        record = self.state.record(aggregate_id)
        if record is None or record.deleted or record.kind != kind:
            raise Rejected(reason(f"unknown_{kind}", f"no live {kind} record {aggregate_id}"))
        return record

    def require_new(self, aggregate_id: UUID) -> None:
        if self.state.record(aggregate_id) is not None:
            raise Rejected(reason("aggregate_exists", f"record {aggregate_id} already exists"))

    def require_well(self, well_id: UUID | None) -> None:
        if well_id is not None and well_id not in self.state.wells:
            raise Rejected(reason("unknown_well", f"unknown well {well_id}", "well_id"))

    def version_row(self, record: Record, fields: list[str]) -> None:
        row = (
            record.id,
            record.version,
            self.event_id,
            self.ctx.device_id,
            self.ctx.user_id,
            to_json(fields),
            to_json(record.values),
        )
        rows = (
            self.writes.versions if record.kind == "production" else self.writes.aggregate_versions
        )
        rows.append(row)
        record.history.append((record.version, tuple(fields), self.ctx.device_id))

    def new_version(
        self,
        record: Record,
        values: dict[str, Any],
        changed: list[str],
        seq: int,
        extra: dict[str, Any],
    ) -> None:
        """The record takes `values` as its next version, written at server seq `seq`."""
        record.values, record.version, record.server_seq = values, record.version + 1, seq
        record.dirty = True
        record.extra.update(extra)
        self.version_row(record, changed)

    def create(self, record: Record, extra: dict[str, Any] | None = None) -> Outcome:
        """A new record at version 1 (call after every check passed)."""
        record.server_seq = self.take_seq()
        record.version, record.is_new, record.dirty = 1, True, True
        record.extra.update(extra or {})
        self.state.records[record.id] = record
        self.version_row(record, sorted(record.values))
        return Outcome("accepted", 1, record.server_seq)

    def change(
        self,
        record: Record,
        base_version: int,
        changes: dict[str, Any],
        validate: Validator | None = None,
    ) -> Outcome:
        """A change made against `base_version`: applied, merged, or a conflict (DESIGN §5)."""
        if base_version > record.version:
            ahead = f"base_version {base_version} is past the record's version {record.version}"
            raise Rejected(reason("base_version", ahead, "base_version"))
        d = decide(
            record.values,
            record.version,
            base_version,
            changes,
            changed_since(record.history, base_version, self.ctx.device_id),
            self.ctx.policy,
        )
        values = {**record.values, **d.write}
        extra = validate(record, values) if validate and d.write else {}
        seq = self.take_seq()
        conflict_id = self._conflict(record, base_version, d.mine, d.theirs) if d.conflict else None
        if d.write:
            self.new_version(record, values, sorted(d.write), seq, extra)
        status = "conflict" if conflict_id else "accepted"
        return Outcome(status, record.version, seq, merged=d.merged, conflict_id=conflict_id)

    def _conflict(
        self, record: Record, base_version: int, mine: dict[str, Any], theirs: dict[str, Any]
    ) -> UUID:
        """Both versions of the overlapping fields, kept open until a conflict.resolved."""
        conflict = ConflictRow(
            id=uuid4(),
            aggregate_id=record.id,
            aggregate_type=record.kind,
            fields=sorted(mine),
            mine=mine,
            theirs=theirs,
            status="open",
            server_seq=self.take_seq(),
            is_new=True,
            dirty=True,
            extra={
                "event_id": self.event_id,
                "device_id": self.ctx.device_id,
                "base_version": base_version,
                "server_version": record.version,
                "policy": self.ctx.policy,
            },
        )
        self.state.conflicts[conflict.id] = conflict
        return conflict.id

    def audit(self, action: str, target: str, details: dict[str, Any]) -> None:
        self.writes.audit.append((self.ctx.user_id, action, target, to_json(details)))
