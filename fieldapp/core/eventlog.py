"""Appending to the device's event log: sequence, hash chain, outbox and projections together.

A `WriteTxn` lives inside one SQLite transaction; the store commits it and only then moves the
in-memory chain head, so a failed transaction leaves no gap in `device_seq`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from fieldapp.core.database import driver
from fieldapp.core.projections import LoggedEvent, SqlRowStore, apply_event
from shared.contracts import Contract, EventType, dump_payload
from shared.events import DeviceIdentity, SealedEvent, build_event, utc_timestamp
from shared.records import issues_to_json
from shared.validation import Issue

_INSERT_EVENT = (
    "INSERT INTO event_log (device_seq, event_id, event_type, aggregate_id, body, hash, signature,"
    " issues) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_OUTBOX = "INSERT INTO outbox (device_seq) VALUES (?)"


@dataclass(frozen=True, slots=True)
class ChainHead:
    last_seq: int
    last_hash: str

    @classmethod
    def read(cls, conn: Connection) -> ChainHead:
        row = conn.exec_driver_sql(
            "SELECT device_seq, hash FROM event_log ORDER BY device_seq DESC LIMIT 1"
        ).first()
        return cls(0, "") if row is None else cls(int(row[0]), str(row[1]))


class WriteTxn:
    """The events appended in one transaction; projections are updated as they are appended."""

    def __init__(self, conn: Connection, identity: DeviceIdentity, head: ChainHead) -> None:
        self.conn = conn
        self.db: Any = driver(conn)
        self.rows = SqlRowStore(self.db)
        self.head = head
        self.appended: list[SealedEvent] = []
        self._identity = identity
        self._pending: list[tuple[Any, ...]] = []
        self.recorded_at = utc_timestamp()  # one device-clock reading per transaction

    def append(
        self,
        event_type: EventType,
        aggregate_id: UUID | str,
        payload: Contract | Mapping[str, Any],
        *,
        base_version: int = 0,
        issues: Iterable[Issue] = (),
        recorded_at: str | None = None,
        project: bool = True,
    ) -> SealedEvent:
        """Seal the next event and queue it (and its outbox entry). `recorded_at`: a time the
        event was first recorded (a copied log keeps it); `project=False` leaves the projections
        to the caller (a copy rebases them itself)."""
        seq = self.head.last_seq + 1
        body = dict(payload) if isinstance(payload, Mapping) else dump_payload(payload)
        sealed = build_event(
            self._identity,
            device_seq=seq,
            prev_hash=self.head.last_hash,
            event_type=event_type,
            aggregate_id=aggregate_id,
            payload=body,
            base_version=base_version,
            recorded_at=recorded_at or self.recorded_at,
        )
        issue_list = issues_to_json(issues)
        if project:
            apply_event(
                self.rows,
                LoggedEvent(
                    seq, str(event_type), str(aggregate_id), base_version, body, issue_list
                ),
            )
        self._pending.append(
            (
                seq,
                sealed.event_id,
                str(event_type),
                str(aggregate_id),
                sealed.canonical.decode(),
                sealed.hash,
                sealed.signature,
                json.dumps(issue_list) if issue_list else "[]",
            )
        )
        self.head = ChainHead(seq, sealed.hash)
        self.appended.append(sealed)
        return sealed

    def flush(self) -> None:
        """Write the appended events, their outbox entries and the touched projection rows."""
        if self._pending:
            self.db.executemany(_INSERT_EVENT, self._pending)
            self.db.executemany(_INSERT_OUTBOX, [(p[0],) for p in self._pending])
            self._pending.clear()
        self.rows.flush()


@dataclass(frozen=True, slots=True)
class StoredEvent:
    device_seq: int
    event_id: str
    event_type: str
    aggregate_id: str
    body: str
    hash: str
    signature: str
    issues: str

    def envelope(self) -> dict[str, Any]:
        envelope: dict[str, Any] = json.loads(self.body)
        envelope["hash"] = self.hash
        envelope["signature"] = self.signature
        return envelope

    def logged(self, body: Mapping[str, Any] | None = None) -> LoggedEvent:
        data = body if body is not None else json.loads(self.body)
        return LoggedEvent(
            self.device_seq,
            self.event_type,
            self.aggregate_id,
            int(data["base_version"]),
            dict(data["payload"]),
            json.loads(self.issues) if self.issues != "[]" else [],
        )


def iter_events(conn: Connection, *, batch: int = 5000) -> Iterator[StoredEvent]:
    """Every event of the log in device_seq order, streamed in batches."""
    after = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT device_seq, event_id, event_type, aggregate_id, body, hash, signature, issues"
            " FROM event_log WHERE device_seq > ? ORDER BY device_seq LIMIT ?",
            (after, batch),
        ).all()
        if not rows:
            return
        for row in rows:
            yield StoredEvent(*row)
        after = rows[-1][0]
