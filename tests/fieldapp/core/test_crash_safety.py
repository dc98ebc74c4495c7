"""SIGKILL a process in the middle of appending events, many times over (docs/design.md §4, §8).

An append that returned is on disk (WAL, synchronous=FULL); a kill at any other point loses at
most the transaction in flight. After every kill the store must open, pass SQLCipher's and
SQLite's integrity checks, hold every event the child reported, keep device_seq contiguous and
pass `verify` (hash chain intact, projections equal to a replay of the log).
"""

from __future__ import annotations

import os
import random
import select
import signal
import time
import traceback
from datetime import timedelta
from pathlib import Path

import pytest
from fieldkit import create_store, days_ago

from fieldapp.core import database
from fieldapp.core.production import save_production
from fieldapp.core.store import Store
from fieldapp.core.verify import verify_store
from shared.contracts import ProductionRecorded

ITERATIONS = 60
WELLS = [("42-501-20130", "Crash 1"), ("42-003-12345", "Crash 2"), ("42-501-20150", "Crash 3")]
READY = b"ready\n"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _append_until_killed(data_dir: Path, key: bytes, out: int, seed: int) -> None:
    """Child: append production events, one transaction each, reporting ids after each commit."""
    try:
        store = Store.open_with_key(data_dir, key)
        with store.read() as conn:
            wells = [
                str(r[0])
                for r in conn.exec_driver_sql("SELECT well_id FROM wells ORDER BY api_number")
            ]
            k = int(conn.exec_driver_sql("SELECT count(*) FROM production").scalar_one())
        first_day = days_ago(1)
        rng = random.Random(seed)
        last: ProductionRecorded | None = None
        os.write(out, READY)
        deadline = time.monotonic() + 30  # never outlive a stuck parent
        while time.monotonic() < deadline:
            if last is not None and rng.random() < 0.2:  # a correction of the last day
                record = last.model_copy(update={"oil_bbl": round(rng.uniform(50, 150), 2)})
            else:  # a new well-day: k numbers them, so days never repeat across children
                k += 1
                record = last = ProductionRecorded(
                    well_id=wells[k % len(wells)],
                    production_date=first_day - timedelta(days=k // len(wells)),
                    oil_bbl=round(rng.uniform(50, 150), 2),
                    gas_mcf=round(rng.uniform(100, 400), 1),
                    water_bbl=round(rng.uniform(10, 60), 1),
                    notes=f"child {seed} record {k}",
                )
            result = save_production(store, record)
            if result.event is not None:
                os.write(out, f"{result.event.event_id}\n".encode())  # < PIPE_BUF: atomic
        os._exit(3)
    except BaseException:
        os.write(out, b"error: " + traceback.format_exc().replace("\n", " | ").encode() + b"\n")
        os._exit(1)


def _run_and_kill(data_dir: Path, key: bytes, seed: int, delay: float) -> list[str]:
    """Fork a child that appends; SIGKILL it `delay` s after it is ready; its reported lines."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: no pytest machinery from here on, always leave with os._exit
        try:
            os.close(read_end)
            _append_until_killed(data_dir, key, write_end, seed)
        finally:
            os._exit(4)
    os.close(write_end)
    data = b""
    status = None
    try:
        while READY not in data:
            ready, _, _ = select.select([read_end], [], [], 60)
            assert ready, "child never became ready"
            chunk = os.read(read_end, 65536)
            assert chunk, f"child died before it was ready: {data!r}"
            data += chunk
        deadline = time.monotonic() + delay
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([read_end], [], [], left)
            if ready:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                data += chunk
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        while chunk := os.read(read_end, 65536):
            data += chunk
    finally:
        os.close(read_end)
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    lines = data.decode().split("\n")
    assert lines[-1] == "", f"a report line was torn: {lines[-1]!r}"
    errors = [line for line in lines if line.startswith("error")]
    assert not errors, errors
    assert os.WIFSIGNALED(status), f"child exited by itself (status {status}): {lines[-3:]}"
    assert os.WTERMSIG(status) == signal.SIGKILL
    assert lines[0] == "ready"
    return lines[1:-1]


def _check_raw(db_path: Path, key: bytes) -> list[tuple[int, str]]:
    """Integrity checks on a raw keyed connection; the (device_seq, event_id) of the log."""
    conn = database.connect(db_path, key)
    try:
        assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = conn.execute("SELECT device_seq, event_id FROM event_log ORDER BY device_seq")
        return [(int(seq), str(event_id)) for seq, event_id in rows.fetchall()]
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_acknowledged_and_corrupts_nothing(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "store"
    with create_store(data_dir, WELLS) as store:
        key = store._key
    reported: set[str] = set()
    in_log = {event_id for _, event_id in _check_raw(data_dir / "store.db", key)}
    rng = random.Random()

    for iteration in range(ITERATIONS):
        delay = rng.uniform(0.02, 0.3)
        ids = _run_and_kill(data_dir, key, seed=iteration, delay=delay)
        where = f"iteration {iteration}, killed after {delay * 1000:.0f} ms, {len(ids)} reported"

        log = _check_raw(data_dir / "store.db", key)
        assert [seq for seq, _ in log] == list(range(1, len(log) + 1)), where
        now_in_log = {event_id for _, event_id in log}
        reported.update(ids)
        assert not reported - now_in_log, f"{where}: acknowledged events lost"
        assert now_in_log >= in_log, f"{where}: earlier events vanished"
        unreported = now_in_log - in_log - set(ids)
        assert len(unreported) <= 1, f"{where}: {len(unreported)} events nobody appended"
        in_log = now_in_log

        with Store.open_with_key(data_dir, key) as store:
            report = verify_store(store)
            assert report.ok, f"{where}: {report.problems[:5]}"
            assert report.events == len(log)
            status = store.status()
            assert status.pending == status.events == len(log), where
            assert store.head.last_seq == len(log)

    assert len(reported) >= ITERATIONS, "the children appended too little to test anything"
