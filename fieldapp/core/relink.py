"""Copying a local-only store's log into a new store under another identity (a sync server's),
so a store started offline can be registered later without losing a record.

Every event is appended again in its original order with the same type, aggregate id, payload,
base version, recorded time and validation flags, under the new identity: a new event id, a
new device seq, a new hash chain and new signatures. The target has already pulled the
server's state, so a local well whose API number the server knows becomes the server's well
(its `well.*` events are left out and every `well_id` pointing at it is rewritten), and a
well-day the server already holds becomes an alias of the server's record, exactly as when an
offline record meets a pulled one (`core/rebase.py`). `differences` then proves that every
record of the local store stands in the copy with its values.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fieldapp.core.database import driver
from fieldapp.core.eventlog import StoredEvent, iter_events
from fieldapp.core.inbox import day_lookup, load_aliases
from fieldapp.core.projections import COLUMNS, PRIMARY_KEYS, LoggedEvent, issues_from_json
from fieldapp.core.rebase import Rebaser
from fieldapp.core.store import Store
from shared.contracts import EventType
from shared.records import PRODUCTION_VALUE_FIELDS

BATCH = 1000  # events per write transaction of the copy
PHOTO_BATCH = 20  # photo blobs per write transaction of the copy (each up to a few MiB)
UNCOMPARED = ("version", "last_seq")  # the copy's own: server versions, new device seqs


@dataclass(frozen=True, slots=True)
class WellMap:
    """Local well id -> the server's well id with the same API number; and the API numbers of
    the local wells the server does not have (their `well.registered` events go out)."""

    ids: dict[str, str]
    missing: list[str]


@dataclass(slots=True)
class CopyReport:
    copied: int = 0
    left_out: int = 0  # well events of wells the server already has
    problems: list[str] = field(default_factory=list)


def _wells(store: Store) -> dict[str, str]:
    """API number -> well id."""
    with store.read() as conn:
        return {
            str(api): str(well_id)
            for api, well_id in conn.exec_driver_sql("SELECT api_number, well_id FROM wells")
        }


def well_map(source: Store, target: Store) -> WellMap:
    theirs = _wells(target)
    ids: dict[str, str] = {}
    missing: list[str] = []
    for api, well_id in sorted(_wells(source).items()):
        if api in theirs:
            ids[well_id] = theirs[api]
        else:
            missing.append(api)
    return WellMap(ids, missing)


def _remapped(
    event_type: str, aggregate_id: str, payload: dict[str, Any], ids: dict[str, str]
) -> dict[str, Any] | None:
    """The payload with local well ids replaced; None for a well event of a mapped well."""
    if event_type.startswith("well.") and aggregate_id in ids:
        return None
    out = dict(payload)
    if out.get("well_id") in ids:
        out["well_id"] = ids[out["well_id"]]
    if out.get("target_type") == "well" and out.get("target_id") in ids:
        out["target_id"] = ids[out["target_id"]]
    return out


def _batches(source: Store) -> Iterator[list[StoredEvent]]:
    with source.read() as conn:
        batch: list[StoredEvent] = []
        for ev in iter_events(conn):
            batch.append(ev)
            if len(batch) == BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def copy_log(source: Store, target: Store, wells: WellMap) -> CopyReport:
    """Append every event of `source` to `target` (which may hold pulled server state), and
    rebase the target's records over them as a pull would."""
    report = CopyReport()
    seqs: dict[int, int] = {}  # source device seq -> the copy's
    for batch in _batches(source):
        with target.write() as txn:
            db = txn.db
            rebaser = Rebaser(txn.rows, load_aliases(db), day_lookup(db))
            logged: list[LoggedEvent] = []
            for ev in batch:
                body = json.loads(ev.body)
                payload = _remapped(ev.event_type, ev.aggregate_id, body["payload"], wells.ids)
                if payload is None:
                    report.left_out += 1
                    continue
                flags = json.loads(ev.issues) if ev.issues != "[]" else []
                sealed = txn.append(
                    EventType(ev.event_type),
                    ev.aggregate_id,
                    payload,
                    base_version=int(body["base_version"]),
                    issues=issues_from_json(flags),
                    recorded_at=str(body["recorded_at"]),
                    project=False,
                )
                seq = int(sealed.body["device_seq"])
                seqs[ev.device_seq] = seq
                base = int(body["base_version"])
                logged.append(
                    LoggedEvent(seq, ev.event_type, ev.aggregate_id, base, payload, flags)
                )
            rebaser.reapply(logged)
            report.problems.extend(
                f"seq {ev.device_seq}: {ev.event_type} of unknown record {ev.aggregate_id}"
                for ev in rebaser.skipped
            )
            db.executemany(
                "INSERT INTO aliases (alias_id, record_id) VALUES (?, ?) ON CONFLICT (alias_id)"
                " DO UPDATE SET record_id = excluded.record_id",
                list(rebaser.new_aliases.items()),
            )
            report.copied += len(logged)
    copy_photo_bytes(source, target, seqs)
    return report


def copy_photo_bytes(source: Store, target: Store, seqs: dict[int, int]) -> None:
    """The photo bytes of `source` (its `photo_blobs`, a few at a time: they are large) and
    its upload queue, each entry pointing at the copy of the event that queued it."""
    after = ("", "")
    while True:
        with source.read() as conn:
            rows = (
                driver(conn)
                .execute(
                    "SELECT sha256, kind, data FROM photo_blobs WHERE (sha256, kind) > (?, ?)"
                    " ORDER BY sha256, kind LIMIT ?",
                    (*after, PHOTO_BATCH),
                )
                .fetchall()
            )
        if not rows:
            break
        with target.write() as txn:
            txn.db.executemany(
                "INSERT OR IGNORE INTO photo_blobs (sha256, kind, data) VALUES (?, ?, ?)", rows
            )
        after = (str(rows[-1][0]), str(rows[-1][1]))
    with source.read() as conn:
        queued = (
            driver(conn)
            .execute(
                "SELECT sha256, size, content_type, state, held_bytes, upload_id, refusal,"
                " queued_seq, updated_at FROM photo_uploads"
            )
            .fetchall()
        )
    with target.write() as txn:
        txn.db.executemany(
            "INSERT OR IGNORE INTO photo_uploads (sha256, size, content_type, state, held_bytes,"
            " upload_id, refusal, queued_seq, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row[:7], seqs.get(int(row[7]), int(row[7])), row[8]) for row in queued],
        )


def _rows(store: Store, table: str) -> dict[str, dict[str, Any]]:
    columns = COLUMNS[table]
    with store.read() as conn:
        found = driver(conn).execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    return {str(row[0]): dict(zip(columns, row, strict=True)) for row in found}


def differences(source: Store, target: Store, wells: WellMap) -> list[str]:
    """Every record of `source` that the copy does not show with the same values (empty when
    the copy is faithful). Wells the server already had keep the server's details; a well-day
    the server already held keeps the local values on the server's record."""
    with target.read() as conn:
        aliases = load_aliases(driver(conn))
    problems: list[str] = []
    for table in COLUMNS:
        key = PRIMARY_KEYS[table]
        theirs = _rows(target, table)
        for record_id, row in _rows(source, table).items():
            if table == "wells" and record_id in wells.ids:
                have = theirs.get(wells.ids[record_id])
                if have is None or have["api_number"] != row["api_number"]:
                    problems.append(f"well {row['api_number']}: not the server's well in the copy")
                continue
            want = {c: v for c, v in row.items() if c not in UNCOMPARED and c != key}
            if want.get("well_id") in wells.ids:
                want["well_id"] = wells.ids[want["well_id"]]
            if want.get("target_type") == "well" and want.get("target_id") in wells.ids:
                want["target_id"] = wells.ids[want["target_id"]]
            copy_id = aliases.get(record_id, record_id)
            if copy_id != record_id:  # the server's record of that well-day: its values
                compared = (*PRODUCTION_VALUE_FIELDS, "well_id", "production_date")
                want = {c: v for c, v in want.items() if c in compared}
            have = theirs.get(copy_id)
            if have is None:
                problems.append(f"{table} {record_id}: missing from the copy")
                continue
            diff = sorted(c for c, v in want.items() if have.get(c) != v)
            if diff:
                problems.append(f"{table} {record_id}: differs in {', '.join(diff)}")
    return problems + _missing_photo_bytes(source, target)


def _missing_photo_bytes(source: Store, target: Store) -> list[str]:
    def kept(store: Store) -> set[tuple[str, str]]:
        with store.read() as conn:
            rows = driver(conn).execute("SELECT sha256, kind FROM photo_blobs").fetchall()
        return {(str(sha), str(kind)) for sha, kind in rows}

    missing = sorted(kept(source) - kept(target))
    return [f"photo bytes {sha[:12]} ({kind}): missing from the copy" for sha, kind in missing]
