"""The server's last answer for each record: that of the record's newest answered event.

An answer is accepted, merged (accepted on top of changes this device had not seen), duplicate
(the server already had it), conflict (open or resolved since) or rejected with the server's
reasons (resubmitted since, or not). The answers are read newest event first, a page at a time,
so the newest few hundred records are found without reading every receipt (a store holds one
per event it ever sent).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from fieldapp.core.record_places import Places

_RECEIPTS = (
    "SELECT device_seq, status, version, received_at, NULL, NULL FROM receipts"
    " WHERE device_seq < ? ORDER BY device_seq DESC LIMIT ?"
)
_REJECTIONS = (
    "SELECT device_seq, 'rejected', NULL, rejected_at, reasons, resolved_by_seq FROM rejections"
    " WHERE device_seq < ? ORDER BY device_seq DESC LIMIT ?"
)
_PAGE = 500


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    device_seq: int  # the answered event
    event_type: str
    record_id: str
    well_name: str
    day: str
    status: str  # accepted, merged, duplicate, conflict, rejected
    answered_at: str
    reasons: list[dict[str, str]] = field(default_factory=list)  # rejected: the server's why
    detail: str = ""  # conflict: open/resolved; rejected: resubmitted


def _in(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _answered_events(conn: Connection, seqs: Sequence[int]) -> dict[int, tuple[str, str, str, str]]:
    """device_seq -> (event type, event id, aggregate id, body) of these events."""
    rows = conn.exec_driver_sql(
        "SELECT device_seq, event_type, event_id, aggregate_id, body FROM event_log"
        f" WHERE device_seq IN ({_in(seqs)})",
        tuple(seqs),
    ).all()
    return {int(r[0]): (str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows}


def _latest_answers(
    conn: Connection, limit: int, page_size: int, places: Places
) -> list[tuple[int, str, str, str, tuple[Any, ...]]]:
    """(seq, event type, event id, body, answer row) of the newest answer of each record."""
    latest: list[tuple[int, str, str, str, tuple[Any, ...]]] = []
    seen: set[str] = set()
    before = 1 << 62
    while len(latest) < limit:
        rows = [
            tuple(r)
            for sql in (_RECEIPTS, _REJECTIONS)
            for r in conn.exec_driver_sql(sql, (before, page_size)).all()
        ]
        page = sorted(rows, key=lambda r: -int(r[0]))[:page_size]
        if not page:
            break
        before = int(page[-1][0])
        events = _answered_events(conn, [int(r[0]) for r in page])
        for row in page:
            event_type, event_id, aggregate_id, body = events[int(row[0])]
            record = places.record_id(aggregate_id)
            if record not in seen and len(latest) < limit:
                seen.add(record)
                latest.append((int(row[0]), event_type, event_id, body, row))
    return latest


def _conflict_statuses(conn: Connection, event_ids: Sequence[str]) -> dict[str, str]:
    """event id -> status of the conflict that event raised."""
    if not event_ids:
        return {}
    rows = conn.exec_driver_sql(
        f"SELECT event_id, status FROM conflicts WHERE event_id IN ({_in(event_ids)})",
        tuple(event_ids),
    ).all()
    return {str(e): str(s) for e, s in rows}


def record_outcomes(
    conn: Connection, limit: int, *, page_size: int = _PAGE, places: Places | None = None
) -> list[RecordOutcome]:
    """The server's last answer for each record (that of its newest answered event), newest
    first, for at most `limit` records; answers are read `page_size` at a time."""
    places = places or Places(conn)
    latest = _latest_answers(conn, limit, page_size, places)
    conflicts = _conflict_statuses(
        conn, [event_id for _, _, event_id, _, answer in latest if answer[1] == "conflict"]
    )
    outcomes = []
    for seq, event_type, event_id, body, answer in latest:
        _, status, version, at, reasons, resolved_by = answer
        data = json.loads(body)
        payload = dict(data.get("payload") or {})
        record_id = places.record_id(str(data["aggregate_id"]))
        name, day = places.of_event(event_type, record_id, payload)
        detail = ""
        if status == "accepted" and version is not None:
            if int(version) > int(data.get("base_version") or 0) + 1:
                status = "merged"  # applied on top of versions this event was not based on
        elif status == "conflict":
            detail = "resolved" if conflicts.get(event_id) == "resolved" else "open"
        elif status == "rejected" and resolved_by is not None:
            detail = "resubmitted"
        outcomes.append(
            RecordOutcome(
                seq,
                event_type,
                record_id,
                name,
                day,
                status,
                str(at),
                json.loads(reasons) if reasons else [],
                detail,
            )
        )
    return outcomes
