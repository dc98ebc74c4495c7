"""A real `sync-server run` process (uvicorn) on a free loopback port, for end-to-end tests.

    with LiveServer(database_url, workdir, jwt_secret=secret) as server:
        httpx.get(f"{server.url}/readyz")
        server.kill()      # SIGKILL, as a crash would
        server.start()     # the same port again, so URLs (and proxies) stay valid

The server always runs against the given DATABASE_URL (never the embedded Postgres, so it has no
child processes of its own). Its stdout and stderr go to `workdir/server-N.log` (N counts the
starts); `log_tail()` returns the end of the current one for failure messages. The process is
started in its own session and every stop kills that process group, so nothing outlives `stop()`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO

import httpx

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServerError(RuntimeError):
    pass


class LiveServer:
    def __init__(
        self,
        database_url: str,
        workdir: Path,
        *,
        jwt_secret: str,
        rate_limit: int = 100_000,
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.workdir = Path(workdir)
        self.jwt_secret = jwt_secret
        self.rate_limit = rate_limit
        self._pick_port = port is None  # a port of our choosing may be re-picked if taken
        self.port = port or free_port()
        self.extra_env = dict(env or {})
        self.starts = 0
        self.log_path: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command(self) -> list[str]:
        data_dir = self.workdir / "server-data"
        return [
            sys.executable,
            "-m",
            "sync_server",
            "--data-dir",
            str(data_dir),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("WELLPULSE_")}
        env.update(
            DATABASE_URL=self.database_url,
            WELLPULSE_JWT_SECRET=self.jwt_secret,
            WELLPULSE_RATE_LIMIT=str(self.rate_limit),
            PYTHONUNBUFFERED="1",
            **self.extra_env,
        )
        return env

    def start(self) -> LiveServer:
        """Start the process and wait until /readyz answers 200; raises with the log if not.

        The first start on a port this class picked tries another free port if someone took
        that one in the meantime; later starts keep the port, so clients' URLs stay valid.
        """
        for attempt in range(3):
            try:
                return self._start_once()
            except LiveServerError:
                taken = "address already in use" in self.log_tail().lower()
                if not (taken and self._pick_port and self.starts == 1 and attempt < 2):
                    raise
                self.starts = 0
                self.port = free_port()
        raise AssertionError("unreachable")

    def _start_once(self) -> LiveServer:
        if self.running():
            raise LiveServerError(f"already running (pid {self.pid})")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        self.log_path = self.workdir / f"server-{self.starts}.log"
        self._log = self.log_path.open("wb")
        self._proc = subprocess.Popen(
            self.command(),
            cwd=REPO,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() kills exactly that group
        )
        try:
            self._wait_ready()
        except BaseException:
            self.kill()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        last = "no answer yet"
        with httpx.Client(timeout=5.0) as http:
            while time.monotonic() < deadline:
                assert self._proc is not None
                if self._proc.poll() is not None:
                    raise LiveServerError(
                        f"sync-server exited with {self._proc.returncode} before it was ready;"
                        f" log:\n{self.log_tail()}"
                    )
                try:
                    response = http.get(f"{self.url}/readyz")
                    if response.status_code == 200:
                        return
                    last = f"{response.status_code} {response.text[:300]}"
                except httpx.TransportError as exc:
                    last = f"{type(exc).__name__}: {exc}"
                time.sleep(0.1)
        raise LiveServerError(
            f"sync-server not ready after {READY_TIMEOUT_S:.0f} s ({last}); log:\n{self.log_tail()}"
        )

    def _signal(self, sig: signal.Signals) -> None:
        if self._proc is None or self._proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, sig)  # the group we created (start_new_session)

    def _reap(self, timeout: float) -> bool:
        assert self._proc is not None
        try:
            self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True

    def _finish(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        """Graceful shutdown (SIGTERM), escalating to SIGKILL if it does not exit."""
        if self._proc is None:
            return
        self._signal(signal.SIGTERM)
        if not self._reap(STOP_TIMEOUT_S):
            self._signal(signal.SIGKILL)
            self._reap(STOP_TIMEOUT_S)
        self._finish()

    def kill(self) -> None:
        """SIGKILL, as a crash or a pulled plug would; waits until the process is gone."""
        if self._proc is None:
            return
        self._signal(signal.SIGKILL)
        self._reap(STOP_TIMEOUT_S)
        self._finish()

    def restart(self, *, hard: bool = False) -> LiveServer:
        """Stop (SIGKILL when `hard`) and start again on the same port."""
        self.kill() if hard else self.stop()
        return self.start()

    def log_tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
