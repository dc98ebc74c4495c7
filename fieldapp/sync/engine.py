"""The sync engine: push the outbox, pull the server's changes, until nothing is left.

One sync at a time per store (`SyncLock`: this process and every other). The network is never
waited on inside a store transaction, so the operator can go on recording during a sync; what
they record goes into the next batch of the same sync. Every answer is stored as it arrives:
if the sync stops half-way (network, crash, app closed), the next one continues from there.

Progress and outcomes are announced as named events to `listeners` (`sync.started`,
`sync.pushed`, `sync.pulled`, `sync.photo`, `sync.photo_progress`, `sync.retrying`,
`sync.finished`, `sync.failed`), which the GUI turns into its status strip; the engine itself
knows nothing of Qt. Photo bytes go after the push rounds (fieldapp/sync/photo_sync.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from fieldapp.core import org_thresholds
from fieldapp.core.database import driver
from fieldapp.core.inbox import apply_page, read_cursor, set_state
from fieldapp.core.outbox import OutgoingEvent, PushOutcome, next_batch, record_results
from fieldapp.core.store import Store
from fieldapp.sync.client import SyncClient, Tokens
from fieldapp.sync.errors import Refused, SyncError, TooLarge
from fieldapp.sync.lock import SyncLock
from fieldapp.sync.photo_sync import PhotoReport, PhotoSync
from fieldapp.sync.retry import Backoff, Wait
from shared.contracts import MAX_BATCH_EVENTS, BatchResponse
from shared.events import utc_timestamp

MAX_BATCH_BYTES = 1_800_000  # under the server's 2 MB body limit, with room for the wrapper
PULL_LIMIT = 1000
MAX_ROUNDS = 5  # push/pull rounds while new events keep arriving during a sync

T = TypeVar("T")
Listener = Callable[[str, dict[str, Any]], None]


@dataclass(slots=True)
class SyncReport:
    pushed: PushOutcome = field(default_factory=PushOutcome)
    pulled: int = 0
    batches: int = 0
    pages: int = 0
    pending: int = 0
    conflicts: int = 0
    rejected: int = 0
    photos: PhotoReport = field(default_factory=PhotoReport)

    @property
    def complete(self) -> bool:
        return self.pending == 0

    def summary(self) -> str:
        counts = " ".join(f"{k}={v}" for k, v in sorted(self.pushed.counts.items()))
        return (
            f"pushed {sum(self.pushed.counts.values())} ({counts or 'nothing'}), pulled"
            f" {self.pulled}; pending={self.pending} conflicts={self.conflicts}"
            f" rejected={self.rejected}"
        ) + (f"; {self.photos.line()}" if self.photos.line() else "")


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        *,
        backoff: Backoff | None = None,
        stop: threading.Event | None = None,
        batch_size: int = MAX_BATCH_EVENTS,
        pull_limit: int = PULL_LIMIT,
        pull_beside_push: bool = True,
        load_tokens: Callable[[], Tokens] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.backoff = backoff or Backoff()
        self.stop = stop or threading.Event()
        self.batch_size = batch_size
        self.pull_limit = pull_limit
        self.pull_beside_push = pull_beside_push  # False: one after the other (same requests
        # in the same order every time, for tests that number them)
        self.load_tokens = load_tokens  # re-read under the lock: another process may rotate
        self.listeners: list[Listener] = []
        self.lock = SyncLock(store.data_dir)
        self.photos = PhotoSync(store, client, emit=self._emit, stop=self.stop)
        self._pushed = threading.Event()

    def _emit(self, name: str, **details: Any) -> None:
        for listener in list(self.listeners):
            listener(name, details)

    def _wait(self) -> Wait:
        return self.stop.wait

    def _retrying(self, op: Callable[[], T]) -> T:
        def on_retry(exc: SyncError, pause: float) -> None:
            self._emit("sync.retrying", error=str(exc), pause=pause)

        return self.backoff.call(op, self._wait(), on_retry)

    # --- the whole sync -----------------------------------------------------------------------

    def sync(self, *, wait_s: float = 0.0) -> SyncReport:
        """Push then pull until nothing is left pending (or the rounds run out); raises
        SyncBusy when another sync holds the lock for longer than `wait_s`."""
        with self.lock.hold(wait_s):
            if self.load_tokens is not None:
                self.client.tokens = self.load_tokens()
            self._emit("sync.started")
            report = SyncReport()
            try:
                for _ in range(MAX_ROUNDS):
                    if self.pull_beside_push:
                        self._push_and_pull(report)
                    else:
                        self.push_all(report)
                        self.pull_all(report)
                    if self._pending() == 0:
                        break
                report.photos = self.photos.send_queued(self._retrying)  # events first
            except SyncError as exc:
                self._finish(report)
                self._emit("sync.failed", error=str(exc), report=report)
                raise
            self._finish(report)
            self.refresh_settings()
            with self.store.write() as txn:
                set_state(txn.db, {"last_sync": utc_timestamp()})
            self._emit("sync.finished", report=report)
            return report

    def _push_and_pull(self, report: SyncReport) -> None:
        """Push in this thread while another pulls what the pushes bring back."""
        pushed_all = threading.Event()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull") as pool:
            pulling = pool.submit(self.pull_all, report, until=pushed_all)
            try:
                self.push_all(report)
            finally:
                pushed_all.set()
                self._pushed.set()
            pulling.result()

    def _finish(self, report: SyncReport) -> None:
        status = self.store.status()
        report.pending, report.conflicts, report.rejected = (
            status.pending,
            status.conflicts,
            status.rejected,
        )

    def _pending(self) -> int:
        with self.store.read() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one())

    def refresh_settings(self) -> bool:
        """Take the organization's validation thresholds when they changed (a GET with the
        last ETag: 304 while they did not); True when new ones were stored. A server without
        the settings resource (404) leaves the device's own."""
        try:
            found = self._retrying(
                partial(self.client.validation_settings, org_thresholds.known_etag(self.store))
            )
        except Refused as exc:
            if exc.status == 404:
                return False
            raise
        if found is None:
            org_thresholds.mark_current(self.store)
            return False
        etag, values = found
        org_thresholds.adopt(self.store, values, etag)
        self._emit("sync.settings", thresholds=values)
        return True

    # --- push ---------------------------------------------------------------------------------

    def push_all(self, report: SyncReport | None = None) -> SyncReport:
        """Push the outbox in device_seq order. The local work is pipelined with the network:
        while a batch is on the wire, the next one is read and the previous answer stored."""
        report = report or SyncReport()
        size, after, from_log = self.batch_size, 0, False
        device = str(self.store.identity.device_id)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-local") as local:
            stored: Future[None] | None = None
            batch = self._read(size, after, from_log)
            while batch:
                ahead = local.submit(self._read, size, batch[-1].device_seq, from_log)
                try:
                    response = self._retrying(partial(self._push, device, batch))
                except TooLarge:
                    ahead.result()
                    if size == 1:
                        raise
                    size = max(1, size // 2)
                    batch = self._read(size, after, from_log)
                    continue
                if response.expected_seq is not None and not response.results:
                    ahead.result()  # the server lost track: send everything again from there
                    after, from_log = response.expected_seq - 1, True
                    batch = self._read(size, after, from_log)
                    continue
                if stored is not None:
                    stored.result()
                stored = local.submit(self._store_answers, batch, response, report)
                after = batch[-1].device_seq
                batch = ahead.result()
            if stored is not None:
                stored.result()
        return report

    def _read(self, size: int, after: int, from_log: bool) -> list[OutgoingEvent]:
        return next_batch(
            self.store, limit=size, max_bytes=MAX_BATCH_BYTES, after=after, from_log=from_log
        )

    def _push(self, device: str, batch: list[OutgoingEvent]) -> BatchResponse:
        return self.client.push(device, [item.envelope_json for item in batch])

    def _store_answers(
        self, batch: list[OutgoingEvent], response: BatchResponse, report: SyncReport
    ) -> None:
        outcome = record_results(self.store, batch, response)
        report.pushed.merge(outcome)
        report.batches += 1
        self._pushed.set()  # the puller may find new changes now
        self._emit("sync.pushed", sent=len(batch), counts=dict(outcome.counts))

    # --- pull ---------------------------------------------------------------------------------

    def pull_all(
        self, report: SyncReport | None = None, *, until: threading.Event | None = None
    ) -> SyncReport:
        """Pull pages until the server has no more. With `until`, keep pulling (as pushes
        bring new changes) until that event is set and a page started after it came back
        complete: the pull then runs beside the push instead of after it."""
        report = report or SyncReport()
        while True:
            done = until is None or until.is_set()
            cursor = self._cursor()
            page = self._retrying(partial(self.client.pull, cursor, self.pull_limit))
            outcome = apply_page(self.store, page)
            report.pulled += outcome.applied
            report.pages += 1
            self._emit("sync.pulled", applied=outcome.applied, cursor=outcome.next_cursor)
            if page.has_more and outcome.next_cursor > cursor:
                continue
            if done:
                return report
            assert until is not None
            self._pushed.wait(0.2)  # until the next pushed batch, or the push ends
            self._pushed.clear()

    def _cursor(self) -> int:
        with self.store.read() as conn:
            return read_cursor(driver(conn))
