"""POST /sync/batch: one device's events, applied in device_seq order in one transaction.

Every event gets a result: accepted, duplicate (same id and hash), id_conflict (same id, other
content), conflict, or rejected (kept verbatim in quarantine with the reasons). A batch that
starts past the next expected seq is answered with `expected_seq` and applies nothing.

The work is set-based and keeps round trips few:
1. one pipelined round trip sets the tenant, locks the device row (one batch per device at a
   time) and the org row (held until commit, so the org's server seqs follow commit order:
   migration 0002), and reads the events the org already holds (`screening`); in this process
   an asyncio gate per org queues batches before they take a connection;
2. the new events are checked in Python; everything they refer to is read in one or two round
   trips (`batch_state`);
3. the batch is applied in memory (`batch`), and one pipelined round trip writes every table
   with one statement each (`writes`), the quarantine, and the device's and org's heads.
Should the database still refuse the set (a constraint the checks did not foresee), nothing was
written: the request runs again one event at a time in savepoints, so only the offending event
is rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from shared.contracts import PROTOCOL_VERSION, BatchRequest, BatchResponse, EventResult, EventType
from shared.validation import Thresholds
from sync_server.db.pool import TENANT_SQL, Conn, Database
from sync_server.services import aggregates, production
from sync_server.services.batch import Batch, Context, Outcome
from sync_server.services.batch_state import Checked, load_state
from sync_server.services.checks import Rejected, reason
from sync_server.services.resolutions import conflict_resolved
from sync_server.services.screening import (
    KNOWN_EVENTS,
    Answer,
    event_id_of,
    known_answers,
    known_ids,
    result_of,
    screen,
    seq_of,
    uuid_or_none,
)
from sync_server.services.tokens import Principal
from sync_server.services.writes import flush, to_json

APPLIERS: dict[EventType, Callable[[Batch, Checked], Outcome]] = {
    EventType.PRODUCTION_RECORDED: production.recorded,
    EventType.PRODUCTION_CORRECTED: production.corrected,
    EventType.PRODUCTION_VOIDED: production.voided,
    EventType.EQUIPMENT_ADDED: aggregates.equipment_added,
    EventType.EQUIPMENT_UPDATED: aggregates.equipment_updated,
    EventType.MAINTENANCE_LOGGED: aggregates.maintenance_logged,
    EventType.INCIDENT_REPORTED: aggregates.incident_reported,
    EventType.PHOTO_ATTACHED: aggregates.photo_attached,
    EventType.WELL_REGISTERED: aggregates.well_registered,
    EventType.WELL_UPDATED: aggregates.well_updated,
    EventType.CONFLICT_RESOLVED: conflict_resolved,
}

_DEVICE = "SELECT secret, last_seq, last_hash FROM devices WHERE id = %s FOR NO KEY UPDATE"
_ORG = (  # held until commit: the org's server seqs follow commit order (migration 0002)
    "SELECT conflict_policy, timezone, last_seq FROM organizations WHERE id = %s FOR NO KEY UPDATE"
)
_REFUSED = (psycopg.errors.IntegrityError, psycopg.errors.DataError)
# a lock not granted within LOCK_TIMEOUT, or a deadlock: nothing was written, the client retries
_BUSY = (psycopg.errors.LockNotAvailable, psycopg.errors.TransactionRollback)
LOCK_TIMEOUT = "10s"


class BatchRefused(Exception):
    """The whole request is refused (wrong protocol, device or size); nothing was written."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


async def ingest_batch(db: Database, who: Principal, req: BatchRequest) -> BatchResponse:
    if req.protocol_version != PROTOCOL_VERSION:
        raise BatchRefused(
            400,
            f"protocol_version {req.protocol_version} is not supported;"
            f" this server speaks {PROTOCOL_VERSION}",
        )
    if req.device_id != who.device_id:
        raise BatchRefused(403, "device_id is not the device of this access token")
    if len({event_id_of(raw) for raw in req.events}) != len(req.events):
        raise BatchRefused(422, "an event_id appears more than once in the batch")
    try:
        async with db.org_gate(who.org_id):
            try:
                return await _ingest(db, who, req, one_by_one=False)
            except _REFUSED:  # rolled back whole: again, each event in a savepoint of its own
                return await _ingest(db, who, req, one_by_one=True)
    except _BUSY:
        raise BatchRefused(
            503, "the organization is busy with another batch; retry shortly", retry_after=2
        ) from None


async def _ingest(
    db: Database, who: Principal, req: BatchRequest, *, one_by_one: bool
) -> BatchResponse:
    by_id = {event_id_of(raw): raw for raw in req.events}
    async with db.unscoped() as conn:
        async with conn.pipeline():
            await conn.execute(TENANT_SQL, (str(who.org_id),))
            await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            devices = await conn.execute(_DEVICE, (who.device_id,))
            orgs = await conn.execute(_ORG, (who.org_id,))
            known = await conn.execute(KNOWN_EVENTS, (known_ids(by_id),))
        device, org = await devices.fetchone(), await orgs.fetchone()
        if org is None or device is None:
            raise BatchRefused(403, "unknown device")
        answers = known_answers(await known.fetchall(), by_id)
        fresh = sorted((r for r in req.events if _unseen(answers.get(event_id_of(r)))), key=seq_of)
        if fresh and seq_of(fresh[0]) > int(device["last_seq"]) + 1:
            return BatchResponse(results=[], expected_seq=int(device["last_seq"]) + 1)
        checked, head = screen(
            who,
            fresh,
            answers,
            last_seq=int(device["last_seq"]),
            last_hash=str(device["last_hash"]),
            secret=str(device["secret"]),
        )
        ctx = _context(who, org)
        if one_by_one:
            applied, seq = await _one_by_one(conn, ctx, checked, int(org["last_seq"]))
            batch = None
        else:
            applied, batch = await _in_memory(conn, ctx, checked, int(org["last_seq"]))
            seq = batch.seq if batch is not None else None
        answers.update(applied)
        async with conn.pipeline():
            if batch is not None:
                await flush(conn, who.org_id, batch.state, batch.writes)
            await _quarantine(conn, who, by_id, answers)
            await conn.execute(
                "UPDATE devices SET last_seq = %s, last_hash = %s WHERE id = %s",
                (*head, who.device_id),
            )
            if seq is not None:
                await conn.execute(
                    "UPDATE organizations SET last_seq = %s WHERE id = %s", (seq, who.org_id)
                )
    return BatchResponse(results=[result_of(e, answers[e]) for e in map(event_id_of, req.events)])


def _unseen(answer: Answer | None) -> bool:
    """New to the org, or an id it holds with other content (which still takes a place in the
    device's chain): everything but a duplicate."""
    return not (isinstance(answer, EventResult) and answer.status == "duplicate")


def _context(who: Principal, org: dict[str, Any]) -> Context:
    tz = str(org["timezone"])
    return Context(
        who.org_id,
        who.user_id,
        who.device_id,
        who.role,
        str(org["conflict_policy"]),
        datetime.now(ZoneInfo(tz)).date(),
        Thresholds(timezone=tz),
    )


def _apply_all(batch: Batch, items: list[Checked]) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for item in items:
        batch.item = item
        event_id = str(item.envelope.event_id)
        try:
            outcome = APPLIERS[item.envelope.event_type](batch, item)
        except Rejected as exc:
            answers[event_id] = exc.reasons
            continue
        answers[event_id] = batch.store_event(item, outcome, to_json(item.raw))
    return answers


async def _in_memory(
    conn: Conn, ctx: Context, items: list[Checked], last_seq: int
) -> tuple[dict[str, Answer], Batch | None]:
    """Read the state the events need and apply them in memory."""
    if not items:
        return {}, None
    batch = Batch(ctx, await load_state(conn, items, ctx.rules.history_days), last_seq)
    return _apply_all(batch, items), batch


async def _one_by_one(
    conn: Conn, ctx: Context, items: list[Checked], seq: int
) -> tuple[dict[str, Answer], int | None]:
    """Each event in a savepoint of its own: the database's refusal rejects only that event."""
    if not items:
        return {}, None
    answers: dict[str, Answer] = {}
    for item in items:
        event_id = str(item.envelope.event_id)
        try:
            async with conn.transaction():
                batch = Batch(ctx, await load_state(conn, [item], ctx.rules.history_days), seq)
                part = _apply_all(batch, [item])
                await flush(conn, ctx.org_id, batch.state, batch.writes)
        except _REFUSED as exc:
            answers[event_id] = _refusal(event_id, exc)
            continue
        answers.update(part)
        seq = batch.seq
    return answers, seq


def _refusal(event_id: str, exc: psycopg.Error) -> Answer:
    """What the database's refusal of one event means for the device."""
    constraint = exc.diag.constraint_name or ""
    if constraint == "events_event_id_key":  # the id is taken (by another organization)
        return EventResult(event_id=event_id, status="id_conflict")
    if isinstance(exc, psycopg.errors.UniqueViolation) and constraint.endswith("_pkey"):
        return [reason("aggregate_exists", "this record id is already in use")]
    return [reason("constraint", f"refused by {exc.diag.message_primary or 'a constraint'}")]


async def _quarantine(
    conn: Conn, who: Principal, by_id: dict[str, dict[str, Any]], answers: dict[str, Answer]
) -> None:
    """Every rejected event verbatim (json keeps its text), with its reasons, in one statement."""
    rows = [
        (uuid_or_none(eid), to_json(by_id[eid]), to_json([r.model_dump() for r in a]))
        for eid, a in answers.items()
        if isinstance(a, list)
    ]
    if rows:
        ids, envelopes, reasons = (list(c) for c in zip(*rows, strict=True))
        await conn.execute(
            "INSERT INTO quarantine (org_id, device_id, event_id, envelope, reasons)"
            " SELECT %s, %s, e, v::json, r::jsonb"
            " FROM unnest(%b::uuid[], %b::text[], %b::text[]) AS u(e, v, r)",
            (who.org_id, who.device_id, ids, envelopes, reasons),
        )
