"""The Sync screen's data on a real store; the server's answers are written by the real outbox
(push results) and inbox (pulled conflict notices) code, in the server's wire format."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from corekit import TODAY

from fieldapp.core.conflicts import resolve
from fieldapp.core.inbox import apply_page
from fieldapp.core.outbox import next_batch, record_results
from fieldapp.core.production import correct_production, save_production
from fieldapp.core.rejections import resubmit
from fieldapp.core.store import Store
from fieldapp.core.sync_overview import overview, pending_items, record_outcomes
from fieldapp.core.wells import Well
from shared.contracts import (
    BatchResponse,
    ChangesPage,
    EventResult,
    ProductionChanges,
    ProductionRecorded,
)


def day(n: int) -> date:
    today: date = TODAY
    return today - timedelta(days=n)


def record(store: Store, well: Well, n: int, oil: float) -> str:
    entry = ProductionRecorded(
        well_id=well.well_id,
        production_date=day(n),
        oil_bbl=oil,
        gas_mcf=oil * 1.2,
        water_bbl=oil * 0.3,
        hours_on=24.0,
    )
    return save_production(store, entry, today=TODAY).record_id


def answer(store: Store, *results: dict[str, Any]) -> None:
    """The server's answer to one push of the whole outbox, in its order."""
    sent = next_batch(store, limit=100, max_bytes=1_000_000)
    answers = [
        EventResult(event_id=item.event_id, **result)
        for item, result in zip(sent, results, strict=False)
    ]
    response = BatchResponse(results=answers)
    record_results(store, sent, response)


def pending(store: Store) -> list[Any]:
    with store.read() as conn:
        return pending_items(conn)


def outcomes(store: Store) -> list[Any]:
    with store.read() as conn:
        return record_outcomes(conn, 50)


def test_pending_lists_each_waiting_event_with_its_well_day_and_values(
    store: Store, well: Well
) -> None:
    record_id = record(store, well, 2, oil=100.0)
    correct_production(store, record_id, ProductionChanges(notes="gauge re-read"), today=TODAY)
    items = pending(store)
    assert [i.event_type for i in items] == [
        "well.registered",
        "production.recorded",
        "production.corrected",
    ]
    registered, recorded, corrected = items
    assert (registered.well_name, registered.day) == ("Smith 1H", "")
    assert (recorded.well_name, recorded.day) == ("Smith 1H", day(2).isoformat())
    assert recorded.values["oil_bbl"] == 100.0 and "well_id" not in recorded.values
    assert corrected.values == {"notes": "gauge re-read"}  # a correction: only what it changes
    assert corrected.created_at.startswith(str(date.today().year))
    assert overview(store).pending_total == 3 and not overview(store).server_mode


def test_outcomes_show_the_last_answer_per_record_newest_first(store: Store, well: Well) -> None:
    first = record(store, well, 3, oil=80.0)
    answer(
        store,
        {"status": "accepted", "server_seq": 1, "version": 1},
        {"status": "accepted", "server_seq": 2, "version": 1},
    )
    correct_production(store, first, ProductionChanges(oil_bbl=81.0), today=TODAY)
    record(store, well, 2, oil=90.0)
    record(store, well, 1, oil=95.0)
    answer(
        store,
        {"status": "accepted", "server_seq": 5, "version": 3},  # on top of v2: merged
        {"status": "duplicate", "server_seq": 6, "version": 1},
        {
            "status": "rejected",
            "reasons": [{"rule": "range", "field": "oil_bbl", "message": "too much oil"}],
        },
    )
    shown = outcomes(store)
    by_day = {o.day: o for o in shown if o.event_type.startswith("production")}
    assert len(shown) == 4  # the well and three records: one line each
    assert by_day[day(3).isoformat()].status == "merged"
    assert by_day[day(3).isoformat()].event_type == "production.corrected"
    assert by_day[day(2).isoformat()].status == "duplicate"
    rejected = by_day[day(1).isoformat()]
    assert rejected.status == "rejected" and rejected.well_name == "Smith 1H"
    assert rejected.reasons[0]["message"] == "too much oil"
    assert shown[0].device_seq > shown[-1].device_seq  # newest first
    assert pending(store) == []
    with store.read() as conn:  # read a page of one answer at a time: the same lines
        paged = record_outcomes(conn, 50, page_size=1)
        newest = record_outcomes(conn, 2)
    assert paged == shown
    assert newest == shown[:2]


def conflict_page(store: Store, record_id: str, event_id: str, cid: str) -> ChangesPage:
    data = {
        "conflict_id": cid,
        "aggregate_id": record_id,
        "aggregate_type": "production",
        "event_id": event_id,
        "device_id": str(store.identity.device_id),
        "fields": ["oil_bbl"],
        "mine": {"oil_bbl": 100.0},
        "theirs": {"oil_bbl": 140.0},
        "policy": "last_write_wins",
        "status": "open",
        "resolution": None,
    }
    change = {"server_seq": 7, "kind": "conflict", "version": 1, "data": data}
    return ChangesPage.model_validate({"changes": [change], "next_cursor": 7, "has_more": False})


def test_an_open_conflict_is_shown_with_its_record_until_it_is_resolved(
    store: Store, well: Well
) -> None:
    record_id = record(store, well, 4, oil=100.0)
    (_, sent) = next_batch(store, limit=10, max_bytes=1_000_000)
    cid = str(uuid4())
    answer(
        store,
        {"status": "accepted", "server_seq": 1, "version": 1},
        {"status": "conflict", "server_seq": 3, "version": 2, "conflict_id": cid},
    )
    apply_page(store, conflict_page(store, record_id, sent.event_id, cid))
    seen = overview(store)
    (shown,) = seen.conflicts
    assert (shown.well_name, shown.day) == ("Smith 1H", day(4).isoformat())
    assert (shown.conflict.mine, shown.conflict.theirs) == ({"oil_bbl": 100.0}, {"oil_bbl": 140.0})
    assert shown.record["oil_bbl"] == 100.0 and shown.record["gas_mcf"] == 120.0
    (result,) = [o for o in seen.outcomes if o.record_id == record_id]
    assert (result.status, result.detail) == ("conflict", "open")
    assert seen.cursor == 7

    resolve(store, cid, "theirs")
    after = overview(store)
    assert after.conflicts == []
    assert [p.event_type for p in after.pending] == ["conflict.resolved"]
    assert after.pending[0].values == {"oil_bbl": 140.0}
    assert after.pending[0].well_name == "Smith 1H"
    (result,) = [o for o in after.outcomes if o.record_id == record_id]
    assert result.detail == "resolved"


def test_a_rejection_names_the_fields_to_fix_and_leaves_once_resubmitted(
    store: Store, well: Well
) -> None:
    record(store, well, 5, oil=100.0)
    reasons = [{"rule": "max_oil", "field": "oil_bbl", "message": "over the well's limit"}]
    answer(
        store,
        {"status": "accepted", "server_seq": 1, "version": 1},
        {"status": "rejected", "reasons": reasons},
    )
    (shown,) = overview(store).rejections
    assert (shown.well_name, shown.day) == ("Smith 1H", day(5).isoformat())
    assert shown.fixable == ("oil_bbl",) and shown.can_resubmit
    assert shown.values["oil_bbl"] == 100.0
    assert shown.rejection.summary() == "oil_bbl: over the well's limit"

    resubmit(store, shown.rejection.device_seq, {"oil_bbl": 90.0})
    after = overview(store)
    assert after.rejections == []
    assert [(p.event_type, p.values["oil_bbl"]) for p in after.pending] == [
        ("production.recorded", 90.0)
    ]
    (old,) = [o for o in after.outcomes if o.status == "rejected"]
    assert old.detail == "resubmitted"
