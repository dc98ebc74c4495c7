"""The validation thresholds this device checks records with (docs/design.md §6.2).

A registered device takes its organization's thresholds from the server with every sync
(`fieldapp.sync.engine` asks `GET /api/v1/settings/validation` with the last ETag) and keeps
them in `store_meta`: `thresholds` (every setting as JSON, the org's time zone included) and
`thresholds_etag` (the server's ETag; absent on a local store, whose thresholds are the
defaults with the time zone given to `init`). The next form check, save or import uses them;
`fieldapp status` shows which are in force and where they came from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fieldapp.core.store import Store
from shared.events import utc_timestamp
from shared.thresholds import DEFAULT_THRESHOLDS, Thresholds, as_settings, with_settings

THRESHOLDS = "thresholds"
ETAG = "thresholds_etag"
SYNCED_AT = "thresholds_synced_at"

_UPSERT = (
    "INSERT INTO store_meta (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


@dataclass(frozen=True, slots=True)
class ThresholdsInForce:
    thresholds: Thresholds
    source: str  # "organization" (from the server) | "device" (defaults, the init time zone)
    etag: str | None
    synced_at: str | None  # when the device last took them from the server (UTC)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "etag": self.etag,
            "synced_at": self.synced_at,
            "values": as_settings(self.thresholds),
        }


def in_force(store: Store) -> ThresholdsInForce:
    etag = store.meta.get(ETAG)
    return ThresholdsInForce(
        store.thresholds,
        "organization" if etag else "device",
        etag,
        store.meta.get(SYNCED_AT),
    )


def known_etag(store: Store) -> str | None:
    """The ETag of the organization's thresholds this device holds (None: it has none yet)."""
    return store.meta.get(ETAG)


def adopt(store: Store, values: Mapping[str, Any], etag: str) -> Thresholds:
    """Keep the organization's thresholds `values` (as the server sent them) and use them from
    now on. Settings this version does not know, or values it cannot take, keep the defaults
    (`with_settings`), so a newer server never stops the device from recording."""
    found = with_settings(DEFAULT_THRESHOLDS, {"timezone": store.thresholds.timezone, **values})
    text = json.dumps(as_settings(found), sort_keys=True)
    now = utc_timestamp()
    with store.write() as txn:
        txn.db.executemany(_UPSERT, [(THRESHOLDS, text), (ETAG, etag), (SYNCED_AT, now)])
    store.meta.update({THRESHOLDS: text, ETAG: etag, SYNCED_AT: now})
    store.thresholds = found
    return found


def mark_current(store: Store) -> None:
    """The server said the thresholds held are still current (304): note when."""
    now = utc_timestamp()
    with store.write() as txn:
        txn.db.execute(_UPSERT, (SYNCED_AT, now))
    store.meta[SYNCED_AT] = now
