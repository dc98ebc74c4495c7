"""Delivery over real sockets to a real `sync-server run` process (docs/sync-protocol.md push,
docs/design.md §8):
lost responses and retries, concurrent pushes of one batch, and the 2 MB body limit.

Devices log in through the in-process app (`client`); the live server shares its database and
JWT secret, so their tokens work there. Pushes then go over HTTP to the live server, directly or
through the fault-injecting TCP proxy.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from live_server import LiveServer
from starlette.testclient import TestClient
from tcp_proxy import ONE_REQUEST_PER_CONNECTION, Fault, TcpProxy

from shared.contracts import EventType
from shared.events import new_id
from sync_server.settings import Settings

from .test_sync_batch import DAY, Device, corrected, recorded, setup

BODY_LIMIT = 2 * 1024 * 1024


def batch_body(dev: Device, events: list[dict[str, Any]]) -> bytes:
    return json.dumps(
        {"protocol_version": 1, "device_id": str(dev.identity.device_id), "events": events}
    ).encode()


def push(http: httpx.Client, dev: Device, events: list[dict[str, Any]]) -> httpx.Response:
    return http.post(
        "/api/v1/sync/batch",
        content=batch_body(dev, events),
        headers={"Authorization": f"Bearer {dev.token}", "Content-Type": "application/json"},
    )


def results(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()["results"]
    return body


def day_records(dev: Device, well: str, days: int, first_back: int = 0) -> list[dict[str, Any]]:
    """`days` production.recorded events for consecutive gauge days, and a correction of every
    fifth one on top (so versions move too)."""
    events = []
    for i in range(days):
        day = (DAY - timedelta(days=first_back + i)).isoformat()
        record = new_id()
        events.append(
            dev.event(
                EventType.PRODUCTION_RECORDED,
                record,
                recorded(well, oil=100.0 + i, production_date=day),
            )
        )
        if i % 5 == 0:
            change = corrected(well, notes=f"gauged {i}") | {"production_date": day}
            events.append(dev.event(EventType.PRODUCTION_CORRECTED, record, change, base=1))
    return events


def stored(url: str, events: list[dict[str, Any]]) -> dict[str, list[tuple[int, int | None]]]:
    """event_id -> [(server_seq, result_version)] of every `events` row holding it."""
    ids = [e["event_id"] for e in events]
    found: dict[str, list[tuple[int, int | None]]] = {}
    with psycopg.connect(url) as conn:
        for event_id, seq, version in conn.execute(
            "SELECT event_id::text, server_seq, result_version FROM events"
            " WHERE event_id = ANY(%s::uuid[])",
            (ids,),
        ):
            found.setdefault(event_id, []).append((seq, version))
    return found


def assert_each_stored_once(url: str, dev: Device, events: list[dict[str, Any]]) -> None:
    """Every event is one `events` row; every record is one `production` row carrying exactly
    the versions its events made (a doubled apply would add a version)."""
    rows = stored(url, events)
    assert {e["event_id"]: len(rows.get(e["event_id"], [])) for e in events} == {
        e["event_id"]: 1 for e in events
    }
    per_record: dict[str, int] = {}
    for e in events:
        per_record[e["aggregate_id"]] = per_record.get(e["aggregate_id"], 0) + 1
    with psycopg.connect(url) as conn:
        found: dict[str, int] = dict(
            conn.execute(
                "SELECT id::text, count(*) FROM production WHERE id = ANY(%s::uuid[]) GROUP BY id",
                (list(per_record),),
            ).fetchall()
        )
        versions: dict[str, int] = dict(
            conn.execute(
                "SELECT id::text, version FROM production WHERE id = ANY(%s::uuid[])",
                (list(per_record),),
            ).fetchall()
        )
        last_seq = conn.execute(
            "SELECT last_seq FROM devices WHERE id = %s", (dev.identity.device_id,)
        ).fetchone()
    assert found == dict.fromkeys(per_record, 1)
    assert versions == per_record  # each event of a record raised its version exactly once
    assert last_seq == (dev.seq,)


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[TcpProxy]:
    with TcpProxy(("127.0.0.1", live_server.port)) as p:
        yield p


@pytest.fixture
def via_proxy(proxy: TcpProxy) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxy.url, timeout=60.0, **ONE_REQUEST_PER_CONNECTION) as http:
        yield http


# --- 1. duplicate delivery ------------------------------------------------------------------------


def test_a_response_lost_after_the_commit_then_the_retry_is_all_duplicate_and_stored_once(
    client: TestClient, database_url: str, proxy: TcpProxy, via_proxy: httpx.Client
) -> None:
    (dev,), well = setup(client, database_url)
    batch = day_records(dev, well, 10)
    proxy.schedule(Fault.DROP_RESPONSE)
    with pytest.raises(httpx.TransportError):
        push(via_proxy, dev, batch)
    committed = stored(database_url, batch)  # the server did the work; the client never heard
    assert sorted(committed) == sorted(e["event_id"] for e in batch)

    retry = results(push(via_proxy, dev, batch))
    assert [r["status"] for r in retry] == ["duplicate"] * len(batch)
    assert [r["event_id"] for r in retry] == [e["event_id"] for e in batch]
    assert [(r["server_seq"], r.get("version")) for r in retry] == [
        committed[e["event_id"]][0] for e in batch
    ]
    assert proxy.outcomes == [(1, Fault.DROP_RESPONSE), (2, Fault.PASS)]
    assert_each_stored_once(database_url, dev, batch)


@pytest.mark.parametrize("fault", [Fault.DROP_BEFORE, Fault.DROP_RESPONSE])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_failing_the_kth_request_loses_and_doubles_nothing(
    client: TestClient,
    database_url: str,
    proxy: TcpProxy,
    via_proxy: httpx.Client,
    k: int,
    fault: Fault,
) -> None:
    """A client pushes three batches in turn, resending a batch whose request failed; the k-th
    request fails. Every event ends up stored once, and the resent batch is answered as the
    server saw it: all accepted when it never arrived, all duplicate when only its answer was
    lost."""
    (dev,), well = setup(client, database_url)
    batches = [day_records(dev, well, 4, first_back=10 * n) for n in range(3)]
    proxy.schedule(fault, nth=k)
    answers: list[list[dict[str, Any]]] = []
    failures = 0
    for batch in batches:
        for _attempt in range(3):
            try:
                answers.append(results(push(via_proxy, dev, batch)))
                break
            except httpx.TransportError:
                failures += 1
    assert failures == 1
    assert len(answers) == len(batches)
    expected = ["duplicate" if fault is Fault.DROP_RESPONSE else "accepted"]
    for n, answer in enumerate(answers):
        assert [r["event_id"] for r in answer] == [e["event_id"] for e in batches[n]]
        want = expected if n == k - 1 else ["accepted"]
        assert [r["status"] for r in answer] == want * len(batches[n]), n
    everything = [e for batch in batches for e in batch]
    assert_each_stored_once(database_url, dev, everything)
    seqs = [r["server_seq"] for answer in answers for r in answer]
    assert len(set(seqs)) == len(seqs)


def test_a_server_killed_and_restarted_loses_nothing_acknowledged_and_doubles_nothing(
    client: TestClient, database_url: str, settings: Settings, tmp_path: Path
) -> None:
    """SIGKILL between two pushes: the acknowledged batch survives the crash, the push that met
    the dead server is resent and accepted once, and a resend of the first is all duplicate."""
    (dev,), well = setup(client, database_url)
    first, second = day_records(dev, well, 5), day_records(dev, well, 5, first_back=10)
    with (
        LiveServer(database_url, tmp_path, jwt_secret=settings.jwt_secret) as server,
        TcpProxy(("127.0.0.1", server.port)) as proxy,
        httpx.Client(base_url=proxy.url, timeout=60.0, **ONE_REQUEST_PER_CONNECTION) as http,
    ):
        acknowledged = results(push(http, dev, first))
        assert [r["status"] for r in acknowledged] == ["accepted"] * len(first)
        old_pid = server.pid
        server.kill()
        assert not server.running()
        with pytest.raises(httpx.TransportError):
            push(http, dev, second)
        server.start()  # the same port: the proxy and the client carry on unchanged
        assert server.pid != old_pid
        assert [r["status"] for r in results(push(http, dev, second))] == ["accepted"] * len(second)
        again = results(push(http, dev, first))
        assert [r["status"] for r in again] == ["duplicate"] * len(first)
        assert [r["server_seq"] for r in again] == [r["server_seq"] for r in acknowledged]
    assert not server.running()
    assert_each_stored_once(database_url, dev, first + second)


# --- 2. concurrent pushes -------------------------------------------------------------------------


def race(url: str, dev: Device, batch: list[dict[str, Any]]) -> list[httpx.Response]:
    """The same batch posted at once on two connections (two threads, one client each)."""
    body = batch_body(dev, batch)
    headers = {"Authorization": f"Bearer {dev.token}", "Content-Type": "application/json"}
    barrier = threading.Barrier(2)
    answers: list[httpx.Response | BaseException | None] = [None, None]

    def send(slot: int) -> None:
        try:
            with httpx.Client(base_url=url, timeout=60.0) as http:
                http.get("/healthz")  # the connection is open before the race starts
                barrier.wait(timeout=30)
                answers[slot] = http.post("/api/v1/sync/batch", content=body, headers=headers)
        except BaseException as exc:  # reported by the calling thread
            answers[slot] = exc

    threads = [threading.Thread(target=send, args=(slot,), daemon=True) for slot in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    for answer in answers:
        assert isinstance(answer, httpx.Response), answer
    return [a for a in answers if isinstance(a, httpx.Response)]


def test_the_same_batch_pushed_concurrently_on_two_connections_is_applied_once(
    client: TestClient, database_url: str, live_server: LiveServer
) -> None:
    (dev,), well = setup(client, database_url)
    for round_ in range(5):
        batch = day_records(dev, well, 42, first_back=60 * round_)  # 42 recorded + 9 corrected
        one, two = (results(r) for r in race(live_server.url, dev, batch))
        ids = [e["event_id"] for e in batch]
        assert [r["event_id"] for r in one] == ids
        assert [r["event_id"] for r in two] == ids
        pairs = [sorted((a["status"], b["status"])) for a, b in zip(one, two, strict=True)]
        assert pairs == [["accepted", "duplicate"]] * len(batch), round_
        assert [(a["server_seq"], a.get("version")) for a in one] == [
            (b["server_seq"], b.get("version")) for b in two
        ]
        assert_each_stored_once(database_url, dev, batch)


# --- 3. the body limit ----------------------------------------------------------------------------


def big_batch(dev: Device, well: str) -> list[dict[str, Any]]:
    """At most 500 valid events (the count limit) whose batch is over 2 MB all the same."""
    events = []
    for i in range(500):
        day = (DAY - timedelta(days=i)).isoformat()
        events.append(
            dev.event(
                EventType.PRODUCTION_RECORDED,
                new_id(),
                recorded(well, production_date=day, notes="n" * 4000),
            )
        )
    return events


def assert_problem_413(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 413


def test_a_body_over_2_mb_is_413_and_writes_nothing_and_its_halves_go_through(
    client: TestClient, database_url: str, live_server: LiveServer
) -> None:
    (dev,), well = setup(client, database_url)
    events = big_batch(dev, well)
    body = batch_body(dev, events)
    assert len(body) > BODY_LIMIT
    headers = {"Authorization": f"Bearer {dev.token}", "Content-Type": "application/json"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server must count what it reads
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    with httpx.Client(base_url=live_server.url, timeout=60.0) as http:
        declared = http.post("/api/v1/sync/batch", content=body, headers=headers)
        assert_problem_413(declared)
        streamed = http.post("/api/v1/sync/batch", content=chunks(), headers=headers)
        assert_problem_413(streamed)

        assert stored(database_url, events) == {}
        with psycopg.connect(database_url) as conn:
            assert conn.execute(
                "SELECT count(*) FROM quarantine WHERE device_id = %s", (dev.identity.device_id,)
            ).fetchone() == (0,)
            assert conn.execute(
                "SELECT count(*) FROM production WHERE well_id = %s", (well,)
            ).fetchone() == (0,)
            assert conn.execute(
                "SELECT last_seq FROM devices WHERE id = %s", (dev.identity.device_id,)
            ).fetchone() == (0,)

        # The client splits and retries: the same events in two halves are all accepted.
        half = len(events) // 2
        for part in (events[:half], events[half:]):
            assert len(batch_body(dev, part)) <= BODY_LIMIT
            answer = results(push(http, dev, part))
            assert [r["status"] for r in answer] == ["accepted"] * len(part)
    assert_each_stored_once(database_url, dev, events)
