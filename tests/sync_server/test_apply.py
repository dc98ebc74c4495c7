"""Applying a batch in memory (sync_server/services/apply.py): handlers read the state and
return an effect; `stage` alone writes it, with its server seqs. Plain data, no database."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared.contracts import EventEnvelope, EventResult, EventType, parse_payload
from shared.events import DeviceIdentity, build_event
from shared.validation import Thresholds
from sync_server.services import production
from sync_server.services.apply import apply_events, stage
from sync_server.services.batch_state import BatchState, Record, Written
from sync_server.services.effects import Context
from sync_server.services.screening import Checked
from sync_server.services.writes import Rows

TODAY = date(2026, 3, 10)
DAY = TODAY - timedelta(days=2)
ME = DeviceIdentity(uuid4(), uuid4(), uuid4(), "secret")
OTHER = uuid4()  # another device of the org


def context(policy: str = "last_write_wins") -> Context:
    return Context(
        ME.org_id, ME.user_id, ME.device_id, "operator", policy, TODAY, Thresholds(timezone="UTC")
    )


def checked(kind: EventType, aggregate: UUID, payload: dict[str, Any], base: int) -> Checked:
    sealed = build_event(
        ME,
        device_seq=1,
        prev_hash="",
        event_type=kind,
        aggregate_id=aggregate,
        payload=payload,
        base_version=base,
    )
    raw = sealed.envelope
    envelope = EventEnvelope.model_validate(raw)
    return Checked(raw, envelope, parse_payload(kind, raw["payload"]))


def state_with_record() -> tuple[BatchState, Record]:
    """A production record at version 2, whose oil another device changed at version 2."""
    well = uuid4()
    values = {
        "oil_bbl": 90.0,
        "gas_mcf": 120.0,
        "water_bbl": 30.0,
        "hours_on": 24.0,
        "downtime_hours": None,
        "downtime_reason": None,
        "tubing_psi": None,
        "casing_psi": None,
        "choke_64ths": None,
        "notes": "",
    }
    record = Record(
        id=uuid4(),
        kind="production",
        well_id=well,
        day=DAY,
        values=values,
        version=2,
        server_seq=7,
        entry_method="MANUAL",
        quality_score=100,
        flags=[],
        history=[Written(version=2, fields=("oil_bbl",), device_id=OTHER, event_id=uuid4())],
    )
    state = BatchState(wells={well: {"id": well}}, records={record.id: record})
    state.by_day[(well, DAY)] = record.id
    return state, record


def correction(record: Record, base: int, **changes: Any) -> Checked:
    payload = {"well_id": str(record.well_id), "production_date": DAY.isoformat()}
    return checked(EventType.PRODUCTION_CORRECTED, record.id, payload | {"changes": changes}, base)


def test_a_handler_returns_an_effect_and_changes_nothing() -> None:
    state, record = state_with_record()
    before = copy.deepcopy(state)
    effect = production.corrected(context(), state, correction(record, 1, oil_bbl=111.0))
    assert state == before  # only `stage` writes
    assert effect.record is record and not effect.created
    assert effect.version is not None and effect.version.changed == ("oil_bbl",)
    assert effect.version.values["oil_bbl"] == 111.0 and effect.version.quality is not None
    assert effect.clash is not None
    assert (effect.clash.mine, effect.clash.theirs) == ({"oil_bbl": 111.0}, {"oil_bbl": 90.0})
    assert (effect.clash.base_version, effect.clash.server_version) == (1, 2)


def test_stage_writes_the_effect_with_the_events_seq_then_the_conflicts() -> None:
    state, record = state_with_record()
    item = correction(record, 1, oil_bbl=111.0)
    effect = production.corrected(context(), state, item)
    rows = Rows()
    result, last = stage(context(), state, rows, item, effect, 40)
    assert (result.status, result.server_seq, result.version, last) == ("conflict", 41, 3, 42)
    (conflict,) = state.conflicts.values()
    assert result.conflict_id == conflict.id
    assert (conflict.server_seq, conflict.server_version) == (42, 2)  # raised at version 2
    assert conflict.event_id == item.envelope.event_id
    assert (record.version, record.server_seq, record.values["oil_bbl"]) == (3, 41, 111.0)
    assert record.dirty and not record.is_new
    assert record.history[-1] == Written(3, ("oil_bbl",), ME.device_id, item.envelope.event_id)
    (version,) = rows.production_versions
    assert (version["record_id"], version["version"]) == (record.id, 3)
    assert version["fields"] == '["oil_bbl"]'
    (event,) = rows.events
    assert (event["server_seq"], event["result_version"], event["base_version"]) == (41, 3, 1)


def test_a_rejected_event_leaves_the_state_the_rows_and_the_seq_as_they_were() -> None:
    state, record = state_with_record()
    before = copy.deepcopy(state)
    bad = correction(record, 2, oil_bbl=-5.0)
    ahead = correction(record, 9, notes="from the future")
    applied = apply_events(context(), state, [bad, ahead], 40)
    assert [[r.rule for r in applied.answers[str(i.envelope.event_id)]] for i in (bad, ahead)] == [
        ["volume_negative"],
        ["base_version"],
    ]
    assert applied.last_seq == 40 and applied.rows == Rows()
    assert state == before


def test_later_events_of_a_batch_see_what_earlier_ones_staged() -> None:
    state, record = state_with_record()
    first = correction(record, 2, notes="gauged")
    second = correction(record, 2, notes="gauged again")  # same base: its own device's change
    applied = apply_events(context("manual"), state, [first, second], 40)
    results = [applied.answers[str(i.envelope.event_id)] for i in (first, second)]
    assert [(r.status, r.version, r.server_seq) for r in results if isinstance(r, EventResult)] == [
        ("accepted", 3, 41),
        ("accepted", 4, 42),
    ]
    assert (record.values["notes"], applied.last_seq, state.conflicts) == ("gauged again", 42, {})
