"""Production events on the server: a well-day recorded, corrected or voided (DESIGN §3, §5).

Every value a record ends up with is checked by the shared rules against the well's trailing
history (errors reject the event; warnings become flags and a quality score). A second
`production.recorded` for a well-day that already has a live record is a change with base
version 0 against it, and its aggregate id becomes an alias of the first record.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from shared.contracts import ProductionCorrected, ProductionRecorded, ProductionVoided
from shared.records import PRODUCTION_VALUE_FIELDS, issues_to_json
from shared.validation import DayVolumes, quality_score
from sync_server.services.batch import Batch, Outcome, Validator
from sync_server.services.batch_state import Checked, Record
from sync_server.services.checks import Rejected, checked_changes, production_issues, reason


def validator(batch: Batch) -> Validator:
    def check(record: Record, values: dict[str, Any]) -> dict[str, Any]:
        assert record.well_id is not None and record.day is not None
        return _quality(batch, record.well_id, record.day, values)

    return check


def _quality(batch: Batch, well_id: UUID, day: date, values: dict[str, Any]) -> dict[str, Any]:
    rules = batch.ctx.rules
    history = batch.state.history(well_id, rules.history_days)
    issues = production_issues(values, day, today=batch.ctx.today, history=history, rules=rules)
    return {"quality_score": quality_score(issues), "flags": issues_to_json(issues)}


def remember(batch: Batch, record: Record) -> None:
    """Keep the well's history current for the validation of later events of the batch."""
    assert record.well_id is not None and record.day is not None
    history = batch.state.history(record.well_id, batch.ctx.rules.history_days)
    if record.deleted:
        history.discard(record.day)
    else:
        v = record.values
        history.add(DayVolumes(record.day, v["oil_bbl"], v["gas_mcf"], v["water_bbl"]))


def recorded(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, ProductionRecorded)
    aggregate_id = item.envelope.aggregate_id
    batch.require_well(p.well_id)
    values = {name: getattr(p, name) for name in PRODUCTION_VALUE_FIELDS}
    existing = batch.state.by_day.get((p.well_id, p.production_date))
    if existing is not None:
        record = batch.state.records[existing]
        outcome = batch.change(record, 0, values, validator(batch))
        if aggregate_id != existing:
            batch.state.aliases[aggregate_id] = existing
            batch.writes.aliases.append((aggregate_id, existing))
        remember(batch, record)
        return outcome
    batch.require_new(aggregate_id)
    extra = _quality(batch, p.well_id, p.production_date, values)
    extra["entry_method"] = str(p.entry_method)
    extra["location"] = p.location.model_dump() if p.location else None
    record = Record(aggregate_id, "production", p.well_id, p.production_date, values, 1)
    outcome = batch.create(record, extra)
    batch.state.by_day[(p.well_id, p.production_date)] = aggregate_id
    remember(batch, record)
    return outcome


def _same_day(record: Record, well_id: UUID, day: date) -> None:
    if (record.well_id, record.day) != (well_id, day):
        raise Rejected(reason("record_mismatch", f"record {record.id} is not of this well and day"))


def corrected(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, ProductionCorrected)
    record = batch.live(item.envelope.aggregate_id, "production")
    _same_day(record, p.well_id, p.production_date)
    changes = checked_changes("production", item.raw["payload"]["changes"], "changes")
    outcome = batch.change(record, item.envelope.base_version, changes, validator(batch))
    remember(batch, record)
    return outcome


def voided(batch: Batch, item: Checked) -> Outcome:
    p = item.payload
    assert isinstance(p, ProductionVoided)
    record = batch.live(item.envelope.aggregate_id, "production")
    _same_day(record, p.well_id, p.production_date)
    seq = batch.take_seq()
    record.deleted, record.dirty = True, True
    record.version, record.server_seq = record.version + 1, seq
    batch.state.by_day.pop((p.well_id, p.production_date), None)
    batch.version_row(record, ["deleted"])
    remember(batch, record)
    return Outcome("accepted", record.version, seq)
