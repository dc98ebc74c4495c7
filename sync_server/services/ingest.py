"""POST /sync/batch: one device's events, applied in device_seq order in one transaction.

Every event gets a result: accepted, duplicate (same id and hash), id_conflict (same id, other
content), conflict, or rejected (kept verbatim in quarantine with the reasons). A batch that
starts past the next expected seq is answered with `expected_seq` and applies nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import psycopg

from shared.contracts import (
    PROTOCOL_VERSION,
    BatchRequest,
    BatchResponse,
    EventEnvelope,
    EventResult,
)
from shared.validation import Thresholds
from sync_server.db.pool import Conn, Database
from sync_server.services import production
from sync_server.services.checks import Rejected, check_envelope, reason
from sync_server.services.tokens import Principal


class BatchRefused(Exception):
    """The whole request is refused (wrong protocol, device or size); nothing was written."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _seq(raw: dict[str, Any]) -> int:
    value = raw.get("device_seq")
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


async def ingest_batch(db: Database, who: Principal, req: BatchRequest) -> BatchResponse:
    if req.protocol_version != PROTOCOL_VERSION:
        raise BatchRefused(400, f"protocol_version {req.protocol_version} is not supported;"
                                f" this server speaks {PROTOCOL_VERSION}")  # fmt: skip
    if req.device_id != who.device_id:
        raise BatchRefused(403, "device_id is not the device of this access token")
    async with db.tenant(who.org_id) as conn:
        device = await (
            await conn.execute(
                "SELECT secret, last_seq, last_hash FROM devices WHERE id = %s FOR UPDATE",
                (who.device_id,),
            )
        ).fetchone()
        if device is None:
            raise BatchRefused(403, "unknown device")
        org = await (
            await conn.execute(
                "SELECT conflict_policy, timezone FROM organizations WHERE id = %s", (who.org_id,)
            )
        ).fetchone()
        by_id = {str(raw.get("event_id")): raw for raw in req.events}
        ids = [u for u in map(_uuid_or_none, by_id) if u is not None]
        known = {
            str(r["event_id"]): r
            for r in await (
                await conn.execute(
                    "SELECT event_id, hash, server_seq, result_version FROM events"
                    " WHERE event_id = ANY(%s)",
                    (ids,),
                )
            ).fetchall()
        }
        last_seq, last_hash = int(device["last_seq"]), str(device["last_hash"])
        fresh = sorted((r for r in req.events if str(r.get("event_id")) not in known), key=_seq)
        if fresh and _seq(fresh[0]) > last_seq + 1:
            return BatchResponse(results=[], expected_seq=last_seq + 1)
        results: dict[str, EventResult] = {}
        for event_id, row in known.items():
            same = row["hash"] == by_id[event_id].get("hash")
            results[event_id] = EventResult(
                event_id=event_id,
                status="duplicate" if same else "id_conflict",
                server_seq=row["server_seq"] if same else None,
                version=row["result_version"] if same else None,
            )
        tz = ZoneInfo(str(org["timezone"])) if org else ZoneInfo("UTC")
        rules = Thresholds(timezone=str(org["timezone"])) if org else Thresholds()
        today = datetime.now(tz).date()
        policy = str(org["conflict_policy"]) if org else "last_write_wins"
        for raw in fresh:
            seq = _seq(raw)
            event_id = str(raw.get("event_id"))
            if seq != last_seq + 1:
                results[event_id] = await _reject(
                    conn,
                    who,
                    raw,
                    reason("seq", f"device_seq {seq} where {last_seq + 1} was expected"),
                )
                continue
            results[event_id] = await _one(
                conn, who, raw, device["secret"], last_hash, today, rules, policy
            )
            last_seq, last_hash = seq, str(raw.get("hash", ""))
        await conn.execute(
            "UPDATE devices SET last_seq = %s, last_hash = %s WHERE id = %s",
            (last_seq, last_hash, who.device_id),
        )
    return BatchResponse(results=[results[str(r.get("event_id"))] for r in req.events])


async def _one(
    conn: Conn, who: Principal, raw: dict[str, Any], secret: str, prev_hash: str,
    today: Any, rules: Thresholds, policy: str,
) -> EventResult:  # fmt: skip
    try:
        envelope = check_envelope(
            raw, org_id=who.org_id, device_id=who.device_id, secret=secret, prev_hash=prev_hash
        )
    except Rejected as exc:
        return await _reject(conn, who, raw, *exc.reasons)
    seq_row = await (await conn.execute("SELECT next_server_seq(%s) AS s", (who.org_id,))).fetchone()
    assert seq_row is not None
    server_seq = int(seq_row["s"])
    ctx = production.Context(
        who.org_id, who.user_id, who.device_id, envelope.event_id, server_seq, policy, today, rules
    )
    try:
        async with conn.transaction():  # a savepoint: a rejected apply leaves no trace
            try:
                outcome = await _apply(conn, ctx, envelope)
            except psycopg.errors.IntegrityError as exc:
                detail = exc.diag.message_primary or "a database constraint"
                raise Rejected(reason("constraint", f"refused by {detail}")) from None
            inserted = await (
                await conn.execute(
                    "INSERT INTO events (server_seq, event_id, org_id, device_id, device_seq,"
                    " event_type, aggregate_id, base_version, result_version, hash, envelope)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                    " ON CONFLICT (event_id) DO NOTHING RETURNING server_seq",
                    (
                        server_seq,
                        envelope.event_id,
                        who.org_id,
                        who.device_id,
                        envelope.device_seq,
                        str(envelope.event_type),
                        envelope.aggregate_id,
                        envelope.base_version,
                        outcome.version if outcome else None,
                        envelope.hash,
                        json.dumps(raw),
                    ),
                )
            ).fetchone()
            if inserted is None:
                raise Rejected(reason("event_id", "this event_id is already taken"))
    except Rejected as exc:
        if exc.reasons and exc.reasons[0].rule == "event_id":
            return EventResult(event_id=str(envelope.event_id), status="id_conflict")
        return await _reject(conn, who, raw, *exc.reasons)
    if outcome is None:
        return EventResult(
            event_id=str(envelope.event_id), status="accepted", server_seq=server_seq
        )
    return EventResult(
        event_id=str(envelope.event_id),
        status="conflict" if outcome.status == "conflict" else "accepted",
        server_seq=server_seq,
        version=outcome.version,
        merged=outcome.merged or None,
        conflict_id=outcome.conflict_id,
    )


async def _apply(
    conn: Conn, ctx: production.Context, envelope: EventEnvelope
) -> production.Outcome | None:
    kind, payload = str(envelope.event_type), envelope.payload
    if kind == "production.recorded":
        return await production.record(conn, ctx, envelope.aggregate_id, payload)
    if kind == "production.corrected":
        return await production.change(
            conn, ctx, envelope.aggregate_id, envelope.base_version, payload["changes"]
        )
    if kind == "production.voided":
        return await production.void(conn, ctx, envelope.aggregate_id)
    return None  # other types are stored and served; their server projections come later


async def _reject(conn: Conn, who: Principal, raw: dict[str, Any], *reasons: Any) -> EventResult:
    event_id = raw.get("event_id")
    await conn.execute(
        "INSERT INTO quarantine (org_id, device_id, event_id, envelope, reasons)"
        " VALUES (%s, %s, %s, %s, %s)",
        (who.org_id, who.device_id, _uuid_or_none(event_id), json.dumps(raw),
         json.dumps([r.model_dump() for r in reasons])),
    )  # fmt: skip
    return EventResult(event_id=str(event_id), status="rejected", reasons=list(reasons))


def _uuid_or_none(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None
