"""What waits in the outbox, as the Sync screen lists it, on a real store; the server's answers
are written by the real outbox code in the server's wire format."""

from __future__ import annotations

from datetime import date

from answerkit import accepted, answer
from corekit import TODAY, day, record

from fieldapp.core.outbox import pending_count, pending_events
from fieldapp.core.production import correct_production
from fieldapp.core.store import Store
from fieldapp.core.wells import Well
from shared.contracts import ProductionChanges


def test_pending_lists_each_waiting_event_with_its_well_day_and_values(
    store: Store, well: Well
) -> None:
    record_id = record(store, well, 2, oil=100.0)
    correct_production(store, record_id, ProductionChanges(notes="gauge re-read"), today=TODAY)
    with store.read() as conn:
        items = pending_events(conn, 500)
        total = pending_count(conn)
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
    assert total == 3


def test_pending_pages_after_a_seq_and_leaves_out_what_was_answered(
    store: Store, well: Well
) -> None:
    for n in range(1, 6):
        record(store, well, n, oil=10.0 * n)
    answer(store, accepted(1), accepted(2))  # the well and the first record
    with store.read() as conn:
        first = pending_events(conn, 2)
        rest = pending_events(conn, 10, after=first[-1].device_seq)
        assert pending_count(conn) == 4
    assert [p.device_seq for p in first + rest] == [3, 4, 5, 6]
    assert [p.values["oil_bbl"] for p in first + rest] == [20.0, 30.0, 40.0, 50.0]
