"""`AutoSync`: probe while offline (growing jittered pauses), sync while online, stop and nudge at
once. `step()` is driven directly; one group of tests runs the real background thread."""

from __future__ import annotations

import queue
import random
import threading
import time
from typing import Any, cast

import pytest

from fieldapp.sync.autosync import AutoSync
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.errors import (
    AuthRejected,
    Refused,
    ServerBusy,
    SyncBusy,
    SyncError,
    Unreachable,
)
from fieldapp.sync.retry import Stopped

MIN_S, MAX_S, ONLINE_S = 2.0, 120.0, 60.0


class FakeClient:
    def __init__(self) -> None:
        self.up = False
        self.probes = 0

    def healthy(self) -> bool:
        self.probes += 1
        return self.up


class FakeEngine:
    """What AutoSync uses of a SyncEngine: `sync()`, `client.healthy`, `stop`, `listeners`."""

    def __init__(self, *outcomes: BaseException | None) -> None:
        self.client = FakeClient()
        self.stop = threading.Event()
        self.listeners: list[Any] = []
        self.outcomes = list(outcomes)  # one per sync (None: success); then successes
        self.syncs = 0
        self.synced: queue.Queue[int] = queue.Queue()
        self.pause_in_sync = 0.0  # a retry pause inside the sync, ended by `stop`

    def sync(self) -> None:
        self.syncs += 1
        self.synced.put(self.syncs)
        if self.pause_in_sync and self.stop.wait(self.pause_in_sync):
            raise Stopped("sync stopped while waiting to retry")
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome


def auto_for(engine: FakeEngine, **options: Any) -> tuple[AutoSync, list[str]]:
    settings = {
        "offline_min_s": MIN_S,
        "offline_max_s": MAX_S,
        "online_s": ONLINE_S,
        "rng": random.Random(11),
        **options,
    }
    auto = AutoSync(cast(SyncEngine, engine), **settings)
    events: list[str] = []
    auto.listeners.append(lambda name, details: events.append(name))
    return auto, events


def ceiling(failures: int) -> float:
    return min(MAX_S, MIN_S * 2 ** (failures - 1))


# --- offline --------------------------------------------------------------------------------


def test_while_the_probe_fails_pauses_grow_jittered_and_capped_and_nothing_syncs() -> None:
    engine = FakeEngine()
    auto, events = auto_for(engine)
    pauses = [auto.step() for _ in range(12)]
    for failures, pause in enumerate(pauses, start=1):
        assert ceiling(failures) / 2 <= pause <= ceiling(failures), (failures, pause)
    assert pauses[0] <= MIN_S and pauses[-1] >= MAX_S / 2  # grew from the floor to the cap
    assert engine.client.probes == 12 and engine.syncs == 0
    assert auto.online is False and auto.failures == 12
    assert events == ["connectivity.offline"]  # once, not on every probe


def test_the_jitter_spreads_over_the_whole_half_range() -> None:
    pauses = []
    for seed in range(200):
        auto, _ = auto_for(FakeEngine(), rng=random.Random(seed))
        auto.failures = 6  # the next failure's ceiling is the cap
        pauses.append(auto.step())
    assert all(MAX_S / 2 <= p <= MAX_S for p in pauses)
    assert min(pauses) < 0.6 * MAX_S and max(pauses) > 0.9 * MAX_S


def test_days_offline_keep_the_pause_at_the_cap() -> None:
    auto, _ = auto_for(FakeEngine())
    for _ in range(1100):  # about a day of probes at the cap: the exponent must not overflow
        pause = auto.step()
    assert MAX_S / 2 <= pause <= MAX_S


def test_when_the_probe_answers_it_syncs_at_once_and_goes_online() -> None:
    engine = FakeEngine()
    auto, events = auto_for(engine)
    auto.step(), auto.step()
    engine.client.up = True
    assert auto.step() == ONLINE_S
    assert engine.syncs == 1 and auto.online is True and auto.failures == 0
    assert events == ["connectivity.offline", "connectivity.online"]


def test_the_first_step_probes_and_syncs_when_the_server_is_there() -> None:
    engine = FakeEngine()
    engine.client.up = True
    auto, events = auto_for(engine)
    assert auto.online is None
    assert auto.step() == ONLINE_S
    assert (engine.client.probes, engine.syncs, events) == (1, 1, ["connectivity.online"])


def test_while_online_it_syncs_every_step_without_probing() -> None:
    engine = FakeEngine()
    engine.client.up = True
    auto, events = auto_for(engine)
    assert [auto.step() for _ in range(3)] == [ONLINE_S] * 3
    assert (engine.client.probes, engine.syncs) == (1, 3)
    assert events == ["connectivity.online"]


def test_a_custom_probe_replaces_the_health_check() -> None:
    engine = FakeEngine()
    answers = [False, True]
    auto, _ = auto_for(engine, probe=lambda: answers.pop(0))
    auto.step(), auto.step()
    assert engine.client.probes == 0 and engine.syncs == 1


# --- sync outcomes --------------------------------------------------------------------------


@pytest.mark.parametrize("error", [Unreachable("connection reset"), ServerBusy("503")])
def test_a_retryable_error_during_sync_goes_offline_and_probes_again(error: SyncError) -> None:
    engine = FakeEngine(error)
    engine.client.up = True
    auto, events = auto_for(engine)
    pause = auto.step()
    assert MIN_S / 2 <= pause <= MIN_S  # back to probing, from the shortest pause
    assert auto.online is False and auto.last_error == str(error)
    assert events == ["connectivity.online", "connectivity.offline"]
    engine.client.up = False
    auto.step()
    assert (engine.client.probes, engine.syncs) == (2, 1)  # probed, did not sync


def test_after_going_offline_again_the_pauses_start_from_the_floor() -> None:
    engine = FakeEngine()
    auto, _ = auto_for(engine)
    for _ in range(8):
        auto.step()
    engine.client.up = True
    auto.step()
    engine.client.up = False
    engine.outcomes.append(Unreachable("gone"))
    assert MIN_S / 2 <= auto.step() <= MIN_S


def test_sync_busy_retries_after_the_shortest_pause_and_stays_online() -> None:
    engine = FakeEngine(SyncBusy("a sync is already running"))
    engine.client.up = True
    auto, events = auto_for(engine)
    assert auto.step() == MIN_S
    assert auto.online is True and events == ["connectivity.online"]
    assert auto.step() == ONLINE_S  # tried again without probing, and it went through
    assert (engine.client.probes, engine.syncs) == (1, 2)


@pytest.mark.parametrize("error", [AuthRejected("sign in again"), Refused("403 forbidden", 403)])
def test_a_non_retryable_error_waits_the_online_interval(error: SyncError) -> None:
    engine = FakeEngine(error)
    engine.client.up = True
    auto, events = auto_for(engine)
    assert auto.step() == ONLINE_S
    assert auto.online is True and auto.last_error == str(error)
    assert events == ["connectivity.online"]
    auto.step()
    assert auto.last_error is None and engine.syncs == 2  # a later success clears it


def test_stop_also_ends_the_engines_retry_pauses() -> None:
    engine = FakeEngine()
    auto, _ = auto_for(engine)
    assert not engine.stop.is_set()
    auto.stop()
    assert engine.stop.is_set()


# --- the background thread ------------------------------------------------------------------


def test_nudge_makes_it_sync_promptly_and_stop_joins_quickly() -> None:
    engine = FakeEngine()
    engine.client.up = True
    auto, _ = auto_for(engine)
    thread = auto.start()
    try:
        assert engine.synced.get(timeout=5) == 1  # the first round syncs at once
        assert engine.synced.empty()
        time.sleep(0.3)
        assert engine.synced.empty()  # waiting out the 60 s interval, not looping
        started = time.monotonic()
        auto.nudge()
        assert engine.synced.get(timeout=5) == 2
        assert time.monotonic() - started < 5
    finally:
        started = time.monotonic()
        auto.stop()
    assert time.monotonic() - started < 5 and not thread.is_alive()


def test_stop_joins_quickly_while_offline_and_waiting_a_long_pause() -> None:
    engine = FakeEngine()
    auto, _ = auto_for(engine, offline_min_s=300.0, offline_max_s=600.0)
    thread = auto.start()
    deadline = time.monotonic() + 5
    while engine.client.probes == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert engine.client.probes == 1
    started = time.monotonic()
    auto.stop()
    assert time.monotonic() - started < 5 and not thread.is_alive()
    assert engine.syncs == 0


def test_stop_ends_a_sync_waiting_to_retry() -> None:
    engine = FakeEngine()
    engine.client.up = True
    engine.pause_in_sync = 300.0
    auto, _ = auto_for(engine)
    thread = auto.start()
    assert engine.synced.get(timeout=5) == 1  # inside sync(), pausing before a retry
    started = time.monotonic()
    auto.stop()
    assert time.monotonic() - started < 5 and not thread.is_alive()


def test_an_unexpected_exception_does_not_kill_the_thread() -> None:
    engine = FakeEngine(RuntimeError("a bug in a sync"))
    engine.client.up = True
    auto, _ = auto_for(engine)
    thread = auto.start()
    try:
        assert engine.synced.get(timeout=5) == 1
        auto.nudge()
        assert engine.synced.get(timeout=5) == 2  # still running, and syncing
        assert thread.is_alive()
    finally:
        auto.stop()
    assert not thread.is_alive()


def test_a_server_that_names_a_retry_time_is_left_alone_that_long() -> None:
    engine = FakeEngine(ServerBusy("429 too many requests", retry_after=45.0))
    engine.client.up = True
    auto, _ = auto_for(engine)
    assert auto.step() == 45.0  # not the short probing pause: that would hammer it
    assert auto.online is True and "429" in (auto.last_error or "")


def test_a_stop_during_a_retry_pause_ends_the_round_without_an_error() -> None:
    engine = FakeEngine(Stopped("stopped"))
    engine.client.up = True
    auto, _ = auto_for(engine)
    assert auto.step() == 0.0
    assert auto.last_error is None
