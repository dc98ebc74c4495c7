"""An event's canonical hash survives the round trip through Postgres `jsonb`
(docs/sync-protocol.md, pull).

`jsonb` stores numbers as `numeric` and writes them back in its own form; a pulled event must
still hash to the value its device sent, or every pull would look like a forgery and every
re-push like an id conflict."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from shared.contracts import EventType
from shared.events import event_hash, new_id

from .test_sync_batch import DAY, recorded, setup, statuses

# Payload values jsonb may re-serialize differently than Python's json does.
AWKWARD: tuple[dict[str, Any], ...] = (
    {"oil_bbl": 0.1, "water_bbl": 1e-7},
    {"gas_mcf": 12.50, "tubing_psi": 41, "casing_psi": 41.0},
    {
        "oil_bbl": 0.30000000000000004,
        "location": {"lat": 31.9686, "lon": -102.0779, "accuracy_m": 1234567.891},
    },
    {"oil_bbl": 41, "gas_mcf": 41.0, "hours_on": 12.5},
)


def pulled_events(client: TestClient, token: str) -> dict[str, dict[str, Any]]:
    """Every event of the organization's change feed, by event id."""
    out: dict[str, dict[str, Any]] = {}
    cursor = 0
    while True:
        page = client.get(
            "/api/v1/sync/changes",
            params={"cursor": cursor},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert page.status_code == 200, page.text
        body = page.json()
        for change in body["changes"]:
            if change["kind"] == "event":
                out[change["data"]["event_id"]] = change["data"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return out


def test_awkward_numbers_keep_their_hash_through_push_and_pull(
    client: TestClient, database_url: str
) -> None:
    (dev,), well = setup(client, database_url)
    sent = [
        dev.event(
            EventType.PRODUCTION_RECORDED,
            new_id(),
            recorded(well, production_date=(DAY - timedelta(days=i)).isoformat(), **numbers),
        )
        for i, numbers in enumerate(AWKWARD)
    ]
    first = dev.push(*sent)
    assert statuses(first) == ["accepted"] * len(sent), first.text

    pulled = pulled_events(client, dev.token)
    for envelope in sent:
        back = pulled[envelope["event_id"]]
        assert back["hash"] == envelope["hash"]
        assert event_hash(back) == envelope["hash"], (envelope["payload"], back["payload"])

    assert statuses(dev.push(*sent)) == ["duplicate"] * len(sent)
