"""Three devices, one real server process, and hypothesis choosing what happens in what order:
recording, correcting, syncing, killing the server, dropping a connection. After a final sync
of everyone, every time:

- every device and the server hold the same records;
- every event a device recorded is on the server exactly once;
- every conflict of overlapping changes holds both sides;
- every device's status shows nothing pending.
"""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fieldkit import days_ago
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from live_server import LiveServer
from serverkit import new_org
from synckit import Device, FailOnce, add_wells, server_production

from fieldapp.core.production import correct_production
from fieldapp.sync.errors import SyncError
from fieldapp.sync.retry import Backoff
from shared.contracts import ProductionChanges

pytestmark = pytest.mark.slow
DEVICES = 3
USERS = tuple((f"op{i}", "operator") for i in range(DEVICES))
QUICK = Backoff(base_s=0.01, cap_s=0.05, attempts=3)  # give up fast while the server is down
DAYS = [days_ago(n) for n in (1, 2, 3)]
OILS = (80.0, 95.5, 110.0)
_RUNS = itertools.count()


def server_facts(url: str, org: str) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Server events per device id, and every conflict with both sides."""
    with psycopg.connect(url) as conn:
        per_device = conn.execute(
            "SELECT e.device_id::text, count(*), count(DISTINCT e.event_id) FROM events e"
            " JOIN organizations o ON o.id = e.org_id WHERE o.slug = %s GROUP BY 1",
            (org,),
        ).fetchall()
        conflicts = conn.execute(
            "SELECT c.fields, c.mine, c.theirs FROM conflicts c JOIN organizations o"
            " ON o.id = c.org_id WHERE o.slug = %s",
            (org,),
        ).fetchall()
    for device, total, distinct in per_device:
        assert total == distinct, f"device {device} has events twice on the server"
    counts = {str(d): int(n) for d, n, _ in per_device}
    return counts, [{"fields": f, "mine": m, "theirs": t} for f, m, t in conflicts]


class FieldDay(RuleBasedStateMachine):
    server: LiveServer
    database_url: str
    workdir: Path

    def __init__(self) -> None:
        super().__init__()
        run = next(_RUNS)
        self.org = new_org(self.database_url, USERS)
        self.wells = add_wells(self.database_url, self.org, 2)
        self.http = httpx.Client(base_url=self.server.url, timeout=10.0)
        self.devices = [
            Device.register(
                self.workdir / f"run{run}" / f"d{i}",
                self.http,
                self.org,
                f"op{i}",
                backoff=QUICK,
                batch_size=4,
                pull_limit=5,
            )
            for i in range(DEVICES)
        ]
        self.extra: list[httpx.Client] = []

    @rule(
        i=st.integers(0, DEVICES - 1),
        well=st.integers(0, 1),
        day=st.sampled_from(DAYS),
        oil=st.sampled_from(OILS),
    )
    def record(self, i: int, well: int, day: date, oil: float) -> None:
        self.devices[i].record(self.wells[well], day, oil=oil)

    @rule(
        i=st.integers(0, DEVICES - 1),
        well=st.integers(0, 1),
        day=st.sampled_from(DAYS),
        notes=st.sampled_from(("", "leak", "choke 32")),
        oil=st.sampled_from((None, *OILS)),
    )
    def correct(self, i: int, well: int, day: date, notes: str, oil: float | None) -> None:
        device = self.devices[i]
        row = device.day(self.wells[well], day)
        if row is None:
            return
        changes = ProductionChanges(notes=notes) if oil is None else ProductionChanges(oil_bbl=oil)
        correct_production(device.store, row["record_id"], changes)

    @rule(i=st.integers(0, DEVICES - 1))
    def sync(self, i: int) -> None:
        try:
            self.devices[i].sync()
        except SyncError:
            assert not self.server.running(), "a sync failed while the server was up"

    @precondition(lambda self: self.server.running())
    @rule()
    def kill_server(self) -> None:
        self.server.kill()

    @precondition(lambda self: not self.server.running())
    @rule()
    def start_server(self) -> None:
        self.server.start()

    @precondition(lambda self: self.server.running())
    @rule(
        i=st.integers(0, DEVICES - 1),
        k=st.integers(1, 4),
        mode=st.sampled_from(("before", "after")),
    )
    def drop_connection(self, i: int, k: int, mode: str) -> None:
        device = self.devices[i]
        faulty = httpx.Client(base_url=self.server.url, timeout=10.0, transport=FailOnce(k, mode))
        self.extra.append(faulty)
        device.engine = device.new_engine(http=faulty)
        device.sync()  # one request of it fails; the engine retries it
        device.engine = device.new_engine()

    def teardown(self) -> None:
        try:
            if not self.server.running():
                self.server.start()
            self._final_sync_and_check()
        finally:
            for device in self.devices:
                device.close()
            for client in (self.http, *self.extra):
                client.close()

    def _final_sync_and_check(self) -> None:
        for _ in range(2):
            for device in self.devices:
                device.sync()
        server = server_production(self.database_url, self.org)
        for device in self.devices:
            assert device.production() == server
            status = device.store.status()
            assert status.pending == 0, status
            assert device.verify() == []
        per_device, conflicts = server_facts(self.database_url, self.org)
        for device in self.devices:
            status = device.store.status()
            events = status.events - status.rejected
            assert per_device.get(device.device_id, 0) == events  # each one exactly once
            assert status.rejected == 0
        for conflict in conflicts:
            assert conflict["fields"] and set(conflict["mine"]) == set(conflict["fields"])
            assert set(conflict["theirs"]) == set(conflict["fields"])


def test_any_interleaving_of_field_work_and_faults_converges(
    live_server: LiveServer, database_url: str, tmp_path: Path
) -> None:
    FieldDay.server, FieldDay.database_url, FieldDay.workdir = live_server, database_url, tmp_path
    run_state_machine_as_test(
        FieldDay,
        settings=settings(
            max_examples=12,
            stateful_step_count=14,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
