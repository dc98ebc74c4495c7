"""The pull side of sync on the device: one page of server changes in one local transaction.

The page's confirmed states overwrite their records, the unconfirmed events of this device on
those records are applied again on top (`rebase`), conflict notices are stored as the server
sends them, and the cursor is written last, in the same transaction: a crash leaves either the
whole page or none of it. Every change is also kept in `server_changes`, so `verify` can rebuild
the confirmed state from scratch, and the device's own events seen in a page get a receipt even
when the push's answer was lost on the way.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from fieldapp.core.eventlog import WriteTxn
from fieldapp.core.projections import COLUMNS, LoggedEvent
from fieldapp.core.rebase import Rebaser
from fieldapp.core.store import Store
from shared.contracts import Change, ChangesPage
from shared.events import utc_timestamp

_CHUNK = 900  # SQLite parameters per IN list

UNCONFIRMED = (
    "SELECT e.device_seq, e.event_type, e.aggregate_id, e.body, e.issues FROM event_log e"
    " LEFT JOIN receipts r ON r.device_seq = e.device_seq"
    " WHERE NOT EXISTS (SELECT 1 FROM rejections j WHERE j.device_seq = e.device_seq)"
    " AND (r.device_seq IS NULL OR r.server_seq IS NULL OR r.server_seq > ?)"
)


@dataclass(slots=True)
class PageOutcome:
    applied: int = 0
    records: set[str] = field(default_factory=set)
    conflicts: int = 0
    next_cursor: int = 0


def read_cursor(db: Any) -> int:
    row = db.execute("SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()
    return int(row[0]) if row else 0


def set_state(db: Any, values: dict[str, str]) -> None:
    db.executemany(
        "INSERT INTO sync_state (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )


def load_aliases(db: Any) -> dict[str, str]:
    return {str(a): str(r) for a, r in db.execute("SELECT alias_id, record_id FROM aliases")}


def unconfirmed_events(
    db: Any, cursor: int, aggregate_ids: Collection[str] | None = None
) -> list[LoggedEvent]:
    """This device's events the server has not confirmed at `cursor`, in device_seq order
    (only those of `aggregate_ids` when given)."""
    rows: list[Any] = []
    if aggregate_ids is None:
        rows = db.execute(UNCONFIRMED, (cursor,)).fetchall()
    else:
        ids = list(aggregate_ids)
        for start in range(0, len(ids), _CHUNK):
            part = ids[start : start + _CHUNK]
            sql = f"{UNCONFIRMED} AND e.aggregate_id IN ({', '.join('?' * len(part))})"
            rows.extend(db.execute(sql, (cursor, *part)).fetchall())
        rows.sort(key=lambda r: r[0])
    return [_logged(*row) for row in rows]


def _logged(seq: int, event_type: str, aggregate_id: str, body: str, issues: str) -> LoggedEvent:
    data = json.loads(body)
    flags = json.loads(issues) if issues != "[]" else []
    return LoggedEvent(
        seq, event_type, aggregate_id, int(data["base_version"]), dict(data["payload"]), flags
    )


def day_lookup(db: Any) -> Any:
    def lookup(well_id: str, day: str) -> str | None:
        row = db.execute(
            "SELECT record_id FROM production WHERE well_id = ? AND production_date = ?"
            " AND voided = 0",
            (well_id, day),
        ).fetchone()
        return None if row is None else str(row[0])

    return lookup


def _with_aliases(ids: Iterable[str], aliases: dict[str, str]) -> set[str]:
    wanted = set(ids)
    return wanted | {alias for alias, record in aliases.items() if record in wanted}


def apply_page(store: Store, page: ChangesPage) -> PageOutcome:
    """Apply one pulled page, rebase this device's unconfirmed events, move the cursor."""
    device_id = str(store.identity.device_id)
    outcome = PageOutcome()
    with store.write() as txn:
        db = txn.db
        cursor = read_cursor(db)
        fresh = [c for c in page.changes if c.server_seq > cursor]
        new_cursor = max(cursor, page.next_cursor)
        aliases = load_aliases(db)
        rebaser = Rebaser(txn.rows, aliases, day_lookup(db))
        kept: list[tuple[Any, ...]] = []
        own: list[tuple[Any, ...]] = []
        for change in fresh:
            record_id = _apply_change(txn, rebaser, change)
            if record_id is not None and change.kind != "conflict":
                outcome.records.add(record_id)
            kept.append(_server_row(change, record_id))
            if change.kind == "event" and change.data.get("device_id") == device_id:
                own.append(
                    (
                        change.data.get("event_id"),
                        change.data.get("hash"),
                        change.server_seq,
                        change.version,
                    )
                )
            outcome.conflicts += change.kind == "conflict"
        _receipts_for_own(db, own)
        touched = _with_aliases(outcome.records, aliases)
        rebaser.reapply(unconfirmed_events(db, new_cursor, touched))
        db.executemany(
            "INSERT INTO aliases (alias_id, record_id) VALUES (?, ?) ON CONFLICT (alias_id)"
            " DO UPDATE SET record_id = excluded.record_id",
            list(rebaser.new_aliases.items()),
        )
        db.executemany(
            "INSERT OR IGNORE INTO server_changes (server_seq, kind, record_id, aggregate_id,"
            " event_id, event_type, device_id, version, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            kept,
        )
        set_state(db, {"cursor": str(new_cursor), "last_pull": utc_timestamp()})
    outcome.applied = len(fresh)
    outcome.next_cursor = new_cursor
    return outcome


def _apply_change(txn: WriteTxn, rebaser: Rebaser, change: Change) -> str | None:
    if change.kind == "conflict":
        _store_conflict(txn.db, change)
        return str(change.data["conflict_id"])
    return rebaser.confirm(change.kind, change.data, change.version, change.record)


def _server_row(change: Change, record_id: str | None) -> tuple[Any, ...]:
    data = change.data
    if change.kind == "event":
        body: Any = change.record
        key = record_id or str(data.get("aggregate_id"))
        return (
            change.server_seq,
            "event",
            key,
            data.get("aggregate_id"),
            data.get("event_id"),
            data.get("event_type"),
            data.get("device_id"),
            change.version,
            json.dumps(body),
        )
    key = record_id or str(data.get("id") or data.get("conflict_id"))
    return (
        change.server_seq,
        change.kind,
        key,
        None,
        None,
        None,
        None,
        change.version,
        json.dumps(data),
    )


def _receipts_for_own(db: Any, own: list[tuple[Any, ...]]) -> None:
    """Our own events in the page are answered, even if the push's answer never arrived."""
    if not own:
        return
    answers = {(event_id, hash_hex): (seq, version) for event_id, hash_hex, seq, version in own}
    ids = [event_id for event_id, _ in answers]
    now = utc_timestamp()
    rows = []
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        for device_seq, event_id, hash_hex in db.execute(
            "SELECT device_seq, event_id, hash FROM event_log"
            f" WHERE event_id IN ({', '.join('?' * len(part))})",
            part,
        ):
            answer = answers.get((event_id, hash_hex))
            if answer is not None:
                rows.append((device_seq, *answer, now))
    db.executemany(
        "INSERT INTO receipts (device_seq, status, server_seq, version, received_at)"
        " VALUES (?, 'accepted', ?, ?, ?) ON CONFLICT (device_seq) DO NOTHING",
        rows,
    )
    db.executemany("DELETE FROM outbox WHERE device_seq = ?", [(r[0],) for r in rows])


def _store_conflict(db: Any, change: Change) -> None:
    d = change.data
    raised = db.execute(
        "SELECT device_seq FROM event_log WHERE event_id = ?", (d.get("event_id"),)
    ).fetchone()
    resolution = d.get("resolution")
    db.execute(
        "INSERT INTO conflicts (conflict_id, aggregate_id, device_seq, mine, theirs, fields,"
        " status, opened_at, resolved_at, aggregate_type, event_id, raised_by, policy,"
        " resolution, server_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (conflict_id) DO UPDATE SET aggregate_id = excluded.aggregate_id,"
        " mine = excluded.mine, theirs = excluded.theirs, fields = excluded.fields,"
        " status = excluded.status, resolved_at = excluded.resolved_at,"
        " aggregate_type = excluded.aggregate_type, event_id = excluded.event_id,"
        " raised_by = excluded.raised_by, policy = excluded.policy,"
        " resolution = excluded.resolution, server_seq = excluded.server_seq",
        (
            str(d["conflict_id"]),
            str(d["aggregate_id"]),
            raised[0] if raised else None,
            json.dumps(d.get("mine") or {}),
            json.dumps(d.get("theirs") or {}),
            json.dumps(d.get("fields") or []),
            str(d.get("status", "open")),
            utc_timestamp(),
            utc_timestamp() if d.get("status") == "resolved" else None,
            str(d.get("aggregate_type", "production")),
            d.get("event_id"),
            d.get("device_id"),
            d.get("policy"),
            json.dumps(resolution) if resolution else None,
            change.server_seq,
        ),
    )


def rebuild_records(txn: WriteTxn, aggregate_ids: Iterable[str]) -> None:
    """Reset records to their confirmed state (or remove them if the server has none) and apply
    the remaining unconfirmed events again: after a rejection took one of them out."""
    db = txn.db
    aliases = load_aliases(db)
    rebaser = Rebaser(txn.rows, aliases, day_lookup(db))
    targets = {rebaser.target(a) for a in aggregate_ids}
    for target in targets:
        latest = db.execute(
            "SELECT kind, version, body FROM server_changes WHERE record_id = ?"
            " AND kind IN ('event', 'well') ORDER BY server_seq DESC LIMIT 1",
            (target,),
        ).fetchone()
        if latest is None:
            for table in COLUMNS:
                if txn.rows.get(table, target) is not None:
                    txn.rows.delete(table, target)
            continue
        kind, version, body = latest
        state = json.loads(body)
        if kind == "well":
            rebaser.confirm("well", state, version, None)
        else:
            rebaser.confirm("event", {"aggregate_id": target}, version, state)
    cursor = read_cursor(db)
    rebaser.reapply(unconfirmed_events(db, cursor, _with_aliases(targets, aliases)))
