"""POST /sync/batch: one device's events, applied in device_seq order in one transaction.

Every event gets a result: accepted, duplicate (same id and hash), id_conflict (same id, other
content), conflict, or rejected (kept verbatim in quarantine with the reasons). A batch that
starts past the next expected seq is answered with `expected_seq` and applies nothing.

The work is set-based: the organization's row is locked (which orders its server seqs with
commits, see migration 0002), the batch's events are checked in Python, everything they refer to
is read in a few queries (`batch_state`), they are applied in memory (`batch`), and each table is
written with one statement (`writes`). Should the database still refuse the set (a constraint
the checks did not foresee), the batch is replayed one event at a time in savepoints so only the
offending event is rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import psycopg

from shared.contracts import (
    PROTOCOL_VERSION,
    BatchRequest,
    BatchResponse,
    EventResult,
    EventType,
    Reason,
)
from shared.validation import Thresholds
from sync_server.db.pool import Conn, Database
from sync_server.services import aggregates, production
from sync_server.services.batch import Batch, Context, Outcome
from sync_server.services.batch_state import Checked, load_state
from sync_server.services.checks import Rejected, check_envelope, reason
from sync_server.services.resolutions import conflict_resolved
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

Answer = EventResult | list[Reason]  # a result, or the reasons of a rejection


class BatchRefused(Exception):
    """The whole request is refused (wrong protocol, device or size); nothing was written."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _seq(raw: dict[str, Any]) -> int:
    value = raw.get("device_seq")
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


async def _one_row(conn: Conn, sql: str, params: Any) -> dict[str, Any] | None:
    return await (await conn.execute(sql, params)).fetchone()


async def ingest_batch(db: Database, who: Principal, req: BatchRequest) -> BatchResponse:
    if req.protocol_version != PROTOCOL_VERSION:
        raise BatchRefused(400, f"protocol_version {req.protocol_version} is not supported;"
                                f" this server speaks {PROTOCOL_VERSION}")  # fmt: skip
    if req.device_id != who.device_id:
        raise BatchRefused(403, "device_id is not the device of this access token")
    by_id = {str(raw.get("event_id")): raw for raw in req.events}
    async with db.tenant(who.org_id) as conn:
        org = await _one_row(
            conn, "SELECT conflict_policy, timezone, last_seq FROM organizations WHERE id = %s"
            " FOR NO KEY UPDATE", (who.org_id,),
        )  # fmt: skip
        device = await _one_row(
            conn, "SELECT secret, last_seq, last_hash FROM devices WHERE id = %s", (who.device_id,)
        )
        if org is None or device is None:
            raise BatchRefused(403, "unknown device")
        answers: dict[str, Answer] = await _known(conn, by_id)
        fresh = sorted((r for r in req.events if str(r.get("event_id")) not in answers), key=_seq)
        last_seq = int(device["last_seq"])
        if fresh and _seq(fresh[0]) > last_seq + 1:
            return BatchResponse(results=[], expected_seq=last_seq + 1)
        checked, head = _check(who, fresh, answers, last_seq, str(device["last_hash"]), device)
        tz = str(org["timezone"])
        ctx = Context(who.org_id, who.user_id, who.device_id, who.role,
                      str(org["conflict_policy"]), datetime.now(ZoneInfo(tz)).date(),
                      Thresholds(timezone=tz))  # fmt: skip
        applied, seq = await _apply(conn, ctx, checked, int(org["last_seq"]))
        answers.update(applied)
        await _quarantine(conn, who, by_id, answers)
        await conn.execute(
            "UPDATE devices SET last_seq = %s, last_hash = %s WHERE id = %s",
            (*head, who.device_id),
        )
        await conn.execute(
            "UPDATE organizations SET last_seq = %s WHERE id = %s", (seq, who.org_id)
        )
    return BatchResponse(results=[_result(eid, answers[eid]) for eid in map(_event_id, req.events)])


def _event_id(raw: dict[str, Any]) -> str:
    return str(raw.get("event_id"))


def _result(event_id: str, answer: Answer) -> EventResult:
    if isinstance(answer, EventResult):
        return answer
    return EventResult(event_id=event_id, status="rejected", reasons=answer)


async def _known(conn: Conn, by_id: dict[str, dict[str, Any]]) -> dict[str, Answer]:
    """Events this org already holds: duplicates (same hash) or id conflicts."""
    ids = [u for u in map(_uuid_or_none, by_id) if u is not None]
    rows = await (
        await conn.execute(
            "SELECT event_id, hash, server_seq, result_version FROM events"
            " WHERE event_id = ANY(%s)",
            (ids,),
        )
    ).fetchall()
    answers: dict[str, Answer] = {}
    for row in rows:
        event_id = str(row["event_id"])
        same = row["hash"] == by_id[event_id].get("hash")
        answers[event_id] = EventResult(
            event_id=event_id,
            status="duplicate" if same else "id_conflict",
            server_seq=row["server_seq"] if same else None,
            version=row["result_version"] if same else None,
        )
    return answers


def _check(
    who: Principal, fresh: list[dict[str, Any]], answers: dict[str, Answer], last_seq: int,
    last_hash: str, device: dict[str, Any],
) -> tuple[list[Checked], tuple[int, str]]:  # fmt: skip
    """Envelope, hash, signature, chain and contract of each new event, in seq order; returns
    the ones that passed and the device's new chain head."""
    checked: list[Checked] = []
    for raw in fresh:
        seq, event_id = _seq(raw), _event_id(raw)
        if seq != last_seq + 1:
            answers[event_id] = [
                reason("seq", f"device_seq {seq} where {last_seq + 1} was expected")
            ]
            continue
        try:
            envelope, payload = check_envelope(
                raw, org_id=who.org_id, device_id=who.device_id, secret=str(device["secret"]),
                prev_hash=last_hash,
            )  # fmt: skip
            checked.append(Checked(raw, envelope, payload))
        except Rejected as exc:
            answers[event_id] = exc.reasons
        last_seq, last_hash = seq, str(raw.get("hash", ""))
    return checked, (last_seq, last_hash)


async def _apply_set(
    conn: Conn, ctx: Context, items: list[Checked], last_seq: int
) -> tuple[dict[str, Answer], int]:
    state = await load_state(conn, items, ctx.rules.history_days)
    batch = Batch(ctx, state, last_seq)
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
    await flush(conn, ctx.org_id, state, batch.writes)
    return answers, batch.seq


async def _apply(
    conn: Conn, ctx: Context, items: list[Checked], last_seq: int
) -> tuple[dict[str, Answer], int]:
    """The whole set at once; if the database refuses it, one event at a time."""
    if not items:
        return {}, last_seq
    try:
        async with conn.transaction():
            return await _apply_set(conn, ctx, items, last_seq)
    except (psycopg.errors.IntegrityError, psycopg.errors.DataError):
        pass
    answers: dict[str, Answer] = {}
    seq = last_seq
    for item in items:
        event_id = str(item.envelope.event_id)
        try:
            async with conn.transaction():
                part, seq_after = await _apply_set(conn, ctx, [item], seq)
        except (psycopg.errors.IntegrityError, psycopg.errors.DataError) as exc:
            answers[event_id] = _refusal(event_id, exc)
            continue
        answers.update(part)
        seq = seq_after
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
    """Every rejected event verbatim, with its reasons, in one statement."""
    rows = [(_uuid_or_none(eid), to_json(by_id[eid]), to_json([r.model_dump() for r in a]))
            for eid, a in answers.items() if isinstance(a, list)]  # fmt: skip
    if rows:
        ids, envelopes, reasons = (list(c) for c in zip(*rows, strict=True))
        await conn.execute(
            "INSERT INTO quarantine (org_id, device_id, event_id, envelope, reasons)"
            " SELECT %s, %s, e, v::json, r::jsonb"
            " FROM unnest(%b::uuid[], %b::text[], %b::text[]) AS u(e, v, r)",
            (who.org_id, who.device_id, ids, envelopes, reasons),
        )


def _uuid_or_none(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None
