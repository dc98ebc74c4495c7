"""The server's last answer per record, on a real store; the answers are written by the real
outbox code in the server's wire format."""

from __future__ import annotations

from typing import Any

from answerkit import accepted, answer
from corekit import TODAY, day, record

from fieldapp.core.outbox import pending_events
from fieldapp.core.outcomes import record_outcomes
from fieldapp.core.production import correct_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ProductionChanges


def outcomes(store: Store) -> list[Any]:
    with store.read() as conn:
        return record_outcomes(conn, 50)


def test_outcomes_show_the_last_answer_per_record_newest_first(store: Store, well: Well) -> None:
    first = record(store, well, 3, oil=80.0)
    answer(store, accepted(1), accepted(2))
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
    with store.read() as conn:
        assert pending_events(conn, 500) == []  # every answered event left the outbox
    with store.read() as conn:  # read a page of one answer at a time: the same lines
        paged = record_outcomes(conn, 50, page_size=1)
        newest = record_outcomes(conn, 2)
    assert paged == shown
    assert newest == shown[:2]
