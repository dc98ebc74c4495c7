"""The embedded PostgreSQL: `sync-server run` with no configuration starts it and stops it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from sync_server.db.embedded import forget_dead_handles, start_embedded, stop_embedded

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from live_server import free_port


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_dead_handles_are_forgotten_and_live_ones_kept(tmp_path: Path) -> None:
    handles = tmp_path / ".handle_pids.json"
    handles.write_text(json.dumps([dead_pid(), os.getpid()]))
    forget_dead_handles(tmp_path)
    assert json.loads(handles.read_text()) == [os.getpid()]
    forget_dead_handles(tmp_path / "absent")  # no server there yet: nothing to do


def postmaster_running(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_stop_embedded_stops_the_server_this_process_started(tmp_path: Path) -> None:
    url = start_embedded(tmp_path / "server")
    pgdata = tmp_path / "server" / "pg"
    assert postmaster_running(pgdata)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    stop_embedded(tmp_path / "server")
    assert not postmaster_running(pgdata)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    stop_embedded(tmp_path / "server")  # a second stop, or one for a folder never started: nothing


@pytest.mark.slow
def test_run_with_no_configuration_serves_and_stops_its_postgres_on_sigterm(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DATABASE_URL" and not k.startswith("WELLPULSE_")
    }
    env["HOME"] = str(tmp_path)  # the default data folder lands under it
    env.pop("XDG_DATA_HOME", None)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "sync_server", "run", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    pgdata = tmp_path / ".local" / "share" / "wellpulse-server" / "pg"
    try:
        ready = None
        for _ in range(600):
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz")
                break
            except httpx.TransportError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.1)
        assert ready is not None and ready.status_code == 200
        assert postmaster_running(pgdata)
        assert (pgdata.parent / "jwt.key").stat().st_mode & 0o777 == 0o600
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)
    assert code == 128 + signal.SIGTERM
    assert not postmaster_running(pgdata)
