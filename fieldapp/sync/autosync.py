"""Sync by itself: notice the server is reachable again and sync, with no busy loop.

While offline, `AutoSync` probes `/healthz` (one cheap GET, no auth) at growing, jittered
intervals up to `offline_max_s`; when it answers, it syncs at once. While online it syncs again
every `online_s` (to pull what others recorded) or as soon as it is nudged (something new was
recorded). A sync that finds the network gone sends it back to probing. Every pause is a
`threading.Event.wait`, so `stop()` and `nudge()` take effect immediately.

`step()` is one round (probe or sync) returning the pause before the next; tests drive it
directly, `start()` runs it on a daemon thread.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from typing import Any

from fieldapp.sync.engine import Listener, SyncEngine
from fieldapp.sync.errors import ServerBusy, SyncBusy, SyncError
from fieldapp.sync.retry import Stopped

log = logging.getLogger(__name__)


class AutoSync:
    def __init__(
        self,
        engine: SyncEngine,
        *,
        probe: Callable[[], bool] | None = None,
        offline_min_s: float = 2.0,
        offline_max_s: float = 120.0,
        online_s: float = 60.0,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.probe = probe or engine.client.healthy
        self.offline_min_s = offline_min_s
        self.offline_max_s = offline_max_s
        self.online_s = online_s
        self.online: bool | None = None  # unknown until the first probe
        self.failures = 0  # probes in a row that found no server
        self.last_error: str | None = None
        self.listeners: list[Listener] = []
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        engine.stop = self._stop  # a retry pause inside a sync ends with stop() too

    def _emit(self, name: str, **details: Any) -> None:
        for listener in list(self.listeners):
            listener(name, details)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self._emit("connectivity.online" if online else "connectivity.offline")

    def _offline_pause(self) -> float:
        self.failures += 1
        doublings = min(self.failures - 1, 60)  # past ~1024 a float overflows (a day offline)
        ceiling = min(self.offline_max_s, self.offline_min_s * 2**doublings)
        return self._rng.uniform(ceiling / 2, ceiling)

    def step(self) -> float:
        """One round: probe while offline, sync while online; the seconds to wait after it."""
        if not self.online:
            if not self.probe():
                self._set_online(False)
                return self._offline_pause()
            self.failures = 0
            self._set_online(True)
        try:
            self.engine.sync()
        except SyncBusy:
            return self.offline_min_s  # the other sync will finish soon
        except Stopped:
            return 0.0  # stop() interrupted a retry pause: the loop ends now
        except SyncError as exc:
            self.last_error = str(exc)
            if isinstance(exc, ServerBusy) and exc.retry_after is not None:
                return max(exc.retry_after, self.offline_min_s)  # the server named a time
            if exc.retryable:
                self._set_online(False)
                return self._offline_pause()
            log.warning("sync refused: %s", exc)
            return self.online_s  # needs a person (signed out, refused): do not hammer
        self.last_error = None
        return self.online_s

    def nudge(self) -> None:
        """Something new to push: sync now rather than at the next interval."""
        self._wake.set()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                pause = self.step()
            except Exception:  # never let the background thread die silently
                log.exception("automatic sync failed")
                pause = self.online_s
            self._wake.wait(pause)
            self._wake.clear()

    def start(self) -> threading.Thread:
        self._thread = threading.Thread(target=self.run, name="autosync", daemon=True)
        self._thread.start()
        return self._thread

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def run_forever(engine: SyncEngine, say: Callable[[str], None]) -> int:
    """`fieldapp sync --watch`: sync whenever the server is reachable, until Ctrl+C."""
    auto = AutoSync(engine)

    def report(name: str, details: dict[str, Any]) -> None:
        if name == "sync.finished":
            say(details["report"].summary())
        elif name in ("connectivity.online", "connectivity.offline"):
            say(f"server {'reachable' if name.endswith('online') else 'unreachable'}")
        elif name == "sync.failed":
            say(f"sync stopped: {details['error']}")

    auto.listeners.append(report)
    engine.listeners.append(report)
    auto.start()
    try:
        while auto._thread is not None and auto._thread.is_alive():
            auto._thread.join(1.0)
    except KeyboardInterrupt:
        auto.stop()
    return 0
