"""Auto-lock after a period without input, as Qt-free logic with an injectable clock.

The UI calls `touch()` on input and asks `due()` from a timer; when due, it drops the key
(closes the store) and shows the unlock screen. Pending work is already durable in the log.
"""

from __future__ import annotations

import time
from collections.abc import Callable

DEFAULT_TIMEOUT_S = 15 * 60.0


class AutoLock:
    def __init__(
        self, timeout_s: float = DEFAULT_TIMEOUT_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("auto-lock timeout must be positive")
        self._clock = clock
        self.timeout_s = timeout_s
        self._last_input = clock()
        self.locked = False

    def touch(self) -> None:
        """Input happened: restart the idle countdown (ignored while locked)."""
        if not self.locked:
            self._last_input = self._clock()

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def remaining(self) -> float:
        return max(0.0, self.timeout_s - self.idle_seconds())

    def due(self) -> bool:
        return not self.locked and self.idle_seconds() >= self.timeout_s

    def lock(self) -> None:
        self.locked = True

    def unlock(self) -> None:
        self.locked = False
        self._last_input = self._clock()

    def set_timeout(self, timeout_s: float) -> None:
        if timeout_s <= 0:
            raise ValueError("auto-lock timeout must be positive")
        self.timeout_s = timeout_s
