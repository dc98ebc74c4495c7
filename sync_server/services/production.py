"""Production events on the server: a well-day recorded, corrected or voided (docs/design.md §3,
docs/sync-protocol.md).

Every value a record ends up with is checked by the shared rules against the well's trailing
history (`quality`: errors reject the event; warnings become flags and a quality score). A
second `production.recorded` for a well-day that already has a live record is a change with
base version 0 against it, and its aggregate id becomes an alias of the first record.

Each handler reads the request's context and the batch's state and returns the event's
`Effect`; `apply.stage` writes it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID

from shared.contracts import ProductionCorrected, ProductionRecorded, ProductionVoided
from shared.geo import LocationLike, Point, point_of
from shared.records import PRODUCTION_VALUE_FIELDS, issues_to_json
from shared.validation import Thresholds, WellHistory, quality_score
from sync_server.services.batch_state import BatchState, Record
from sync_server.services.checks import Rejected, checked_changes, production_issues, reason
from sync_server.services.effects import (
    Context,
    Effect,
    Quality,
    Version,
    change,
    live,
    require_new,
    require_well,
)
from sync_server.services.screening import Checked


def quality(
    values: dict[str, Any],
    day: date,
    *,
    today: date,
    history: WellHistory,
    rules: Thresholds,
    well: Point | None = None,
    location: LocationLike | None = None,
) -> Quality:
    """The quality of a record's values against its well's history (and, with the well's
    coordinates and the entry's location, the geofence); Rejected on an error."""
    issues = production_issues(
        values, day, today=today, history=history, rules=rules, well=well, location=location
    )
    return Quality(quality_score(issues), issues_to_json(issues))


def well_point(state: BatchState, well_id: UUID | None) -> Point | None:
    """The well's (lat, lon) as the batch read it; None when unknown or without coordinates."""
    well = state.wells.get(well_id) if well_id is not None else None
    return point_of(well)  # its `latitude` and `longitude`


def quality_of(ctx: Context, state: BatchState, record: Record, version: Version) -> Version:
    """`version` with the quality of its values (a production record's next version); the
    record's location stays, so the geofence is checked again."""
    assert record.well_id is not None and record.day is not None
    history = state.history(record.well_id, ctx.rules.history_days)
    found = quality(
        version.values,
        record.day,
        today=ctx.today,
        history=history,
        rules=ctx.rules,
        well=well_point(state, record.well_id),
        location=record.location,
    )
    return replace(version, quality=found)


def _validated_change(
    ctx: Context, state: BatchState, record: Record, base_version: int, changes: dict[str, Any]
) -> Effect:
    effect = change(ctx, record, base_version, changes)
    if effect.version is None:
        return effect
    return replace(effect, version=quality_of(ctx, state, record, effect.version))


def recorded(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, ProductionRecorded)
    aggregate_id = item.envelope.aggregate_id
    require_well(state, p.well_id)
    values = {name: getattr(p, name) for name in PRODUCTION_VALUE_FIELDS}
    existing = state.by_day.get((p.well_id, p.production_date))
    if existing is not None:  # recorded again: a change against version 0 of the one that stands
        effect = _validated_change(ctx, state, state.records[existing], 0, values)
        return replace(effect, alias=aggregate_id) if aggregate_id != existing else effect
    require_new(state, aggregate_id)
    history = state.history(p.well_id, ctx.rules.history_days)
    found = quality(
        values,
        p.production_date,
        today=ctx.today,
        history=history,
        rules=ctx.rules,
        well=well_point(state, p.well_id),
        location=p.location,
    )
    record = Record(
        id=aggregate_id,
        kind="production",
        well_id=p.well_id,
        day=p.production_date,
        values=values,
        version=1,
        entry_method=str(p.entry_method),
        location=p.location.model_dump() if p.location else None,
        quality_score=found.score,
        flags=found.flags,
    )
    return Effect(record, created=True)


def _same_day(record: Record, well_id: UUID, day: date) -> None:
    if (record.well_id, record.day) != (well_id, day):
        raise Rejected(reason("record_mismatch", f"record {record.id} is not of this well and day"))


def corrected(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, ProductionCorrected)
    record = live(state, item.envelope.aggregate_id, "production")
    _same_day(record, p.well_id, p.production_date)
    changes = checked_changes("production", item.raw["payload"]["changes"], "changes")
    return _validated_change(ctx, state, record, item.envelope.base_version, changes)


def voided(ctx: Context, state: BatchState, item: Checked) -> Effect:
    p = item.payload
    assert isinstance(p, ProductionVoided)
    record = live(state, item.envelope.aggregate_id, "production")
    _same_day(record, p.well_id, p.production_date)
    return Effect(record, version=Version(record.values, ("deleted",), deleted=True))
