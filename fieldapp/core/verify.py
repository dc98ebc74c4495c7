"""`fieldapp verify`: cipher integrity, SQLite integrity, the hash chain, and projections equal
to a replay: the confirmed state pulled from the server (`server_changes`), then this device's
unconfirmed events on top, through the same `Rebaser` the incremental path uses. A local-only
store has no confirmed state and no answers, so its replay is the whole log. Last, every
photo's bytes must hash to their sha256 and every queued upload have its bytes."""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from fieldapp.core import database
from fieldapp.core.eventlog import StoredEvent
from fieldapp.core.inbox import read_cursor
from fieldapp.core.photo_store import blob_problems
from fieldapp.core.projections import COLUMNS, LoggedEvent, MemoryRowStore
from fieldapp.core.rebase import Rebaser
from fieldapp.core.store import Store
from shared.events import sign_hash


@dataclass(slots=True)
class VerifyReport:
    events: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_store(store: Store) -> VerifyReport:
    """Page checks run on a second reader connection while the chain is replayed here: SQLite
    releases the GIL inside the pragmas, so the two use both cores."""
    report = VerifyReport()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="verify-pages") as pool:
        page_problems = pool.submit(_page_problems, store)
        with store.read() as conn:
            try:
                unconfirmed = _check_chain(conn, store.identity.device_secret, report)
                replay = _replay(conn, unconfirmed, report)
                _compare_projections(conn, replay, report)
                report.problems.extend(blob_problems(conn))
            except database.DB_ERRORS as exc:
                report.problems.append(f"database damaged: {_reason(exc)}")
        report.problems[:0] = page_problems.result()
    report.seconds = time.perf_counter() - started
    return report


def _reason(exc: Exception) -> str:
    return str(exc.orig if isinstance(exc, DBAPIError) else exc).splitlines()[0]


def _page_problems(store: Store) -> list[str]:
    """SQLCipher's per-page HMAC check and SQLite's structural check."""
    problems: list[str] = []
    with store.read() as conn:
        for (problem,) in conn.exec_driver_sql("PRAGMA cipher_integrity_check").all():
            problems.append(f"cipher integrity: {problem}")
        try:
            checks = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all()]
        except database.DB_ERRORS as exc:
            return [*problems, f"database damaged: {_reason(exc)}"]
    if checks != ["ok"]:
        problems.extend(f"sqlite integrity: {c}" for c in checks)
    return problems


_EVENTS = (
    "SELECT device_seq, event_id, event_type, aggregate_id, body, hash, signature, issues"
    " FROM event_log ORDER BY device_seq"
)


def _check_chain(conn: Connection, secret: str, report: VerifyReport) -> list[LoggedEvent]:
    """Walk the log checking every event; returns the ones the server has not confirmed."""
    db = database.driver(conn)
    answered = _confirmed_seqs(db)
    unconfirmed: list[LoggedEvent] = []
    expected_seq, prev_hash = 1, ""
    cursor = db.execute(_EVENTS)
    while batch := cursor.fetchmany(5000):
        for row in batch:
            ev = StoredEvent(*row)
            report.events += 1
            problems, logged = _event_problems(ev, expected_seq, prev_hash, secret)
            report.problems.extend(
                f"event {ev.event_id} (seq {ev.device_seq}): {p}" for p in problems
            )
            if logged is not None and ev.device_seq not in answered:
                unconfirmed.append(logged)
            expected_seq, prev_hash = ev.device_seq + 1, ev.hash
    return unconfirmed


def _confirmed_seqs(db: Any) -> set[int]:
    """Events whose effect the confirmed state holds, or that the server refused."""
    cursor = read_cursor(db)
    seqs = {int(r[0]) for r in db.execute("SELECT device_seq FROM rejections")}
    seqs.update(
        int(r[0])
        for r in db.execute(
            "SELECT device_seq FROM receipts WHERE server_seq IS NOT NULL AND server_seq <= ?",
            (cursor,),
        )
    )
    return seqs


def _event_problems(
    ev: StoredEvent, expected_seq: int, prev_hash: str, secret: str
) -> tuple[list[str], LoggedEvent | None]:
    problems = []
    if ev.device_seq != expected_seq:
        problems.append(f"device_seq gap, expected {expected_seq}")
    if hashlib.sha256(ev.body.encode()).hexdigest() != ev.hash:
        problems.append("content does not match its hash (altered)")
    try:
        body: dict[str, Any] = json.loads(ev.body)
    except ValueError:
        return [*problems, "stored envelope is not JSON"], None
    if body.get("prev_hash") != prev_hash:
        problems.append("hash chain broken (prev_hash mismatch)")
    indexed = (body.get("device_seq"), body.get("event_id"), body.get("event_type"))
    if indexed != (ev.device_seq, ev.event_id, ev.event_type) or body.get("aggregate_id") != (
        ev.aggregate_id
    ):
        problems.append("indexed columns differ from the envelope")
    if secret and sign_hash(ev.hash, secret) != ev.signature:
        problems.append("signature does not match the device secret")
    try:
        return problems, ev.logged(body)
    except (KeyError, TypeError, ValueError) as exc:
        return [*problems, f"cannot be replayed: {exc}"], None


def _replay(
    conn: Connection, unconfirmed: list[LoggedEvent], report: VerifyReport
) -> MemoryRowStore:
    rows = MemoryRowStore()
    rebaser = Rebaser(rows, {})
    db = database.driver(conn)
    changes = db.execute(
        "SELECT kind, aggregate_id, version, body FROM server_changes"
        " WHERE kind IN ('event', 'well') ORDER BY server_seq"
    )
    while batch := changes.fetchmany(5000):
        for kind, aggregate_id, version, body in batch:
            state = json.loads(body)
            if kind == "well":
                rebaser.confirm(kind, state, version, None)
            elif state is not None:
                rebaser.confirm(kind, {"aggregate_id": aggregate_id}, version, state)
    try:
        rebaser.reapply(unconfirmed)
    except (KeyError, TypeError, ValueError) as exc:
        report.problems.append(f"the log cannot be replayed: {exc}")
    local_only = not db.execute("SELECT 1 FROM server_changes LIMIT 1").fetchone()
    if local_only:
        for ev in rebaser.skipped:
            report.problems.append(
                f"event seq {ev.device_seq}: cannot be replayed: {ev.event_type} of unknown"
                f" record {ev.aggregate_id}"
            )
    return rows


def _compare_projections(conn: Connection, replay: MemoryRowStore, report: VerifyReport) -> None:
    for table, columns in COLUMNS.items():
        found = (
            database.driver(conn).execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        )
        stored = {row[0]: dict(zip(columns, row, strict=True)) for row in found}
        expected = replay.tables[table]
        if stored == expected:
            continue
        for key in sorted(stored.keys() | expected.keys()):
            have, want = stored.get(key), expected.get(key)
            if have == want:
                continue
            if have is None:
                report.problems.append(f"{table} {key}: missing (the log creates it)")
            elif want is None:
                report.problems.append(f"{table} {key}: present but no event creates it")
            else:
                diff = sorted(c for c in columns if have[c] != want.get(c))
                if diff:
                    report.problems.append(
                        f"{table} {key}: differs from replay in {', '.join(diff)}"
                        f" (seq {want.get('last_seq')})"
                    )
