"""Exponential backoff with full jitter, honouring the server's Retry-After.

`Backoff.call(op)` runs `op` until it succeeds, a non-retryable error comes up, or the attempts
run out (the last error is raised). Waiting goes through `wait(seconds) -> bool`, which returns
True when the caller was asked to stop (an `threading.Event.wait`), so a retry never sleeps
through a shutdown and tests can count the pauses instead of taking them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from fieldapp.sync.errors import SyncError

T = TypeVar("T")
Wait = Callable[[float], bool]


class Stopped(SyncError):
    """The wait between attempts was interrupted: the app is closing or locking."""


@dataclass(slots=True)
class Backoff:
    base_s: float = 0.5
    cap_s: float = 30.0
    attempts: int = 6
    retry_after_cap_s: float = 120.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds before try number `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap_s)
        return self.rng.uniform(0, min(self.cap_s, self.base_s * 2 ** (attempt - 1)))

    def call(
        self,
        op: Callable[[], T],
        wait: Wait,
        on_retry: Callable[[SyncError, float], None] | None = None,
    ) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                return op()
            except SyncError as exc:
                if not exc.retryable or attempt >= self.attempts:
                    raise
                pause = self.delay(attempt, exc.retry_after)
                if on_retry is not None:
                    on_retry(exc, pause)
                if wait(pause):
                    raise Stopped("sync stopped while waiting to retry") from exc
