"""Screening a pushed batch before anything is applied: which events the org already holds
(duplicates, id conflicts), where the device's sequence stands, and the envelope checks (hash,
signature, chain, contract) of each new event in device_seq order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from shared.contracts import BatchRequest, Contract, EventEnvelope, EventResult, Reason
from sync_server.services.checks import Rejected, check_envelope, reason
from sync_server.services.heads import ChainHead, DeviceHead, KnownEvent
from sync_server.services.tokens import Principal

Answer = EventResult | list[Reason]  # a result, or the reasons of a rejection


@dataclass(frozen=True, slots=True)
class Pushed:
    """The events of a request as received, in request order and by event id."""

    events: list[dict[str, Any]]
    by_id: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, req: BatchRequest) -> Pushed:
        return cls(req.events, {event_id_of(raw): raw for raw in req.events})

    def ids(self) -> list[UUID]:
        """The event ids that are UUIDs (the others cannot be known)."""
        return [u for u in map(uuid_or_none, self.by_id) if u is not None]


@dataclass(slots=True)  # one per event, never changed (not frozen: that is slower to make)
class Checked:
    """A pushed event that passed the envelope checks: as received, parsed, and its payload."""

    raw: dict[str, Any]
    envelope: EventEnvelope
    payload: Contract


@dataclass(slots=True)
class Screened:
    """The new events that passed, in seq order; the answers found so far (duplicates, id
    conflicts, rejections); and the device's chain head after the batch. `expected_seq`: the
    batch starts past the device's next seq, and nothing of it may be applied."""

    checked: list[Checked]
    answers: dict[str, Answer]
    head: ChainHead
    expected_seq: int | None = None


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


def known_answers(known: list[KnownEvent], pushed: Pushed) -> dict[str, Answer]:
    """Events the org already holds: a duplicate when the hash is the same (with the original
    seq and version), else an id conflict."""
    answers: dict[str, Answer] = {}
    for row in known:
        same = row.hash == pushed.by_id[row.event_id].get("hash")
        answers[row.event_id] = EventResult(
            event_id=row.event_id,
            status="duplicate" if same else "id_conflict",
            server_seq=row.server_seq if same else None,
            version=row.result_version if same else None,
        )
    return answers


def result_of(event_id: str, answer: Answer) -> EventResult:
    if isinstance(answer, EventResult):
        return answer
    return EventResult(event_id=event_id, status="rejected", reasons=answer)


def _unseen(answer: Answer | None) -> bool:
    """New to the org, or an id it holds with other content (which still takes a place in the
    device's chain): everything but a duplicate."""
    return not (isinstance(answer, EventResult) and answer.status == "duplicate")


def screen(who: Principal, pushed: Pushed, device: DeviceHead, known: list[KnownEvent]) -> Screened:
    """Answer the known events, and check each new one in seq order (rejections go into the
    answers); a rejected event still takes its place in the device's chain."""
    answers = known_answers(known, pushed)
    fresh = sorted((r for r in pushed.events if _unseen(answers.get(event_id_of(r)))), key=seq_of)
    last_seq, last_hash = device.head.seq, device.head.hash
    if fresh and seq_of(fresh[0]) > last_seq + 1:
        return Screened([], answers, device.head, expected_seq=last_seq + 1)
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
                secret=device.secret,
                prev_hash=last_hash,
            )
            checked.append(Checked(raw, envelope, payload))
        except Rejected as exc:
            answers[event_id] = exc.reasons
        last_seq, last_hash = seq, str(raw.get("hash", ""))
    return Screened(checked, answers, ChainHead(seq=last_seq, hash=last_hash))
