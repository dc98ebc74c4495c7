"""`fieldapp verify`: cipher integrity, SQLite integrity, the hash chain, and projections equal
to a replay of the log."""

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
from fieldapp.core.projections import COLUMNS, MemoryRowStore, apply_event
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
                replay = _check_chain(conn, store.identity.device_secret, report)
                _compare_projections(conn, replay, report)
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


def _check_chain(conn: Connection, secret: str, report: VerifyReport) -> MemoryRowStore:
    rows = MemoryRowStore()
    expected_seq, prev_hash = 1, ""
    cursor = database.driver(conn).execute(_EVENTS)
    while batch := cursor.fetchmany(5000):
        for row in batch:
            ev = StoredEvent(*row)
            report.events += 1
            problems = _event_problems(ev, expected_seq, prev_hash, secret, rows)
            report.problems.extend(
                f"event {ev.event_id} (seq {ev.device_seq}): {p}" for p in problems
            )
            expected_seq, prev_hash = ev.device_seq + 1, ev.hash
    return rows


def _event_problems(
    ev: StoredEvent, expected_seq: int, prev_hash: str, secret: str, rows: MemoryRowStore
) -> list[str]:
    problems = []
    if ev.device_seq != expected_seq:
        problems.append(f"device_seq gap, expected {expected_seq}")
    if hashlib.sha256(ev.body.encode()).hexdigest() != ev.hash:
        problems.append("content does not match its hash (altered)")
    try:
        body: dict[str, Any] = json.loads(ev.body)
    except ValueError:
        return [*problems, "stored envelope is not JSON"]
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
        apply_event(rows, ev.logged(body))
    except (LookupError, KeyError, TypeError, ValueError) as exc:
        problems.append(f"cannot be replayed: {exc}")
    return problems


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
