from __future__ import annotations

import pytest

from fieldapp.core.autolock import AutoLock


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_locks_after_the_idle_timeout_and_input_restarts_the_countdown() -> None:
    clock = Clock()
    lock = AutoLock(900, clock)
    clock.now += 899
    assert not lock.due()
    lock.touch()
    clock.now += 899
    assert not lock.due() and lock.remaining() == pytest.approx(1)
    clock.now += 1
    assert lock.due()
    lock.lock()
    assert not lock.due()  # already locked: nothing more to do
    lock.touch()
    assert lock.locked
    lock.unlock()
    assert not lock.due() and lock.remaining() == 900


def test_timeout_is_configurable_and_must_be_positive() -> None:
    clock = Clock()
    lock = AutoLock(60, clock)
    lock.set_timeout(30)
    clock.now += 30
    assert lock.due()
    with pytest.raises(ValueError, match="positive"):
        AutoLock(0, clock)
