"""Screening a pushed batch before anything is applied: which events the org already holds
(duplicates, id conflicts), where the device's sequence stands, and the envelope checks (hash,
signature, chain, contract) of each new event in device_seq order."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from shared.contracts import EventResult, Reason
from sync_server.services.batch_state import Checked
from sync_server.services.checks import Rejected, check_envelope, reason
from sync_server.services.tokens import Principal

Answer = EventResult | list[Reason]  # a result, or the reasons of a rejection

KNOWN_EVENTS = (
    "SELECT event_id, hash, server_seq, result_version FROM events WHERE event_id = ANY(%s)"
)


def seq_of(raw: dict[str, Any]) -> int:
    value = raw.get("device_seq")
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def event_id_of(raw: dict[str, Any]) -> str:
    return str(raw.get("event_id"))


def uuid_or_none(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def known_ids(by_id: dict[str, dict[str, Any]]) -> list[UUID]:
    return [u for u in map(uuid_or_none, by_id) if u is not None]


def known_answers(
    rows: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]
) -> dict[str, Answer]:
    """Events the org already holds (rows of KNOWN_EVENTS): a duplicate when the hash is the
    same (with the original seq and version), else an id conflict."""
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


def result_of(event_id: str, answer: Answer) -> EventResult:
    if isinstance(answer, EventResult):
        return answer
    return EventResult(event_id=event_id, status="rejected", reasons=answer)


def screen(
    who: Principal,
    fresh: list[dict[str, Any]],
    answers: dict[str, Answer],
    *,
    last_seq: int,
    last_hash: str,
    secret: str,
) -> tuple[list[Checked], tuple[int, str]]:
    """Check each new event in seq order (rejections go into `answers`); returns the ones that
    passed and the device's new chain head (a rejected event still takes its place in it)."""
    checked: list[Checked] = []
    for raw in fresh:
        seq, event_id = seq_of(raw), event_id_of(raw)
        if event_id in answers:  # an id the org holds with other content: answered already,
            if seq == last_seq + 1:  # but it still takes its place in the device's chain
                last_seq, last_hash = seq, str(raw.get("hash", ""))
            continue
        if seq != last_seq + 1:
            expected = f"device_seq {seq} where {last_seq + 1} was expected"
            answers[event_id] = [reason("seq", expected)]
            continue
        try:
            envelope, payload = check_envelope(
                raw,
                org_id=who.org_id,
                device_id=who.device_id,
                secret=secret,
                prev_hash=last_hash,
            )
            checked.append(Checked(raw, envelope, payload))
        except Rejected as exc:
            answers[event_id] = exc.reasons
        last_seq, last_hash = seq, str(raw.get("hash", ""))
    return checked, (last_seq, last_hash)
