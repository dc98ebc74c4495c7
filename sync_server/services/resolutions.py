"""`conflict.resolved`: a person chose which value of a conflict stands.

In a conflict notice, `mine` holds the values of the event that raised the conflict and
`theirs` the server's values it collided with. A resolution keeps one side (`keep`), or gives
the chosen `values` outright (a subset of the conflict's fields). The chosen values are written
to the record as a new version when they differ from the current ones, the conflict is closed
with the resolution and a new server seq so every device pulls it, and the audit log says who
decided. Any role of the organization may resolve; a conflict already resolved, unknown, or of
another record is rejected with that reason. A conflict of a record voided since is closed
with nothing written.

A resolution made on a stale view is refused (`stale_resolution`): when a field of the
conflict was changed by a version the resolving device had not seen (newer than both the
version the conflict was raised at and the event's base version, and written neither by the
event that raised the conflict nor by that device), the chosen side would silently overwrite
the newer value. The reason names the fields and their current values; the device pulls them
and resolves again (its base version is then the current one).
"""

from __future__ import annotations

import json
from typing import Any

from shared.contracts import ConflictResolved
from sync_server.services.batch_state import BatchState, ConflictRow, Record
from sync_server.services.checks import Rejected, checked_changes, reason
from sync_server.services.effects import Closing, Context, Effect, Version
from sync_server.services.merge import changed_since
from sync_server.services.production import quality_of
from sync_server.services.screening import Checked


def conflict_resolved(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, ConflictResolved)
    conflict = _open_conflict(state, p)
    record = state.record(conflict.aggregate_id)
    if record is None or record.kind != conflict.aggregate_type:
        raise Rejected(reason("unknown_record", f"no record {conflict.aggregate_id}"))
    if state.record(item.envelope.aggregate_id) is not record:
        raise Rejected(reason("record_mismatch", "aggregate_id is not the conflict's record"))
    if record.deleted:  # voided since: nothing to write, but the conflict can be closed
        return Effect(record, closing=Closing(conflict, p.keep, {}))
    _refuse_if_stale(ctx, conflict, record, item.envelope.base_version)
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
    closing = Closing(conflict, p.keep, chosen)
    if not write:
        return Effect(record, closing=closing)
    version = Version({**record.values, **write}, tuple(sorted(write)))
    if record.kind == "production":
        version = quality_of(ctx, state, record, version)
    return Effect(record, version=version, closing=closing)


def _open_conflict(state: BatchState, p: ConflictResolved) -> ConflictRow:
    conflict = state.conflicts.get(p.conflict_id)
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
    return conflict


def unseen_changes(
    ctx: Context, conflict: ConflictRow, record: Record, base_version: int
) -> list[str]:
    """The conflict's fields changed by versions the resolving device had not seen."""
    seen = max(conflict.server_version, base_version)
    since = [w for w in record.history if w.event_id != conflict.event_id]
    return sorted(changed_since(since, seen, ctx.device_id) & set(conflict.fields))


def _refuse_if_stale(
    ctx: Context, conflict: ConflictRow, record: Record, base_version: int
) -> None:
    fields = unseen_changes(ctx, conflict, record, base_version)
    if not fields:
        return
    now = ", ".join(f"{k} is now {json.dumps(record.values.get(k), default=str)}" for k in fields)
    raise Rejected(
        reason(
            "stale_resolution",
            f"{now} (version {record.version}): the record changed after this conflict was"
            " raised; sync to see the current values and resolve the conflict again",
            fields[0],
        )
    )
