"""POST /sync/batch: one device's events, applied in device_seq order in one transaction.

Every event gets a result: accepted, duplicate (same id and hash), id_conflict (same id, other
content), conflict, or rejected (kept verbatim in quarantine with the reasons). A batch that
starts past the next expected seq is answered with `expected_seq` and applies nothing.

The push is a pipeline, each step a function over plain data (read `_ingest` top to bottom):

1. parse: the request's events by id (`screening.Pushed`); a request that cannot be taken at
   all is refused whole (`BatchRefused`);
2. lock: one pipelined round trip sets the tenant, locks the device and organization rows and
   reads the events the org already holds (`heads.lock_heads` -> `Heads`); in this process an
   asyncio gate per org queues batches before they take a connection;
3. authenticate: duplicates and id conflicts answered, then each new event's seq, hash,
   signature, chain and contract checked (`screening.screen` -> `Screened`: `Checked` events);
4. read: everything the events refer to, in one or two round trips
   (`batch_state.load_state` -> `BatchState`);
5. validate and detect conflicts: each event's handler checks it against the state and
   returns its `Effect` (`apply.HANDLERS`: `production`, `record_events`, `resolutions`;
   conflicts by `effects.change` over `merge.decide`);
6. stage: each effect written into the state and the rows to write, with its server seqs
   (`apply.stage`, run by `apply.apply_events` -> `Applied`);
7. write: one pipelined round trip writes every table with one statement each
   (`writes.flush`, which also refreshes the aggregates of the changed well-days:
   `analytics_refresh`), the quarantine, and the device's and org's heads
   (`heads.write_heads`);
8. receipts: a result per event, in request order (`screening.result_of`).

Should the database still refuse the set (a constraint the checks did not foresee), nothing was
written: the request runs again one event at a time in savepoints, so only the offending event
is rejected.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg

from shared.contracts import PROTOCOL_VERSION, BatchRequest, BatchResponse, EventResult
from sync_server.db.pool import Conn, Database
from sync_server.services.apply import Applied, apply_events
from sync_server.services.batch_state import BatchState, load_state
from sync_server.services.checks import reason
from sync_server.services.effects import Context
from sync_server.services.heads import OrgHead, lock_heads, write_heads
from sync_server.services.org_settings import thresholds_of
from sync_server.services.screening import (
    Answer,
    Checked,
    Pushed,
    result_of,
    screen,
    uuid_or_none,
)
from sync_server.services.tables import insert
from sync_server.services.tokens import Principal
from sync_server.services.writes import QUARANTINE, flush, to_json

_REFUSED = (psycopg.errors.IntegrityError, psycopg.errors.DataError)
# a lock not granted within heads.LOCK_TIMEOUT, or a deadlock: nothing was written, and the
# client retries
_BUSY = (psycopg.errors.LockNotAvailable, psycopg.errors.TransactionRollback)


class BatchRefused(Exception):
    """The whole request is refused (wrong protocol, device or size); nothing was written."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


async def ingest_batch(db: Database, who: Principal, req: BatchRequest) -> BatchResponse:
    pushed = parse(who, req)
    try:
        async with db.org_gate(who.org_id):
            try:
                return await _ingest(db, who, pushed, one_by_one=False)
            except _REFUSED:  # rolled back whole: again, each event in a savepoint of its own
                return await _ingest(db, who, pushed, one_by_one=True)
    except _BUSY:
        raise BatchRefused(
            503, "the organization is busy with another batch; retry shortly", retry_after=2
        ) from None


def parse(who: Principal, req: BatchRequest) -> Pushed:
    """The request's events by id, or BatchRefused when it cannot be taken at all."""
    if req.protocol_version != PROTOCOL_VERSION:
        raise BatchRefused(
            400,
            f"protocol_version {req.protocol_version} is not supported;"
            f" this server speaks {PROTOCOL_VERSION}",
        )
    if req.device_id != who.device_id:
        raise BatchRefused(403, "device_id is not the device of this access token")
    pushed = Pushed.of(req)
    if len(pushed.by_id) != len(pushed.events):
        raise BatchRefused(422, "an event_id appears more than once in the batch")
    return pushed


async def _ingest(
    db: Database, who: Principal, pushed: Pushed, *, one_by_one: bool
) -> BatchResponse:
    async with db.unscoped() as conn:
        heads = await lock_heads(conn, who, pushed.ids())
        if heads.device is None or heads.org is None:
            raise BatchRefused(403, "unknown device")
        screened = screen(who, pushed, heads.device, heads.known)
        if screened.expected_seq is not None:
            return BatchResponse(results=[], expected_seq=screened.expected_seq)
        ctx = context(who, heads.org)
        if one_by_one:  # written as it goes: nothing is left in the state or the rows
            state = BatchState()
            applied = await _one_by_one(conn, ctx, screened.checked, heads.org.last_seq)
        else:
            state = await load_state(
                conn, screened.checked, ctx.rules.history_days, ctx.rules.timezone
            )
            applied = apply_events(ctx, state, screened.checked, heads.org.last_seq)
        answers = {**screened.answers, **applied.answers}
        async with conn.pipeline():
            await flush(conn, who.org_id, state, applied.rows)
            await _quarantine(conn, who, pushed, answers)
            moved = applied.last_seq if applied.last_seq != heads.org.last_seq else None
            await write_heads(conn, who, screened.head, moved)
    return receipts(pushed, answers)


def context(who: Principal, org: OrgHead) -> Context:
    return Context(
        org_id=who.org_id,
        user_id=who.user_id,
        device_id=who.device_id,
        role=who.role,
        policy=org.policy,
        today=datetime.now(ZoneInfo(org.timezone)).date(),
        rules=thresholds_of(org.timezone, org.validation),
    )


def receipts(pushed: Pushed, answers: dict[str, Answer]) -> BatchResponse:
    return BatchResponse(
        results=[result_of(event_id, answers[event_id]) for event_id in pushed.by_id]
    )


async def _one_by_one(conn: Conn, ctx: Context, items: list[Checked], last_seq: int) -> Applied:
    """Each event in a savepoint of its own: the database's refusal rejects only that event."""
    done = Applied(last_seq=last_seq)
    for item in items:
        event_id = str(item.envelope.event_id)
        try:
            async with conn.transaction():
                state = await load_state(conn, [item], ctx.rules.history_days, ctx.rules.timezone)
                part = apply_events(ctx, state, [item], done.last_seq)
                await flush(conn, ctx.org_id, state, part.rows)
        except _REFUSED as exc:
            done.answers[event_id] = _refusal(event_id, exc)
            continue
        done.answers.update(part.answers)
        done.last_seq = part.last_seq
    return done


def _refusal(event_id: str, exc: psycopg.Error) -> Answer:
    """What the database's refusal of one event means for the device."""
    constraint = exc.diag.constraint_name or ""
    if constraint == "events_event_id_key":  # the id is taken (by another organization)
        return EventResult(event_id=event_id, status="id_conflict")
    if isinstance(exc, psycopg.errors.UniqueViolation) and constraint.endswith("_pkey"):
        return [reason("aggregate_exists", "this record id is already in use")]
    return [reason("constraint", f"refused by {exc.diag.message_primary or 'a constraint'}")]


async def _quarantine(
    conn: Conn, who: Principal, pushed: Pushed, answers: dict[str, Answer]
) -> None:
    """Every rejected event verbatim (json keeps its text), with its reasons, in one statement."""
    rows = [
        {
            "device_id": who.device_id,
            "event_id": uuid_or_none(event_id),
            "envelope": to_json(pushed.by_id[event_id]),
            "reasons": to_json([r.model_dump() for r in answer]),
        }
        for event_id, answer in answers.items()
        if isinstance(answer, list)
    ]
    await insert(conn, QUARANTINE, who.org_id, rows)
