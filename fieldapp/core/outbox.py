"""The push side of sync on the device: what to send next, and what the server said of it.

An outbox entry leaves the outbox only in the transaction that stores the server's answer for
it: a receipt (accepted, duplicate, conflict) or a rejection (rejected, id_conflict) with its
reasons. A rejected event stops counting in the projections at once (its records are rebuilt
from the confirmed state and the other unconfirmed events), but stays in the log and in
`rejections`, to be fixed and sent again as a new event. `pending_events` lists what waits, for
a person to read (its well, day and values).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.eventlog import WriteTxn
from fieldapp.core.inbox import rebuild_records
from fieldapp.core.record_places import Places, event_values
from fieldapp.core.store import Store
from shared.contracts import BatchResponse, EventResult
from shared.events import utc_timestamp

RECEIPT_STATUSES = ("accepted", "duplicate", "conflict")  # the others: rejected, id_conflict


@dataclass(frozen=True, slots=True)
class OutgoingEvent:
    device_seq: int
    event_id: str
    aggregate_id: str
    envelope_json: str  # the stored canonical body with hash and signature, as sent

    @property
    def size(self) -> int:
        return len(self.envelope_json)


def envelope_json(body: str, hash_hex: str, signature: str) -> str:
    """The envelope as JSON text without re-serializing the body: the server hashes exactly the
    object it receives, so the body's own text (41 stays 41, 41.0 stays 41.0) goes out as is."""
    return f'{body[:-1]},"hash":"{hash_hex}","signature":"{signature}"}}'


_SELECT = (
    "SELECT e.device_seq, e.event_id, e.aggregate_id, e.body, e.hash, e.signature"
    " FROM {source} ORDER BY e.device_seq LIMIT ?"
)
_FROM_OUTBOX = "outbox o JOIN event_log e ON e.device_seq = o.device_seq WHERE o.device_seq > ?"
_FROM_LOG = "event_log e WHERE e.device_seq > ?"


def next_batch(
    store: Store, *, limit: int, max_bytes: int, after: int = 0, from_log: bool = False
) -> list[OutgoingEvent]:
    """The next events to push after seq `after`, in device_seq order: from the outbox, or
    (`from_log`) every logged event, answered or not, when the server asked to be sent again
    from an earlier seq (`expected_seq`)."""
    source = _FROM_LOG if from_log else _FROM_OUTBOX
    with store.read() as conn:
        rows = conn.exec_driver_sql(_SELECT.format(source=source), (after, limit)).all()
    batch: list[OutgoingEvent] = []
    total = 0
    for seq, event_id, aggregate_id, body, hash_hex, signature in rows:
        item = OutgoingEvent(seq, event_id, aggregate_id, envelope_json(body, hash_hex, signature))
        if batch and total + item.size > max_bytes:
            break
        batch.append(item)
        total += item.size + 1
    return batch


@dataclass(frozen=True, slots=True)
class PendingEvent:
    device_seq: int
    event_type: str
    aggregate_id: str
    well_name: str  # "" when the event names no well this device knows
    day: str  # the record's day (gauge day, date performed...), "" when it has none
    values: dict[str, Any]  # what the event sets (a correction: only its changes)
    created_at: str  # when it was recorded on this device (UTC, RFC 3339)


def pending_count(conn: Connection) -> int:
    return int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one())


def pending_events(
    conn: Connection, limit: int, *, after: int = 0, places: Places | None = None
) -> list[PendingEvent]:
    """What waits to be sent after seq `after`, oldest first (at most `limit` events)."""
    places = places or Places(conn)
    rows = conn.exec_driver_sql(
        "SELECT e.device_seq, e.event_type, e.aggregate_id, e.body FROM"
        " (SELECT device_seq FROM outbox WHERE device_seq > ? ORDER BY device_seq LIMIT ?) o"
        " JOIN event_log e ON e.device_seq = o.device_seq ORDER BY o.device_seq",
        (after, limit),
    ).all()
    found = []
    for seq, event_type, aggregate_id, body in rows:
        data = json.loads(body)
        payload = dict(data.get("payload") or {})
        name, day = places.of_event(event_type, aggregate_id, payload)
        values = event_values(event_type, payload)
        created = str(data.get("recorded_at", ""))
        found.append(PendingEvent(int(seq), event_type, aggregate_id, name, day, values, created))
    return found


@dataclass(slots=True)
class PushOutcome:
    counts: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)

    def add(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    def merge(self, other: PushOutcome) -> None:
        for status, count in other.counts.items():
            self.counts[status] = self.counts.get(status, 0) + count
        self.conflicts.extend(other.conflicts)
        self.rejected.extend(other.rejected)


def record_results(
    store: Store, sent: Sequence[OutgoingEvent], response: BatchResponse
) -> PushOutcome:
    """Store the answer for each sent event and take the answered ones out of the outbox."""
    by_id = {item.event_id: item for item in sent}
    outcome = PushOutcome()
    now = utc_timestamp()
    receipts: list[tuple[Any, ...]] = []
    rejections: list[tuple[Any, ...]] = []
    conflicts: list[tuple[Any, ...]] = []
    refused: list[OutgoingEvent] = []
    for result in response.results:
        item = by_id.get(result.event_id)
        if item is None:
            continue  # not ours to answer for: never drop anything on a stray result
        outcome.add(result.status)
        if result.status in RECEIPT_STATUSES:
            receipts.append(
                (item.device_seq, result.status, result.server_seq, result.version, now)
            )
            if result.status == "conflict" and result.conflict_id is not None:
                conflicts.append(_conflict_row(result, item, now))
                outcome.conflicts.append(str(result.conflict_id))
        else:
            rejections.append((item.device_seq, _reasons_json(result), now))
            outcome.rejected.append(item.device_seq)
            refused.append(item)
    with store.write() as txn:
        _write(txn, receipts, rejections, conflicts)
        if refused:
            rebuild_records(txn, {item.aggregate_id for item in refused})
            _reopen_refused_resolutions(txn, refused)
    return outcome


def _reopen_refused_resolutions(txn: WriteTxn, refused: Iterable[OutgoingEvent]) -> None:
    """A resolution the server refused leaves its conflict open again on this device."""
    for item in refused:
        envelope = json.loads(item.envelope_json)
        if envelope.get("event_type") != "conflict.resolved":
            continue
        txn.db.execute(
            "UPDATE conflicts SET status = 'open', resolution = NULL WHERE conflict_id = ?"
            " AND status = 'resolved' AND json_extract(resolution, '$.pending') = 1",
            (str(envelope["payload"].get("conflict_id")),),
        )


def _write(
    txn: WriteTxn,
    receipts: Iterable[tuple[Any, ...]],
    rejections: Iterable[tuple[Any, ...]],
    conflicts: Iterable[tuple[Any, ...]],
) -> None:
    db = txn.db
    receipts, rejections = list(receipts), list(rejections)
    db.executemany(
        "INSERT INTO receipts (device_seq, status, server_seq, version, received_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_seq) DO UPDATE SET status = excluded.status,"
        " server_seq = excluded.server_seq, version = excluded.version",
        receipts,
    )
    db.executemany(
        "INSERT INTO rejections (device_seq, reasons, rejected_at) VALUES (?, ?, ?)"
        " ON CONFLICT (device_seq) DO UPDATE SET reasons = excluded.reasons",
        rejections,
    )
    db.executemany(
        "INSERT INTO conflicts (conflict_id, aggregate_id, device_seq, mine, theirs, fields,"
        " status, opened_at, event_id, raised_by) VALUES (?, ?, ?, ?, '{}', '[]', 'open', ?, ?, ?)"
        " ON CONFLICT (conflict_id) DO NOTHING",
        conflicts,
    )
    answered = [(r[0],) for r in receipts] + [(r[0],) for r in rejections]
    db.executemany("DELETE FROM outbox WHERE device_seq = ?", answered)


def _conflict_row(result: EventResult, item: OutgoingEvent, now: str) -> tuple[Any, ...]:
    envelope = json.loads(item.envelope_json)
    payload = envelope.get("payload", {})
    mine = payload.get("changes", payload)
    return (
        str(result.conflict_id),
        item.aggregate_id,
        item.device_seq,
        json.dumps(mine),
        now,
        item.event_id,
        envelope.get("device_id"),
    )


def _reasons_json(result: EventResult) -> str:
    if result.status == "id_conflict":
        reasons = [
            {
                "rule": "id_conflict",
                "field": "event_id",
                "message": "the server holds other content under this event id",
            }
        ]
    else:
        reasons = [r.model_dump() for r in result.reasons or []]
    return json.dumps(reasons)
