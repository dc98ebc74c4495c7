"""Event envelope construction, canonical JSON, hashing, HMAC signing and chain checks
(docs/design.md §3).

The hash covers the envelope exactly as sent: callers hash the JSON object they hold, never a
re-serialization of a model (41 and 41.0 hash differently).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from shared.contracts import SCHEMA_VERSION, Contract, EventType, dump_payload

UNSIGNED_FIELDS = ("hash", "signature")


def new_id() -> str:
    """A time-ordered UUID (RFC 9562 version 7) as its string: new ids land at the end of B-tree
    indexes, so an append touches one hot index page instead of a random one."""
    millis = time.time_ns() // 1_000_000
    rand = os.urandom(10)
    version = 0x7000 | int.from_bytes(rand[:2], "big") & 0x0FFF
    variant = 0x8000 | int.from_bytes(rand[2:4], "big") & 0x3FFF
    h = f"{millis & 0xFFFF_FFFF_FFFF:012x}"
    return f"{h[:8]}-{h[8:]}-{version:04x}-{variant:04x}-{rand[4:].hex()}"


def uuid7() -> UUID:
    return UUID(new_id())


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(obj: Any) -> bytes:
    """The one byte form that hashes are computed over."""
    return _CANONICAL.encode(obj).encode()


def event_hash(envelope: Mapping[str, Any]) -> str:
    """Hex sha256 of the canonical envelope without `hash` and `signature`."""
    body = {k: v for k, v in envelope.items() if k not in UNSIGNED_FIELDS}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def sign_hash(event_hash_hex: str, device_secret: str) -> str:
    """HMAC-SHA256 over the hash (ASCII) keyed by the device secret; "" for local-only devices."""
    if not device_secret:
        return ""
    mac = hmac.new(device_secret.encode(), event_hash_hex.encode("ascii"), hashlib.sha256)
    return mac.hexdigest()


def signature_is_valid(envelope: Mapping[str, Any], device_secret: str) -> bool:
    expected = sign_hash(str(envelope.get("hash", "")), device_secret)
    return hmac.compare_digest(expected, str(envelope.get("signature", "")))


def utc_timestamp(moment: datetime | None = None) -> str:
    """RFC 3339 UTC with microseconds and a `Z` suffix."""
    if moment is None:
        seconds, micros = divmod(time.time_ns() // 1000, 1_000_000)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{micros:06d}Z"
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """Who appends: the ids that go in every envelope and the signing secret."""

    org_id: UUID
    device_id: UUID
    user_id: UUID
    device_secret: str = ""


@dataclass(frozen=True, slots=True)
class SealedEvent:
    """An envelope body with the exact bytes its hash covers, its hash and its signature."""

    body: dict[str, Any]
    canonical: bytes
    hash: str
    signature: str

    @property
    def envelope(self) -> dict[str, Any]:
        return {**self.body, "hash": self.hash, "signature": self.signature}

    @property
    def event_id(self) -> str:
        return str(self.body["event_id"])


def seal(body: dict[str, Any], device_secret: str) -> SealedEvent:
    canonical = canonical_json(body)
    digest = hashlib.sha256(canonical).hexdigest()
    return SealedEvent(body, canonical, digest, sign_hash(digest, device_secret))


def build_event(
    identity: DeviceIdentity,
    *,
    device_seq: int,
    prev_hash: str,
    event_type: EventType,
    aggregate_id: UUID | str,
    payload: Contract | Mapping[str, Any],
    base_version: int = 0,
    event_id: UUID | None = None,
    recorded_at: datetime | str | None = None,
) -> SealedEvent:
    """A complete, hashed and signed event (`recorded_at` may be a ready RFC 3339 string)."""
    body = payload if isinstance(payload, Mapping) else dump_payload(payload)
    org_id, device_id, user_id = _identity_strings(identity)
    return seal(
        {
            "event_id": str(event_id) if event_id else new_id(),
            "org_id": org_id,
            "device_id": device_id,
            "device_seq": device_seq,
            "event_type": str(event_type),
            "aggregate_id": str(aggregate_id),
            "base_version": base_version,
            "payload": dict(body),
            "recorded_at": recorded_at
            if isinstance(recorded_at, str)
            else utc_timestamp(recorded_at),
            "user_id": user_id,
            "schema_version": SCHEMA_VERSION,
            "prev_hash": prev_hash,
        },
        identity.device_secret,
    )


@lru_cache(maxsize=16)
def _identity_strings(identity: DeviceIdentity) -> tuple[str, str, str]:
    return str(identity.org_id), str(identity.device_id), str(identity.user_id)


@dataclass(frozen=True, slots=True)
class ChainProblem:
    event_id: str
    device_seq: int
    reason: str

    def __str__(self) -> str:
        return f"event {self.event_id} (seq {self.device_seq}): {self.reason}"


def check_envelope(
    envelope: Mapping[str, Any], *, expected_seq: int, prev_hash: str, device_secret: str | None
) -> list[str]:
    """Reasons this envelope breaks its device's chain (empty when it is sound).

    `device_secret=None` skips the signature check (a verifier without the secret).
    """
    reasons: list[str] = []
    if envelope.get("device_seq") != expected_seq:
        reasons.append(f"device_seq {envelope.get('device_seq')} where {expected_seq} was expected")
    if envelope.get("prev_hash") != prev_hash:
        reasons.append("prev_hash does not match the previous event's hash")
    if event_hash(envelope) != envelope.get("hash"):
        reasons.append("hash does not match the event's content")
    elif device_secret is not None and not signature_is_valid(envelope, device_secret):
        reasons.append("signature does not match the device secret")
    return reasons


def check_chain(
    envelopes: Iterable[Mapping[str, Any]],
    *,
    device_secret: str | None = None,
    first_seq: int = 1,
    prev_hash: str = "",
) -> list[ChainProblem]:
    """Walk one device's events in seq order and report every break in the chain."""
    problems: list[ChainProblem] = []
    expected = first_seq
    for env in envelopes:
        for reason in check_envelope(
            env, expected_seq=expected, prev_hash=prev_hash, device_secret=device_secret
        ):
            problems.append(ChainProblem(str(env.get("event_id")), expected, reason))
        prev_hash = str(env.get("hash", ""))
        expected += 1
    return problems
