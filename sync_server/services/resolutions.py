"""`conflict.resolved`: a person chose which value of a conflict stands.

In a conflict notice, `mine` holds the values of the event that raised the conflict and
`theirs` the server's values it collided with. A resolution keeps one side (`keep`), or gives
the chosen `values` outright (a subset of the conflict's fields). The chosen values are written
to the record as a new version when they differ from the current ones, the conflict is closed
with the resolution and a new server seq so every device pulls it, and the audit log says who
decided. Any role of the organization may resolve; a conflict already resolved, unknown, or of
another record is rejected with that reason. A conflict of a record voided since is closed
with nothing written.
"""

from __future__ import annotations

from typing import Any

from shared.contracts import ConflictResolved
from sync_server.services.batch import Batch, Outcome
from sync_server.services.batch_state import Checked, ConflictRow
from sync_server.services.checks import Rejected, checked_changes, reason
from sync_server.services.production import remember, validator


def conflict_resolved(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, ConflictResolved)
    conflict = batch.state.conflicts.get(p.conflict_id)
    if conflict is None:
        raise Rejected(reason("unknown_conflict", f"no conflict {p.conflict_id}", "conflict_id"))
    if conflict.status != "open":
        kept = (conflict.resolution or {}).get("keep", "?")
        raise Rejected(
            reason(
                "conflict_already_resolved",
                f"conflict {conflict.id} was already resolved (kept {kept})",
                "conflict_id",
            )
        )
    record = batch.state.record(conflict.aggregate_id)
    if record is None or record.kind != conflict.aggregate_type:
        raise Rejected(reason("unknown_record", f"no record {conflict.aggregate_id}"))
    if batch.state.record(item.envelope.aggregate_id) is not record:
        raise Rejected(reason("record_mismatch", "aggregate_id is not the conflict's record"))
    if record.deleted:  # voided since: nothing to write, but the conflict can be closed
        return _close(batch, item, conflict, {}, record.version, batch.take_seq())
    chosen: dict[str, Any] = dict(p.values) or (
        conflict.mine if p.keep == "mine" else conflict.theirs
    )
    stray = sorted(set(chosen) - set(conflict.fields))
    if stray:
        raise Rejected(
            reason("resolution_fields", f"not fields of the conflict: {stray}", "values")
        )
    chosen = checked_changes(conflict.aggregate_type, chosen, "values")
    write = {k: v for k, v in chosen.items() if record.values.get(k) != v}
    values = {**record.values, **write}
    extra = validator(batch)(record, values) if write and record.kind == "production" else {}
    seq = batch.take_seq()
    if write:
        batch.new_version(record, values, sorted(write), seq, extra)
        if record.kind == "production":
            remember(batch, record)
    return _close(batch, item, conflict, chosen, record.version, seq)


def _close(
    batch: Batch,
    item: Checked,
    conflict: ConflictRow,
    chosen: dict[str, Any],
    version: int,
    seq: int,
) -> Outcome:
    """Mark the conflict resolved (pulled again at a new seq) and audit who decided."""
    p = item.payload
    assert isinstance(p, ConflictResolved)
    conflict.status, conflict.dirty, conflict.server_seq = "resolved", True, batch.take_seq()
    conflict.resolution = {
        "keep": p.keep,
        "values": chosen,
        "event_id": str(item.envelope.event_id),
        "device_id": str(batch.ctx.device_id),
        "user_id": str(batch.ctx.user_id),
        "version": version,
    }
    conflict.extra["resolved_by"] = batch.ctx.user_id
    batch.audit("conflict.resolve", f"conflict:{conflict.id}", conflict.resolution)
    return Outcome("accepted", version, seq)
