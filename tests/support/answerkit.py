"""A server's answers in a device store, for the Sync screen's tests: written by the real outbox
(push results) and inbox (pulled conflict notices) code from answers in the server's wire
format; and stores with thousands of open conflicts and rejections made set-based (one
statement each, not thousands of syncs).
"""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

from fieldapp.core.inbox import apply_page, rebuild_records
from fieldapp.core.outbox import next_batch, record_results
from fieldapp.core.store import Store
from shared.contracts import BatchResponse, ChangesPage, EventResult, EventType
from shared.events import utc_timestamp

ROLE = [{"rule": "role", "field": "", "message": "wells are managed by the office"}]


def answer(store: Store, *results: dict[str, Any], after: int = 0) -> list[str]:
    """The server's answer to one push of the outbox, in its order (one result per event,
    from the oldest waiting after seq `after`); returns the answered event ids."""
    sent = next_batch(store, limit=max(len(results), 1), max_bytes=10_000_000, after=after)
    answers = [
        EventResult(event_id=item.event_id, **result)
        for item, result in zip(sent, results, strict=False)
    ]
    record_results(store, sent, BatchResponse(results=answers))
    return [a.event_id for a in answers]


def accepted(n: int = 1) -> dict[str, Any]:
    return {"status": "accepted", "server_seq": n, "version": 1}


def rejected(*reasons: dict[str, str]) -> dict[str, Any]:
    return {"status": "rejected", "reasons": list(reasons)}


def conflict_notice(
    store: Store,
    record_id: str,
    event_id: str,
    conflict_id: str,
    *,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    server_seq: int = 50,
    aggregate_type: str = "production",
) -> None:
    """The server's notice of a conflict this device raised, pulled."""
    data = {
        "conflict_id": conflict_id,
        "aggregate_id": record_id,
        "aggregate_type": aggregate_type,
        "event_id": event_id,
        "device_id": str(store.identity.device_id),
        "fields": sorted(mine),
        "mine": mine,
        "theirs": theirs,
        "policy": "last_write_wins",
        "status": "open",
        "resolution": None,
    }
    change = {"server_seq": server_seq, "kind": "conflict", "version": 2, "data": data}
    page = {"changes": [change], "next_cursor": server_seq, "has_more": False}
    apply_page(store, ChangesPage.model_validate(page))


def many_conflicts(store: Store, record_id: str, count: int) -> None:
    """`count` open conflicts over one production record, in one statement; their opened_at
    take only seven values (long ago: before any conflict a test raises), so the listing
    order rests on the conflict id as often as not, and the ids do not sort in the order they
    were written."""
    with store.write() as txn:
        txn.db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO conflicts (conflict_id, aggregate_id, aggregate_type, mine, theirs,"
            " fields, status, opened_at, raised_by, policy)"
            " SELECT printf('c-%05d-%05d', (i * 7919) % 10007, i), ?, 'production',"
            " json_object('oil_bbl', i), json_object('oil_bbl', i + 1), '[\"oil_bbl\"]', 'open',"
            " printf('2001-11-%02dT08:00:00Z', 10 + i % 7), ?, 'last_write_wins' FROM n",
            (count, record_id, str(store.identity.device_id)),
        )


def many_rejections(store: Store, well_id: str, count: int) -> list[int]:
    """`count` changes to a well this device made and the server refused (operators may not
    change wells): the events appended for real, their answers written in one statement each,
    as `record_results` writes them. Returns the refused seqs."""
    with store.read() as conn:
        head = int(conn.exec_driver_sql("SELECT max(device_seq) FROM event_log").scalar() or 0)
    with store.write() as txn:
        for n in range(count):
            txn.append(EventType.WELL_UPDATED, well_id, {"changes": {"lease": f"Lease {n}"}})
    with store.write() as txn:
        txn.db.execute(
            "INSERT INTO rejections (device_seq, reasons, rejected_at) SELECT device_seq, ?, ?"
            " FROM event_log WHERE device_seq > ? AND event_type = ?",
            (json.dumps(ROLE), utc_timestamp(), head, str(EventType.WELL_UPDATED)),
        )
        txn.db.execute(
            "DELETE FROM outbox WHERE device_seq IN (SELECT device_seq FROM rejections"
            " WHERE device_seq > ?)",
            (head,),
        )
        rebuild_records(txn, {well_id})
    return list(range(head + 1, head + count + 1))


NEGATIVE = [{"rule": "volume_negative", "field": "oil_bbl", "message": "negative oil"}]


def demo_answers(store: Store, count: int = 40) -> None:
    """The demo store's first `count` events answered: accepted, but one production record a
    conflict (with its notice pulled) and the next two rejected; the rest still pending."""
    sent = next_batch(store, limit=count, max_bytes=10_000_000)
    production = [
        n
        for n, item in enumerate(sent)
        if json.loads(item.envelope_json)["event_type"] == "production.recorded"
    ]
    clash, *refused = production[:3]
    cid = str(uuid4())
    results: list[dict[str, Any]] = [accepted(n + 1) for n in range(len(sent))]
    results[clash] = {
        "status": "conflict",
        "server_seq": clash + 1,
        "version": 2,
        "conflict_id": cid,
    }
    for n in refused:
        results[n] = rejected(*NEGATIVE)
    answers = [
        EventResult(event_id=item.event_id, **result)
        for item, result in zip(sent, results, strict=True)
    ]
    record_results(store, sent, BatchResponse(results=answers))
    mine, theirs = {"oil_bbl": 1.0}, {"oil_bbl": 2.0}
    item = sent[clash]
    # pulled as the first change: what the server took from this device stays unconfirmed
    # (the test server sends no record changes), so a rebuild of a record keeps it
    conflict_notice(
        store, item.aggregate_id, item.event_id, cid, mine=mine, theirs=theirs, server_seq=1
    )
