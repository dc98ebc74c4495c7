from __future__ import annotations

import hashlib
import json
from datetime import date
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from shared.contracts import EventEnvelope, EventType, ProductionRecorded
from shared.events import (
    DeviceIdentity,
    build_event,
    canonical_json,
    check_chain,
    event_hash,
    sign_hash,
    signature_is_valid,
    uuid7,
)

IDENTITY = DeviceIdentity(uuid4(), uuid4(), uuid4(), "device-secret")


def production(oil: float = 41.0) -> ProductionRecorded:
    return ProductionRecorded(
        well_id=uuid4(), production_date=date(2026, 11, 1), oil_bbl=oil, gas_mcf=2, water_bbl=3
    )


def chain(n: int, secret: str = "device-secret") -> list[dict[str, object]]:
    identity = DeviceIdentity(IDENTITY.org_id, IDENTITY.device_id, IDENTITY.user_id, secret)
    out, prev = [], ""
    for seq in range(1, n + 1):
        sealed = build_event(
            identity,
            device_seq=seq,
            prev_hash=prev,
            event_type=EventType.PRODUCTION_RECORDED,
            aggregate_id=uuid4(),
            payload=production(seq),
        )
        out.append(sealed.envelope)
        prev = sealed.hash
    return out


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": "é", "c": [1.0, None]}) == (
        '{"a":"é","b":1,"c":[1.0,null]}'.encode()
    )


def test_the_hash_covers_the_envelope_as_sent_without_hash_and_signature() -> None:
    env = chain(1)[0]
    body = {k: v for k, v in env.items() if k not in ("hash", "signature")}
    assert env["hash"] == hashlib.sha256(canonical_json(body)).hexdigest() == event_hash(env)
    assert env["signature"] == sign_hash(str(env["hash"]), "device-secret")
    as_int = json.loads(json.dumps(env).replace('"oil_bbl": 1.0', '"oil_bbl": 1'))
    assert event_hash(as_int) != env["hash"]  # 1 and 1.0 hash differently, by design


def test_envelopes_parse_as_the_contract_model() -> None:
    env = EventEnvelope.model_validate(chain(1)[0])
    assert env.device_seq == 1
    assert isinstance(env.typed_payload(), ProductionRecorded)


def test_a_sound_chain_has_no_problems_and_every_break_is_named() -> None:
    events = chain(4)
    assert check_chain(events, device_secret="device-secret") == []
    events[1]["payload"]["oil_bbl"] = 999.0  # type: ignore[index]
    events[3]["signature"] = "0" * 64
    problems = check_chain(events, device_secret="device-secret")
    named = {(p.event_id, p.reason.split()[0]) for p in problems}
    assert (events[1]["event_id"], "hash") in named
    assert (events[3]["event_id"], "signature") in named


def test_a_missing_event_breaks_seq_and_prev_hash() -> None:
    events = chain(3)
    problems = check_chain([events[0], events[2]])
    reasons = " ".join(p.reason for p in problems)
    assert "device_seq 3 where 2 was expected" in reasons
    assert "prev_hash" in reasons


def test_local_only_devices_sign_nothing() -> None:
    env = chain(1, secret="")[0]
    assert env["signature"] == ""
    assert signature_is_valid(env, "")


def test_uuid7_is_version_7_and_time_ordered() -> None:
    ids = [uuid7() for _ in range(200)]
    assert {u.version for u in ids} == {7}
    assert len(set(ids)) == 200
    stamps = [u.int >> 80 for u in ids]
    assert stamps == sorted(stamps)


@given(
    st.floats(min_value=0, max_value=1e4, allow_nan=False),
    st.text(max_size=30),
)
def test_any_payload_round_trips_through_its_hash(oil: float, notes: str) -> None:
    sealed = build_event(
        IDENTITY,
        device_seq=1,
        prev_hash="",
        event_type=EventType.PRODUCTION_RECORDED,
        aggregate_id=uuid4(),
        payload=production(oil).model_copy(update={"notes": notes}),
    )
    received = json.loads(json.dumps(sealed.envelope))
    assert event_hash(received) == sealed.hash
    assert canonical_json(sealed.body) == sealed.canonical
