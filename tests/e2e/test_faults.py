"""Sync under faults, against a real `sync-server run` process over real sockets.

- The server is SIGKILLed in the middle of a push and started again: the sync completes with
  nothing lost and nothing doubled.
- The k-th HTTP request of a full sync fails, once for every k: before it reaches the server,
  or after the server has done the work (its answer is lost). Every run ends in the same state.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fieldkit import days_ago
from live_server import LiveServer
from serverkit import new_org
from synckit import Device, FailOnce, add_wells, server_production

from fieldapp.core.inbox import set_state
from fieldapp.sync.retry import Backoff
from shared.contracts import ProductionChanges

pytestmark = pytest.mark.slow
USERS = (("op0", "operator"), ("op1", "operator"))
PATIENT = Backoff(base_s=0.2, cap_s=1.0, attempts=40)  # outlasts a server restart


def server_counts(url: str, org: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM events e WHERE e.org_id = o.id),"
            " (SELECT count(DISTINCT event_id) FROM events e WHERE e.org_id = o.id),"
            " (SELECT count(*) FROM conflicts c WHERE c.org_id = o.id),"
            " (SELECT count(*) FROM quarantine q WHERE q.org_id = o.id)"
            " FROM organizations o WHERE o.slug = %s",
            (org,),
        ).fetchone()
    assert row is not None
    return dict(zip(("events", "distinct_events", "conflicts", "quarantined"), row, strict=True))


def by_api(device: Device, rows: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Any]:
    """Records keyed by (API number, day), comparable across organizations."""
    with device.store.read() as conn:
        apis = dict(conn.exec_driver_sql("SELECT well_id, api_number FROM wells").all())
    return {(apis[well], day): values for (well, day), values in rows.items()}


def test_the_server_killed_mid_push_loses_and_doubles_nothing(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    org = new_org(database_url, USERS)
    apis = add_wells(database_url, org, 10)
    http = httpx.Client(base_url=live_server.url, timeout=10.0)
    a = Device.register(tmp_path / "a", http, org, "op0", batch_size=50, backoff=PATIENT)
    for n in range(1, 121):
        for api in apis:
            a.record(api, days_ago(n), oil=50.0 + n % 7)
    events = a.store.status().events
    pushed: list[int] = []
    a.engine.listeners.append(lambda name, d: pushed.append(1) if name == "sync.pushed" else None)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["report"] = a.sync()
        except Exception as exc:  # reported below
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 60
    while len(pushed) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    live_server.kill()  # SIGKILL while batches are in flight
    assert 0 < a.store.status().pending < events  # it really died half-way through
    time.sleep(0.5)
    live_server.start()
    worker.join(120)
    assert not worker.is_alive()
    if "error" in outcome:  # the retries ran out: the next sync finishes the job
        a.sync()
    status = a.store.status()
    assert (status.pending, status.acknowledged, status.rejected) == (0, events, 0)
    counts = server_counts(database_url, org)
    assert counts["events"] == counts["distinct_events"] == events  # nothing lost or doubled
    assert len(server_production(database_url, org)) == events
    assert a.production() == server_production(database_url, org)
    assert a.verify() == []
    a.close()
    http.close()


def scenario(
    database_url: str,
    live_server: LiveServer,
    folder: Path,
    fault: FailOnce,
    *,
    beside: bool = False,
) -> tuple[dict[str, Any], int]:
    """Two devices with offline work; A's sync runs through `fault`, then everyone syncs."""
    org = new_org(database_url, USERS)
    w1, w2 = add_wells(database_url, org, 2)
    plain = httpx.Client(base_url=live_server.url, timeout=10.0)
    b = Device.register(folder / "b", plain, org, "op1", batch_size=3, pull_limit=4)
    a = Device.register(
        folder / "a", plain, org, "op0", batch_size=3, pull_limit=4, pull_beside_push=beside
    )
    b.record(w1, days_ago(1), oil=70.0)
    b.sync()
    for n in range(1, 6):
        a.record(w2, days_ago(n), oil=100.0 + n)
    a.record(w1, days_ago(1), oil=75.0)  # B's day: a conflict
    a.record(w1, days_ago(2), oil=60.0)
    from fieldapp.core.production import correct_production

    correct_production(a.store, a.day(w2, days_ago(1))["record_id"], ProductionChanges(notes="x"))
    with a.store.write() as txn:  # the access token ran out: the sync starts with a refresh
        set_state(txn.db, {"access-token": "expired"})
    faulty = httpx.Client(base_url=live_server.url, timeout=10.0, transport=fault)
    a.engine = a.new_engine(http=faulty)
    a.sync()
    b.sync()
    a.sync()
    state = {
        "a": by_api(a, a.production()),
        "b": by_api(b, b.production()),
        "server": by_api(a, server_production(database_url, org)),
        "counts": server_counts(database_url, org),
        "status": {
            k: v
            for k, v in a.store.status().as_dict().items()
            if k in ("pending", "acknowledged", "conflicts", "rejected", "events")
        },
        "verify": a.verify() + b.verify(),
    }
    for device in (a, b):
        device.close()
    plain.close()
    faulty.close()
    return state, fault.count


def test_failing_the_kth_request_of_a_sync_for_every_k_converges_to_one_state(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    """Push then pull one after the other, so request k is the same request in every run."""
    reference, requests = scenario(database_url, live_server, tmp_path / "ref", FailOnce())
    assert reference["a"] == reference["b"] == reference["server"]
    assert reference["status"]["pending"] == 0 and reference["verify"] == []
    assert reference["counts"]["conflicts"] == 1
    assert requests >= 6  # refresh, several pushes and pulls
    for k in range(1, requests + 1):
        for mode in ("before", "after"):
            state, count = scenario(
                database_url, live_server, tmp_path / f"{mode}{k}", FailOnce(k, mode)
            )
            assert count > k  # the fault happened, and the sync went on after it
            assert state == reference, f"request {k} failing {mode} the server answered"


def test_faults_while_the_pull_runs_beside_the_push_converge_to_the_same_state(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    """The app's mode: which request is the k-th varies with timing, the end state must not."""
    reference, requests = scenario(database_url, live_server, tmp_path / "ref", FailOnce())
    fired = 0
    for k in range(1, requests + 1, 2):
        for mode in ("before", "after"):
            state, count = scenario(
                database_url, live_server, tmp_path / f"b{mode}{k}", FailOnce(k, mode), beside=True
            )
            fired += count > k
            assert state == reference, f"request {k} failing {mode} the server answered"
    assert fired >= requests // 2  # most runs really met their fault
