"""`Backoff`: full-jitter exponential pauses, Retry-After, bounded attempts, stopping. No sleeping:
`wait` is a recording function."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import pytest

from fieldapp.sync.errors import (
    AuthRejected,
    Refused,
    ServerBusy,
    SyncError,
    TooLarge,
    Unreachable,
)
from fieldapp.sync.retry import Backoff, Stopped


class Waits:
    """A `wait` that records the pauses and answers `stop_after`-th call with True."""

    def __init__(self, stop_at: int | None = None) -> None:
        self.pauses: list[float] = []
        self.stop_at = stop_at

    def __call__(self, seconds: float) -> bool:
        self.pauses.append(seconds)
        return self.stop_at is not None and len(self.pauses) >= self.stop_at


class Flaky:
    """An operation that raises `errors` in turn, then returns "done"."""

    def __init__(self, *errors: SyncError) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def bound(backoff: Backoff, attempt: int) -> float:
    return min(backoff.cap_s, backoff.base_s * 2 ** (attempt - 1))


def test_delays_stay_within_the_full_jitter_bound_and_grow_exponentially() -> None:
    backoff = Backoff(base_s=0.5, cap_s=30.0, rng=random.Random(1234))
    highest = []
    for attempt in range(1, 11):
        samples = [backoff.delay(attempt) for _ in range(300)]
        assert all(0 <= s <= bound(backoff, attempt) for s in samples), attempt
        highest.append(max(samples))
        assert max(samples) > 0.9 * bound(backoff, attempt)  # the whole range is used
        assert min(samples) < 0.1 * bound(backoff, attempt)
    # doubling until the cap: 0.5, 1, 2, 4, 8, 16, then 30 from attempt 7 on
    assert all(b > 1.8 * a for a, b in itertools.pairwise(highest[:6]))
    assert all(27 < h <= 30 for h in highest[6:])


def test_the_same_seed_gives_the_same_delays() -> None:
    a, b = Backoff(rng=random.Random(5)), Backoff(rng=random.Random(5))
    assert [a.delay(n) for n in range(1, 7)] == [b.delay(n) for n in range(1, 7)]


def test_call_retries_retryable_errors_with_growing_bounded_pauses() -> None:
    backoff = Backoff(base_s=1.0, cap_s=4.0, attempts=6, rng=random.Random(7))
    errors = [
        Unreachable("down"),
        ServerBusy("busy"),
        Unreachable("down again"),
        ServerBusy("busy again"),
        Unreachable("still down"),
    ]
    op, waits = Flaky(*errors), Waits()
    retried: list[tuple[SyncError, float]] = []
    assert backoff.call(op, waits, lambda exc, pause: retried.append((exc, pause))) == "done"
    assert op.calls == 6
    assert len(waits.pauses) == 5
    for attempt, pause in enumerate(waits.pauses, start=1):
        assert 0 <= pause <= bound(backoff, attempt)
    assert [exc for exc, _ in retried] == errors  # told before each pause, in order
    assert [pause for _, pause in retried] == waits.pauses


def test_a_first_success_never_waits() -> None:
    op, waits = Flaky(), Waits()
    assert Backoff().call(op, waits) == "done"
    assert (op.calls, waits.pauses) == (1, [])


def test_retry_after_is_honoured_instead_of_the_jitter() -> None:
    op, waits = Flaky(ServerBusy("429", retry_after=7), ServerBusy("503", retry_after=0)), Waits()
    assert Backoff(base_s=100.0, cap_s=100.0, rng=random.Random(1)).call(op, waits) == "done"
    assert waits.pauses == [7.0, 0.0]


def test_retry_after_is_capped() -> None:
    backoff = Backoff(retry_after_cap_s=120.0)
    assert backoff.delay(1, retry_after=3600.0) == 120.0
    op, waits = Flaky(ServerBusy("come back tomorrow", retry_after=86_400.0)), Waits()
    backoff.call(op, waits)
    assert waits.pauses == [120.0]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Refused("422 invalid", 422),
        lambda: TooLarge("batch too large"),
        lambda: AuthRejected("sign in again"),
        lambda: SyncError("plain"),
    ],
    ids=["refused", "too-large", "auth", "plain"],
)
def test_non_retryable_errors_are_raised_at_once(make: Callable[[], SyncError]) -> None:
    error = make()
    op, waits = Flaky(error), Waits()
    with pytest.raises(SyncError) as caught:
        Backoff().call(op, waits)
    assert caught.value is error
    assert (op.calls, waits.pauses) == (1, [])


def test_a_non_sync_error_is_not_retried() -> None:
    calls = []

    def op() -> str:
        calls.append(1)
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        Backoff().call(op, Waits())
    assert len(calls) == 1


def test_attempts_are_bounded_and_the_last_error_is_raised() -> None:
    errors = [Unreachable(f"down {n}") for n in range(1, 10)]
    op, waits = Flaky(*errors), Waits()
    with pytest.raises(Unreachable) as caught:
        Backoff(attempts=4, rng=random.Random(2)).call(op, waits)
    assert caught.value is errors[3]
    assert op.calls == 4 and len(waits.pauses) == 3


def test_a_retryable_error_after_a_retry_can_still_be_final() -> None:
    refused = Refused("409 conflict", 409)
    op, waits = Flaky(Unreachable("down"), refused), Waits()
    with pytest.raises(Refused) as caught:
        Backoff(rng=random.Random(3)).call(op, waits)
    assert caught.value is refused and op.calls == 2 and len(waits.pauses) == 1


def test_a_wait_that_returns_true_raises_stopped() -> None:
    first = Unreachable("down")
    op, waits = Flaky(first, Unreachable("down"), Unreachable("down")), Waits(stop_at=2)
    with pytest.raises(Stopped) as caught:
        Backoff(rng=random.Random(4)).call(op, waits)
    assert op.calls == 2 and len(waits.pauses) == 2  # no attempt after the stop
    assert isinstance(caught.value.__cause__, Unreachable)
    assert isinstance(caught.value, SyncError) and not caught.value.retryable
