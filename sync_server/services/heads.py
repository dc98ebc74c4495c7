"""Where a push starts from and what it moves: the device's and the organization's heads.

A push opens with one pipelined round trip: it sets the tenant and the lock timeout, locks the
device row (one batch per device at a time) and the organization row (held until commit, so
the org's server seqs follow commit order: migration 0002), and reads which of the batch's
event ids the organization already holds. It closes by writing the device's new chain head and
the organization's last server seq.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sync_server.db.pool import TENANT_SQL, Conn
from sync_server.services.tokens import Principal

# a lock not granted within this, or a deadlock, fails the request: nothing was written, and
# the client retries
LOCK_TIMEOUT = "10s"

_DEVICE = "SELECT secret, last_seq, last_hash FROM devices WHERE id = %s FOR NO KEY UPDATE"
_ORG = (  # held until commit: the org's server seqs follow commit order (migration 0002)
    "SELECT conflict_policy, timezone, validation, last_seq FROM organizations"
    " WHERE id = %s FOR NO KEY UPDATE"
)
_KNOWN = "SELECT event_id, hash, server_seq, result_version FROM events WHERE event_id = ANY(%s)"


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The last event of a device's hash chain that the server has taken a place for."""

    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class DeviceHead:
    secret: str
    head: ChainHead


@dataclass(frozen=True, slots=True)
class OrgHead:
    policy: str  # last_write_wins | manual
    timezone: str
    last_seq: int  # the organization's last server seq
    validation: dict[str, Any] = field(default_factory=dict)  # the thresholds its admins set


@dataclass(slots=True)  # one per resent event, never changed (not frozen: slower to make)
class KnownEvent:
    """An event of the batch whose id the organization already holds."""

    event_id: str
    hash: str
    server_seq: int
    result_version: int | None


@dataclass(frozen=True, slots=True)
class Heads:
    device: DeviceHead | None  # None: not a device of this organization
    org: OrgHead | None
    known: list[KnownEvent]


async def lock_heads(conn: Conn, who: Principal, event_ids: list[UUID]) -> Heads:
    """Set the tenant, lock the device and organization rows, and read the known events."""
    async with conn.pipeline():
        await conn.execute(TENANT_SQL, (str(who.org_id),))
        await conn.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        devices = await conn.execute(_DEVICE, (who.device_id,))
        orgs = await conn.execute(_ORG, (who.org_id,))
        known = await conn.execute(_KNOWN, (event_ids,))
    device, org = await devices.fetchone(), await orgs.fetchone()
    return Heads(
        device=None
        if device is None
        else DeviceHead(
            secret=str(device["secret"]),
            head=ChainHead(seq=int(device["last_seq"]), hash=str(device["last_hash"])),
        ),
        org=None
        if org is None
        else OrgHead(
            policy=str(org["conflict_policy"]),
            timezone=str(org["timezone"]),
            last_seq=int(org["last_seq"]),
            validation=dict(org["validation"] or {}),
        ),
        known=[
            KnownEvent(
                event_id=str(row["event_id"]),
                hash=row["hash"],
                server_seq=row["server_seq"],
                result_version=row["result_version"],
            )
            for row in await known.fetchall()
        ],
    )


async def write_heads(conn: Conn, who: Principal, chain: ChainHead, last_seq: int | None) -> None:
    """The device's chain head, and the organization's last server seq when it moved."""
    await conn.execute(
        "UPDATE devices SET last_seq = %(seq)s, last_hash = %(hash)s WHERE id = %(device)s",
        {"seq": chain.seq, "hash": chain.hash, "device": who.device_id},
    )
    if last_seq is not None:
        await conn.execute(
            "UPDATE organizations SET last_seq = %(seq)s WHERE id = %(org)s",
            {"seq": last_seq, "org": who.org_id},
        )
